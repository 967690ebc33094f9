// Field errors are sentences in the reader's language, on the field they are about: every code
// the server sends has a sentence in en/fr/es with the numbers it needs; an unknown code reads
// as the generic sentence, never as the server's English; the field is marked for screen
// readers and receives the focus.
import { fireEvent, render, screen } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import i18n from '../i18n';
import en from '../locales/en.json';
import es from '../locales/es.json';
import fr from '../locales/fr.json';
import { ApiError, type FieldError } from './client';
import { FIELD_ERROR_CODES, fieldErrorText, fieldForPath } from './fieldErrors';
import { ErrorNote, Field, Form } from '../components/ui';

const SENTENCES: Record<string, Record<string, string>> = {
  en: en.field_errors,
  fr: fr.field_errors,
  es: es.field_errors,
};

const refusal = (...errors: Partial<FieldError>[]) =>
  new ApiError({
    title: 'Invalid request',
    status: 422,
    code: 'invalid_request',
    errors: errors.map((e) => ({
      field: 'body',
      code: 'invalid',
      params: {},
      message: 'String should have at most 100 characters',
      type: 'x',
      ...e,
    })),
  });

afterEach(() => void i18n.changeLanguage('en'));

describe.each(Object.keys(SENTENCES))('field error sentences in %s', (language) => {
  it.each(Object.entries(FIELD_ERROR_CODES))(
    '%s has a sentence with its numbers',
    (code, params) => {
      const sentence = SENTENCES[language]![code];
      expect(sentence, `${language}: field_errors.${code}`).toBeTruthy();
      for (const param of params) expect(sentence).toContain(`{{${param}}}`);
    },
  );

  it('has the generic sentence for codes it does not know', () => {
    expect(SENTENCES[language]!.unknown).toBeTruthy();
  });
});

describe('fieldErrorText', () => {
  it('fills in the numbers, in the reader language', async () => {
    await i18n.changeLanguage('fr');
    const t = i18n.t.bind(i18n);
    expect(fieldErrorText(t, { code: 'too_long', params: { max_length: 100 } })).toBe(
      'Utilisez au plus 100 caractères.',
    );
    expect(fieldErrorText(t, { code: 'out_of_range', params: { min: 1926, max: 2012 } })).toBe(
      'Saisissez un nombre entre 1926 et 2012.',
    );
    await i18n.changeLanguage('es');
    expect(fieldErrorText(i18n.t.bind(i18n), { code: 'team_sizes_order' })).toBe(
      es.field_errors.team_sizes_order,
    );
  });

  it('falls back to a generic translated sentence for an unknown code', async () => {
    await i18n.changeLanguage('fr');
    expect(fieldErrorText(i18n.t.bind(i18n), { code: 'brand_new_rule' })).toBe(
      fr.field_errors.unknown,
    );
  });
});

describe('fieldForPath', () => {
  const names = ['title', 'team_size.min', 'team_size.target', 'rubric.0', 'rubric.0.description'];
  it('finds the field, the one containing the path, or the first one inside it', () => {
    expect(fieldForPath('title', names)).toBe('title');
    expect(fieldForPath('team_size', names)).toBe('team_size.min');
    expect(fieldForPath('rubric.0.id', names)).toBe('rubric.0');
    expect(fieldForPath('rubric.0.description', names)).toBe('rubric.0.description');
    expect(fieldForPath('schedule', names)).toBeNull();
  });
});

function NameForm({ error }: { error: unknown }) {
  const [name, setName] = useState('');
  return (
    <QueryClientProvider client={new QueryClient()}>
      <Form error={error} onSubmit={(e) => e.preventDefault()}>
        <Field label="Name" name="display_name">
          {(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field label="Team" name="team_size.min">
          {(p) => <input {...p} />}
        </Field>
        <ErrorNote error={error} />
      </Form>
    </QueryClientProvider>
  );
}

describe('a form refused by the server', () => {
  it('marks the field, describes it with the sentence, focuses it, and lists it', async () => {
    await i18n.changeLanguage('fr');
    const error = refusal(
      { field: 'body.display_name', code: 'too_long', params: { max_length: 100 } },
      { field: 'body.team_size', code: 'team_sizes_order' },
    );
    render(<NameForm error={error} />);
    const name = screen.getByLabelText('Name');
    expect(name.getAttribute('aria-invalid')).toBe('true');
    const described = document.getElementById(name.getAttribute('aria-describedby')!);
    expect(described?.textContent).toBe('Utilisez au plus 100 caractères.');
    expect(document.activeElement).toBe(name);
    // The group's error is on its first field; the summary links to both fields.
    expect(screen.getByLabelText('Team').getAttribute('aria-invalid')).toBe('true');
    const summary = screen.getByRole('alert');
    expect(summary.textContent).toContain(fr.field_errors.summary_intro);
    expect(summary.textContent).not.toContain('String should have');
    fireEvent.click(screen.getByRole('link', { name: 'Team' }));
    expect(document.activeElement).toBe(screen.getByLabelText('Team'));
  });

  it('says an unknown code generically, never in the server English', async () => {
    await i18n.changeLanguage('es');
    render(<NameForm error={refusal({ field: 'body.display_name', code: 'brand_new_rule' })} />);
    expect(document.body.textContent).toContain(es.field_errors.unknown);
    expect(document.body.textContent).not.toContain('String should have');
  });
});

describe('an error the UI has no sentence for', () => {
  it('reads as the generic sentence, not the server English detail', async () => {
    await i18n.changeLanguage('fr');
    const error = new ApiError({
      title: 'Brand new',
      status: 409,
      code: 'brand_new_conflict',
      detail: 'Some English detail from the server',
    });
    render(<ErrorNote error={error} />);
    expect(screen.getByRole('alert').textContent).toBe(fr.errors.generic);
  });
});
