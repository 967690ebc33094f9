import { useTranslation } from 'react-i18next';
import { Stat, StatList } from '../../../components/Stat';
import { ErrorNote, Loading } from '../../../components/ui';
import { usePool } from '../api';

/** After publishing: pairs counted by their members' answers, and the handles still waiting. */
export function Pool({ programmeId }: { programmeId: string }) {
  const { t } = useTranslation();
  const pool = usePool(programmeId);
  const p = pool.data;
  return (
    <section aria-labelledby="pool-title">
      <h2 id="pool-title">{t('mentoring.pool.title')}</h2>
      {pool.isPending && <Loading />}
      <ErrorNote error={pool.error} />
      {p && (
        <>
          <StatList label={t('mentoring.pool.title')}>
            <Stat label={t('mentoring.pool.waiting_answers')} value={p.pairs_waiting_for_answers} />
            <Stat label={t('mentoring.pool.accepted')} value={p.pairs_accepted} />
            <Stat label={t('mentoring.pool.declined')} value={p.pairs_declined} />
          </StatList>
          <h3>{t('mentoring.pool.waiting_mentors')}</h3>
          <p>{p.waiting_mentors.join(', ') || t('mentoring.pool.nobody')}</p>
          <h3>{t('mentoring.pool.waiting_mentees')}</h3>
          <p>{p.waiting_mentees.join(', ') || t('mentoring.pool.nobody')}</p>
        </>
      )}
    </section>
  );
}
