// The facilitator's lesson editor: every field, the quiz, and after each save the server's
// rendering of the saved version as the preview (the server is the one Markdown renderer and
// sanitiser: app/kit/markdown.py), its versions, publishing and its translations.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { api, unwrap, type Schemas } from '../../../api/client';
import { Button } from '../../../components/Button';
import { useToast } from '../../../components/Toast';
import { ErrorNote, Field, Form } from '../../../components/ui';
import { LESSON_LANGUAGES, LEVELS, libraryKeys, type LessonLanguage, type Level } from '../api';
import type { QuestionDraft } from '../quiz';
import { LessonLearningPanel } from './LearningCounts';
import { QuizBuilder } from './QuizBuilder';
import { VersionsPanel } from './VersionsPanel';

type Lesson = Schemas['LessonForEditors'];
type LessonSummary = Schemas['LessonSummary'];

interface Draft {
  title: string;
  summary: string;
  body: string;
  task: string;
  case_study: string;
  level: Level;
  topics: string;
  language: LessonLanguage;
  translation_of: string;
  quiz: QuestionDraft[];
  pass_mark: number;
}

export function draftOf(lesson: Lesson): Draft {
  const v = lesson.latest;
  return {
    title: v.title,
    summary: v.summary,
    body: v.body,
    task: v.task,
    case_study: v.case_study,
    level: v.level,
    topics: v.topics.join(', '),
    language: lesson.language,
    translation_of: '',
    quiz: v.quiz.map((q) => ({ ...q, choices: q.choices.map((c) => ({ ...c })) })),
    pass_mark: v.pass_mark,
  };
}

export function newDraft(language: LessonLanguage, translationOf: string): Draft {
  return {
    title: '',
    summary: '',
    body: '',
    task: '',
    case_study: '',
    level: 'discover',
    topics: '',
    language,
    translation_of: translationOf,
    quiz: [],
    pass_mark: 80,
  };
}

export function LessonEditor({
  lesson,
  initial,
  translatable,
}: {
  /** The lesson being edited; undefined while writing a new one. */
  lesson: Lesson | undefined;
  initial: Draft;
  /** Lessons a new one may translate (its "translation of" list). */
  translatable: LessonSummary[];
}) {
  const { t } = useTranslation();
  const toast = useToast();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<Draft>(initial);
  const set = (change: Partial<Draft>) => setDraft({ ...draft, ...change });
  const save = useMutation({
    mutationFn: () => {
      const content = {
        title: draft.title,
        summary: draft.summary,
        body: draft.body,
        task: draft.task,
        case_study: draft.case_study,
        level: draft.level,
        topics: draft.topics
          .split(',')
          .map((topic) => topic.trim())
          .filter(Boolean),
        quiz: draft.quiz,
        pass_mark: draft.pass_mark,
      };
      if (lesson) {
        return unwrap(
          api.PUT('/api/v1/library/lessons/{lesson_id}', {
            params: { path: { lesson_id: lesson.id } },
            body: { ...content, base_version: lesson.latest_version },
          }),
        );
      }
      return unwrap(
        api.POST('/api/v1/library/lessons', {
          body: {
            ...content,
            language: draft.language,
            translation_of: draft.translation_of || null,
          },
        }),
      );
    },
    onSuccess: async (saved) => {
      queryClient.setQueryData(libraryKeys.edited(saved.id), saved);
      toast(t('library.editor.saved', { n: saved.latest_version }));
      await queryClient.invalidateQueries({ queryKey: libraryKeys.all });
      if (!lesson) void navigate(`/library/lessons/${saved.id}/edit`, { replace: true });
      else document.getElementById('preview-heading')?.focus();
    },
  });
  const markdownHint = t('team.markdown_hint');
  return (
    <>
      <Form
        error={save.error}
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <Field label={t('library.editor.title_field')} name="title">
          {(p) => (
            <input {...p} value={draft.title} onChange={(e) => set({ title: e.target.value })} />
          )}
        </Field>
        <Field
          label={t('library.editor.summary')}
          hint={t('library.editor.summary_hint')}
          name="summary"
        >
          {(p) => (
            <textarea
              {...p}
              rows={2}
              value={draft.summary}
              onChange={(e) => set({ summary: e.target.value })}
            />
          )}
        </Field>
        <Field label={t('library.editor.body')} hint={markdownHint} name="body">
          {(p) => (
            <textarea
              {...p}
              rows={12}
              value={draft.body}
              onChange={(e) => set({ body: e.target.value })}
            />
          )}
        </Field>
        <Field label={t('library.editor.task')} hint={t('library.editor.task_hint')} name="task">
          {(p) => (
            <textarea
              {...p}
              rows={3}
              value={draft.task}
              onChange={(e) => set({ task: e.target.value })}
            />
          )}
        </Field>
        <Field label={t('library.editor.case_study')} hint={markdownHint} name="case_study">
          {(p) => (
            <textarea
              {...p}
              rows={6}
              value={draft.case_study}
              onChange={(e) => set({ case_study: e.target.value })}
            />
          )}
        </Field>
        <Field
          label={t('library.editor.topics')}
          hint={t('library.editor.topics_hint')}
          name="topics"
        >
          {(p) => (
            <input {...p} value={draft.topics} onChange={(e) => set({ topics: e.target.value })} />
          )}
        </Field>
        <div className="row">
          <Field
            label={t('library.editor.level')}
            hint={t(`track_means.${draft.level}`)}
            name="level"
          >
            {(p) => (
              <select
                {...p}
                value={draft.level}
                onChange={(e) => set({ level: e.target.value as Level })}
              >
                {LEVELS.map((level) => (
                  <option key={level} value={level}>
                    {t(`track.${level}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field
            label={t('library.editor.language')}
            hint={lesson ? t('library.editor.language_fixed') : undefined}
            name="language"
          >
            {(p) => (
              <select
                {...p}
                value={draft.language}
                disabled={!!lesson}
                onChange={(e) => set({ language: e.target.value as LessonLanguage })}
              >
                {LESSON_LANGUAGES.map((language) => (
                  <option key={language} value={language}>
                    {t(`languages.${language}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        {!lesson && (
          <Field
            label={t('library.editor.translation_of')}
            hint={t('library.editor.translation_of_hint')}
            name="translation_of"
          >
            {(p) => (
              <select
                {...p}
                value={draft.translation_of}
                onChange={(e) => set({ translation_of: e.target.value })}
              >
                <option value="">{t('library.editor.no_translation')}</option>
                {translatable
                  .filter((other) => other.language !== draft.language)
                  .map((other) => (
                    <option key={other.id} value={other.id}>
                      {t('library.editor.translation_option', {
                        title: other.title,
                        language: t(`languages.${other.language}`),
                      })}
                    </option>
                  ))}
              </select>
            )}
          </Field>
        )}
        <QuizBuilder questions={draft.quiz} onChange={(quiz) => set({ quiz })} />
        <Field
          label={t('library.editor.pass_mark')}
          hint={t('library.editor.pass_mark_hint')}
          name="pass_mark"
        >
          {(p) => (
            <input
              {...p}
              type="number"
              min={1}
              max={100}
              value={draft.pass_mark}
              onChange={(e) => set({ pass_mark: Number(e.target.value) })}
            />
          )}
        </Field>
        <ErrorNote error={save.error} />
        <Button type="submit" disabled={save.isPending}>
          {lesson ? t('library.editor.save_version') : t('library.editor.create')}
        </Button>
        {lesson && <p className="hint">{t('library.editor.save_hint')}</p>}
      </Form>
      {lesson && <Preview lesson={lesson} />}
      {lesson && <VersionsPanel lesson={lesson} />}
      {lesson && <LessonLearningPanel lessonId={lesson.id} />}
      {lesson && <Translations lesson={lesson} />}
    </>
  );
}

/** The last saved version as the server renders it: what readers will see once it is
 * published. */
function Preview({ lesson }: { lesson: Lesson }) {
  const { t } = useTranslation();
  const v = lesson.latest;
  return (
    <section aria-labelledby="preview-heading" className="lesson-preview">
      <h2 id="preview-heading" tabIndex={-1}>
        {t('library.editor.preview', { n: lesson.latest_version })}
      </h2>
      <p className="hint">{t('library.editor.preview_hint')}</p>
      <div className="card" lang={lesson.language}>
        <h3>{v.title}</h3>
        {v.summary && <p className="lead">{v.summary}</p>}
        <div className="lesson-body" dangerouslySetInnerHTML={{ __html: v.body_html }} />
        {v.task_html && (
          <>
            <h4>{t('library.lesson.task')}</h4>
            <div dangerouslySetInnerHTML={{ __html: v.task_html }} />
          </>
        )}
        {v.case_study_html && (
          <>
            <h4>{t('library.lesson.case_study')}</h4>
            <div dangerouslySetInnerHTML={{ __html: v.case_study_html }} />
          </>
        )}
        <p className="meta">
          {t('library.editor.preview_quiz', { count: v.quiz.length, pass_mark: v.pass_mark })}
        </p>
      </div>
    </section>
  );
}

/** The lesson in the other languages: open a translation, or start the missing ones. */
function Translations({ lesson }: { lesson: Lesson }) {
  const { t } = useTranslation();
  const missing = LESSON_LANGUAGES.filter(
    (language) =>
      language !== lesson.language && !lesson.translations.some((tr) => tr.language === language),
  );
  return (
    <section aria-labelledby="translations-heading">
      <h2 id="translations-heading">{t('library.editor.translations')}</h2>
      <ul>
        {lesson.translations.map((tr) => (
          <li key={tr.lesson_id}>
            <Link to={`/library/lessons/${tr.lesson_id}/edit`} lang={tr.language}>
              {t('library.editor.translation_link', {
                title: tr.title,
                language: t(`languages.${tr.language}`),
              })}
            </Link>
          </li>
        ))}
        {missing.map((language) => (
          <li key={language}>
            <Link to={`/library/write?translation_of=${lesson.id}&language=${language}`}>
              {t('library.editor.write_translation', { language: t(`languages.${language}`) })}
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
