import { useTranslation } from 'react-i18next';
import { type Schemas } from '../../../api/client';

/**
 * How the reviews scored one criterion: a table (score, a bar, the number of reviews), so that
 * the figures are read out by screen readers and shown to everyone, and each bar's length is
 * its share of the largest count. Plain HTML and CSS rather than a charting library: one small
 * horizontal bar chart needs no code in the bundle and stays a real table.
 */
export function Distribution({
  summary,
  label,
  scale,
}: {
  summary: Schemas['CriterionSummary'];
  label: string;
  /** The criterion's scale, where the rubric is known: every score gets a row, 0 included. */
  scale?: { scale_min: number; scale_max: number };
}) {
  const { t } = useTranslation();
  const given = new Map(
    Object.entries(summary.distribution as Record<string, number>).map(
      ([score, n]) => [Number(score), n] as const,
    ),
  );
  if (scale) {
    for (let score = scale.scale_min; score <= scale.scale_max; score++) {
      if (!given.has(score)) given.set(score, 0);
    }
  }
  const counts = [...given].sort(([a], [b]) => a - b);
  const max = Math.max(1, ...counts.map(([, n]) => n));
  return (
    <table className="distribution">
      <caption>
        {label}{' '}
        <span className="muted">
          {summary.median === null || summary.median === undefined
            ? t('results.no_median')
            : t('results.median_is', { median: summary.median })}
        </span>
      </caption>
      <thead>
        <tr>
          <th scope="col">{t('results.score')}</th>
          <th scope="col">{t('results.reviews')}</th>
        </tr>
      </thead>
      <tbody>
        {counts.map(([score, n]) => (
          <tr key={score}>
            <th scope="row">{score}</th>
            <td>
              <span className="bar-track" aria-hidden="true">
                <span
                  className="bar-fill"
                  data-count={n}
                  style={{ width: `${(100 * n) / max}%` }}
                />
              </span>{' '}
              <span className="bar-count">{n}</span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
