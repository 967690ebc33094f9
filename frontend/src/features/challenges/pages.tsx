import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { type Schemas } from '../../api/client';
import { AnonymityExplainer } from '../../components/AnonymityExplainer';
import { Countdown, ErrorNote, Loading, Page, PhaseBadge, formatDate } from '../../components/ui';
import { WhatsNext } from '../home/components/WhatsNext';
import { Notices } from '../me/components/Notices';
import { useChallenge, useChallenges } from './api';
import { Enrolled } from './components/Enrolled';
import { JoinForm } from './components/JoinForm';
import { PhaseStatus, Tags, TrackNote, WaitingNote } from './components/Summary';
import { Badge } from '../../components/Badge';
import { Button } from '../../components/Button';
import { Card } from '../../components/Card';

type Phase = Schemas['ChallengeSummary']['phase'];
const PHASES: Phase[] = ['enrolment', 'teamwork', 'review', 'closed'];

/** Said once, after sign-up: what the service is for and what to do first. */
function Welcome() {
  const { t } = useTranslation();
  const location = useLocation();
  const navigate = useNavigate();
  if (!(location.state as { welcome?: boolean } | null)?.welcome) return null;
  return (
    <section className="welcome" aria-labelledby="welcome-title">
      <h2 id="welcome-title">{t('welcome.title')}</h2>
      <p>{t('welcome.intro')}</p>
      <ol>
        <li>{t('welcome.step_join')}</li>
        <li>{t('welcome.step_team')}</li>
        <li>{t('welcome.step_work')}</li>
      </ol>
      <p>
        {t('welcome.profile')} <Link to="/me">{t('welcome.profile_link')}</Link>
      </p>
      <Button
        variant="secondary"
        onClick={() => void navigate('.', { replace: true, state: null })}
      >
        {t('welcome.dismiss')}
      </Button>
    </section>
  );
}

export function ChallengeListPage() {
  const { t } = useTranslation();
  const [phase, setPhase] = useState<Phase | ''>('');
  const [mine, setMine] = useState(false);
  const list = useChallenges(phase || null, mine);
  return (
    <Page title={t('challenges.title')}>
      <Welcome />
      <WhatsNext />
      <p className="lead">{t('challenges.intro')}</p>
      <Notices />
      <div className="filters" role="group" aria-label={t('challenges.filters')}>
        <label>
          {t('challenges.phase_filter')}{' '}
          <select value={phase} onChange={(e) => setPhase(e.target.value as Phase | '')}>
            <option value="">{t('challenges.all_phases')}</option>
            {PHASES.map((p) => (
              <option key={p} value={p}>
                {t(`phase.${p}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="inline">
          <input type="checkbox" checked={mine} onChange={(e) => setMine(e.target.checked)} />{' '}
          {t('challenges.mine')}
        </label>
      </div>
      {list.isPending && <Loading />}
      <ErrorNote error={list.error} />
      {list.data && list.data.items.length === 0 && <p>{t('challenges.none')}</p>}
      <ul className="cards">
        {list.data?.items.map((c) => (
          <Card as="li" key={c.id}>
            <h2>
              <Link to={`/challenges/${c.id}`}>{c.title}</Link>
            </h2>
            <p>
              <PhaseBadge phase={c.phase} />{' '}
              {c.enrolled && <Badge tone="ok">{t('challenges.joined')}</Badge>}{' '}
              <PhaseStatus phase={c.phase} schedule={c.schedule} />
            </p>
            <p>
              <TrackNote track={c.track} />
            </p>
            <Tags tags={c.tags} />
            <p className="muted">{t('challenges.people', { count: c.participant_count })}</p>
          </Card>
        ))}
      </ul>
    </Page>
  );
}

export function ChallengePage() {
  const { t, i18n } = useTranslation();
  const { challengeId = '' } = useParams();
  const challenge = useChallenge(challengeId);
  const [justJoined, setJustJoined] = useState(false);
  if (challenge.isPending) return <Loading />;
  if (challenge.error || !challenge.data) return <ErrorNote error={challenge.error} />;
  const c = challenge.data;
  const s = c.schedule;
  // The facilitator view (with its revision) is served to this challenge's own facilitators only:
  // a facilitator of other challenges reads it, and may join it, like anyone else.
  const facilitates = 'revision' in c;
  return (
    <Page title={c.title}>
      <p>
        <PhaseBadge phase={c.phase} /> <PhaseStatus phase={c.phase} schedule={s} />
      </p>
      <p>
        <TrackNote track={c.track} />
      </p>
      <Tags tags={c.tags} />
      <WaitingNote phase={c.phase} waiting={c.phase_waiting_reason} />
      <div className="brief" dangerouslySetInnerHTML={{ __html: c.brief_html }} />
      <h2>{t('challenge.dates')}</h2>
      <dl className="dates">
        <dt>{t('phase.enrolment')}</dt>
        <dd>{formatDate(s.enrolment_opens_at, i18n.language)}</dd>
        <dt>{t('phase.teamwork')}</dt>
        <dd>{formatDate(s.teamwork_starts_at, i18n.language)}</dd>
        <dt>{t('phase.review')}</dt>
        <dd>{formatDate(s.review_starts_at, i18n.language)}</dd>
        <dt>{t('phase.closed')}</dt>
        <dd>{formatDate(s.closes_at, i18n.language)}</dd>
      </dl>
      {(s.enrolment_opens_at || s.teamwork_starts_at || s.review_starts_at || s.closes_at) && (
        <p>
          {/* A file any calendar imports; importing it again after a date moved updates it. */}
          <a href={`/api/v1/challenges/${c.id}/calendar.ics`} download>
            {t('challenge.add_to_calendar')}
          </a>
        </p>
      )}
      <p className="muted">
        {t('challenge.team_size', { min: c.team_size.min, max: c.team_size.max })} ·{' '}
        {t(`formation_mode.${c.formation_mode}`)}
      </p>
      {c.enrolled ? (
        <Enrolled challenge={c} justJoined={justJoined} />
      ) : (
        c.phase === 'enrolment' &&
        !facilitates && <JoinForm challengeId={c.id} onDone={() => setJustJoined(true)} />
      )}
      {facilitates && (
        <p>
          <Link to={`/facilitate/${c.id}`}>{t('challenge.manage')}</Link>
        </p>
      )}
      {c.phase === 'closed' && !c.enrolled && (
        <p>
          <Link to={`/challenges/${c.id}/results`}>{t('challenge.open_results')}</Link>
        </p>
      )}
      <AnonymityExplainer k={c.review_k} />
      {c.phase === 'teamwork' && <Countdown until={s.review_starts_at} />}
    </Page>
  );
}

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <Page title={t('errors.page_not_found')}>
      <p>
        <Link to="/">{t('nav.challenges')}</Link>
      </p>
    </Page>
  );
}
