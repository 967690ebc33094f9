// How a challenge presents itself, on the list and on its page: where it stands, whom it is for
// and what it is about.
import { useTranslation } from 'react-i18next';
import { type Schemas } from '../../../api/client';
import { useLabels } from '../../../components/labels';
import { formatDate } from '../../../components/ui';
import { Badge } from '../../../components/Badge';

type Schedule = Schemas['ChallengeSummary']['schedule'];
type Phase = Schemas['ChallengeSummary']['phase'];
type Track = Schemas['ChallengeSummary']['track'];

/** The date that matters in this phase: when teamwork starts while people join, when the
 * challenge closed once it has. */
const DATE_OF: Record<Phase, keyof Schedule | null> = {
  draft: 'enrolment_opens_at',
  enrolment: 'teamwork_starts_at',
  teamwork: 'review_starts_at',
  review: 'closes_at',
  closed: 'closes_at',
};

export function PhaseStatus({ phase, schedule }: { phase: Phase; schedule: Schedule }) {
  const { t, i18n } = useTranslation();
  const field = DATE_OF[phase];
  const date = field ? schedule[field] : null;
  return (
    <span className="phase-status">
      {date
        ? t(`challenges.status.${phase}`, { date: formatDate(date, i18n.language) })
        : t(`challenges.status.${phase}_undated`)}
    </span>
  );
}

/** The track's name and whom it is for. */
export function TrackNote({ track }: { track: Track }) {
  const { t } = useTranslation();
  return (
    <span className="track-note">
      <Badge>{t('challenges.track', { track: t(`track.${track}`) })}</Badge>{' '}
      <span className="muted">{t(`track_means.${track}`)}</span>
    </span>
  );
}

export function Tags({ tags }: { tags: string[] }) {
  const { t } = useTranslation();
  const labels = useLabels();
  if (tags.length === 0) return null;
  return (
    <ul className="tags" aria-label={t('challenges.tags')}>
      {tags.map((tag) => (
        <li key={tag} className="tag">
          {labels.tag(tag)}
        </li>
      ))}
    </ul>
  );
}

const NEXT_PHASE: Partial<Record<Phase, Phase>> = {
  draft: 'enrolment',
  enrolment: 'teamwork',
  teamwork: 'review',
  review: 'closed',
};

/** Why the next phase has not started although its date has passed. The server's guards hold
 * one reason per phase (app/challenges/phases.py), so the next phase says which, in the page's
 * language. */
export function WaitingNote({ phase, waiting }: { phase: Phase; waiting: string | null }) {
  const { t } = useTranslation();
  const next = NEXT_PHASE[phase];
  if (!waiting || !next) return null;
  return <p className="notice">{t(`challenge.waiting.${next}`)}</p>;
}
