// Reviews: the round (its keys), what there is to review, the tokens issued to this person, the
// wallet kept in this browser, the results and the reviews a team received.
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import { checkReceipts, isWaiting, RECEIPT_CHECK_MS } from './receipts';
import { tokensOf } from './wallet';

export const reviewKeys = {
  manifest: (challengeId: string) => ['manifest', challengeId] as const,
  toReview: (challengeId: string) => ['to-review', challengeId] as const,
  issuance: (challengeId: string) => ['issuance', challengeId] as const,
  wallet: (roundId: string) => ['wallet', roundId] as const,
  results: (challengeId: string) => ['results', challengeId] as const,
  teamReviews: (teamId: string | null | undefined) => ['team-reviews', teamId] as const,
};

const path = (challengeId: string) => ({ params: { path: { challenge_id: challengeId } } });

export function useManifest(challengeId: string) {
  return useQuery({
    queryKey: reviewKeys.manifest(challengeId),
    queryFn: () =>
      unwrap(api.GET('/api/v1/challenges/{challenge_id}/review-round', path(challengeId))),
  });
}

export function useSubmissionsToReview(challengeId: string) {
  return useQuery({
    queryKey: reviewKeys.toReview(challengeId),
    queryFn: () =>
      unwrap(api.GET('/api/v1/challenges/{challenge_id}/submissions', path(challengeId))),
  });
}

export function useIssuance(challengeId: string) {
  return useQuery({
    queryKey: reviewKeys.issuance(challengeId),
    queryFn: () =>
      unwrap(api.GET('/api/v1/challenges/{challenge_id}/review-round/tokens', path(challengeId))),
  });
}

/** The tokens this browser holds for a round. On load, and every RECEIPT_CHECK_MS while a review
 * this browser sent is not yet recorded: ask for its receipt, and send it again if the service
 * lost it. */
export function useWallet(roundId: string, roundOpen: boolean) {
  return useQuery({
    queryKey: reviewKeys.wallet(roundId),
    enabled: !!roundId,
    queryFn: async () => {
      await checkReceipts(roundId, roundOpen);
      return tokensOf(roundId);
    },
    refetchInterval: (query) =>
      (query.state.data ?? []).some(isWaiting) ? RECEIPT_CHECK_MS : false,
    refetchIntervalInBackground: true,
  });
}

export function useResults(challengeId: string) {
  return useQuery({
    queryKey: reviewKeys.results(challengeId),
    queryFn: () => unwrap(api.GET('/api/v1/challenges/{challenge_id}/results', path(challengeId))),
  });
}

/** The reviews the person's team received (none while the team is unknown). */
export function useTeamReviews(teamId: string | null | undefined) {
  return useQuery({
    queryKey: reviewKeys.teamReviews(teamId),
    enabled: !!teamId,
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/teams/{team_id}/reviews', { params: { path: { team_id: teamId ?? '' } } }),
      ),
  });
}
