import { lazy, Suspense, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Schemas } from '../../../api/client';
import { Skeleton } from '../../../components/Skeleton';
import { Stat, StatList } from '../../../components/Stat';
import { Table } from '../../../components/Table';
import { EmptyState } from '../../../components/EmptyState';
import { ErrorNote, Loading } from '../../../components/ui';
import { HiddenCount } from '../../insights/HiddenCount';
import { useProgress } from '../api';

// recharts comes with the first chart drawn, never with the first page.
const LazyProgressChart = lazy(async () => ({
  default: (await import('./ProgressChart')).ProgressChart,
}));

type Count = number | null;
const RATINGS = ['1', '2', '3', '4', '5'] as const;

/** The lead's monthly progress: counts over ended months only, every count under k shown as
 * "fewer than k" (the server hides it, and one more where a total would give it away). Nothing
 * about a person or a pair. */
export function Progress({ programmeId }: { programmeId: string }) {
  const { t, i18n } = useTranslation();
  const progress = useProgress(programmeId);
  const data = progress.data;
  const month = (value: string) =>
    new Intl.DateTimeFormat(i18n.language, { month: 'long', year: 'numeric' }).format(
      new Date(`${value}-01T12:00:00Z`),
    );
  // A hidden count reads "fewer than k", or "hidden" where it is only the complement of one.
  const show = (count: Count, key?: string, complement?: string[]): ReactNode =>
    count === null ? (
      <HiddenCount k={data?.k ?? 5} complement={key !== undefined && !!complement?.includes(key)} />
    ) : (
      count
    );
  const meetingsTitle = t('mentoring.progress.meetings_title');
  return (
    <section aria-labelledby="progress-title">
      <h2 id="progress-title">{t('mentoring.progress.title')}</h2>
      {progress.isPending && <Loading />}
      <ErrorNote error={progress.error} />
      {data && (
        <>
          <p className="hint">{t('mentoring.progress.privacy', { k: data.k })}</p>
          <p className="hint">{t('insights.hidden_legend', { k: data.k })}</p>
          {data.months.length === 0 ? (
            <EmptyState>{t('mentoring.progress.none_yet')}</EmptyState>
          ) : (
            <>
              <h3>{meetingsTitle}</h3>
              <Suspense fallback={<Skeleton lines={4} />}>
                <LazyProgressChart
                  months={data.months.map((m) => ({ ...m, month: month(m.month) }))}
                  title={meetingsTitle}
                />
              </Suspense>
              <Table
                caption={meetingsTitle}
                captionHidden
                rows={data.months}
                rowKey={(row) => row.month}
                columns={[
                  {
                    id: 'month',
                    header: t('mentoring.progress.month'),
                    cell: (row) => month(row.month),
                    rowHeader: true,
                  },
                  {
                    id: 'pairs',
                    header: t('mentoring.progress.pairs'),
                    cell: (row) => show(row.pairs),
                    nowrap: true,
                  },
                  {
                    id: 'met',
                    header: t('mentoring.progress.met'),
                    cell: (row) => show(row.met, 'met', row.complement),
                    nowrap: true,
                  },
                  {
                    id: 'not_met',
                    header: t('mentoring.progress.not_met'),
                    cell: (row) => show(row.not_met, 'not_met', row.complement),
                    nowrap: true,
                  },
                  {
                    id: 'planned',
                    header: t('mentoring.progress.sessions_planned'),
                    cell: (row) => show(row.sessions_planned),
                    nowrap: true,
                  },
                  {
                    id: 'held',
                    header: t('mentoring.progress.sessions_held'),
                    cell: (row) => show(row.sessions_held, 'sessions_held', row.complement),
                    nowrap: true,
                  },
                ]}
              />
              <h3>{t('mentoring.progress.goals_title')}</h3>
              <p className="hint">{t('mentoring.progress.goals_hint')}</p>
              <Table
                caption={t('mentoring.progress.goals_title')}
                captionHidden
                rows={data.goal_progress}
                rowKey={(row) => `${row.month}-${row.guidance}`}
                columns={[
                  {
                    id: 'month',
                    header: t('mentoring.progress.month'),
                    cell: (row: Schemas['GoalProgressRow']) =>
                      `${month(row.month)} · ${t(`track.${row.guidance}`)}`,
                    rowHeader: true,
                  },
                  {
                    id: 'total',
                    header: t('mentoring.progress.ratings_total'),
                    cell: (row) => show(row.total),
                    nowrap: true,
                  },
                  ...RATINGS.map((rating) => ({
                    id: `rating-${rating}`,
                    header: t('mentoring.progress.rated', { score: rating }),
                    cell: (row: Schemas['GoalProgressRow']) =>
                      show(row.by_rating[rating] ?? null, rating, row.complement),
                    nowrap: true,
                  })),
                ]}
              />
            </>
          )}
          <h3>{t('mentoring.progress.journals_title')}</h3>
          <StatList label={t('mentoring.progress.journals_title')}>
            <Stat
              label={t('mentoring.progress.journals_kept')}
              value={show(data.journals.journals_kept)}
            />
            <Stat
              label={t('mentoring.progress.journal_entries')}
              value={show(data.journals.entries)}
            />
          </StatList>
          <p className="hint">{t('mentoring.progress.journals_hint', { k: data.k })}</p>
        </>
      )}
    </section>
  );
}
