import { useTranslation } from 'react-i18next';

const LEVELS = [1, 2, 3, 4];

export interface Claim {
  skill: string;
  level: number;
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
              onChange={(e) => update(index, { skill: e.target.value })}
            />
          </label>
          <label>
            {t('skills.level')}
            <select
              value={claim.level}
              onChange={(e) => update(index, { level: Number(e.target.value) })}
            >
              {LEVELS.map((level) => (
                <option key={level} value={level}>
                  {t(`skills.level_${level}`)}
                </option>
              ))}
            </select>
          </label>
          <button
            type="button"
            className="secondary"
            onClick={() => onChange(claims.filter((_, i) => i !== index))}
          >
            {t('common.remove')}
          </button>
        </div>
      ))}
      <button
        type="button"
        className="secondary"
        onClick={() => onChange([...claims, { skill: '', level: 2 }])}
      >
        {t('skills.add')}
      </button>
    </fieldset>
  );
}
