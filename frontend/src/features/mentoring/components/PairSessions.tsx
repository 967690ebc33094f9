import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../../../api/client';
import { Button, buttonClass } from '../../../components/Button';
import { Card } from '../../../components/Card';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { EmptyState } from '../../../components/EmptyState';
import { ErrorNote, Field, Form, Loading, formatDate } from '../../../components/ui';
import { mentoringKeys, sessionCalendarUrl, useCheckIns, usePairSessions, usePlan } from '../api';
import { useFocusFirstField } from '../focus';
import { localInput } from './ProgrammeForm';

type Session = Schemas['PairSessionOut'];
type CheckIn = Schemas['CheckInOut'];
type Where = 'place' | 'video';
const SCORES = [1, 2, 3, 4, 5] as const;

/** Still to come: a planned session that has not ended may be moved or cancelled. */
function toCome(session: Session): boolean {
  const ends = new Date(session.starts_at).getTime() + session.minutes * 60_000;
  return (session.status === 'proposed' || session.status === 'accepted') && ends > Date.now();
}

/** The pair's sessions: propose one, answer the partner's, move or cancel one still to come,
 * take it to one's calendar (.ics), and check in once it is held. */
export function PairSessions({ programmeId }: { programmeId: string }) {
  const { t } = useTranslation();
  const sessions = usePairSessions(programmeId);
  const checkIns = useCheckIns(programmeId);
  const [proposing, setProposing] = useState(false);
  // The form closes once sent or cancelled: the focus goes back to the sessions' heading.
  const heading = useRef<HTMLHeadingElement>(null);
  const closeForm = () => {
    setProposing(false);
    requestAnimationFrame(() => heading.current?.focus());
  };
  return (
    <section aria-labelledby="sessions-title">
      <h2 id="sessions-title" ref={heading} tabIndex={-1}>
        {t('mentoring.sessions_pair.title')}
      </h2>
      <p className="hint">{t('mentoring.sessions_pair.hint')}</p>
      {sessions.isPending && <Loading />}
      <ErrorNote error={sessions.error ?? checkIns.error} />
      {sessions.data &&
        (sessions.data.length === 0 ? (
          <EmptyState>{t('mentoring.sessions_pair.none')}</EmptyState>
        ) : (
          <ul className="cards pair-sessions">
            {sessions.data.map((session) => (
              <SessionCard
                key={session.id}
                programmeId={programmeId}
                session={session}
                checkIns={(checkIns.data ?? []).filter((c) => c.session_id === session.id)}
              />
            ))}
          </ul>
        ))}
      {proposing ? (
        <SessionForm
          programmeId={programmeId}
          title={t('mentoring.sessions_pair.propose')}
          onDone={closeForm}
        />
      ) : (
        <Button onClick={() => setProposing(true)}>{t('mentoring.sessions_pair.propose')}</Button>
      )}
    </section>
  );
}

function useRefresh(programmeId: string) {
  const queryClient = useQueryClient();
  return async () => {
    await queryClient.invalidateQueries({ queryKey: mentoringKeys.sessions(programmeId) });
    await queryClient.invalidateQueries({ queryKey: mentoringKeys.checkIns(programmeId) });
  };
}

function SessionCard({
  programmeId,
  session,
  checkIns,
}: {
  programmeId: string;
  session: Session;
  checkIns: CheckIn[];
}) {
  const { t, i18n } = useTranslation();
  const refresh = useRefresh(programmeId);
  const [moving, setMoving] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  const [checkingIn, setCheckingIn] = useState(false);
  const when = formatDate(session.starts_at, i18n.language);
  const path = { params: { path: { programme_id: programmeId, session_id: session.id } } };
  const answer = useMutation({
    mutationFn: (value: 'accepted' | 'declined') =>
      unwrap(
        api.POST('/api/v1/programmes/{programme_id}/pair/sessions/{session_id}/answer', {
          ...path,
          body: { answer: value },
        }),
      ),
    onSuccess: refresh,
  });
  const cancel = useMutation({
    mutationFn: () =>
      unwrap(api.POST('/api/v1/programmes/{programme_id}/pair/sessions/{session_id}/cancel', path)),
    onSuccess: refresh,
  });
  const state = session.held
    ? 'held'
    : session.status === 'proposed'
      ? session.proposed_by_me
        ? 'proposed_by_me'
        : 'proposed_to_me'
      : session.status;
  const headingId = `session-${session.id}`;
  return (
    <Card as="li">
      <h3 id={headingId}>
        {t('mentoring.sessions_pair.when', { date: when, count: session.minutes })}
      </h3>
      <p>
        {session.place !== null ? (
          t('mentoring.sessions_pair.at_place', { place: session.place })
        ) : (
          <>
            {t('mentoring.sessions_pair.by_video')}{' '}
            <a href={session.video_url ?? undefined} rel="noopener noreferrer" target="_blank">
              {session.video_url}
            </a>
          </>
        )}
      </p>
      <p role="status">{t(`mentoring.sessions_pair.state.${state}`)}</p>
      <ErrorNote error={answer.error ?? cancel.error} />
      <div className="button-row">
        {state === 'proposed_to_me' && (
          <>
            <Button
              size="sm"
              onClick={() => answer.mutate('accepted')}
              disabled={answer.isPending}
              aria-label={t('mentoring.sessions_pair.accept_on', { date: when })}
            >
              {t('mentoring.sessions_pair.accept')}
            </Button>
            <Button
              size="sm"
              variant="secondary"
              onClick={() => answer.mutate('declined')}
              disabled={answer.isPending}
              aria-label={t('mentoring.sessions_pair.decline_on', { date: when })}
            >
              {t('mentoring.sessions_pair.decline')}
            </Button>
          </>
        )}
        {toCome(session) && (
          <>
            <Button
              size="sm"
              variant="secondary"
              onClick={() => setMoving((m) => !m)}
              aria-expanded={moving}
              aria-label={t('mentoring.sessions_pair.move_on', { date: when })}
            >
              {t('mentoring.sessions_pair.move')}
            </Button>
            <Button
              size="sm"
              variant="secondary"
              onClick={() => setCancelling(true)}
              aria-label={t('mentoring.sessions_pair.cancel_on', { date: when })}
            >
              {t('mentoring.sessions_pair.cancel')}
            </Button>
          </>
        )}
        {session.status !== 'declined' && (
          <a
            className={buttonClass('secondary', 'sm')}
            href={sessionCalendarUrl(programmeId, session.id)}
            download="mentoring-session.ics"
            aria-label={t('mentoring.sessions_pair.calendar_on', { date: when })}
          >
            {t('mentoring.sessions_pair.calendar')}
          </a>
        )}
      </div>
      {moving && (
        <SessionForm
          programmeId={programmeId}
          session={session}
          title={t('mentoring.sessions_pair.move_title', { date: when })}
          onDone={() => setMoving(false)}
        />
      )}
      <ConfirmDialog
        open={cancelling}
        title={t('mentoring.sessions_pair.cancel_title', { date: when })}
        confirmLabel={t('mentoring.sessions_pair.cancel')}
        cancelLabel={t('mentoring.sessions_pair.keep')}
        onCancel={() => setCancelling(false)}
        onConfirm={() => {
          cancel.mutate();
          setCancelling(false);
        }}
      >
        <p>{t('mentoring.sessions_pair.cancel_body')}</p>
      </ConfirmDialog>
      {session.held && (
        <>
          <h4>{t('mentoring.check_in.title')}</h4>
          {checkIns.length === 0 && <p>{t('mentoring.check_in.none')}</p>}
          {checkIns.map((c) => (
            <CheckInView key={`${c.session_id}-${c.by_me}`} programmeId={programmeId} checkIn={c} />
          ))}
          {!session.partner_check_in && checkIns.length > 0 && (
            <p className="muted">{t('mentoring.check_in.partner_not_yet')}</p>
          )}
          {!session.my_check_in &&
            (checkingIn ? (
              <CheckInForm
                programmeId={programmeId}
                session={session}
                when={when}
                onDone={() => setCheckingIn(false)}
              />
            ) : (
              <Button
                size="sm"
                onClick={() => setCheckingIn(true)}
                aria-label={t('mentoring.check_in.open_on', { date: when })}
              >
                {t('mentoring.check_in.open')}
              </Button>
            ))}
        </>
      )}
    </Card>
  );
}

function SessionForm({
  programmeId,
  session,
  title,
  onDone,
}: {
  programmeId: string;
  session?: Session;
  title: string;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const refresh = useRefresh(programmeId);
  const [startsAt, setStartsAt] = useState(localInput(session?.starts_at));
  const [minutes, setMinutes] = useState(String(session?.minutes ?? 60));
  const [where, setWhere] = useState<Where>(session?.video_url ? 'video' : 'place');
  const [place, setPlace] = useState(session?.place ?? '');
  const [video, setVideo] = useState(session?.video_url ?? '');
  const fields = useFocusFirstField<HTMLFieldSetElement>();
  const save = useMutation({
    mutationFn: () => {
      const body: Schemas['SessionIn'] = {
        starts_at: startsAt ? new Date(startsAt).toISOString() : '',
        minutes: Number(minutes),
        ...(where === 'place'
          ? { place: place.trim() || null }
          : { video_url: video.trim() || null }),
      };
      return session
        ? unwrap(
            api.PUT('/api/v1/programmes/{programme_id}/pair/sessions/{session_id}', {
              params: { path: { programme_id: programmeId, session_id: session.id } },
              body,
            }),
          )
        : unwrap(
            api.POST('/api/v1/programmes/{programme_id}/pair/sessions', {
              params: { path: { programme_id: programmeId } },
              body,
            }),
          );
    },
    onSuccess: async () => {
      await refresh();
      onDone();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <Form error={save.error} onSubmit={submit} className="session-form">
      <fieldset ref={fields}>
        <legend>{title}</legend>
        <ErrorNote error={save.error} />
        <Field label={t('mentoring.sessions_pair.starts_at')} name="starts_at">
          {(field) => (
            <input
              {...field}
              type="datetime-local"
              value={startsAt}
              onChange={(e) => setStartsAt(e.target.value)}
            />
          )}
        </Field>
        <Field label={t('mentoring.sessions_pair.minutes')} name="minutes">
          {(field) => (
            <input
              {...field}
              type="number"
              inputMode="numeric"
              min={15}
              max={480}
              step={15}
              value={minutes}
              onChange={(e) => setMinutes(e.target.value)}
            />
          )}
        </Field>
        <fieldset className="inline-choices">
          <legend>{t('mentoring.sessions_pair.where')}</legend>
          {(['place', 'video'] as const).map((choice) => (
            <label className="inline" key={choice}>
              <input
                type="radio"
                name={`where-${session?.id ?? 'new'}`}
                checked={where === choice}
                onChange={() => setWhere(choice)}
              />{' '}
              {t(`mentoring.sessions_pair.where_${choice}`)}
            </label>
          ))}
        </fieldset>
        {where === 'place' ? (
          <Field label={t('mentoring.sessions_pair.place')} name="place">
            {(field) => (
              <input {...field} value={place} onChange={(e) => setPlace(e.target.value)} />
            )}
          </Field>
        ) : (
          <Field
            label={t('mentoring.sessions_pair.video_url')}
            hint={t('mentoring.sessions_pair.video_hint')}
            name="video_url"
          >
            {(field) => (
              <input
                {...field}
                type="url"
                value={video}
                onChange={(e) => setVideo(e.target.value)}
              />
            )}
          </Field>
        )}
        <div className="button-row">
          <Button type="submit" disabled={save.isPending}>
            {session ? t('mentoring.sessions_pair.move_save') : t('mentoring.sessions_pair.send')}
          </Button>
          <Button variant="secondary" onClick={onDone}>
            {t('common.cancel')}
          </Button>
        </div>
      </fieldset>
    </Form>
  );
}

function CheckInView({ programmeId, checkIn }: { programmeId: string; checkIn: CheckIn }) {
  const { t } = useTranslation();
  const plan = usePlan(programmeId);
  const goals = plan.data ? [...plan.data.mentor.goals, ...plan.data.mentee.goals] : [];
  const goalText = (id: string) =>
    goals.find((g) => g.id === id)?.text ?? t('mentoring.check_in.old_goal');
  return (
    <div className="check-in">
      <h5>{t(`mentoring.check_in.${checkIn.by_me ? 'yours' : 'partners'}`)}</h5>
      <dl className="pair-facts">
        <dt>{t('mentoring.check_in.covered')}</dt>
        <dd className="pre-line">{checkIn.covered}</dd>
        {Object.keys(checkIn.goal_progress).length > 0 && (
          <>
            <dt>{t('mentoring.check_in.goal_progress')}</dt>
            <dd>
              <ul className="plain">
                {Object.entries(checkIn.goal_progress).map(([id, score]) => (
                  <li key={id}>
                    {t('mentoring.check_in.goal_score', { goal: goalText(id), score })}
                  </li>
                ))}
              </ul>
            </dd>
          </>
        )}
        <dt>{t('mentoring.check_in.next_step')}</dt>
        <dd className="pre-line">{checkIn.next_step}</dd>
        <dt>{t('mentoring.check_in.rating')}</dt>
        <dd>{t('mentoring.check_in.score', { score: checkIn.rating })}</dd>
      </dl>
    </div>
  );
}

function CheckInForm({
  programmeId,
  session,
  when,
  onDone,
}: {
  programmeId: string;
  session: Session;
  when: string;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const refresh = useRefresh(programmeId);
  const plan = usePlan(programmeId);
  const goals = plan.data ? [...plan.data.mentor.goals, ...plan.data.mentee.goals] : [];
  const [covered, setCovered] = useState('');
  const [nextStep, setNextStep] = useState('');
  const [rating, setRating] = useState('');
  const [progress, setProgress] = useState<Record<string, string>>({});
  const fields = useFocusFirstField<HTMLFieldSetElement>();
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/programmes/{programme_id}/pair/sessions/{session_id}/check-in', {
          params: { path: { programme_id: programmeId, session_id: session.id } },
          body: {
            covered,
            next_step: nextStep,
            rating: Number(rating),
            goal_progress: Object.fromEntries(
              Object.entries(progress)
                .filter(([, score]) => score !== '')
                .map(([id, score]) => [id, Number(score)]),
            ),
          },
        }),
      ),
    onSuccess: async () => {
      await refresh();
      onDone();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  const scoreOptions = (
    <>
      <option value="">{t('mentoring.check_in.choose')}</option>
      {SCORES.map((n) => (
        <option key={n} value={n}>
          {t('mentoring.check_in.score', { score: n })}
        </option>
      ))}
    </>
  );
  return (
    <Form error={save.error} onSubmit={submit}>
      <fieldset ref={fields}>
        <legend>{t('mentoring.check_in.form_title', { date: when })}</legend>
        <p className="hint">{t('mentoring.check_in.hint')}</p>
        <ErrorNote error={save.error} />
        <Field label={t('mentoring.check_in.covered')} name="covered">
          {(field) => (
            <textarea
              {...field}
              rows={3}
              value={covered}
              onChange={(e) => setCovered(e.target.value)}
            />
          )}
        </Field>
        {goals.map((goal) => (
          <Field
            key={goal.id}
            label={t('mentoring.check_in.progress_on', { goal: goal.text })}
            name={`goal_progress.${goal.id}`}
          >
            {(field) => (
              <select
                {...field}
                value={progress[goal.id] ?? ''}
                onChange={(e) => setProgress((p) => ({ ...p, [goal.id]: e.target.value }))}
              >
                {scoreOptions}
              </select>
            )}
          </Field>
        ))}
        <Field label={t('mentoring.check_in.next_step')} name="next_step">
          {(field) => (
            <textarea
              {...field}
              rows={2}
              value={nextStep}
              onChange={(e) => setNextStep(e.target.value)}
            />
          )}
        </Field>
        <Field label={t('mentoring.check_in.rating')} name="rating">
          {(field) => (
            <select {...field} value={rating} onChange={(e) => setRating(e.target.value)}>
              {scoreOptions}
            </select>
          )}
        </Field>
        <div className="button-row">
          <Button type="submit" disabled={save.isPending}>
            {t('mentoring.check_in.send')}
          </Button>
          <Button variant="secondary" onClick={onDone}>
            {t('common.cancel')}
          </Button>
        </div>
      </fieldset>
    </Form>
  );
}
