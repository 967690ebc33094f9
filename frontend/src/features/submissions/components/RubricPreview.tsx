import { useTranslation } from 'react-i18next';
import { useChallenge } from '../../challenges/api';

/** The challenge's rubric, before anyone reviews: what each criterion means and its scale. */
export function RubricPreview({ challengeId }: { challengeId: string }) {
  const { t } = useTranslation();
  const challenge = useChallenge(challengeId);
  const rubric = challenge.data?.rubric ?? [];
  if (rubric.length === 0) return null;
  return (
    <details className="rubric-preview">
      <summary>{t('rubric_preview.summary')}</summary>
      <p className="hint">{t('rubric_preview.hint')}</p>
      <dl>
        {rubric.map((criterion) => {
          const min = criterion.scale_min ?? 1;
          const max = criterion.scale_max ?? 5;
          const descriptors = Object.entries(criterion.descriptors ?? {})
            .map(([score, text]) => [Number(score), text] as const)
            .sort((a, b) => a[0] - b[0]);
          return (
            <div key={criterion.id} className="rubric-criterion">
              <dt>
                {criterion.title}{' '}
                <span className="muted">{t('rubric_preview.scale', { min, max })}</span>
              </dt>
              {criterion.description && <dd>{criterion.description}</dd>}
              {descriptors.length > 0 && (
                <dd>
                  <ul>
                    {descriptors.map(([score, text]) => (
                      <li key={score}>{t('rubric_preview.descriptor', { score, text })}</li>
                    ))}
                  </ul>
                </dd>
              )}
            </div>
          );
        })}
      </dl>
    </details>
  );
}
