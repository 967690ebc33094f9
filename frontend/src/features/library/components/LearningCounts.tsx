// What editors see of people's learning (app/library/counts.py): how many took each lesson,
// passed its quiz, completed each collection. Counts only, over ended months, each 0, at least
// k, or "fewer than k": never a person's record.
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap, type Schemas } from '../../../api/client';
import { Table, type Column } from '../../../components/Table';
import { ErrorNote, Loading } from '../../../components/ui';
import { libraryKeys } from '../api';

type LessonRow = Schemas['LessonLearningCounts'];
type CollectionRow = Schemas['CollectionLearningCounts'];

const learningKeys = {
  overview: () => [...libraryKeys.all, 'learning'] as const,
  lesson: (id: string) => [...libraryKeys.all, 'learning', id] as const,
};

function useLearningOverview() {
  return useQuery({
    queryKey: learningKeys.overview(),
    queryFn: () => unwrap(api.GET('/api/v1/library/learning')),
  });
}

function useLessonLearning(id: string) {
  return useQuery({
    queryKey: learningKeys.lesson(id),
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/library/lessons/{lesson_id}/learning', {
          params: { path: { lesson_id: id } },
        }),
      ),
  });
}

/** "2026-03" as the reader's language names it ("March 2026", "mars 2026"). */
export function monthName(month: string, language: string): string {
  const [year, number] = month.split('-').map(Number);
  return new Intl.DateTimeFormat(language, {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(Date.UTC(year ?? 1970, (number ?? 1) - 1, 1)));
}

function Count({ value, k }: { value: number | null; k: number }) {
  const { t, i18n } = useTranslation();
  if (value === null)
    return <span className="suppressed">{t('library.learning.fewer_than', { k })}</span>;
  return <>{value.toLocaleString(i18n.language)}</>;
}

function Explanation({ k, through }: { k: number; through: string }) {
  const { t, i18n } = useTranslation();
  return (
    <>
      <p>{t('library.learning.privacy', { k })}</p>
      <p className="hint">
        {t('library.learning.through', { month: monthName(through, i18n.language), k })}
      </p>
    </>
  );
}

/** One lesson's counts, on its editor's page. */
export function LessonLearningPanel({ lessonId }: { lessonId: string }) {
  const { t } = useTranslation();
  const learning = useLessonLearning(lessonId);
  return (
    <section aria-labelledby="lesson-learning-heading">
      <h2 id="lesson-learning-heading">{t('library.learning.lesson_title')}</h2>
      <ErrorNote error={learning.error} />
      {learning.isPending && <Loading />}
      {learning.data && (
        <>
          <dl className="learning-counts">
            <dt>{t('library.learning.taken')}</dt>
            <dd>
              <Count value={learning.data.counts.taken} k={learning.data.k} />
            </dd>
            <dt>{t('library.learning.passed')}</dt>
            <dd>
              <Count value={learning.data.counts.passed} k={learning.data.k} />
            </dd>
          </dl>
          <Explanation k={learning.data.k} through={learning.data.through} />
        </>
      )}
    </section>
  );
}

/** Every published lesson and collection with its counts, on the library's home for editors. */
export function LearningOverviewPanel() {
  const { t } = useTranslation();
  const overview = useLearningOverview();
  const k = overview.data?.k ?? 5;
  const lessonColumns: Column<LessonRow>[] = [
    {
      id: 'lesson',
      header: t('library.learning.lesson'),
      rowHeader: true,
      cell: (row) =>
        row.lesson_id ? (
          <Link to={`/library/lessons/${row.lesson_id}`}>{row.title}</Link>
        ) : (
          row.title
        ),
    },
    {
      id: 'taken',
      header: t('library.learning.taken'),
      nowrap: true,
      cell: (row) => <Count value={row.taken} k={k} />,
    },
    {
      id: 'passed',
      header: t('library.learning.passed'),
      nowrap: true,
      cell: (row) => <Count value={row.passed} k={k} />,
    },
  ];
  const collectionColumns: Column<CollectionRow>[] = [
    {
      id: 'collection',
      header: t('library.learning.collection'),
      rowHeader: true,
      cell: (row) => <Link to={`/library/collections/${row.id}`}>{row.title}</Link>,
    },
    {
      id: 'completed',
      header: t('library.learning.completed'),
      nowrap: true,
      cell: (row) => <Count value={row.completed} k={k} />,
    },
  ];
  return (
    <section aria-labelledby="learning-overview-heading">
      <h2 id="learning-overview-heading">{t('library.learning.overview_title')}</h2>
      <ErrorNote error={overview.error} />
      {overview.isPending && <Loading />}
      {overview.data && (
        <>
          <Explanation k={overview.data.k} through={overview.data.through} />
          <Table
            caption={t('library.learning.lessons_caption')}
            columns={lessonColumns}
            rows={overview.data.lessons}
            rowKey={(row) => row.translation_group}
            empty={<span className="muted">{t('library.learning.no_lessons')}</span>}
          />
          {overview.data.collections.length > 0 && (
            <Table
              caption={t('library.learning.collections_caption')}
              columns={collectionColumns}
              rows={overview.data.collections}
              rowKey={(row) => row.id}
            />
          )}
        </>
      )}
    </section>
  );
}
