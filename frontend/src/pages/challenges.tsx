import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api, unwrap, type Schemas } from '../api/client';
import { Countdown, ErrorNote, Loading, Page, PhaseBadge, formatDate } from '../components/ui';
import { Notices } from './me';

type Phase = Schemas['ChallengeSummary']['phase'];
const PHASES: Phase[] = ['enrolment', 'teamwork', 'review', 'closed'];

export function ChallengeListPage() {
  const { t, i18n } = useTranslation();
  const [phase, setPhase] = useState<Phase | ''>('');
  const [mine, setMine] = useState(false);
  const list = useQuery({
    queryKey: ['challenges', phase, mine],
    queryFn: () => unwrap(api.GET('/api/v1/challenges', { params: { query: { phase: phase || null, mine } } })),
  });
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
          <input type="checkbox" checked={mine} onChange={(e) => setMine(e.target.checked)} /> {t('challenges.mine')}
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
              {t('challenges.people', { count: c.participant_count })} · {t('challenges.teamwork_starts')}{' '}
              {formatDate(c.schedule.teamwork_starts_at, i18n.language)}
            </p>
          </li>
        ))}
      </ul>
    </Page>
  );
}

const LEVELS = [1, 2, 3, 4];

interface Claim {
  skill: string;
  level: number;
}

function SkillList({ legend, hint, claims, onChange, idPrefix }: { legend: string; hint: string; claims: Claim[]; onChange: (c: Claim[]) => void; idPrefix: string }) {
  const { t } = useTranslation();
  const update = (index: number, change: Partial<Claim>) => onChange(claims.map((c, i) => (i === index ? { ...c, ...change } : c)));
  return (
    <fieldset>
      <legend>{legend}</legend>
      <p className="hint">{hint}</p>
      {claims.map((claim, index) => (
        <div className="row" key={index}>
          <label>
            {t('skills.skill')}
            <input id={`${idPrefix}-skill-${index}`} value={claim.skill} required onChange={(e) => update(index, { skill: e.target.value })} />
          </label>
          <label>
            {t('skills.level')}
            <select value={claim.level} onChange={(e) => update(index, { level: Number(e.target.value) })}>
              {LEVELS.map((level) => (
                <option key={level} value={level}>
                  {t(`skills.level_${level}`)}
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="secondary" onClick={() => onChange(claims.filter((_, i) => i !== index))}>
            {t('common.remove')}
          </button>
        </div>
      ))}
      <button type="button" className="secondary" onClick={() => onChange([...claims, { skill: '', level: 2 }])}>
        {t('skills.add')}
      </button>
    </fieldset>
  );
}

function JoinForm({ challengeId }: { challengeId: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [teach, setTeach] = useState<Claim[]>([{ skill: '', level: 4 }]);
  const [learn, setLearn] = useState<Claim[]>([{ skill: '', level: 1 }]);
  const join = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/challenges/{challenge_id}/enrolment', {
          params: { path: { challenge_id: challengeId } },
          body: { teach: teach.filter((c) => c.skill.trim()), learn: learn.filter((c) => c.skill.trim()) },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['challenge', challengeId] }),
  });
  return (
    <form
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        join.mutate();
      }}
    >
      <h2>{t('join.title')}</h2>
      <p>{t('join.intro')}</p>
      <details className="scale">
        <summary>{t('skills.scale_title')}</summary>
        <dl>
          {[0, 1, 2, 3, 4].map((level) => (
            <div key={level}>
              <dt>{t(`skills.level_${level}`)}</dt>
              <dd>{t(`skills.level_${level}_means`)}</dd>
            </div>
          ))}
        </dl>
      </details>
      <SkillList legend={t('join.teach')} hint={t('join.teach_hint')} claims={teach} onChange={setTeach} idPrefix="teach" />
      <SkillList legend={t('join.learn')} hint={t('join.learn_hint')} claims={learn} onChange={setLearn} idPrefix="learn" />
      <ErrorNote error={join.error} />
      <button type="submit" disabled={join.isPending}>
        {t('join.submit')}
      </button>
    </form>
  );
}

export function AnonymityExplainer() {
  const { t } = useTranslation();
  return (
    <section className="explainer" aria-labelledby="anonymity-title">
      <h2 id="anonymity-title">{t('anonymity.title')}</h2>
      <ul>
        <li>{t('anonymity.pseudonym')}</li>
        <li>{t('anonymity.vault')}</li>
        <li>{t('anonymity.tokens')}</li>
        <li>{t('anonymity.release')}</li>
      </ul>
    </section>
  );
}

export function useChallenge(challengeId: string) {
  return useQuery({
    queryKey: ['challenge', challengeId],
    queryFn: () => unwrap(api.GET('/api/v1/challenges/{challenge_id}', { params: { path: { challenge_id: challengeId } } })),
  });
}

export function ChallengePage() {
  const { t, i18n } = useTranslation();
  const { challengeId = '' } = useParams();
  const challenge = useChallenge(challengeId);
  const queryClient = useQueryClient();
  const withdraw = useMutation({
    mutationFn: () => unwrap(api.DELETE('/api/v1/challenges/{challenge_id}/enrolment', { params: { path: { challenge_id: challengeId } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['challenge', challengeId] }),
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
        {t('challenge.team_size', { min: c.team_size.min, max: c.team_size.max })} · {t(`formation_mode.${c.formation_mode}`)}
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
          {c.phase === 'enrolment' && !c.my_team_id && c.formation_mode === 'self_formed' && <SelfFormed challengeId={c.id} />}
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

function SelfFormed({ challengeId }: { challengeId: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [code, setCode] = useState('');
  const done = () => queryClient.invalidateQueries({ queryKey: ['challenge', challengeId] });
  const create = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/challenges/{challenge_id}/teams', { params: { path: { challenge_id: challengeId } } })),
    onSuccess: done,
  });
  const join = useMutation({ mutationFn: () => unwrap(api.POST('/api/v1/teams/join', { body: { code } })), onSuccess: done });
  return (
    <div className="self-formed">
      <h3>{t('teams.self_formed')}</h3>
      <button type="button" onClick={() => create.mutate()}>
        {t('teams.create')}
      </button>
      <ErrorNote error={create.error} />
      <form
        onSubmit={(e) => {
          e.preventDefault();
          join.mutate();
        }}
      >
        <label>
          {t('teams.code')} <input value={code} onChange={(e) => setCode(e.target.value)} required />
        </label>
        <button type="submit">{t('teams.join')}</button>
        <ErrorNote error={join.error} />
      </form>
    </div>
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

export type ChallengeDetail = Schemas['Challenge'] | Schemas['ChallengePublic'];
