import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api, unwrap, type Schemas } from '../api/client';
import { ErrorNote, Loading, Page } from '../components/ui';
import { useChallenge } from './challenges';

type Weights = Schemas['Weights'];
type Formation = Schemas['Formation'];
const WEIGHTS: (keyof Weights)[] = ['generations', 'cross_generation_pairs', 'skill_coverage', 'same_department_pairs', 'seniority_bands', 'together'];
const DEFAULTS: Weights = { generations: 10, cross_generation_pairs: 1, skill_coverage: 3, same_department_pairs: 2, seniority_bands: 0, together: 1 };

function Proposal({ formation, challengeId }: { formation: Formation; challengeId: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [dragged, setDragged] = useState<string | null>(null);
  const [announce, setAnnounce] = useState('');
  const proposal = formation.proposal;
  const path = { params: { path: { challenge_id: challengeId, formation_id: formation.id } } };
  const move = useMutation({
    mutationFn: (m: { pseudonym: string; to_team: number }) => unwrap(api.PATCH('/api/v1/challenges/{challenge_id}/formations/{formation_id}', { ...path, body: { moves: [m] } })),
    onSuccess: (data, m) => {
      queryClient.setQueryData(['formation', challengeId, formation.id], data);
      setAnnounce(t('formation.moved', { team: m.to_team + 1 }));
    },
  });
  const publish = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/challenges/{challenge_id}/formations/{formation_id}/publish', path)),
    onSuccess: () => queryClient.invalidateQueries(),
  });
  if (!proposal) return null;
  const o = proposal.overall as Record<string, number | boolean | null>;
  const editable = formation.status === 'done';
  const drop = (team: number) => (e: DragEvent) => {
    e.preventDefault();
    if (dragged) move.mutate({ pseudonym: dragged, to_team: team });
    setDragged(null);
  };
  return (
    <section aria-labelledby="proposal-title">
      <h2 id="proposal-title">{t('formation.proposal')}</h2>
      <dl className="summary">
        <dt>{t('formation.score')}</dt>
        <dd>
          {proposal.objective} / {proposal.upper_bound} ({Math.round(((o.ratio as number | null) ?? 0) * 1000) / 10}%)
        </dd>
        <dt>{t('formation.violations')}</dt>
        <dd>{proposal.violations}</dd>
        <dt>{t('formation.skill_coverage')}</dt>
        <dd>{Math.round(((o.skill_coverage as number) ?? 0) * 100)}%</dd>
        <dt>{t('formation.three_generations')}</dt>
        <dd>{Math.round(((o.teams_with_3plus_cohorts as number) ?? 0) * 100)}%</dd>
        <dt>{t('formation.min_score')}</dt>
        <dd>{String(o.min_team_score)}</dd>
      </dl>
      <p className="hint">{t('formation.move_hint')}</p>
      <ErrorNote error={move.error} />
      <p role="status" className="visually-hidden">
        {announce}
      </p>
      <ol className="proposal">
        {proposal.teams.map((team) => {
          const m = team.metrics as Record<string, unknown>;
          return (
            <li key={team.index} className="card" onDragOver={(e) => e.preventDefault()} onDrop={drop(team.index)}>
              <h3>{t('formation.team', { n: team.index + 1 })}</h3>
              <p className="muted">
                {t('formation.team_metrics', {
                  score: m.score,
                  generations: Object.keys((m.cohorts as object) ?? {}).length,
                  bands: Object.keys((m.seniority_bands as object) ?? {}).length,
                  departments: m.departments,
                })}
              </p>
              <p className="muted">
                {t('formation.covered')}: {((m.skills_covered as string[]) ?? []).join(', ') || '—'} · {t('formation.uncovered')}:{' '}
                {((m.skills_uncovered as string[]) ?? []).join(', ') || '—'}
              </p>
              <ul>
                {team.members.map((member) => (
                  <li key={member.pseudonym} draggable={editable} onDragStart={() => setDragged(member.pseudonym)}>
                    {member.handle} <span className="muted">({member.cohort ? t(`cohort.${member.cohort}`, { defaultValue: member.cohort }) : '—'})</span>
                    {editable && (
                      <label className="inline">
                        <span className="visually-hidden">{t('formation.move_person', { handle: member.handle })}</span>
                        <select
                          value=""
                          onChange={(e) => {
                            if (e.target.value !== '') move.mutate({ pseudonym: member.pseudonym, to_team: Number(e.target.value) });
                          }}
                        >
                          <option value="">{t('formation.move_to')}</option>
                          {proposal.teams
                            .filter((other) => other.index !== team.index)
                            .map((other) => (
                              <option key={other.index} value={other.index}>
                                {t('formation.team', { n: other.index + 1 })}
                              </option>
                            ))}
                        </select>
                      </label>
                    )}
                  </li>
                ))}
              </ul>
            </li>
          );
        })}
      </ol>
      {editable && (
        <>
          <button type="button" onClick={() => publish.mutate()} disabled={publish.isPending}>
            {t('formation.publish')}
          </button>
          <ErrorNote error={publish.error} />
        </>
      )}
      {(formation.status === 'published' || publish.isSuccess) && (
        <p role="status" className="ok">
          {t('formation.published')} <Link to={`/facilitate/${challengeId}`}>{t('formation.back')}</Link>
        </p>
      )}
    </section>
  );
}

export function FormationPage() {
  const { t } = useTranslation();
  const { challengeId = '' } = useParams();
  const queryClient = useQueryClient();
  const challenge = useChallenge(challengeId);
  const [weights, setWeights] = useState<Weights>(DEFAULTS);
  const [levels, setLevels] = useState(2);
  const path = { params: { path: { challenge_id: challengeId } } };
  const runs = useQuery({ queryKey: ['formations', challengeId], queryFn: () => unwrap(api.GET('/api/v1/challenges/{challenge_id}/formations', path)) });
  const latestId = runs.data?.[0]?.id;
  const current = useQuery({
    queryKey: ['formation', challengeId, latestId],
    enabled: !!latestId,
    queryFn: () => unwrap(api.GET('/api/v1/challenges/{challenge_id}/formations/{formation_id}', { params: { path: { challenge_id: challengeId, formation_id: latestId ?? '' } } })),
    // Poll while the optimiser runs; the run goes on if this page closes.
    refetchInterval: (query) => (query.state.data?.status === 'running' ? 500 : false),
  });
  const start = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/challenges/{challenge_id}/formations', { ...path, body: { weights, time_limit_s: 10, seed: 0, reporting_levels: levels } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['formations', challengeId] }),
  });
  const f = current.data;
  return (
    <Page title={t('formation.title', { title: challenge.data?.title ?? '' })}>
      <p className="lead">{t('formation.intro')}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          start.mutate();
        }}
      >
        <fieldset>
          <legend>{t('formation.weights')}</legend>
          {WEIGHTS.map((w) => (
            <div key={w} className="slider">
              <label htmlFor={`weight-${w}`}>{t(`formation.weight_${w}`)}</label>
              <input id={`weight-${w}`} type="range" min={0} max={20} step={1} value={weights[w]} onChange={(e) => setWeights({ ...weights, [w]: Number(e.target.value) })} />
              <output htmlFor={`weight-${w}`}>{weights[w]}</output>
            </div>
          ))}
        </fieldset>
        <label>
          {t('formation.reporting_levels')}{' '}
          <select value={levels} onChange={(e) => setLevels(Number(e.target.value))}>
            {[1, 2, 3].map((n) => (
              <option key={n} value={n}>
                {t(`formation.levels_${n}`)}
              </option>
            ))}
          </select>
        </label>
        <ErrorNote error={start.error} />
        <button type="submit" disabled={start.isPending || f?.status === 'running'}>
          {f ? t('formation.rerun') : t('formation.run')}
        </button>
      </form>
      {runs.isPending && <Loading />}
      {f?.status === 'running' && (
        <p>
          <label>
            {t('formation.running')} <progress max={1} value={f.progress} />
          </label>{' '}
          {f.best_objective !== null && t('formation.best_so_far', { score: f.best_objective })}
        </p>
      )}
      {f?.status === 'failed' && (
        <p className="error" role="alert">
          {t('formation.failed')} {f.error}
        </p>
      )}
      {f && f.status !== 'running' && <Proposal formation={f} challengeId={challengeId} />}
    </Page>
  );
}
