// A team: its page, its messages, its submission and the submission's earlier versions.
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';

export const teamKeys = {
  team: (teamId: string) => ['team', teamId] as const,
  messages: (teamId: string) => ['messages', teamId] as const,
  submission: (teamId: string) => ['submission', teamId] as const,
  version: (teamId: string, version: number | null) => ['version', teamId, version] as const,
};

export function useTeam(teamId: string) {
  return useQuery({
    queryKey: teamKeys.team(teamId),
    queryFn: () =>
      unwrap(api.GET('/api/v1/teams/{team_id}', { params: { path: { team_id: teamId } } })),
  });
}

/** The latest messages, read again every 15 s while the page is open. */
export function useMessages(teamId: string) {
  return useQuery({
    queryKey: teamKeys.messages(teamId),
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/teams/{team_id}/messages', {
          params: { path: { team_id: teamId }, query: { limit: 50 } },
        }),
      ),
    refetchInterval: 15_000,
  });
}

export function useSubmission(teamId: string) {
  return useQuery({
    queryKey: teamKeys.submission(teamId),
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/teams/{team_id}/submission', { params: { path: { team_id: teamId } } }),
      ),
  });
}

/** One earlier version of the submission (none while `version` is null). */
export function useSubmissionVersion(teamId: string, version: number | null) {
  return useQuery({
    queryKey: teamKeys.version(teamId, version),
    enabled: version !== null,
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/teams/{team_id}/submission/versions/{version}', {
          params: { path: { team_id: teamId, version: version ?? 0 } },
        }),
      ),
  });
}
