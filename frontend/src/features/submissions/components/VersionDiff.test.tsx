import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import en from '../../../locales/en.json';
import VersionDiff from './VersionDiff';

describe('comparing two versions', () => {
  it('marks removed and added words, for eyes and for screen readers', () => {
    const { container } = render(
      <VersionDiff
        before={{ title: 'Our plan', body: 'Alpha beta gamma' }}
        after={{ title: 'Our plan', body: 'Alpha delta gamma' }}
      />,
    );
    const removed = container.querySelectorAll('del');
    const added = container.querySelectorAll('ins');
    expect(Array.from(removed, (d) => d.textContent)).toEqual([
      `${en.versions.removed_start}beta${en.versions.change_end}`,
    ]);
    expect(Array.from(added, (d) => d.textContent)).toEqual([
      `${en.versions.added_start}delta${en.versions.change_end}`,
    ]);
    expect(screen.getByText(/words added: 1, words removed: 1/)).toBeTruthy();
  });

  it('says so when nothing changed', () => {
    render(
      <VersionDiff before={{ title: 'T', body: 'Same' }} after={{ title: 'T', body: 'Same' }} />,
    );
    expect(screen.getByText(/No difference with the current version/)).toBeTruthy();
  });
});
