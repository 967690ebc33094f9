import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api, unwrap, type Schemas } from '../../api/client';
import { AnonymityExplainer } from '../../components/AnonymityExplainer';
import { Countdown, ErrorNote, Loading, Page, PhaseBadge, formatDate } from '../../components/ui';
import { Notices } from '../me/components/Notices';
import { challengeKeys, useChallenge, useChallenges } from './api';
import { JoinForm } from './components/JoinForm';
import { SelfFormed } from './components/SelfFormed';

type Phase = Schemas['ChallengeSummary']['phase'];
const PHASES: Phase[] = ['enrolment', 'teamwork', 'review', 'closed'];

export function ChallengeListPage() {
  const { t, i18n } = useTranslation();
  const [phase, setPhase] = useState<Phase | ''>('');
  const [mine, setMine] = useState(false);
  const list = useChallenges(phase || null, mine);
  return (
    <Page title={t('challenges.title')}>
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
          <li key={c.id} className="card">
            <h2>
              <Link to={`/challenges/${c.id}`}>{c.title}</Link>
            </h2>
            <p>
              <PhaseBadge phase={c.phase} /> <span className="badge">{t(`track.${c.track}`)}</span>{' '}
              {c.enrolled && <span className="badge joined">{t('challenges.joined')}</span>}
            </p>
            <p className="muted">
              {t('challenges.people', { count: c.participant_count })} ·{' '}
              {t('challenges.teamwork_starts')}{' '}
              {formatDate(c.schedule.teamwork_starts_at, i18n.language)}
            </p>
          </li>
        ))}
      </ul>
    </Page>
  );
}

export function ChallengePage() {
  const { t, i18n } = useTranslation();
  const { challengeId = '' } = useParams();
  const challenge = useChallenge(challengeId);
  const queryClient = useQueryClient();
  const withdraw = useMutation({
    mutationFn: () =>
      unwrap(
        api.DELETE('/api/v1/challenges/{challenge_id}/enrolment', {
          params: { path: { challenge_id: challengeId } },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: challengeKeys.detail(challengeId) }),
  });
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
        <PhaseBadge phase={c.phase} /> <span className="badge">{t(`track.${c.track}`)}</span>
      </p>
      {c.phase_waiting_reason && <p className="notice">{c.phase_waiting_reason}</p>}
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
      <p className="muted">
        {t('challenge.team_size', { min: c.team_size.min, max: c.team_size.max })} ·{' '}
        {t(`formation_mode.${c.formation_mode}`)}
      </p>
      {c.enrolled ? (
        <section aria-labelledby="you-title">
          <h2 id="you-title">{t('challenge.you_are', { handle: c.my_handle })}</h2>
          <ul className="actions">
            {c.my_team_id && (
              <li>
                <Link to={`/teams/${c.my_team_id}`}>{t('challenge.open_team')}</Link>
              </li>
            )}
            {c.phase === 'review' && (
              <li>
                <Link to={`/challenges/${c.id}/review`}>{t('challenge.open_review')}</Link>
              </li>
            )}
            {c.phase === 'closed' && (
              <li>
                <Link to={`/challenges/${c.id}/results`}>{t('challenge.open_results')}</Link>
              </li>
            )}
          </ul>
          {c.phase === 'enrolment' && !c.my_team_id && c.formation_mode === 'self_formed' && (
            <SelfFormed challengeId={c.id} />
          )}
          {c.phase === 'enrolment' && (
            <>
              <ErrorNote error={withdraw.error} />
              <button type="button" className="secondary" onClick={() => withdraw.mutate()}>
                {t('challenge.withdraw')}
              </button>
            </>
          )}
        </section>
      ) : (
        c.phase === 'enrolment' && !facilitates && <JoinForm challengeId={c.id} />
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
      <AnonymityExplainer />
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
