// IndexedDB for the token wallet (jsdom has none); the page's i18n setup; a clean DOM per test.
import 'fake-indexeddb/auto';
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';
import '../i18n';

afterEach(() => cleanup());
