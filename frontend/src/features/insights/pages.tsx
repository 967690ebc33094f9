import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { BreakdownChart } from '../../components/Chart';
import { Table, type Column } from '../../components/Table';
import { ErrorNote, Loading, Page } from '../../components/ui';
import { humanise, useLabels } from '../../components/labels';
import { hasRole, useMe } from '../me/api';
import { useInsights } from './api';
import { breakdowns, csvRows, type Breakdown, type Cell } from './breakdowns';
import { downloadCsv, toCsv } from './csv';
import { HiddenCount } from './HiddenCount';
import './insights.css';
import { Button } from '../../components/Button';
import { EmptyState } from '../../components/EmptyState';

/** Which columns each chart draws (the tables show them all). */
const CHARTS: Partial<
  Record<Breakdown['id'], { series: (b: Breakdown) => number[]; stacked?: boolean }>
> = {
  participation: {
    // Every generation, stacked per month; not the total.
    series: (b) => b.headers.slice(1, -1).map((_, i) => i + 1),
    stacked: true,
  },
  // The last three months side by side, per department.
  departments: {
    series: (b) => b.headers.map((_, i) => i).slice(Math.max(1, b.headers.length - 3)),
  },
  skills: { series: () => [1, 2] },
  tracks: { series: () => [1, 2] },
};

/** A chart only where it would draw something: all zeros or hidden reads better as the table. */
function drawable(breakdown: Breakdown, series: number[]): boolean {
  return breakdown.rows.some((row) =>
    series.some((i) => (row[i] ?? 0) !== 0 && typeof row[i] === 'number'),
  );
}

/** Breakdowns whose first column names the row (a month, a skill, a track). */
const LABELLED = new Set<Breakdown['id']>(['participation', 'departments', 'skills', 'tracks']);

/** The first day of next month, when a challenge closing this month joins the figures. */
function nextMonth(language: string): string {
  const now = new Date();
  const first = new Date(now.getFullYear(), now.getMonth() + 1, 1);
  return first.toLocaleDateString(language, { day: 'numeric', month: 'long', year: 'numeric' });
}

export function InsightsPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const allowed = hasRole(me.data, 'facilitator') || hasRole(me.data, 'admin');
  const insights = useInsights(allowed);
  const labels = useLabels();
  if (me.isPending) return <Loading />;
  // Someone without either role sees why, and no request that would only fail (403).
  if (!allowed) {
    return (
      <Page title={t('insights.not_allowed_title')}>
        <p className="lead">{t('insights.not_allowed')}</p>
        <p>
          <Link to="/">{t('insights.not_allowed_back')}</Link>
        </p>
      </Page>
    );
  }
  const data = insights.data;
  return (
    <Page title={t('insights.title')}>
      {insights.isPending && <Loading />}
      <ErrorNote error={insights.error} />
      {data && (
        <>
          <p className="lead">
            {t(
              data.scope === 'organisation'
                ? 'insights.lead_organisation'
                : 'insights.lead_facilitated',
            )}
          </p>
          <p>{t('insights.privacy', { k: data.k })}</p>
          {data.through === null ? (
            // A new installation: say when figures will come, rather than six empty tables.
            <EmptyState>{t('insights.none_yet', { date: nextMonth(i18n.language) })}</EmptyState>
          ) : (
            <p className="muted">
              {t('insights.through', { month: data.through })} {t('insights.groups', { k: data.k })}{' '}
              {t('insights.hidden_legend', { k: data.k })}
            </p>
          )}
          {data.through !== null &&
            breakdowns(data, {
              header: (key) => t(`insights.${key}`),
              cohort: labels.cohort,
              skill: humanise,
              track: (code) => t(`track.${code}`),
            }).map((breakdown) => (
              <BreakdownSection key={breakdown.id} breakdown={breakdown} k={data.k} />
            ))}
        </>
      )}
    </Page>
  );
}

function BreakdownSection({ breakdown, k }: { breakdown: Breakdown; k: number }) {
  const { t, i18n } = useTranslation();
  const title = t(`insights.${breakdown.id}.title`);
  const hidden = t('insights.fewer_than', { k });
  const show = (cell: Cell) =>
    cell === null ? (
      <HiddenCount k={k} complement={false} />
    ) : typeof cell === 'object' ? (
      <HiddenCount k={k} complement />
    ) : typeof cell === 'number' ? (
      cell.toLocaleString(i18n.language)
    ) : (
      cell
    );
  const columns: Column<Cell[]>[] = breakdown.headers.map((header, index) => ({
    id: String(index),
    header,
    cell: (row) => show(row[index] ?? null),
    rowHeader: index === 0 && LABELLED.has(breakdown.id),
    nowrap: index > 0,
  }));
  const chart = CHARTS[breakdown.id];
  const headingId = `insights-${breakdown.id}`;
  return (
    <section className="insights-section" aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      {chart && drawable(breakdown, chart.series(breakdown)) && (
        // recharts is loaded with the first chart, in a chunk of its own (components/Chart).
        <BreakdownChart
          breakdown={breakdown}
          title={title}
          series={chart.series(breakdown)}
          stacked={chart.stacked}
        />
      )}
      <Table
        caption={title}
        captionHidden
        columns={columns}
        rows={breakdown.rows}
        rowKey={(row) => String(row[0])}
        empty={<span className="muted">{t('insights.empty')}</span>}
      />
      <Button
        variant="secondary"
        onClick={() =>
          downloadCsv(
            `insights-${breakdown.id}.csv`,
            toCsv(
              breakdown.headers,
              csvRows(
                breakdown,
                hidden,
                `${t('insights.hidden')} (${t('insights.hidden_why', { k })})`,
              ),
            ),
          )
        }
      >
        {t('insights.download', { name: title })}
      </Button>
    </section>
  );
}
