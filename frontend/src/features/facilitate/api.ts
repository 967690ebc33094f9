// What a facilitator reads: the challenge being edited, its co-facilitators, its participants
// and its teams.
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import { challengeKeys } from '../challenges/api';

export const facilitateKeys = {
  facilitators: (challengeId: string) => ['facilitators', challengeId] as const,
  participants: (challengeId: string) => ['participants', challengeId] as const,
  teams: (challengeId: string) => ['teams', challengeId] as const,
};

const path = (challengeId: string) => ({ params: { path: { challenge_id: challengeId } } });

/** The challenge in the editor: none for a new one (no id). */
export function useEditedChallenge(challengeId: string | undefined) {
  return useQuery({
    queryKey: challengeKeys.detail(challengeId),
    enabled: !!challengeId,
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/challenges/{challenge_id}', {
          params: { path: { challenge_id: challengeId ?? '' } },
        }),
      ),
  });
}

export function useFacilitators(challengeId: string) {
  return useQuery({
    queryKey: facilitateKeys.facilitators(challengeId),
    queryFn: () =>
      unwrap(api.GET('/api/v1/challenges/{challenge_id}/facilitators', path(challengeId))),
  });
}

export function useParticipants(challengeId: string) {
  return useQuery({
    queryKey: facilitateKeys.participants(challengeId),
    queryFn: () =>
      unwrap(api.GET('/api/v1/challenges/{challenge_id}/participants', path(challengeId))),
  });
}

export function useChallengeTeams(challengeId: string) {
  return useQuery({
    queryKey: facilitateKeys.teams(challengeId),
    queryFn: () => unwrap(api.GET('/api/v1/challenges/{challenge_id}/teams', path(challengeId))),
  });
}
