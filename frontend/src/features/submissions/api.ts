// Submissions as facilitators read them, and the feedback a team is given.
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';

export const submissionKeys = {
  forFacilitators: (challengeId: string, teamId: string) =>
    ['facilitator-submission', challengeId, teamId] as const,
  facilitatorVersion: (challengeId: string, teamId: string, version: number | null) =>
    ['facilitator-version', challengeId, teamId, version] as const,
  facilitatorFeedback: (challengeId: string, teamId: string) =>
    ['facilitator-feedback', challengeId, teamId] as const,
  teamFeedback: (teamId: string) => ['team-feedback', teamId] as const,
};

const teamPath = (challengeId: string, teamId: string) => ({
  params: { path: { challenge_id: challengeId, team_id: teamId } },
});

/** A team's submission (draft or final) with its history, for its challenge's facilitators. */
export function useFacilitatorSubmission(challengeId: string, teamId: string) {
  return useQuery({
    queryKey: submissionKeys.forFacilitators(challengeId, teamId),
    queryFn: () =>
      unwrap(
        api.GET(
          '/api/v1/challenges/{challenge_id}/teams/{team_id}/submission',
          teamPath(challengeId, teamId),
        ),
      ),
  });
}

/** One version of a team's submission, for facilitators (none while `version` is null). */
export function useFacilitatorVersion(challengeId: string, teamId: string, version: number | null) {
  return useQuery({
    queryKey: submissionKeys.facilitatorVersion(challengeId, teamId, version),
    enabled: version !== null,
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/challenges/{challenge_id}/teams/{team_id}/submission/versions/{version}', {
          params: { path: { challenge_id: challengeId, team_id: teamId, version: version ?? 0 } },
        }),
      ),
  });
}

export function useFacilitatorFeedback(challengeId: string, teamId: string) {
  return useQuery({
    queryKey: submissionKeys.facilitatorFeedback(challengeId, teamId),
    queryFn: () =>
      unwrap(
        api.GET(
          '/api/v1/challenges/{challenge_id}/teams/{team_id}/feedback',
          teamPath(challengeId, teamId),
        ),
      ),
  });
}

/** The feedback a team was given, for its members. */
export function useTeamFeedback(teamId: string) {
  return useQuery({
    queryKey: submissionKeys.teamFeedback(teamId),
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/teams/{team_id}/feedback', { params: { path: { team_id: teamId } } }),
      ),
  });
}
