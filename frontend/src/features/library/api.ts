// The learning library (app/library) and its search (app/search): reading, taking and writing
// lessons, collections, and one search box over everything published.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '../../api/client';

export type Level = Schemas['LessonSummary']['level'];
export type LessonLanguage = Schemas['LessonSummary']['language'];
export type LessonState = Schemas['CollectionItemOut']['state'];
export const LEVELS: readonly Level[] = ['discover', 'deepen', 'exploit'];
export const LESSON_LANGUAGES: readonly LessonLanguage[] = ['en', 'fr', 'es'];

/** What the search box asks: the words and the facets ticked. */
export interface SearchQuery {
  q: string;
  kind: ('lesson' | 'idea')[];
  topic: string[];
  level: Level[];
  language: LessonLanguage[];
  page: number;
}

export const libraryKeys = {
  all: ['library'] as const,
  lessons: (level: Level | null, language: LessonLanguage | null) =>
    ['library', 'lessons', level, language] as const,
  drafts: () => ['library', 'drafts'] as const,
  lesson: (id: string) => ['library', 'lesson', id] as const,
  edited: (id: string) => ['library', 'edited', id] as const,
  versions: (id: string) => ['library', 'versions', id] as const,
  notes: (id: string) => ['library', 'notes', id] as const,
  attempts: (id: string) => ['library', 'attempts', id] as const,
  collections: () => ['library', 'collections'] as const,
  collection: (id: string) => ['library', 'collection', id] as const,
  mine: () => ['library', 'me'] as const,
  search: (query: SearchQuery) => ['library', 'search', query] as const,
  ask: (question: string) => ['library', 'ask', question] as const,
  related: (id: string) => ['library', 'related', id] as const,
};

/** Published lessons of a level (and a language, unless null), newest first. */
export function useLessons(level: Level | null, language: LessonLanguage | null) {
  return useQuery({
    queryKey: libraryKeys.lessons(level, language),
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/library/lessons', {
          params: { query: { level, language, limit: 200 } },
        }),
      ),
  });
}

/** The editor's own unpublished lessons (editors only: `enabled`). */
export function useDrafts(enabled: boolean) {
  return useQuery({
    queryKey: libraryKeys.drafts(),
    enabled,
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/library/lessons', { params: { query: { drafts: true, limit: 200 } } }),
      ),
  });
}

const lessonPath = (id: string) => ({ params: { path: { lesson_id: id } } });

export function useLesson(id: string) {
  return useQuery({
    queryKey: libraryKeys.lesson(id),
    queryFn: () => unwrap(api.GET('/api/v1/library/lessons/{lesson_id}', lessonPath(id))),
  });
}

export function useNotes(id: string) {
  return useQuery({
    queryKey: libraryKeys.notes(id),
    queryFn: () => unwrap(api.GET('/api/v1/library/lessons/{lesson_id}/notes', lessonPath(id))),
  });
}

export function useAttempts(id: string) {
  return useQuery({
    queryKey: libraryKeys.attempts(id),
    queryFn: () => unwrap(api.GET('/api/v1/library/lessons/{lesson_id}/attempts', lessonPath(id))),
  });
}

/** The lesson as its editors see it (none for a new lesson: `id` undefined). */
export function useEditedLesson(id: string | undefined) {
  return useQuery({
    queryKey: libraryKeys.edited(id ?? ''),
    enabled: !!id,
    queryFn: () =>
      unwrap(api.GET('/api/v1/library/lessons/{lesson_id}/edit', lessonPath(id ?? ''))),
  });
}

export function useVersions(id: string | undefined) {
  return useQuery({
    queryKey: libraryKeys.versions(id ?? ''),
    enabled: !!id,
    queryFn: () =>
      unwrap(api.GET('/api/v1/library/lessons/{lesson_id}/versions', lessonPath(id ?? ''))),
  });
}

export function useCollections() {
  return useQuery({
    queryKey: libraryKeys.collections(),
    queryFn: () => unwrap(api.GET('/api/v1/library/collections')),
  });
}

export function useCollection(id: string | undefined) {
  return useQuery({
    queryKey: libraryKeys.collection(id ?? ''),
    enabled: !!id,
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/library/collections/{collection_id}', {
          params: { path: { collection_id: id ?? '' } },
        }),
      ),
  });
}

/** The person's own learning record (computed from their vault records, for them alone). */
export function useMyLearning() {
  return useQuery({
    queryKey: libraryKeys.mine(),
    queryFn: () => unwrap(api.GET('/api/v1/library/me')),
  });
}

/** Search results; the previous page stays on screen while the next one loads. */
export function useSearch(query: SearchQuery | null) {
  return useQuery({
    queryKey: libraryKeys.search(
      query ?? { q: '', kind: [], topic: [], level: [], language: [], page: 1 },
    ),
    enabled: query !== null,
    placeholderData: keepPreviousData,
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/search', {
          params: {
            query: {
              q: query?.q ?? '',
              kind: query?.kind,
              topic: query?.topic,
              level: query?.level,
              language: query?.language,
              page: query?.page,
            },
          },
        }),
      ),
  });
}

/** "Ask the library": the passages that best answer a question (none asked: null). */
export function useAsk(question: string | null) {
  return useQuery({
    queryKey: libraryKeys.ask(question ?? ''),
    enabled: question !== null,
    queryFn: () =>
      unwrap(api.GET('/api/v1/search/ask', { params: { query: { q: question ?? '' } } })),
  });
}

export function useRelatedLessons(id: string) {
  return useQuery({
    queryKey: libraryKeys.related(id),
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/search/related/{kind}/{ref}', {
          params: { path: { kind: 'lesson', ref: id } },
        }),
      ),
  });
}
