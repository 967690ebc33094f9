import { lazy, Suspense, type ComponentProps } from 'react';
import { Skeleton } from './Skeleton';

// The charts and recharts are a chunk of their own, fetched with the first chart drawn: never
// part of the first page load (tests/e2e/test_build.py checks the initial budget).
const LazyBreakdownChart = lazy(async () => ({
  default: (await import('../features/insights/components/Charts')).BreakdownChart,
}));

type BreakdownChartProps = ComponentProps<typeof LazyBreakdownChart>;

/** A bar chart of a breakdown (a picture of the table under it, which stays the accessible
 * version), with grey bars while its code loads. */
export function BreakdownChart(props: BreakdownChartProps) {
  return (
    <Suspense fallback={<Skeleton lines={4} />}>
      <LazyBreakdownChart {...props} />
    </Suspense>
  );
}
