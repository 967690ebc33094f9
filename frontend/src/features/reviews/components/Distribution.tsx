import { useTranslation } from 'react-i18next';
import { type Schemas } from '../../../api/client';

export function Distribution({ summary }: { summary: Schemas['CriterionSummary'] }) {
  const { t } = useTranslation();
  const counts = summary.distribution as Record<string, number>;
  const max = Math.max(1, ...Object.values(counts));
  return (
    <figure className="distribution">
      <figcaption>
        {summary.criterion_id}: {t('results.median')} {summary.median ?? '—'}
      </figcaption>
      <svg
        role="img"
        aria-label={Object.entries(counts)
          .map(([score, n]) => `${score}: ${n}`)
          .join(', ')}
        viewBox={`0 0 ${Object.keys(counts).length * 30} 60`}
        width="100%"
        height="60"
      >
        {Object.entries(counts).map(([score, n], i) => (
          <g key={score}>
            <rect
              x={i * 30 + 4}
              y={50 - (40 * n) / max}
              width="22"
              height={(40 * n) / max}
              className="bar"
            />
            <text x={i * 30 + 15} y="59" textAnchor="middle" className="axis">
              {score}
            </text>
          </g>
        ))}
      </svg>
    </figure>
  );
}
