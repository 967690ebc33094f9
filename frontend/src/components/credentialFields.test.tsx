import { render, screen } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import i18n from '../i18n';
import { EmailField, NewPasswordField, PasswordField } from './credentialFields';
import { Form } from './form';

const ignore = () => undefined;

describe('the shared email and password fields', () => {
  beforeEach(async () => {
    await i18n.changeLanguage('en');
  });

  it('tell the browser what to fill in, and show the rule beside a new password', () => {
    render(
      <Form error={null}>
        <EmailField value="" onChange={ignore} />
        <PasswordField
          label="Current password"
          name="current_password"
          value=""
          onChange={ignore}
        />
        <NewPasswordField label="New password" value="" onChange={ignore} />
      </Form>,
    );
    const email = screen.getByLabelText('Email');
    expect([email.getAttribute('type'), email.getAttribute('autocomplete')]).toEqual([
      'email',
      'email',
    ]);
    const current = screen.getByLabelText('Current password');
    expect(current.getAttribute('autocomplete')).toBe('current-password');
    const chosen = screen.getByLabelText('New password');
    expect(chosen.getAttribute('autocomplete')).toBe('new-password');
    const hint = document.getElementById(chosen.getAttribute('aria-describedby') ?? '');
    expect(hint?.textContent).toBe(i18n.t('auth.password_hint'));
  });

  it("mark the server's refusal on the field, in the reader's language", () => {
    const refused = new ApiError({
      title: 'Invalid request',
      status: 422,
      code: 'invalid_request',
      errors: [{ field: 'body.email', code: 'not_an_email', message: 'value is not…', type: 'x' }],
    });
    render(
      <Form error={refused}>
        <EmailField value="nope" onChange={ignore} />
      </Form>,
    );
    const email = screen.getByLabelText('Email');
    expect(email.getAttribute('aria-invalid')).toBe('true');
    expect(document.querySelector('.field-error')?.textContent).not.toContain('value is not');
  });
});

// Every way in and every account page uses them: a page that writes its own email or password
// input would drift from the others (autofill, the rule shown, the error wiring).
const sources = import.meta.glob<string>('../features/**/*.tsx', {
  query: '?raw',
  import: 'default',
  eager: true,
});

describe('pages', () => {
  it('never hand-write an email or password input', () => {
    const handWritten = Object.entries(sources)
      .filter(([path]) => !path.includes('/styleguide/') && !path.endsWith('.test.tsx'))
      .filter(([, source]) => /type="(email|password)"/.test(source))
      .map(([path]) => path);
    expect(handWritten).toEqual([]);
  });
});
