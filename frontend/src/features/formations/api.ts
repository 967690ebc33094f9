// Team formations: the runs of the optimiser for a challenge and the proposal each one makes.
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';

export const formationKeys = {
  list: (challengeId: string) => ['formations', challengeId] as const,
  detail: (challengeId: string, formationId: string | undefined) =>
    ['formation', challengeId, formationId] as const,
};

export function useFormations(challengeId: string) {
  return useQuery({
    queryKey: formationKeys.list(challengeId),
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/challenges/{challenge_id}/formations', {
          params: { path: { challenge_id: challengeId } },
        }),
      ),
  });
}

/** One run (none while `formationId` is unknown), polled while the optimiser works on it. */
export function useFormation(challengeId: string, formationId: string | undefined) {
  return useQuery({
    queryKey: formationKeys.detail(challengeId, formationId),
    enabled: !!formationId,
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/challenges/{challenge_id}/formations/{formation_id}', {
          params: { path: { challenge_id: challengeId, formation_id: formationId ?? '' } },
        }),
      ),
    // Poll while the optimiser runs; the run goes on if this page closes.
    refetchInterval: (query) => (query.state.data?.status === 'running' ? 500 : false),
  });
}
