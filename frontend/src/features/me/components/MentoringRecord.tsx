import { useTranslation } from 'react-i18next';
import type { Schemas } from '../../../api/client';

type ProgrammeRecord = Schemas['ProgrammeRecord'];

/** Your mentoring on record, in plain words: each programme you applied to, your pair as you
 * see it (your partner's handle, whether names are shown), and what the two of you keep. */
export function MentoringRecord({ programmes }: { programmes: ProgrammeRecord[] }) {
  const { t } = useTranslation();
  if (programmes.length === 0) return null;
  return (
    <section aria-labelledby="mentoring-record-title">
      <h2 id="mentoring-record-title">{t('me.mentoring_record.title')}</h2>
      <p>{t('me.mentoring_record.intro')}</p>
      {programmes.map((programme) => (
        <article key={programme.programme_id} aria-label={programme.programme_title}>
          <h3>
            {programme.programme_title} ({t(`mentoring.phase.${programme.programme_phase}`)})
          </h3>
          <ul>
            <li>
              {programme.role === 'mentee'
                ? t('me.mentoring_record.applied_mentee', {
                    role: t(`mentoring.role.${programme.role}`),
                    handle: programme.handle,
                  })
                : t('me.mentoring_record.applied', {
                    role: t(`mentoring.role.${programme.role}`),
                    handle: programme.handle,
                    selection: t(`mentoring.selection.${programme.selection}`),
                  })}
            </li>
            {programme.pair ? (
              <PairLines pair={programme.pair} />
            ) : (
              <li>{t('me.mentoring_record.no_pair')}</li>
            )}
          </ul>
        </article>
      ))}
    </section>
  );
}

function PairLines({ pair }: { pair: Schemas['PairRecord'] }) {
  const { t } = useTranslation();
  const names = pair.names_shown ? 'names_both' : pair.you_reveal ? 'names_you' : 'names_none';
  return (
    <>
      <li>{t('me.mentoring_record.partner', { handle: pair.partner_handle })}</li>
      <li>{t(`me.mentoring_record.${names}`)}</li>
      <li>
        {t('me.mentoring_record.work', {
          goals: pair.plan_goals,
          sessions: pair.sessions,
          held: pair.held_sessions,
          check_ins: pair.my_check_ins,
        })}
      </li>
      <li>
        {pair.journal_shredded
          ? t('me.mentoring_record.journal_shredded')
          : t('me.mentoring_record.journal', { count: pair.journal_entries })}
      </li>
    </>
  );
}
