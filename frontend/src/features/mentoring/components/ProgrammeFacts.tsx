import { useTranslation } from 'react-i18next';
import { Badge, type BadgeTone } from '../../../components/Badge';
import { useLabels } from '../../../components/labels';
import { formatDate } from '../../../components/ui';
import type { Phase, ProgrammeDetail } from '../api';

// The challenges' phase colours, phase for phase: open to people, working, wrapping up.
const TONES: Record<Phase, BadgeTone> = {
  draft: 'phase-draft',
  applications: 'phase-enrolment',
  matching: 'phase-teamwork',
  running: 'phase-review',
  closed: 'phase-closed',
};

export function ProgrammePhase({ phase }: { phase: Phase }) {
  const { t } = useTranslation();
  return <Badge tone={TONES[phase]}>{t(`mentoring.phase.${phase}`)}</Badge>;
}

/** What a programme offers, in words: purpose, topics, guidance levels and what each means,
 * how the pairs work, how often they meet, and when. */
export function ProgrammeFacts({ programme: p }: { programme: ProgrammeDetail }) {
  const { t, i18n } = useTranslation();
  const labels = useLabels();
  const date = (value: string | null | undefined) => formatDate(value, i18n.language);
  return (
    <>
      <p className="lead">{p.purpose}</p>
      <dl className="programme-facts">
        <dt>{t('mentoring.topics')}</dt>
        <dd>{p.topics.map(labels.skill).join(', ')}</dd>
        <dt>{t('mentoring.pair_mode')}</dt>
        <dd>{t(`mentoring.pair_mode_means.${p.pair_mode}`)}</dd>
        <dt>{t('mentoring.sessions')}</dt>
        <dd>
          {t('mentoring.sessions_value', {
            count: p.session_count,
            cadence: t(`mentoring.cadence.${p.cadence}`),
          })}
        </dd>
        <dt>{t('mentoring.dates')}</dt>
        <dd>
          <ul className="plain">
            <li>
              {t('mentoring.applications_window', {
                from: date(p.schedule.applications_open_at),
                to: date(p.schedule.applications_close_at),
              })}
            </li>
            <li>
              {t('mentoring.programme_window', {
                from: date(p.schedule.starts_at),
                to: date(p.schedule.ends_at),
              })}
            </li>
          </ul>
        </dd>
        {p.training_required && (
          <>
            <dt>{t('mentoring.training')}</dt>
            <dd>{t('mentoring.training_required')}</dd>
          </>
        )}
      </dl>
      <h2>{t('mentoring.guidance_title')}</h2>
      <dl className="guidance-levels">
        {p.guidance_levels.map((level) => (
          <div key={level}>
            <dt>{t(`track.${level}`)}</dt>
            <dd>{t(`track_means.${level}`)}</dd>
          </div>
        ))}
      </dl>
    </>
  );
}
