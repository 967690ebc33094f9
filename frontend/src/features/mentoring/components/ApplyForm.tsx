import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, unwrap, type Schemas } from '../../../api/client';
import { fieldErrorText } from '../../../api/fieldErrors';
import { Button } from '../../../components/Button';
import { useLabels } from '../../../components/labels';
import { ErrorNote, Field, Form } from '../../../components/ui';
import { mentoringKeys, type ProgrammeDetail } from '../api';
import { AvailabilityGrid } from './AvailabilityGrid';

type Role = Schemas['ApplicationIn']['role'];
type Guidance = Schemas['Wanted']['guidance'];
type Language = Schemas['ApplicationIn']['languages'][number];
const LANGUAGES: readonly Language[] = ['en', 'fr', 'es'];
const TEACH_LEVELS = [1, 2, 3, 4] as const;
const LEARN_LEVELS = [1, 2, 3] as const;

interface TaughtRow {
  skill: string;
  level: string;
}
interface WantedRow extends TaughtRow {
  guidance: string;
}

/** Applying, or (with `application`) changing one's application while applications are open:
 * the same request, the server keeps the handle. */
export function ApplyForm({
  programme: p,
  application,
  onDone,
  onCancel,
}: {
  programme: ProgrammeDetail;
  application?: Schemas['MyApplication'];
  onDone: () => void;
  onCancel?: () => void;
}) {
  const { t, i18n } = useTranslation();
  const labels = useLabels();
  const queryClient = useQueryClient();
  const mutual = p.pair_mode === 'mutual';
  const [role, setRole] = useState<Role | ''>(application?.role ?? '');
  const [teaches, setTeaches] = useState<TaughtRow[]>(
    application?.teaches.map((c) => ({ skill: c.skill, level: String(c.level) })) ?? [
      { skill: '', level: '' },
    ],
  );
  const [wants, setWants] = useState<WantedRow[]>(
    application?.wants.map((c) => ({
      skill: c.skill,
      level: String(c.level),
      guidance: c.guidance,
    })) ?? [{ skill: '', level: '', guidance: '' }],
  );
  const [languages, setLanguages] = useState<Language[]>(
    application?.languages ?? [i18n.language as Language].filter((l) => LANGUAGES.includes(l)),
  );
  const [slots, setSlots] = useState<string[]>(application?.availability ?? []);
  const [capacity, setCapacity] = useState(String(application?.capacity ?? 1));
  const [note, setNote] = useState(application?.note ?? '');
  // In a mutual programme everyone teaches and learns; in reverse mentoring each side one way.
  const teaching = mutual || role === 'mentor' || role === 'both';
  const learning = mutual || role === 'mentee' || role === 'both';
  const mentoring = role === 'mentor' || role === 'both';
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        api.PUT('/api/v1/programmes/{programme_id}/application', {
          params: { path: { programme_id: p.id } },
          body: {
            role: role as Role,
            teaches: teaching
              ? teaches
                  .filter((r) => r.skill && r.level)
                  .map((r) => ({ skill: r.skill, level: Number(r.level) }))
              : [],
            wants: learning
              ? wants
                  .filter((r) => r.skill && r.level && r.guidance)
                  .map((r) => ({
                    skill: r.skill,
                    level: Number(r.level),
                    guidance: r.guidance as Guidance,
                  }))
              : [],
            languages,
            availability: slots as Schemas['ApplicationIn']['availability'],
            capacity: mentoring ? Number(capacity) : null,
            note,
          },
        }),
      ),
    onSuccess: async (saved) => {
      queryClient.setQueryData(mentoringKeys.application(p.id), saved);
      await queryClient.invalidateQueries({ queryKey: mentoringKeys.programme(p.id) });
      onDone();
    },
  });
  // The two checkbox groups are not single fields: their refusals are written under them.
  const groupError = (name: string) => {
    const error = save.error instanceof ApiError ? save.error.fieldError(name) : undefined;
    return error ? fieldErrorText(t, error) : undefined;
  };
  const topicOptions = (
    <>
      <option value="">{t('mentoring.apply.choose_skill')}</option>
      {p.topics.map((topic) => (
        <option key={topic} value={topic}>
          {labels.skill(topic)}
        </option>
      ))}
    </>
  );
  const updateTeach = (i: number, change: Partial<TaughtRow>) =>
    setTeaches(teaches.map((r, j) => (j === i ? { ...r, ...change } : r)));
  const updateWant = (i: number, change: Partial<WantedRow>) =>
    setWants(wants.map((r, j) => (j === i ? { ...r, ...change } : r)));
  return (
    <Form
      error={save.error}
      aria-labelledby="apply-title"
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <h2 id="apply-title">
        {application ? t('mentoring.apply.edit_title') : t('mentoring.apply.title')}
      </h2>
      <p>{t('mentoring.apply.intro')}</p>
      <Field label={t('mentoring.apply.role')} name="role" hint={t('mentoring.apply.role_hint')}>
        {(field) => (
          <select {...field} value={role} onChange={(e) => setRole(e.target.value as Role)}>
            <option value="">{t('mentoring.apply.choose_role')}</option>
            <option value="mentor">{t('mentoring.role.mentor')}</option>
            <option value="mentee">{t('mentoring.role.mentee')}</option>
            {mutual && <option value="both">{t('mentoring.role.both')}</option>}
          </select>
        )}
      </Field>
      {teaching && (
        <fieldset>
          <legend>{t('mentoring.apply.teaches')}</legend>
          <p className="hint">{t('mentoring.apply.teaches_hint')}</p>
          {teaches.map((row, i) => (
            <div className="row" key={i}>
              <Field label={t('mentoring.apply.skill_n', { n: i + 1 })} name={`teaches.${i}.skill`}>
                {(field) => (
                  <select
                    {...field}
                    value={row.skill}
                    onChange={(e) => updateTeach(i, { skill: e.target.value })}
                  >
                    {topicOptions}
                  </select>
                )}
              </Field>
              <Field
                label={t('mentoring.apply.teach_level_n', { n: i + 1 })}
                name={`teaches.${i}.level`}
              >
                {(field) => (
                  <select
                    {...field}
                    value={row.level}
                    onChange={(e) => updateTeach(i, { level: e.target.value })}
                  >
                    <option value="">{t('skills.choose_level')}</option>
                    {TEACH_LEVELS.map((level) => (
                      <option key={level} value={level}>
                        {t(`skills.level_${level}`)} — {t(`skills.level_${level}_means`)}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Button
                variant="secondary"
                aria-label={t('mentoring.apply.remove_teach', { n: i + 1 })}
                onClick={() => setTeaches(teaches.filter((_, j) => j !== i))}
              >
                {t('common.remove')}
              </Button>
            </div>
          ))}
          <Button
            variant="secondary"
            onClick={() => setTeaches([...teaches, { skill: '', level: '' }])}
          >
            {t('mentoring.apply.add_teach')}
          </Button>
        </fieldset>
      )}
      {learning && (
        <fieldset>
          <legend>{t('mentoring.apply.wants')}</legend>
          <p className="hint">{t('mentoring.apply.wants_hint')}</p>
          {wants.map((row, i) => (
            <div className="row" key={i}>
              <Field
                label={t('mentoring.apply.want_skill_n', { n: i + 1 })}
                name={`wants.${i}.skill`}
              >
                {(field) => (
                  <select
                    {...field}
                    value={row.skill}
                    onChange={(e) => updateWant(i, { skill: e.target.value })}
                  >
                    {topicOptions}
                  </select>
                )}
              </Field>
              <Field
                label={t('mentoring.apply.learn_level_n', { n: i + 1 })}
                name={`wants.${i}.level`}
              >
                {(field) => (
                  <select
                    {...field}
                    value={row.level}
                    onChange={(e) => updateWant(i, { level: e.target.value })}
                  >
                    <option value="">{t('skills.choose_level')}</option>
                    {LEARN_LEVELS.map((level) => (
                      <option key={level} value={level}>
                        {t(`mentoring.learn_level.${level}`)}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field
                label={t('mentoring.apply.guidance_n', { n: i + 1 })}
                name={`wants.${i}.guidance`}
                hint={row.guidance ? t(`track_means.${row.guidance}`) : undefined}
              >
                {(field) => (
                  <select
                    {...field}
                    value={row.guidance}
                    onChange={(e) => updateWant(i, { guidance: e.target.value })}
                  >
                    <option value="">{t('mentoring.apply.choose_guidance')}</option>
                    {p.guidance_levels.map((level) => (
                      <option key={level} value={level}>
                        {t(`track.${level}`)}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Button
                variant="secondary"
                aria-label={t('mentoring.apply.remove_want', { n: i + 1 })}
                onClick={() => setWants(wants.filter((_, j) => j !== i))}
              >
                {t('common.remove')}
              </Button>
            </div>
          ))}
          <Button
            variant="secondary"
            onClick={() => setWants([...wants, { skill: '', level: '', guidance: '' }])}
          >
            {t('mentoring.apply.add_want')}
          </Button>
        </fieldset>
      )}
      <fieldset aria-describedby={groupError('languages') ? 'languages-error' : undefined}>
        <legend>{t('mentoring.apply.languages')}</legend>
        {LANGUAGES.map((language) => (
          <label key={language} className="inline">
            <input
              type="checkbox"
              checked={languages.includes(language)}
              onChange={() =>
                setLanguages(
                  languages.includes(language)
                    ? languages.filter((l) => l !== language)
                    : [...languages, language],
                )
              }
            />{' '}
            {t(`languages.${language}`)}
          </label>
        ))}
        {groupError('languages') && (
          <p className="field-error" id="languages-error">
            {groupError('languages')}
          </p>
        )}
      </fieldset>
      <AvailabilityGrid slots={slots} onChange={setSlots} error={groupError('availability')} />
      {mentoring && (
        <Field
          label={t('mentoring.apply.capacity')}
          name="capacity"
          hint={t('mentoring.apply.capacity_hint')}
        >
          {(field) => (
            <select {...field} value={capacity} onChange={(e) => setCapacity(e.target.value)}>
              {[1, 2, 3].map((n) => (
                <option key={n} value={n}>
                  {t('mentoring.apply.mentees', { count: n })}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      <Field label={t('mentoring.apply.note')} name="note" hint={t('mentoring.apply.note_hint')}>
        {(field) => (
          <textarea
            {...field}
            rows={3}
            maxLength={500}
            value={note}
            onChange={(e) => setNote(e.target.value)}
          />
        )}
      </Field>
      <ErrorNote error={save.error} />
      <div className="button-row">
        <Button type="submit" disabled={save.isPending}>
          {application ? t('mentoring.apply.save') : t('mentoring.apply.submit')}
        </Button>
        {onCancel && (
          <Button variant="secondary" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
        )}
      </div>
    </Form>
  );
}
