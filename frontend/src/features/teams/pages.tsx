import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { type Schemas } from '../../api/client';
import { DiversityBadge } from '../../components/DiversityBadge';
import { ErrorNote, Loading, Page } from '../../components/ui';
import { useTeam } from './api';
import { Messages } from './components/Messages';
import { Submission } from './components/Submission';
import { Badge } from '../../components/Badge';

type MyTeam = Schemas['MyTeam'];

// Publishing to the idea library matters only after the challenge: its code stays in the idea
// library's chunk until a team page asks for it.
const ConsentPanel = lazy(async () => ({
  default: (await import('../ideas/components/ConsentPanel')).ConsentPanel,
}));

export function TeamPage() {
  const { t } = useTranslation();
  const { teamId = '' } = useParams();
  const team = useTeam(teamId);
  if (team.isPending) return <Loading />;
  if (!team.data) return <ErrorNote error={team.error} />;
  const data = team.data;
  const mine = 'challenge_id' in data ? (data as MyTeam) : null;
  return (
    <Page title={data.name}>
      <DiversityBadge diversity={data.diversity} />
      <h2>{t('team.members')}</h2>
      <ul className="members">
        {data.members.map((m) => (
          <li key={m.handle}>
            {m.handle} {'is_you' in m && m.is_you && <Badge>{t('team.you')}</Badge>}
          </li>
        ))}
      </ul>
      {mine?.join_code && <p>{t('team.join_code', { code: mine.join_code })}</p>}
      {mine && (
        <p>
          <Link to={`/challenges/${mine.challenge_id}`}>{t('team.back_to_challenge')}</Link> ·{' '}
          <Link to={`/challenges/${mine.challenge_id}/results`}>{t('team.reviews_link')}</Link>
        </p>
      )}
      {mine && (
        <Suspense fallback={<Loading />}>
          <ConsentPanel teamId={teamId} />
        </Suspense>
      )}
      {mine && <Submission teamId={teamId} challengeId={mine.challenge_id} />}
      {mine && <Messages teamId={teamId} />}
    </Page>
  );
}
