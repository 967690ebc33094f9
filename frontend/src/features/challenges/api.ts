// Challenges: the list, one challenge (as its participants or its facilitators see it).
import { useQuery } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '../../api/client';

type Phase = Schemas['ChallengeSummary']['phase'];

export const challengeKeys = {
  list: (phase: Phase | null, mine: boolean) => ['challenges', phase ?? '', mine] as const,
  /** The facilitator's own challenges. */
  mine: () => ['challenges', 'mine'] as const,
  detail: (challengeId: string | undefined) => ['challenge', challengeId] as const,
  /** One's own enrolment: handle, skills, team. */
  enrolment: (challengeId: string) => ['enrolment', challengeId] as const,
};

export type ChallengeDetail = Schemas['Challenge'] | Schemas['ChallengePublic'];

export function useChallenges(phase: Phase | null, mine: boolean) {
  return useQuery({
    queryKey: challengeKeys.list(phase, mine),
    queryFn: () => unwrap(api.GET('/api/v1/challenges', { params: { query: { phase, mine } } })),
  });
}

/** The challenges a facilitator runs. */
export function useMyChallenges() {
  return useQuery({
    queryKey: challengeKeys.mine(),
    queryFn: () => unwrap(api.GET('/api/v1/challenges', { params: { query: { mine: true } } })),
  });
}

export function useChallenge(challengeId: string) {
  return useQuery({
    queryKey: challengeKeys.detail(challengeId),
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/challenges/{challenge_id}', {
          params: { path: { challenge_id: challengeId } },
        }),
      ),
  });
}

/** One's skills in a challenge one has joined (`enabled` once the challenge says so). */
export function useEnrolment(challengeId: string, enabled: boolean) {
  return useQuery({
    queryKey: challengeKeys.enrolment(challengeId),
    enabled,
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/challenges/{challenge_id}/enrolment', {
          params: { path: { challenge_id: challengeId } },
        }),
      ),
  });
}
