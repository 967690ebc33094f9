// The charts, in a chunk of their own (recharts is loaded only on this page, and after it).
// Why recharts: React components (no imperative canvas to keep in step with the data), SVG that
// scales to any width and keeps its text in the page's language and font, and the most used
// and maintained React charting library; its size (about 120 KB gzipped) stays out of the
// initial load (tests/e2e/test_build.py).
// Each chart is a picture of the table under it, which is the accessible version: the chart is
// one image with a name that says so, and hidden counts are simply not drawn.
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
import type { Breakdown } from '../breakdowns';

// Colours with at least 3:1 contrast against the page background, told apart by more than
// hue in the legend and the table.
const PALETTE = ['#1f5f99', '#b34d00', '#2d7a3e', '#7a3d99', '#8a6d00', '#555555'];

interface ChartProps {
  breakdown: Breakdown;
  title: string;
  /** The columns to draw (by index in `breakdown.headers`); the first column labels the bars. */
  series: number[];
  stacked?: boolean;
}

export function BreakdownChart({ breakdown, title, series, stacked }: ChartProps) {
  const { t } = useTranslation();
  const data = breakdown.rows.map((row) => {
    const point: Record<string, string | number | null> = { label: String(row[0]) };
    for (const index of series) {
      const value = row[index];
      point[`s${index}`] = typeof value === 'number' ? value : null;
    }
    return point;
  });
  return (
    <div
      className="insights-chart"
      role="img"
      aria-label={t('insights.chart_label', { name: title })}
      data-chart={breakdown.id}
    >
      <ResponsiveContainer width="100%" height={280}>
        <BarChart data={data} accessibilityLayer={false} margin={{ left: 0, right: 8 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" tick={{ fontSize: 12 }} />
          <YAxis allowDecimals={false} width={40} tick={{ fontSize: 12 }} />
          <Tooltip />
          <Legend />
          {series.map((index, n) => (
            <Bar
              key={index}
              dataKey={`s${index}`}
              name={breakdown.headers[index]}
              fill={PALETTE[n % PALETTE.length]}
              stackId={stacked ? 'stack' : undefined}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
