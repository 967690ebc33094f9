// The idea library (app/ideas): the published entries readers browse, their curation, and a
// team's consent to publish its final submission.
import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '../../api/client';

export type Track = Schemas['IdeaSummary']['track'];
export type TeamIdea = Schemas['TeamIdea'];
export type TextWarning = Schemas['TextWarning'];
export type UnpublishReason = Schemas['UnpublishIn']['reason'];
export const TRACKS: readonly Track[] = ['discover', 'deepen', 'exploit'];
export const UNPUBLISH_REASONS: readonly UnpublishReason[] = [
  'team_request',
  'identifying_text',
  'other',
];

/** Where an entry is read: the address the search indexes it under (app/ideas/service.py). */
export function entryPath(entryId: string): string {
  return `/library/ideas/${entryId}`;
}

export interface IdeaFilters {
  track: Track | null;
  topic: string | null;
}

export const ideaKeys = {
  all: ['ideas'] as const,
  list: (filters: IdeaFilters) => ['ideas', 'list', filters] as const,
  entry: (id: string) => ['ideas', 'entry', id] as const,
  team: (teamId: string) => ['ideas', 'team', teamId] as const,
};

const PAGE_SIZE = 20;

/** Published entries, featured first then the newest, a page at a time ("Show more"). */
export function useIdeas(filters: IdeaFilters) {
  return useInfiniteQuery({
    queryKey: ideaKeys.list(filters),
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/api/v1/ideas', {
          params: {
            query: {
              limit: PAGE_SIZE,
              cursor: pageParam ?? undefined,
              track: filters.track ?? undefined,
              topic: filters.topic ?? undefined,
            },
          },
        }),
      ),
    getNextPageParam: (last) => last.next_cursor ?? null,
    placeholderData: keepPreviousData,
  });
}

/** The topics to filter by: those of the newest entries (the list has no vocabulary of its
 * own, and a topic no entry has would only ever show an empty list). */
export function useIdeaTopics() {
  return useQuery({
    queryKey: ['ideas', 'topics'],
    queryFn: async () => {
      const page = await unwrap(api.GET('/api/v1/ideas', { params: { query: { limit: 200 } } }));
      return [...new Set(page.items.flatMap((item) => item.topics))].sort();
    },
  });
}

export function useIdea(entryId: string) {
  return useQuery({
    queryKey: ideaKeys.entry(entryId),
    queryFn: () =>
      unwrap(api.GET('/api/v1/ideas/{entry_id}', { params: { path: { entry_id: entryId } } })),
  });
}

/** The team's publication; read again every 15 s while teammates are answering a proposal,
 * so that each member sees the others' answers (the draft being typed is kept: see Consent). */
export function useTeamIdea(teamId: string) {
  return useQuery({
    queryKey: ideaKeys.team(teamId),
    refetchInterval: (query) => (query.state.data?.state === 'proposed' ? 15_000 : false),
    queryFn: () =>
      unwrap(api.GET('/api/v1/teams/{team_id}/idea', { params: { path: { team_id: teamId } } })),
  });
}
