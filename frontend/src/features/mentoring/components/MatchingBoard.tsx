import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../../../api/client';
import { Button } from '../../../components/Button';
import { Card } from '../../../components/Card';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { useLabels } from '../../../components/labels';
import { Stat, StatList } from '../../../components/Stat';
import { ErrorNote, Loading } from '../../../components/ui';
import { mentoringKeys, useRun, useRuns } from '../api';
import { reasonKey, scoreSentences } from '../words';

type Run = Schemas['MatchRunOut'];
type Weights = Schemas['MatchWeights'];
const WEIGHTS: (keyof Weights)[] = ['skill', 'gap', 'department', 'availability'];
const DEFAULTS: Weights = { skill: 10, gap: 3, department: 2, availability: 1 };
// The option that takes a mentee out of any pair (the API's `mentor: null`).
const UNMATCH = 'none';

/** The skills one member teaches the other, in words. */
function SharedSkills({ skills }: { skills: Schemas['SharedSkill'][] }) {
  const { t } = useTranslation();
  const labels = useLabels();
  return (
    <ul className="plain">
      {skills.map((s) => (
        <li key={`${s.skill}-${s.taught_by}`}>
          {t(`mentoring.shared_skill.${s.taught_by === 'mentee' ? 'mentee' : 'mentor'}`, {
            skill: labels.skill(s.skill),
            guidance: t(`track.${s.guidance}`),
          })}
        </li>
      ))}
    </ul>
  );
}

/** The proposal: pairs (handle ↔ handle) with why they score as they do, who is left and why,
 * moves of a mentee to another mentor, and publishing. */
function Proposal({ programmeId, run }: { programmeId: string; run: Run }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const [announce, setAnnounce] = useState('');
  const publishedNote = useRef<HTMLParagraphElement>(null);
  const path = { params: { path: { programme_id: programmeId, run_id: run.id } } };
  const swap = useMutation({
    mutationFn: (body: Schemas['Swap']) =>
      unwrap(api.POST('/api/v1/programmes/{programme_id}/runs/{run_id}/swaps', { ...path, body })),
    onSuccess: (data) => {
      queryClient.setQueryData(mentoringKeys.run(programmeId, run.id), data);
      setAnnounce(t('mentoring.board.moved'));
    },
  });
  const publish = useMutation({
    mutationFn: () =>
      unwrap(api.POST('/api/v1/programmes/{programme_id}/runs/{run_id}/publish', path)),
    onSuccess: (data) => {
      queryClient.setQueryData(mentoringKeys.run(programmeId, run.id), data);
      void queryClient.invalidateQueries({ queryKey: mentoringKeys.all });
    },
  });
  useEffect(() => {
    if (publish.isSuccess) publishedNote.current?.focus();
  }, [publish.isSuccess]);
  const proposal = run.proposal;
  if (!proposal) return null;
  const editable = run.status === 'done';
  // Every mentor of the run, paired or not: the places a mentee can be moved to.
  const mentors = new Map<string, string>();
  for (const pair of proposal.pairs) mentors.set(pair.mentor.pseudonym, pair.mentor.handle);
  for (const u of proposal.unmatched) if (u.side === 'mentor') mentors.set(u.pseudonym, u.handle);
  const moveSelect = (mentee: { pseudonym: string; handle: string }, current: string | null) => (
    <label className="inline">
      {t('mentoring.board.move', { handle: mentee.handle })}{' '}
      <select
        value=""
        onChange={(e) => {
          if (!e.target.value) return;
          const mentor = e.target.value === UNMATCH ? null : e.target.value;
          swap.mutate({ mentee: mentee.pseudonym, mentor });
        }}
      >
        <option value="">{t('mentoring.board.choose_mentor')}</option>
        {[...mentors]
          .filter(([id]) => id !== current)
          .map(([id, handle]) => (
            <option key={id} value={id}>
              {handle}
            </option>
          ))}
        {current && <option value={UNMATCH}>{t('mentoring.board.leave_unmatched')}</option>}
      </select>
    </label>
  );
  return (
    <section aria-labelledby="proposal-title">
      <h3 id="proposal-title">{t('mentoring.board.proposal')}</h3>
      <StatList label={t('mentoring.board.at_a_glance')}>
        <Stat label={t('mentoring.board.stat_pairs')} value={proposal.pairs.length} />
        <Stat
          label={t('mentoring.board.stat_unmatched_mentees')}
          value={proposal.unmatched.filter((u) => u.side === 'mentee').length}
        />
        <Stat
          label={t('mentoring.board.stat_quality')}
          value={
            proposal.upper_bound > 0
              ? t('mentoring.board.quality_percent', {
                  percent: Math.floor((100 * proposal.objective) / proposal.upper_bound),
                })
              : '—'
          }
        />
      </StatList>
      {editable && <p className="hint">{t('mentoring.board.move_hint')}</p>}
      <ErrorNote error={swap.error} />
      <p role="status" className="visually-hidden">
        {announce}
      </p>
      <ol className="proposal">
        {proposal.pairs.map((pair) => (
          <Card as="li" key={`${pair.mentor.pseudonym}-${pair.mentee.pseudonym}`}>
            <h4>
              {t('mentoring.board.pair', {
                mentor: pair.mentor.handle,
                mentee: pair.mentee.handle,
              })}
            </h4>
            <p className="muted">
              {t('mentoring.board.generations', {
                mentor: labels.cohort(pair.mentor.cohort),
                mentee: labels.cohort(pair.mentee.cohort),
              })}
            </p>
            <SharedSkills skills={pair.skills} />
            <ul className="score-parts">
              {scoreSentences(pair.parts).map((s) => (
                <li key={s.key}>{t(s.key, s.params)}</li>
              ))}
            </ul>
            {editable && moveSelect(pair.mentee, pair.mentor.pseudonym)}
          </Card>
        ))}
      </ol>
      <h3>{t('mentoring.board.unmatched')}</h3>
      {proposal.unmatched.length === 0 ? (
        <p>{t('mentoring.board.everyone_paired')}</p>
      ) : (
        <ul className="unmatched">
          {proposal.unmatched.map((u) => (
            <li key={u.pseudonym}>
              <strong>{u.handle}</strong> (
              {t(`mentoring.role.${u.side === 'mentor' ? 'mentor' : 'mentee'}`)}
              ): {t(reasonKey(u.reason))}
              {editable && u.side === 'mentee' && <> {moveSelect(u, null)}</>}
            </li>
          ))}
        </ul>
      )}
      {editable && (
        <>
          <Button onClick={() => setConfirming(true)} disabled={publish.isPending}>
            {t('mentoring.board.publish')}
          </Button>
          <ErrorNote error={publish.error} />
          <ConfirmDialog
            open={confirming}
            title={t('mentoring.board.publish_confirm_title')}
            confirmLabel={t('mentoring.board.publish')}
            cancelLabel={t('common.cancel')}
            onCancel={() => setConfirming(false)}
            onConfirm={() => {
              setConfirming(false);
              publish.mutate();
            }}
          >
            <p>{t('mentoring.board.publish_confirm', { count: proposal.pairs.length })}</p>
          </ConfirmDialog>
        </>
      )}
      {run.status === 'published' && (
        <p role="status" className="ok" tabIndex={-1} ref={publishedNote}>
          {t('mentoring.board.published')}
        </p>
      )}
    </section>
  );
}

/** Matching as on the team formation page: weights, a run with its progress, the proposal. */
export function MatchingBoard({ programme: p }: { programme: Schemas['Programme'] }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [weights, setWeights] = useState<Weights>(DEFAULTS);
  const runs = useRuns(p.id);
  const latestId = runs.data?.[0]?.id;
  const current = useRun(p.id, latestId);
  const start = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/programmes/{programme_id}/runs', {
          params: { path: { programme_id: p.id } },
          body: { weights, time_limit_s: 5, seed: 0 },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: mentoringKeys.runs(p.id) }),
  });
  const run = current.data;
  const canRun = p.phase === 'matching' || p.phase === 'running';
  return (
    <section aria-labelledby="matching-title">
      <h2 id="matching-title">{t('mentoring.board.title')}</h2>
      <p className="lead">{t('mentoring.board.intro')}</p>
      {!canRun && <p>{t('mentoring.board.not_yet')}</p>}
      {canRun && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            start.mutate();
          }}
        >
          <fieldset>
            <legend>{t('mentoring.board.weights')}</legend>
            <p className="hint">{t('mentoring.board.weights_hint')}</p>
            {WEIGHTS.map((w) => (
              <div key={w} className="slider">
                <label htmlFor={`match-weight-${w}`}>{t(`mentoring.board.weight.${w}`)}</label>
                <input
                  id={`match-weight-${w}`}
                  type="range"
                  min={0}
                  max={20}
                  step={1}
                  value={weights[w]}
                  onChange={(e) => setWeights({ ...weights, [w]: Number(e.target.value) })}
                />
                <output htmlFor={`match-weight-${w}`}>{weights[w]}</output>
              </div>
            ))}
          </fieldset>
          <ErrorNote error={start.error} />
          <Button type="submit" disabled={start.isPending || run?.status === 'running'}>
            {run ? t('mentoring.board.rerun') : t('mentoring.board.run')}
          </Button>
        </form>
      )}
      {runs.isPending && <Loading />}
      {run?.status === 'running' && (
        <p>
          <label>
            {t('mentoring.board.running')} <progress max={1} value={run.progress} />
          </label>
        </p>
      )}
      {run?.status === 'failed' && (
        <p className="error" role="alert">
          {t('mentoring.board.failed')}
        </p>
      )}
      {run && run.status !== 'running' && <Proposal programmeId={p.id} run={run} />}
    </section>
  );
}
