import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { LANGUAGES, type Language } from '../i18n';
import { EmailField } from './credentialFields';
import { Field } from './form';
import { Select } from './Select';

export interface ProfileDraft {
  display_name?: string;
  email?: string;
  birth_year?: number | null;
  declared_cohort?: string | null;
  years_experience?: number | null;
  department?: string | null;
  manager_email?: string | null;
  language?: Language;
}

export const COHORTS = ['baby_boomer', 'gen_x', 'millennial', 'gen_z', 'gen_alpha'];

/** Birth year or declared generation: whichever the person prefers, never both. */
export function profileBody(draft: ProfileDraft) {
  const byYear = draft.declared_cohort == null;
  return {
    display_name: draft.display_name,
    email: draft.email,
    birth_year: byYear ? (draft.birth_year ?? null) : null,
    declared_cohort: byYear ? null : draft.declared_cohort,
    years_experience: draft.years_experience ?? null,
    department: draft.department || null,
    manager_email: draft.manager_email || null,
    language: draft.language,
  };
}

/** The bounds the server applies to birth years and years of experience (one rule, defined
 * server side: the form offers the same ones it enforces). */
function useProfileRules() {
  return useQuery({
    queryKey: ['profile-rules'],
    queryFn: () => unwrap(api.GET('/api/v1/auth/profile-rules')),
    staleTime: 60 * 60 * 1000,
  });
}

interface Props {
  draft: ProfileDraft;
  onChange: (draft: ProfileDraft) => void;
  /** A word beside the email, where changing it has consequences the page explains. */
  emailHint?: string;
}

/** The profile's fields, inside a `<Form>` (which shows the server's refusal of each). */
export function ProfileFields({ draft, onChange, emailHint }: Props) {
  const { t } = useTranslation();
  const rules = useProfileRules().data;
  const set = (change: Partial<ProfileDraft>) => onChange({ ...draft, ...change });
  const number = (value: string) => (value === '' ? null : Number(value));
  const byYear = draft.declared_cohort == null;
  return (
    <>
      <Field label={t('profile.display_name')} name="display_name">
        {(p) => (
          <input
            {...p}
            autoComplete="name"
            required
            value={draft.display_name ?? ''}
            onChange={(e) => set({ display_name: e.target.value })}
          />
        )}
      </Field>
      <EmailField value={draft.email ?? ''} onChange={(email) => set({ email })} hint={emailHint} />
      <fieldset>
        <legend>{t('profile.generation')}</legend>
        <p className="hint">{t('profile.generation_hint')}</p>
        <label className="inline">
          <input
            type="radio"
            name="generation-mode"
            checked={byYear}
            onChange={() => set({ declared_cohort: null })}
          />
          {t('profile.by_birth_year')}
        </label>
        <label className="inline">
          <input
            type="radio"
            name="generation-mode"
            checked={!byYear}
            onChange={() => set({ declared_cohort: COHORTS[2] ?? 'millennial', birth_year: null })}
          />
          {t('profile.by_generation')}
        </label>
        {byYear ? (
          <Field
            label={t('profile.birth_year')}
            name="birth_year"
            hint={rules ? t('profile.birth_year_bounds', rules.birth_year) : undefined}
          >
            {(p) => (
              <input
                {...p}
                type="number"
                inputMode="numeric"
                min={rules?.birth_year.min}
                max={rules?.birth_year.max}
                value={draft.birth_year ?? ''}
                onChange={(e) => set({ birth_year: number(e.target.value) })}
              />
            )}
          </Field>
        ) : (
          <Select
            label={t('profile.declared_cohort')}
            name="declared_cohort"
            value={draft.declared_cohort ?? ''}
            onChange={(e) => set({ declared_cohort: e.target.value })}
            options={COHORTS.map((c) => ({ value: c, label: t(`cohort.${c}`) }))}
          />
        )}
      </fieldset>
      <Field label={t('profile.years_experience')} name="years_experience">
        {(p) => (
          <input
            {...p}
            type="number"
            inputMode="numeric"
            min={rules?.years_experience.min ?? 0}
            max={rules?.years_experience.max}
            value={draft.years_experience ?? ''}
            onChange={(e) => set({ years_experience: number(e.target.value) })}
          />
        )}
      </Field>
      <Field label={t('profile.department')} hint={t('profile.department_hint')} name="department">
        {(p) => (
          <input
            {...p}
            value={draft.department ?? ''}
            onChange={(e) => set({ department: e.target.value })}
          />
        )}
      </Field>
      <EmailField
        label={t('profile.manager_email')}
        hint={t('profile.manager_hint')}
        name="manager_email"
        required={false}
        autoComplete="off"
        value={draft.manager_email ?? ''}
        onChange={(manager_email) => set({ manager_email })}
      />
      <Select
        label={t('profile.language')}
        name="language"
        value={draft.language ?? 'en'}
        onChange={(e) => set({ language: e.target.value as Language })}
        options={LANGUAGES.map((l) => ({ value: l, label: t(`languages.${l}`) }))}
      />
    </>
  );
}
