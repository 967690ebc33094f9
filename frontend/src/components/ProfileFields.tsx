import { useTranslation } from 'react-i18next';
import { LANGUAGES, type Language } from '../i18n';
import { Field } from './ui';

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

interface Props {
  draft: ProfileDraft;
  onChange: (draft: ProfileDraft) => void;
  fieldError: (name: string) => string | undefined;
}

export function ProfileFields({ draft, onChange, fieldError }: Props) {
  const { t } = useTranslation();
  const set = (change: Partial<ProfileDraft>) => onChange({ ...draft, ...change });
  const number = (value: string) => (value === '' ? null : Number(value));
  const byYear = draft.declared_cohort == null;
  return (
    <>
      <Field label={t('profile.display_name')} error={fieldError('display_name')}>
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
      <Field label={t('profile.email')} error={fieldError('email')}>
        {(p) => (
          <input
            {...p}
            type="email"
            autoComplete="email"
            required
            value={draft.email ?? ''}
            onChange={(e) => set({ email: e.target.value })}
          />
        )}
      </Field>
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
          <Field label={t('profile.birth_year')} error={fieldError('birth_year')}>
            {(p) => (
              <input
                {...p}
                type="number"
                inputMode="numeric"
                min={1930}
                max={2015}
                value={draft.birth_year ?? ''}
                onChange={(e) => set({ birth_year: number(e.target.value) })}
              />
            )}
          </Field>
        ) : (
          <Field label={t('profile.declared_cohort')} error={fieldError('declared_cohort')}>
            {(p) => (
              <select
                {...p}
                value={draft.declared_cohort ?? ''}
                onChange={(e) => set({ declared_cohort: e.target.value })}
              >
                {COHORTS.map((c) => (
                  <option key={c} value={c}>
                    {t(`cohort.${c}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
      </fieldset>
      <Field label={t('profile.years_experience')} error={fieldError('years_experience')}>
        {(p) => (
          <input
            {...p}
            type="number"
            inputMode="numeric"
            min={0}
            max={60}
            value={draft.years_experience ?? ''}
            onChange={(e) => set({ years_experience: number(e.target.value) })}
          />
        )}
      </Field>
      <Field
        label={t('profile.department')}
        hint={t('profile.department_hint')}
        error={fieldError('department')}
      >
        {(p) => (
          <input
            {...p}
            value={draft.department ?? ''}
            onChange={(e) => set({ department: e.target.value })}
          />
        )}
      </Field>
      <Field
        label={t('profile.manager_email')}
        hint={t('profile.manager_hint')}
        error={fieldError('manager_email')}
      >
        {(p) => (
          <input
            {...p}
            type="email"
            value={draft.manager_email ?? ''}
            onChange={(e) => set({ manager_email: e.target.value })}
          />
        )}
      </Field>
      <Field label={t('profile.language')}>
        {(p) => (
          <select
            {...p}
            value={draft.language ?? 'en'}
            onChange={(e) => set({ language: e.target.value as Language })}
          >
            {LANGUAGES.map((l) => (
              <option key={l} value={l}>
                {t(`languages.${l}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
    </>
  );
}
