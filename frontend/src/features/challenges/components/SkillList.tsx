import { useTranslation } from 'react-i18next';
import { Button } from '../../../components/Button';

export const LEVELS = [1, 2, 3, 4] as const;

export interface Claim {
  skill: string;
  /** null until the person chooses one: no level is assumed for them. */
  level: number | null;
}

/** What the levels mean, shown above the skill lists (the selects point to it). */
export function LevelScale({ id }: { id: string }) {
  const { t } = useTranslation();
  return (
    <section className="scale" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t('skills.scale_title')}</h3>
      <dl>
        {LEVELS.map((level) => (
          <div key={level}>
            <dt>{t(`skills.level_${level}`)}</dt>
            <dd>{t(`skills.level_${level}_means`)}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

export function SkillList({
  legend,
  hint,
  claims,
  onChange,
  idPrefix,
}: {
  legend: string;
  hint: string;
  claims: Claim[];
  onChange: (c: Claim[]) => void;
  idPrefix: string;
}) {
  const { t } = useTranslation();
  const update = (index: number, change: Partial<Claim>) =>
    onChange(claims.map((c, i) => (i === index ? { ...c, ...change } : c)));
  return (
    <fieldset>
      <legend>{legend}</legend>
      <p className="hint">{hint}</p>
      {claims.map((claim, index) => (
        <div className="row" key={index}>
          <label>
            {t('skills.skill')}
            <input
              id={`${idPrefix}-skill-${index}`}
              value={claim.skill}
              required
              maxLength={50}
              onChange={(e) => update(index, { skill: e.target.value })}
            />
          </label>
          <div className="level-field">
            <label>
              {t('skills.level')}
              <select
                id={`${idPrefix}-level-${index}`}
                value={claim.level ?? ''}
                required
                aria-describedby={`${idPrefix}-level-${index}-means`}
                onChange={(e) =>
                  update(index, { level: e.target.value ? Number(e.target.value) : null })
                }
              >
                <option value="">{t('skills.choose_level')}</option>
                {LEVELS.map((level) => (
                  <option key={level} value={level}>
                    {t(`skills.level_${level}`)}
                  </option>
                ))}
              </select>
            </label>
            <p className="hint" id={`${idPrefix}-level-${index}-means`}>
              {claim.level ? t(`skills.level_${claim.level}_means`) : ''}
            </p>
          </div>
          <Button
            variant="secondary"
            aria-label={t('skills.remove', { n: index + 1 })}
            onClick={() => onChange(claims.filter((_, i) => i !== index))}
          >
            {t('common.remove')}
          </Button>
        </div>
      ))}
      <Button variant="secondary" onClick={() => onChange([...claims, { skill: '', level: null }])}>
        {t('skills.add')}
      </Button>
    </fieldset>
  );
}
