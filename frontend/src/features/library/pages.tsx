// The learning library (issue 21): its home (search, ask, lessons by guidance level,
// collections), a lesson with its notes and quiz, a collection's progress, and the editors'
// pages. One lazy chunk (App.tsx).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { type Schemas } from '../../api/client';
import { buttonClass } from '../../components/Button';
import { Card } from '../../components/Card';
import { EmptyState } from '../../components/EmptyState';
import { ErrorNote, Loading, Page, formatDate } from '../../components/ui';
import { hasRole, useMe } from '../me/api';
import {
  LESSON_LANGUAGES,
  LEVELS,
  useCollection,
  useCollections,
  useDrafts,
  useEditedLesson,
  useLesson,
  useLessons,
  useMyLearning,
  useRelatedLessons,
  type LessonLanguage,
} from './api';
import { SUMMARY_ANCHOR, numberParagraphs, useFocusOnFragment } from './anchors';
import { AskPanel } from './components/AskPanel';
import { CollectionEditor, type Choosable } from './components/CollectionEditor';
import { LearningOverviewPanel } from './components/LearningCounts';
import { LessonEditor, draftOf, newDraft } from './components/LessonEditor';
import { LessonMeta, StateBadge } from './components/LessonMeta';
import { RatingPanel } from './components/RatingPanel';
import { NotesForm } from './components/NotesForm';
import { CollectionProgress } from './components/Progress';
import { QuizForm } from './components/QuizForm';
import { SearchPanel } from './components/SearchPanel';
import './library.css';

type LessonSummary = Schemas['LessonSummary'];

/** Facilitators and admins write lessons and collections (app/library/deps.py). */
function useIsEditor(): boolean {
  const { data: me } = useMe();
  return hasRole(me, 'facilitator') || hasRole(me, 'admin');
}

function uiLanguage(language: string): LessonLanguage {
  return LESSON_LANGUAGES.find((l) => l === language) ?? 'en';
}

export function LibraryHomePage() {
  const { t } = useTranslation();
  const editor = useIsEditor();
  return (
    <Page title={t('library.title')}>
      <p className="lead">{t('library.intro')}</p>
      {editor && (
        <p className="button-row">
          <Link to="/library/write" className={buttonClass()}>
            {t('library.write')}
          </Link>
          <Link to="/library/collections/new" className={buttonClass('secondary')}>
            {t('library.collections.new')}
          </Link>
        </p>
      )}
      <SearchPanel />
      <AskPanel />
      <p>
        <Link to="/library/ideas">{t('library.ideas_link')}</Link>
      </p>
      <Shelves />
      <Collections />
      {editor && <Drafts />}
      {editor && <LearningOverviewPanel />}
    </Page>
  );
}

/** The published lessons by guidance level, in one language (the page's, unless changed). */
function Shelves() {
  const { t, i18n } = useTranslation();
  const [language, setLanguage] = useState<LessonLanguage | ''>(() => uiLanguage(i18n.language));
  const lessons = useLessons(null, language || null);
  return (
    <section aria-labelledby="shelves-heading">
      <h2 id="shelves-heading">{t('library.by_level')}</h2>
      <div className="filters">
        <label>
          {t('library.shown_language')}{' '}
          <select
            value={language}
            onChange={(e) => setLanguage(e.target.value as LessonLanguage | '')}
          >
            {LESSON_LANGUAGES.map((l) => (
              <option key={l} value={l}>
                {t(`languages.${l}`)}
              </option>
            ))}
            <option value="">{t('library.all_languages')}</option>
          </select>
        </label>
      </div>
      {lessons.isPending && <Loading />}
      <ErrorNote error={lessons.error} />
      {lessons.data &&
        LEVELS.map((level) => {
          const shelf = lessons.data.items.filter((lesson) => lesson.level === level);
          return (
            <section key={level} aria-labelledby={`level-${level}`} className="shelf">
              <h3 id={`level-${level}`}>{t(`track.${level}`)}</h3>
              <p className="muted">{t(`track_means.${level}`)}</p>
              {shelf.length === 0 ? (
                <EmptyState>{t('library.no_lessons_here')}</EmptyState>
              ) : (
                <ul className="cards lesson-cards">
                  {shelf.map((lesson) => (
                    <LessonCard key={lesson.id} lesson={lesson} />
                  ))}
                </ul>
              )}
            </section>
          );
        })}
    </section>
  );
}

function LessonCard({ lesson, to }: { lesson: LessonSummary; to?: string }) {
  const { t } = useTranslation();
  return (
    <Card as="li" lang={lesson.language}>
      <h4>
        <Link to={to ?? `/library/lessons/${lesson.id}`}>{lesson.title}</Link>
      </h4>
      {lesson.summary && <p>{lesson.summary}</p>}
      <LessonMeta level={null} language={lesson.language} topics={lesson.topics} />
      <p className="meta">{t('library.questions', { count: lesson.questions })}</p>
    </Card>
  );
}

function Collections() {
  const { t } = useTranslation();
  const collections = useCollections();
  const mine = useMyLearning();
  return (
    <section aria-labelledby="collections-heading">
      <h2 id="collections-heading">{t('library.collections.title')}</h2>
      {collections.isPending && <Loading />}
      <ErrorNote error={collections.error} />
      {collections.data?.length === 0 && <EmptyState>{t('library.collections.none')}</EmptyState>}
      <ul className="cards">
        {collections.data?.map((collection) => {
          const progress = mine.data?.collections.find((c) => c.id === collection.id);
          return (
            <Card as="li" key={collection.id}>
              <h3>
                <Link to={`/library/collections/${collection.id}`}>{collection.title}</Link>
              </h3>
              {collection.description && <p>{collection.description}</p>}
              {progress ? (
                <CollectionProgress passed={progress.passed} total={progress.total} />
              ) : (
                <p className="meta">
                  {t('library.collections.not_started', { count: collection.lessons })}
                </p>
              )}
            </Card>
          );
        })}
      </ul>
    </section>
  );
}

function Drafts() {
  const { t } = useTranslation();
  const drafts = useDrafts(true);
  return (
    <section aria-labelledby="drafts-heading">
      <h2 id="drafts-heading">{t('library.drafts')}</h2>
      <ErrorNote error={drafts.error} />
      {drafts.data?.items.length === 0 && <EmptyState>{t('library.no_drafts')}</EmptyState>}
      <ul className="cards">
        {drafts.data?.items.map((lesson) => (
          <LessonCard key={lesson.id} lesson={lesson} to={`/library/lessons/${lesson.id}/edit`} />
        ))}
      </ul>
    </section>
  );
}

export function LessonPage() {
  const { t, i18n } = useTranslation();
  const { lessonId = '' } = useParams();
  const lesson = useLesson(lessonId);
  const editor = useIsEditor();
  useFocusOnFragment(lesson.data !== undefined);
  if (lesson.isPending) return <Loading />;
  if (!lesson.data)
    return (
      <Page title={t('library.lesson.not_found_title')}>
        <ErrorNote error={lesson.error} />
        <p>
          <Link to="/library">{t('library.back')}</Link>
        </p>
      </Page>
    );
  const l = lesson.data;
  const [bodyHtml, taskHtml, caseStudyHtml] = numberParagraphs([
    l.body_html,
    l.task_html,
    l.case_study_html,
  ]);
  return (
    <Page title={l.title}>
      <div lang={l.language} className="lesson">
        <LessonMeta level={l.level} language={l.language} topics={l.topics} />
        <p className="meta">
          {t('library.lesson.byline', {
            author: l.author_name ?? t('library.lesson.former_author'),
            date: formatDate(l.published_at, i18n.language),
          })}
        </p>
        {l.translations.length > 0 && (
          <p lang={i18n.language}>
            {t('library.lesson.also_in')}{' '}
            {l.translations.map((tr, i) => (
              <span key={tr.lesson_id}>
                {i > 0 && ', '}
                <Link
                  to={`/library/lessons/${tr.lesson_id}`}
                  hrefLang={tr.language}
                  lang={tr.language}
                >
                  {t(`languages.${tr.language}`)}
                </Link>
              </span>
            ))}
          </p>
        )}
        <p lang={i18n.language}>
          <a href={`/api/v1/library/lessons/${l.id}.pdf`} download>
            {t('library.lesson.pdf')}
          </a>
        </p>
        {editor && (
          <p lang={i18n.language}>
            <Link to={`/library/lessons/${l.id}/edit`}>{t('library.lesson.edit')}</Link>
          </p>
        )}
        {l.summary && (
          <p className="lead" id={SUMMARY_ANCHOR}>
            {l.summary}
          </p>
        )}
        <div className="lesson-body" dangerouslySetInnerHTML={{ __html: bodyHtml }} />
        {l.task_html && (
          <section aria-labelledby="task-heading">
            <h2 id="task-heading" lang={i18n.language}>
              {t('library.lesson.task')}
            </h2>
            <div dangerouslySetInnerHTML={{ __html: taskHtml }} />
            <div lang={i18n.language}>
              <NotesForm lessonId={l.id} />
            </div>
          </section>
        )}
        {l.case_study_html && (
          <section aria-labelledby="case-heading">
            <h2 id="case-heading" lang={i18n.language}>
              {t('library.lesson.case_study')}
            </h2>
            <div dangerouslySetInnerHTML={{ __html: caseStudyHtml }} />
          </section>
        )}
        {l.quiz.length > 0 && <QuizForm key={l.version} lesson={l} />}
        <div lang={i18n.language}>
          <RatingPanel lessonId={l.id} />
          <Related lessonId={l.id} />
          <p>
            <Link to="/library">{t('library.back')}</Link>
          </p>
        </div>
      </div>
    </Page>
  );
}

function Related({ lessonId }: { lessonId: string }) {
  const { t } = useTranslation();
  const related = useRelatedLessons(lessonId);
  if (!related.data || related.data.length === 0) return null;
  return (
    <section aria-labelledby="related-heading">
      <h2 id="related-heading">{t('library.lesson.related')}</h2>
      <ul>
        {related.data.map((item) => (
          <li key={`${item.kind}-${item.ref}`}>
            <Link to={item.url} lang={item.language}>
              {item.title}
            </Link>{' '}
            <span className="muted">
              ({t(`library.kind.${item.kind}`)}, {t(`languages.${item.language}`)})
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function CollectionPage() {
  const { t } = useTranslation();
  const { collectionId = '' } = useParams();
  const collection = useCollection(collectionId);
  const editor = useIsEditor();
  if (collection.isPending) return <Loading />;
  if (!collection.data)
    return (
      <Page title={t('library.collections.not_found_title')}>
        <ErrorNote error={collection.error} />
      </Page>
    );
  const c = collection.data;
  return (
    <Page title={c.title}>
      {c.description && <p className="lead">{c.description}</p>}
      {c.author_name && (
        <p className="meta">{t('library.collections.by', { author: c.author_name })}</p>
      )}
      <CollectionProgress passed={c.passed} total={c.total} />
      {c.completed && <p className="ok">{t('library.collections.completed')}</p>}
      <p>
        <a href={`/api/v1/library/collections/${c.id}.pdf`} download>
          {t('library.collections.pdf')}
        </a>
      </p>
      {editor && (
        <p>
          <Link to={`/library/collections/${c.id}/edit`}>{t('library.collections.edit')}</Link>
        </p>
      )}
      <ol className="collection-lessons">
        {c.items.map((item) => (
          <li key={item.translation_group}>
            {item.lesson ? (
              <Link to={`/library/lessons/${item.lesson.id}`} lang={item.lesson.language}>
                {item.lesson.title}
              </Link>
            ) : (
              <span className="muted">{t('library.collections.unpublished_lesson')}</span>
            )}{' '}
            <StateBadge state={item.state} />
          </li>
        ))}
      </ol>
      <p>
        <Link to="/library">{t('library.back')}</Link>
      </p>
    </Page>
  );
}

/** Anyone else who opens an editor's page gets a sentence, not forms that fail with 403. */
function EditorsOnly({ children }: { children: React.ReactNode }) {
  const { t } = useTranslation();
  if (!useIsEditor())
    return (
      <Page title={t('library.editors_only_title')}>
        <p>{t('library.editors_only')}</p>
      </Page>
    );
  return <>{children}</>;
}

export function LessonEditorPage() {
  return (
    <EditorsOnly>
      <LessonEditorContent />
    </EditorsOnly>
  );
}

function LessonEditorContent() {
  const { t, i18n } = useTranslation();
  const { lessonId } = useParams();
  const [params] = useSearchParams();
  const existing = useEditedLesson(lessonId);
  // Lessons a new one may translate: the published ones and the writer's own drafts.
  const published = useLessons(null, null);
  const drafts = useDrafts(!lessonId);
  if (lessonId) {
    if (existing.isPending) return <Loading />;
    if (!existing.data)
      return (
        <Page title={t('library.editor.edit_title')}>
          <ErrorNote error={existing.error} />
        </Page>
      );
    return (
      <Page title={t('library.editor.edit_title')}>
        <LessonEditor
          key={existing.data.id}
          lesson={existing.data}
          initial={draftOf(existing.data)}
          translatable={[]}
        />
      </Page>
    );
  }
  if (published.isPending || drafts.isPending) return <Loading />;
  const translatable = [...(drafts.data?.items ?? []), ...(published.data?.items ?? [])];
  const language = params.get('language');
  return (
    <Page title={t('library.editor.new_title')}>
      <ErrorNote error={published.error ?? drafts.error} />
      <LessonEditor
        lesson={undefined}
        initial={newDraft(
          LESSON_LANGUAGES.find((l) => l === language) ?? uiLanguage(i18n.language),
          params.get('translation_of') ?? '',
        )}
        translatable={translatable}
      />
    </Page>
  );
}

export function CollectionEditorPage() {
  return (
    <EditorsOnly>
      <CollectionEditorContent />
    </EditorsOnly>
  );
}

function CollectionEditorContent() {
  const { t, i18n } = useTranslation();
  const { collectionId } = useParams();
  const existing = useCollection(collectionId);
  const lessons = useLessons(null, null);
  if ((collectionId && existing.isPending) || lessons.isPending) return <Loading />;
  const title = collectionId ? t('library.collections.edit_title') : t('library.collections.new');
  if (collectionId && !existing.data)
    return (
      <Page title={title}>
        <ErrorNote error={existing.error} />
      </Page>
    );
  // One entry per translation group, titled in the editor's language where it exists.
  const language = uiLanguage(i18n.language);
  const byGroup = new Map<string, Choosable>();
  for (const lesson of lessons.data?.items ?? []) {
    const known = byGroup.get(lesson.translation_group);
    if (!known || lesson.language === language)
      byGroup.set(lesson.translation_group, {
        group: lesson.translation_group,
        title: lesson.title,
      });
  }
  return (
    <Page title={title}>
      <ErrorNote error={lessons.error} />
      <CollectionEditor collection={existing.data} choosable={[...byGroup.values()]} />
    </Page>
  );
}
