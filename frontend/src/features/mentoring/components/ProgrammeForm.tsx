import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../../../api/client';
import { Button } from '../../../components/Button';
import { humanise } from '../../../components/labels';
import { ErrorNote, Field, Form } from '../../../components/ui';
import { PHASES, mentoringKeys, type Phase } from '../api';

type Create = Schemas['ProgrammeCreate'];
type Guidance = Create['guidance_levels'][number];
type Schedule = Schemas['ProgrammeSchedule'];
const GUIDANCE: readonly Guidance[] = ['discover', 'deepen', 'exploit'];
const CADENCES: readonly Create['cadence'][] = ['weekly', 'fortnightly', 'monthly'];
// The phase each date starts: once it has started, its date is history.
const PHASE_OF_DATE: Record<keyof Schedule, Phase> = {
  applications_open_at: 'applications',
  applications_close_at: 'matching',
  starts_at: 'running',
  ends_at: 'closed',
};
const DATES: readonly (keyof Schedule)[] = [
  'applications_open_at',
  'applications_close_at',
  'starts_at',
  'ends_at',
];

/** An ISO instant as a `datetime-local` value, in the reader's time zone. */
export function localInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

const instant = (local: string) => (local ? new Date(local).toISOString() : null);

/** The collection's id from what was pasted: its id, or its library address that ends with it. */
const collectionId = (text: string) =>
  /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i.exec(text)?.[0] ??
  (text.trim() || null);

interface Draft {
  title: string;
  purpose: string;
  topics: string;
  guidance_levels: Guidance[];
  session_count: string;
  cadence: Create['cadence'];
  pair_mode: Create['pair_mode'];
  training_required: boolean;
  training_collection_id: string;
  schedule: Record<keyof Schedule, string>;
}

function draftOf(p?: Schemas['Programme']): Draft {
  return {
    title: p?.title ?? '',
    purpose: p?.purpose ?? '',
    topics: p ? p.topics.map(humanise).join(', ') : '',
    guidance_levels: (p?.guidance_levels as Guidance[] | undefined) ?? [...GUIDANCE],
    session_count: String(p?.session_count ?? 6),
    cadence: p?.cadence ?? 'monthly',
    pair_mode: p?.pair_mode ?? 'reverse',
    training_required: p?.training_required ?? false,
    training_collection_id: p?.training_collection_id ?? '',
    schedule: Object.fromEntries(
      DATES.map((d) => [d, localInput(p?.schedule[d])]),
    ) as Draft['schedule'],
  };
}

/** Creating a programme, or (with `programme`) editing it: only what changed is sent, so that
 * what a phase has fixed is never sent back (its dates included). */
export function ProgrammeForm({
  programme,
  onDone,
}: {
  programme?: Schemas['Programme'];
  onDone: (saved: Schemas['Programme']) => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [initial] = useState(() => draftOf(programme));
  const [draft, setDraft] = useState<Draft>(initial);
  const set = (change: Partial<Draft>) => setDraft({ ...draft, ...change });
  // What the programme's phase has fixed is shown, not editable (the server refuses it).
  const fixed = (from: Phase) =>
    !!programme && PHASES.indexOf(programme.phase) >= PHASES.indexOf(from);
  const topicsOf = (d: Draft) =>
    d.topics
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const save = useMutation({
    mutationFn: () => {
      const schedule = Object.fromEntries(
        DATES.filter((d) => !programme || draft.schedule[d] !== initial.schedule[d]).map((d) => [
          d,
          instant(draft.schedule[d]),
        ]),
      ) as Schedule;
      const body = {
        title: draft.title,
        purpose: draft.purpose,
        topics: topicsOf(draft),
        guidance_levels: draft.guidance_levels,
        session_count: Number(draft.session_count),
        cadence: draft.cadence,
        pair_mode: draft.pair_mode,
        training_required: draft.training_required,
        training_collection_id: collectionId(draft.training_collection_id),
      };
      if (!programme) {
        return unwrap(api.POST('/api/v1/programmes', { body: { ...body, schedule } }));
      }
      const before: Record<string, unknown> = {
        ...initial,
        topics: topicsOf(initial),
        session_count: Number(initial.session_count),
        training_collection_id: initial.training_collection_id || null,
      };
      const changed = Object.fromEntries(
        Object.entries(body).filter(
          ([key, value]) => JSON.stringify(value) !== JSON.stringify(before[key]),
        ),
      );
      return unwrap(
        api.PATCH('/api/v1/programmes/{programme_id}', {
          params: { path: { programme_id: programme.id } },
          body: {
            revision: programme.revision,
            ...changed,
            ...(Object.keys(schedule).length > 0 ? { schedule } : {}),
          },
        }),
      );
    },
    onSuccess: (saved) => {
      queryClient.setQueryData(mentoringKeys.programme(saved.id), saved);
      void queryClient.invalidateQueries({ queryKey: mentoringKeys.list() });
      onDone(saved);
    },
  });
  return (
    <Form
      error={save.error}
      aria-label={programme ? t('mentoring.edit_programme') : t('mentoring.create')}
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <Field label={t('mentoring.form.title')} name="title">
        {(field) => (
          <input {...field} value={draft.title} onChange={(e) => set({ title: e.target.value })} />
        )}
      </Field>
      <Field
        label={t('mentoring.form.purpose')}
        name="purpose"
        hint={t('mentoring.form.purpose_hint')}
      >
        {(field) => (
          <textarea
            {...field}
            rows={4}
            value={draft.purpose}
            onChange={(e) => set({ purpose: e.target.value })}
          />
        )}
      </Field>
      <Field
        label={t('mentoring.form.topics')}
        name="topics"
        hint={t('mentoring.form.topics_hint')}
      >
        {(field) => (
          <input
            disabled={fixed('applications')}
            {...field}
            value={draft.topics}
            onChange={(e) => set({ topics: e.target.value })}
          />
        )}
      </Field>
      <fieldset>
        <legend>{t('mentoring.guidance_title')}</legend>
        {GUIDANCE.map((level) => (
          <label key={level} className="inline">
            <input
              disabled={fixed('applications')}
              type="checkbox"
              checked={draft.guidance_levels.includes(level)}
              onChange={() =>
                set({
                  guidance_levels: draft.guidance_levels.includes(level)
                    ? draft.guidance_levels.filter((l) => l !== level)
                    : GUIDANCE.filter((l) => l === level || draft.guidance_levels.includes(l)),
                })
              }
            />{' '}
            {t(`track.${level}`)}: {t(`track_means.${level}`)}
          </label>
        ))}
      </fieldset>
      <Field
        label={t('mentoring.form.pair_mode')}
        name="pair_mode"
        hint={t(`mentoring.pair_mode_means.${draft.pair_mode}`)}
      >
        {(field) => (
          <select
            disabled={fixed('applications')}
            {...field}
            value={draft.pair_mode}
            onChange={(e) => set({ pair_mode: e.target.value as Draft['pair_mode'] })}
          >
            <option value="reverse">{t('mentoring.pair_mode_name.reverse')}</option>
            <option value="mutual">{t('mentoring.pair_mode_name.mutual')}</option>
          </select>
        )}
      </Field>
      <Field label={t('mentoring.form.session_count')} name="session_count">
        {(field) => (
          <input
            disabled={fixed('running')}
            {...field}
            type="number"
            min={1}
            max={24}
            value={draft.session_count}
            onChange={(e) => set({ session_count: e.target.value })}
          />
        )}
      </Field>
      <Field label={t('mentoring.form.cadence')} name="cadence">
        {(field) => (
          <select
            disabled={fixed('running')}
            {...field}
            value={draft.cadence}
            onChange={(e) => set({ cadence: e.target.value as Draft['cadence'] })}
          >
            {CADENCES.map((c) => (
              <option key={c} value={c}>
                {t(`mentoring.cadence.${c}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <fieldset>
        <legend>{t('mentoring.dates')}</legend>
        {DATES.map((d) => (
          <Field key={d} label={t(`mentoring.form.${d}`)} name={`schedule.${d}`}>
            {(field) => (
              <input
                disabled={fixed(PHASE_OF_DATE[d])}
                {...field}
                type="datetime-local"
                value={draft.schedule[d]}
                onChange={(e) => set({ schedule: { ...draft.schedule, [d]: e.target.value } })}
              />
            )}
          </Field>
        ))}
      </fieldset>
      <label className="inline">
        <input
          disabled={fixed('matching')}
          type="checkbox"
          checked={draft.training_required}
          onChange={(e) => set({ training_required: e.target.checked })}
        />{' '}
        {t('mentoring.form.training_required')}
      </label>
      {draft.training_required && (
        <Field
          label={t('mentoring.form.training_collection')}
          name="training_collection_id"
          hint={t('mentoring.form.training_collection_hint')}
        >
          {(field) => (
            <input
              disabled={fixed('matching')}
              {...field}
              value={draft.training_collection_id}
              onChange={(e) => set({ training_collection_id: e.target.value })}
            />
          )}
        </Field>
      )}
      <ErrorNote error={save.error} />
      <Button type="submit" disabled={save.isPending}>
        {programme ? t('mentoring.form.save') : t('mentoring.form.create')}
      </Button>
    </Form>
  );
}
