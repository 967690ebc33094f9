import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError, api, unwrap, type Schemas } from '../../api/client';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DiversityBadge } from '../../components/DiversityBadge';
import { useLabels } from '../../components/labels';
import { ErrorNote, Field, Form, Loading, Page, PhaseBadge } from '../../components/ui';
import { useChallenge, useMyChallenges } from '../challenges/api';
import { PhaseStatus, Tags, TrackNote, WaitingNote } from '../challenges/components/Summary';
import { useChallengeTeams, useEditedChallenge, useParticipants } from './api';
import { Bars } from './components/Bars';
import { CoFacilitators } from './components/CoFacilitators';
import { ParticipantTable } from './components/ParticipantTable';
import { Table } from '../../components/Table';
import { RubricBuilder } from './components/RubricBuilder';
import { Badge } from '../../components/Badge';
import { Card } from '../../components/Card';
import { Button } from '../../components/Button';
import { Stat, StatList } from '../../components/Stat';
import { Tabs } from '../../components/Tabs';

type Criterion = Schemas['Criterion'];
type HandleLanguage = Schemas['Challenge']['handle_language'];
const HANDLE_LANGUAGES: HandleLanguage[] = ['en', 'fr', 'es'];
interface Draft {
  title: string;
  brief: string;
  tags: string;
  track: 'discover' | 'deepen' | 'exploit';
  formation_mode: 'optimised' | 'self_formed';
  min: number;
  target: number;
  max: number;
  review_k: number;
  // Absent from drafts saved before the field existed.
  handle_language?: HandleLanguage;
  rubric: Criterion[];
  dates: Record<
    'enrolment_opens_at' | 'teamwork_starts_at' | 'review_starts_at' | 'closes_at',
    string
  >;
}
const DATE_FIELDS = [
  'enrolment_opens_at',
  'teamwork_starts_at',
  'review_starts_at',
  'closes_at',
] as const;
const PHASE_OF: Record<(typeof DATE_FIELDS)[number], string> = {
  enrolment_opens_at: 'enrolment',
  teamwork_starts_at: 'teamwork',
  review_starts_at: 'review',
  closes_at: 'closed',
};
const EMPTY: Draft = {
  title: '',
  brief: '',
  tags: '',
  track: 'discover',
  formation_mode: 'optimised',
  min: 3,
  target: 5,
  max: 6,
  review_k: 3,
  rubric: [
    {
      id: 'clarity',
      title: 'Clarity',
      description: '',
      scale_min: 1,
      scale_max: 5,
      descriptors: {},
    },
  ],
  dates: { enrolment_opens_at: '', teamwork_starts_at: '', review_starts_at: '', closes_at: '' },
};

// <input type="datetime-local"> speaks the person's local time; the API speaks UTC.
function toLocalInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  return new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}
const fromLocalInput = (value: string) => (value ? new Date(value).toISOString() : null);

export function FacilitateHomePage() {
  const { t } = useTranslation();
  const list = useMyChallenges();
  return (
    <Page title={t('facilitate.title')}>
      <p>
        <Link to="/facilitate/new" className="button">
          {t('facilitate.new')}
        </Link>
      </p>
      {list.isPending && <Loading />}
      <ErrorNote error={list.error} />
      <ul className="cards">
        {/* "Mine" also lists the challenges one joined as a participant: only those one facilitates. */}
        {list.data?.items
          .filter((c) => c.facilitating)
          .map((c) => (
            <Card as="li" key={c.id}>
              <h2>
                <Link to={`/facilitate/${c.id}`}>{c.title}</Link>
              </h2>
              <p>
                <PhaseBadge phase={c.phase} />{' '}
                {!c.published && <Badge>{t('facilitate.unpublished')}</Badge>}{' '}
                <PhaseStatus phase={c.phase} schedule={c.schedule} /> ·{' '}
                {t('challenges.people', { count: c.participant_count })}
              </p>
            </Card>
          ))}
      </ul>
    </Page>
  );
}

export function ChallengeEditorPage() {
  const { t, i18n } = useTranslation();
  // A new challenge's handles default to the language the facilitator is using.
  const uiLanguage = HANDLE_LANGUAGES.find((l) => l === i18n.language) ?? 'en';
  const { challengeId } = useParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const existing = useEditedChallenge(challengeId);
  // The draft lives in sessionStorage too: a failed save or a reload loses nothing.
  const storageKey = `challenge-draft:${challengeId ?? 'new'}`;
  const [draft, setDraft] = useState<Draft | null>(() => {
    const saved = sessionStorage.getItem(storageKey);
    return saved
      ? (JSON.parse(saved) as Draft)
      : challengeId
        ? null
        : { ...EMPTY, handle_language: uiLanguage };
  });
  // An existing challenge fills the form once it has loaded (while rendering, not in an effect).
  if (existing.data && draft === null) {
    const c = existing.data;
    setDraft({
      title: c.title,
      brief: c.brief,
      tags: c.tags.join(', '),
      track: c.track,
      formation_mode: c.formation_mode,
      min: c.team_size.min,
      target: c.team_size.target,
      max: c.team_size.max,
      review_k: c.review_k,
      handle_language: 'handle_language' in c ? c.handle_language : undefined,
      rubric: c.rubric,
      dates: {
        enrolment_opens_at: toLocalInput(c.schedule.enrolment_opens_at),
        teamwork_starts_at: toLocalInput(c.schedule.teamwork_starts_at),
        review_starts_at: toLocalInput(c.schedule.review_starts_at),
        closes_at: toLocalInput(c.schedule.closes_at),
      },
    });
  }
  useEffect(() => {
    if (draft) sessionStorage.setItem(storageKey, JSON.stringify(draft));
  }, [draft, storageKey]);
  const save = useMutation({
    mutationFn: async (d: Draft) => {
      const body = {
        title: d.title,
        brief: d.brief,
        tags: d.tags
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean),
        track: d.track,
        formation_mode: d.formation_mode,
        team_size: { min: d.min, target: d.target, max: d.max },
        review_k: d.review_k,
        handle_language: d.handle_language,
        rubric: d.rubric,
        schedule: Object.fromEntries(DATE_FIELDS.map((f) => [f, fromLocalInput(d.dates[f])])),
      };
      if (challengeId) {
        const revision =
          existing.data && 'revision' in existing.data ? existing.data.revision : null;
        return unwrap(
          api.PATCH('/api/v1/challenges/{challenge_id}', {
            params: { path: { challenge_id: challengeId } },
            body: { ...body, revision } as Schemas['ChallengeUpdate'],
          }),
        );
      }
      return unwrap(api.POST('/api/v1/challenges', { body: body as Schemas['ChallengeCreate'] }));
    },
    onSuccess: async (c) => {
      sessionStorage.removeItem(storageKey);
      await queryClient.invalidateQueries();
      void navigate(`/facilitate/${c.id}`);
    },
  });
  if (!draft) return <Loading />;
  const set = (change: Partial<Draft>) => setDraft({ ...draft, ...change });
  // Handles are drawn as people join: the language is fixed once enrolment opens.
  const handleLanguageLocked = !!existing.data && existing.data.phase !== 'draft';
  return (
    <Page title={challengeId ? t('editor.edit_title') : t('editor.new_title')}>
      <Form
        error={save.error}
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate(draft);
        }}
      >
        <Field label={t('editor.title')} name="title">
          {(p) => (
            <input
              {...p}
              required
              minLength={3}
              value={draft.title}
              onChange={(e) => set({ title: e.target.value })}
            />
          )}
        </Field>
        <Field label={t('editor.brief')} hint={t('team.markdown_hint')} name="brief">
          {(p) => (
            <textarea
              {...p}
              rows={8}
              required
              value={draft.brief}
              onChange={(e) => set({ brief: e.target.value })}
            />
          )}
        </Field>
        <Field label={t('editor.tags')} hint={t('editor.tags_hint')} name="tags">
          {(p) => (
            <input {...p} value={draft.tags} onChange={(e) => set({ tags: e.target.value })} />
          )}
        </Field>
        <Field label={t('editor.track')} hint={t(`track_means.${draft.track}`)} name="track">
          {(p) => (
            <select
              {...p}
              value={draft.track}
              onChange={(e) => set({ track: e.target.value as Draft['track'] })}
            >
              {(['discover', 'deepen', 'exploit'] as const).map((x) => (
                <option key={x} value={x}>
                  {t(`track.${x}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('editor.formation_mode')} name="formation_mode">
          {(p) => (
            <select
              {...p}
              value={draft.formation_mode}
              onChange={(e) => set({ formation_mode: e.target.value as Draft['formation_mode'] })}
            >
              <option value="optimised">{t('formation_mode.optimised')}</option>
              <option value="self_formed">{t('formation_mode.self_formed')}</option>
            </select>
          )}
        </Field>
        <fieldset>
          <legend>{t('editor.team_size')}</legend>
          <div className="row">
            {(['min', 'target', 'max'] as const).map((k) => (
              <Field key={k} label={t(`editor.size_${k}`)} name={`team_size.${k}`}>
                {(p) => (
                  <input
                    {...p}
                    type="number"
                    min={2}
                    max={20}
                    value={draft[k]}
                    onChange={(e) => set({ [k]: Number(e.target.value) })}
                  />
                )}
              </Field>
            ))}
          </div>
        </fieldset>
        <Field label={t('editor.review_k')} hint={t('editor.review_k_hint')} name="review_k">
          {(p) => (
            <input
              {...p}
              type="number"
              min={3}
              max={50}
              value={draft.review_k}
              onChange={(e) => set({ review_k: Number(e.target.value) })}
            />
          )}
        </Field>
        <Field
          label={t('editor.handle_language')}
          hint={t('editor.handle_language_hint')}
          name="handle_language"
        >
          {(p) => (
            <select
              {...p}
              value={draft.handle_language ?? uiLanguage}
              disabled={handleLanguageLocked}
              onChange={(e) => set({ handle_language: e.target.value as HandleLanguage })}
            >
              {HANDLE_LANGUAGES.map((l) => (
                <option key={l} value={l}>
                  {t(`editor.handle_language_names.${l}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <RubricBuilder rubric={draft.rubric} onChange={(rubric) => set({ rubric })} />
        <fieldset>
          <legend>{t('editor.dates')}</legend>
          <p className="hint">{t('editor.dates_hint')}</p>
          {DATE_FIELDS.map((f) => (
            <Field key={f} label={t(`phase.${PHASE_OF[f]}`)} name={`schedule.${f}`}>
              {(p) => (
                <input
                  {...p}
                  type="datetime-local"
                  value={draft.dates[f]}
                  onChange={(e) => set({ dates: { ...draft.dates, [f]: e.target.value } })}
                />
              )}
            </Field>
          ))}
        </fieldset>
        <ErrorNote error={save.error} />
        <Button type="submit" disabled={save.isPending}>
          {t('common.save')}
        </Button>
      </Form>
    </Page>
  );
}

const NEXT: Record<string, string | undefined> = {
  draft: 'enrolment',
  enrolment: 'teamwork',
  teamwork: 'review',
  review: 'closed',
};

// Phases in which the challenge has teams.
const TEAM_PHASES = ['teamwork', 'review', 'closed'];

export function ManageChallengePage() {
  const { t } = useTranslation();
  const labels = useLabels();
  const [confirming, setConfirming] = useState(false);
  const { challengeId = '' } = useParams();
  const queryClient = useQueryClient();
  const challenge = useChallenge(challengeId);
  const path = { params: { path: { challenge_id: challengeId } } };
  const participants = useParticipants(challengeId);
  const teams = useChallengeTeams(challengeId);
  const move = useMutation({
    mutationFn: (phase: string) =>
      unwrap(
        api.POST('/api/v1/challenges/{challenge_id}/phase', {
          ...path,
          body: { phase: phase as Schemas['PhaseChange']['phase'] },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries(),
  });
  if (challenge.isPending) return <Loading />;
  if (!challenge.data) return <ErrorNote error={challenge.error} />;
  const c = challenge.data as Schemas['Challenge'];
  const next = NEXT[c.phase];
  const d = participants.data?.distributions;
  return (
    <Page title={c.title}>
      <p>
        <PhaseBadge phase={c.phase} /> <PhaseStatus phase={c.phase} schedule={c.schedule} />
      </p>
      <p>
        <TrackNote track={c.track} />
      </p>
      <Tags tags={c.tags} />
      <StatList label={t('facilitate.at_a_glance')}>
        <Stat label={t('facilitate.stat_people')} value={c.participant_count} />
        <Stat label={t('facilitate.stat_teams')} value={c.team_count} />
        <Stat label={t('facilitate.stat_finals')} value={c.final_submission_count} />
      </StatList>
      <WaitingNote phase={c.phase} waiting={c.phase_waiting_reason} />
      <ul className="actions">
        <li>
          <Link to={`/facilitate/${c.id}/edit`}>{t('facilitate.edit')}</Link>
        </li>
        <li>
          <Link to={`/challenges/${c.id}`}>{t('facilitate.as_participant')}</Link>
        </li>
        {c.phase === 'enrolment' && (
          <li>
            <Link to={`/facilitate/${c.id}/formation`}>{t('facilitate.form_teams')}</Link>
          </li>
        )}
        {c.phase === 'closed' && (
          <li>
            <Link to={`/challenges/${c.id}/results`}>{t('challenge.open_results')}</Link>
          </li>
        )}
      </ul>
      {next && (
        <>
          <Button onClick={() => setConfirming(true)} disabled={move.isPending}>
            {next === 'enrolment'
              ? t('facilitate.publish')
              : t('facilitate.move_to', { phase: t(`phase.${next}`) })}
          </Button>
          {move.error instanceof ApiError && move.error.code === 'phase_not_ready' ? (
            <p className="error" role="alert">
              {t('errors.phase_not_ready')} {t(`challenge.waiting.${next}`)}
            </p>
          ) : (
            <ErrorNote error={move.error} />
          )}
          <ConfirmDialog
            open={confirming}
            title={
              next === 'enrolment'
                ? t('facilitate.publish_confirm_title')
                : t('facilitate.move_confirm_title', { phase: t(`phase.${next}`) })
            }
            confirmLabel={
              next === 'enrolment'
                ? t('facilitate.publish')
                : t('facilitate.move_to', { phase: t(`phase.${next}`) })
            }
            cancelLabel={t('common.cancel')}
            onCancel={() => setConfirming(false)}
            onConfirm={() => {
              setConfirming(false);
              move.mutate(next);
            }}
          >
            <p>{t(`facilitate.confirm_${next}`)}</p>
            <p>{t('facilitate.confirm_forward_only')}</p>
          </ConfirmDialog>
        </>
      )}
      <Tabs
        label={t('facilitate.sections')}
        // Teams are what a facilitator follows once they exist; before, who has enrolled.
        defaultValue={TEAM_PHASES.includes(c.phase) ? 'teams' : 'participants'}
        tabs={[
          {
            id: 'participants',
            label: t('facilitate.participants'),
            content: (
              <>
                {participants.isPending && <Loading />}
                <ErrorNote error={participants.error} />
                {d && (
                  <div className="charts">
                    <Bars
                      title={t('facilitate.by_cohort')}
                      data={Object.fromEntries(
                        Object.entries(d.by_cohort as Record<string, number | null>).map(
                          ([k, v]) => [labels.cohort(k), v],
                        ),
                      )}
                    />
                    <Bars
                      title={t('facilitate.by_band')}
                      data={Object.fromEntries(
                        Object.entries(d.by_seniority_band as Record<string, number | null>).map(
                          ([k, v]) => [labels.band(k), v],
                        ),
                      )}
                    />
                    <Table
                      caption={t('facilitate.skills')}
                      rows={d.skills}
                      rowKey={(s) => s.skill}
                      columns={[
                        {
                          id: 'skill',
                          header: t('skills.skill'),
                          rowHeader: true,
                          cell: (s) => labels.skill(s.skill),
                        },
                        {
                          id: 'teachers',
                          header: t('facilitate.teachers'),
                          nowrap: true,
                          cell: (s) => s.teachers ?? t('facilitate.suppressed'),
                        },
                        {
                          id: 'learners',
                          header: t('facilitate.learners'),
                          nowrap: true,
                          cell: (s) => s.learners ?? t('facilitate.suppressed'),
                        },
                      ]}
                    />
                    <p className="hint">{t('facilitate.suppressed_explain', { k: d.k })}</p>
                  </div>
                )}
                {participants.data && <ParticipantTable items={participants.data.items} />}
              </>
            ),
          },
          {
            id: 'teams',
            label: t('facilitate.teams'),
            content: (
              <ul className="cards">
                {teams.data?.map((team) => (
                  <Card as="li" key={team.id}>
                    <h3>
                      <Link to={`/teams/${team.id}`}>{team.name}</Link>
                    </h3>
                    <DiversityBadge diversity={team.diversity} />
                    <p>
                      {team.has_final_submission
                        ? t('facilitate.final_in')
                        : t('facilitate.no_final')}
                    </p>
                    <p>
                      <Link to={`/facilitate/${c.id}/teams/${team.id}`}>
                        {t('feedback.open', { team: team.name })}
                      </Link>
                    </p>
                  </Card>
                ))}
              </ul>
            ),
          },
          {
            id: 'facilitators',
            label: t('facilitate.facilitators_tab'),
            content: <CoFacilitators challengeId={c.id} />,
          },
        ]}
      />
    </Page>
  );
}
