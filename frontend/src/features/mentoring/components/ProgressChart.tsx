// The lead's monthly progress as a chart, in a chunk of its own (recharts loads with the first
// chart drawn, never with the first page: tests/e2e/test_build.py). The same recharts set-up
// as the insights charts (features/insights/components/Charts.tsx): the chart is one image
// whose name says the table under it gives the same figures, and a hidden count is not drawn.
import { useTranslation } from 'react-i18next';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { Schemas } from '../../../api/client';

// Colours with at least 3:1 contrast against the page, told apart by the legend and the table.
const SERIES = [
  { key: 'pairs', label: 'mentoring.progress.pairs', colour: '#1f5f99' },
  { key: 'met', label: 'mentoring.progress.met', colour: '#2d7a3e' },
  { key: 'sessions_held', label: 'mentoring.progress.sessions_held', colour: '#b34d00' },
] as const;

/** Pairs running, pairs that met and sessions held, side by side for each ended month. */
export function ProgressChart({
  months,
  title,
}: {
  months: Schemas['MonthlyMeetings'][];
  title: string;
}) {
  const { t } = useTranslation();
  const data = months.map((m) => ({
    label: m.month,
    pairs: m.pairs,
    met: m.met,
    sessions_held: m.sessions_held,
  }));
  return (
    <div
      className="progress-chart"
      role="img"
      aria-label={t('insights.chart_label', { name: title })}
    >
      <ResponsiveContainer width="100%" height={260}>
        <BarChart data={data} accessibilityLayer={false} margin={{ left: 0, right: 8 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" tick={{ fontSize: 12 }} />
          <YAxis allowDecimals={false} width={40} tick={{ fontSize: 12 }} />
          <Tooltip />
          <Legend />
          {SERIES.map((series) => (
            <Bar
              key={series.key}
              dataKey={series.key}
              name={t(series.label)}
              fill={series.colour}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
