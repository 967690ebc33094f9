import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../../../api/client';
import { Button } from '../../../components/Button';
import { ErrorNote, Field, Form, Loading } from '../../../components/ui';
import { mentoringKeys, usePlan } from '../api';
import { useFocusFirstField } from '../focus';

type Side = 'mentor' | 'mentee';
type Guidance = Schemas['Goal']['guidance'];
type PartDraft = Schemas['PlanPartIn'] & { goals: Schemas['GoalIn'][] };
const SIDES: readonly Side[] = ['mentor', 'mentee'];
const GUIDANCE: readonly Guidance[] = ['discover', 'deepen', 'exploit'];
const TEXTS = ['interests', 'knowledge', 'shortcomings'] as const;

/** The pair's plan, the first session's template: for each member what they bring and the
 * goals the pair sets them, each at a guidance level. Either member edits it for both; the
 * revision they edited goes with it, so that a partner's save in between is never lost. */
export function PairPlan({ programmeId, myRole }: { programmeId: string; myRole: Side }) {
  const { t } = useTranslation();
  const plan = usePlan(programmeId);
  const [editing, setEditing] = useState(false);
  // The form closes on save or cancel: the focus goes back to the plan's heading, not to the
  // page's top.
  const heading = useRef<HTMLHeadingElement>(null);
  const close = () => {
    setEditing(false);
    requestAnimationFrame(() => heading.current?.focus());
  };
  const sideTitle = (side: Side) =>
    t(`mentoring.plan.side_${side === myRole ? 'mine' : 'partner'}`, {
      role: t(`mentoring.role.${side}`),
    });
  return (
    <section aria-labelledby="plan-title">
      <h2 id="plan-title" ref={heading} tabIndex={-1}>
        {t('mentoring.plan.title')}
      </h2>
      <p className="hint">{t('mentoring.plan.hint')}</p>
      {plan.isPending && <Loading />}
      <ErrorNote error={plan.error} />
      {plan.data && editing && (
        <PlanForm programmeId={programmeId} plan={plan.data} sideTitle={sideTitle} onDone={close} />
      )}
      {plan.data && !editing && (
        <>
          {plan.data.revision === 0 ? (
            <p>{t('mentoring.plan.empty')}</p>
          ) : (
            SIDES.map((side) => (
              <PlanPartView key={side} title={sideTitle(side)} part={plan.data[side]} />
            ))
          )}
          <Button variant="secondary" onClick={() => setEditing(true)}>
            {plan.data.revision === 0 ? t('mentoring.plan.write') : t('mentoring.plan.edit')}
          </Button>
        </>
      )}
    </section>
  );
}

function PlanPartView({ title, part }: { title: string; part: Schemas['PlanPart'] }) {
  const { t } = useTranslation();
  return (
    <>
      <h3>{title}</h3>
      <dl className="pair-facts">
        {TEXTS.map((key) => (
          <div key={key}>
            <dt>{t(`mentoring.plan.${key}`)}</dt>
            <dd className="pre-line">{part[key] || '—'}</dd>
          </div>
        ))}
        <div>
          <dt>{t('mentoring.plan.goals')}</dt>
          <dd>
            {part.goals.length === 0 ? (
              '—'
            ) : (
              <ul className="plain">
                {part.goals.map((goal) => (
                  <li key={goal.id}>
                    {t('mentoring.plan.goal_line', {
                      text: goal.text,
                      guidance: t(`track.${goal.guidance}`),
                    })}
                  </li>
                ))}
              </ul>
            )}
          </dd>
        </div>
      </dl>
    </>
  );
}

function draftOf(part: Schemas['PlanPart']): PartDraft {
  return {
    interests: part.interests,
    knowledge: part.knowledge,
    shortcomings: part.shortcomings,
    goals: part.goals.map((g) => ({ id: g.id, text: g.text, guidance: g.guidance })),
  };
}

function PlanForm({
  programmeId,
  plan,
  sideTitle,
  onDone,
}: {
  programmeId: string;
  plan: Schemas['PlanOut'];
  sideTitle: (side: Side) => string;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<Record<Side, PartDraft>>({
    mentor: draftOf(plan.mentor),
    mentee: draftOf(plan.mentee),
  });
  const fields = useFocusFirstField<HTMLDivElement>();
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        api.PUT('/api/v1/programmes/{programme_id}/pair/plan', {
          params: { path: { programme_id: programmeId } },
          body: { revision: plan.revision, ...draft },
        }),
      ),
    onSuccess: (saved) => {
      queryClient.setQueryData(mentoringKeys.plan(programmeId), saved);
      onDone();
    },
  });
  const change = (side: Side, values: Partial<PartDraft>) =>
    setDraft((d) => ({ ...d, [side]: { ...d[side], ...values } }));
  const changeGoal = (side: Side, index: number, values: Partial<Schemas['GoalIn']>) =>
    change(side, {
      goals: draft[side].goals.map((g, i) => (i === index ? { ...g, ...values } : g)),
    });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <Form error={save.error} onSubmit={submit} aria-labelledby="plan-title">
      <ErrorNote error={save.error} />
      <div ref={fields}>
        {SIDES.map((side) => (
          <fieldset key={side}>
            <legend>{sideTitle(side)}</legend>
            {TEXTS.map((key) => (
              <Field
                key={key}
                label={t(`mentoring.plan.${key}_of`, { role: t(`mentoring.role.${side}`) })}
                name={`${side}.${key}`}
              >
                {(field) => (
                  <textarea
                    {...field}
                    rows={3}
                    value={draft[side][key]}
                    onChange={(e) => change(side, { [key]: e.target.value })}
                  />
                )}
              </Field>
            ))}
            {draft[side].goals.map((goal, i) => (
              <div className="plan-goal" key={goal.id ?? `new-${i}`}>
                <Field
                  label={t('mentoring.plan.goal_n', {
                    n: i + 1,
                    role: t(`mentoring.role.${side}`),
                  })}
                  name={`${side}.goals.${i}.text`}
                >
                  {(field) => (
                    <input
                      {...field}
                      value={goal.text}
                      onChange={(e) => changeGoal(side, i, { text: e.target.value })}
                    />
                  )}
                </Field>
                <Field
                  label={t('mentoring.plan.goal_guidance_n', {
                    n: i + 1,
                    role: t(`mentoring.role.${side}`),
                  })}
                  hint={t(`track_means.${goal.guidance}`)}
                  name={`${side}.goals.${i}.guidance`}
                >
                  {(field) => (
                    <select
                      {...field}
                      value={goal.guidance}
                      onChange={(e) =>
                        changeGoal(side, i, { guidance: e.target.value as Guidance })
                      }
                    >
                      {GUIDANCE.map((level) => (
                        <option key={level} value={level}>
                          {t(`track.${level}`)}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
                <Button
                  variant="link"
                  onClick={() =>
                    change(side, { goals: draft[side].goals.filter((_, n) => n !== i) })
                  }
                >
                  {t('mentoring.plan.remove_goal', { n: i + 1, role: t(`mentoring.role.${side}`) })}
                </Button>
              </div>
            ))}
            {draft[side].goals.length < 10 && (
              <Button
                variant="secondary"
                size="sm"
                onClick={() =>
                  change(side, {
                    goals: [...draft[side].goals, { text: '', guidance: 'discover' }],
                  })
                }
              >
                {t('mentoring.plan.add_goal', { role: t(`mentoring.role.${side}`) })}
              </Button>
            )}
          </fieldset>
        ))}
      </div>
      <div className="button-row">
        <Button type="submit" disabled={save.isPending}>
          {t('mentoring.plan.save')}
        </Button>
        <Button variant="secondary" onClick={onDone}>
          {t('common.cancel')}
        </Button>
      </div>
    </Form>
  );
}
