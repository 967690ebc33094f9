// useRating(lessonId): everything a lesson page needs to let its reader rate it anonymously.
//
// The token is asked for as soon as the reader has taken the lesson, not when they press Send:
// then being given a token says nothing about whether, or when, they rated (everyone who took
// the lesson gets one), and the rating is sent later from a request with no cookie.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useState } from 'react';
import { api, unwrap, type Schemas } from '../../api/client';
import {
  checkRatingComment,
  followRating,
  obtainRatingToken,
  ratingTokenOf,
  sendRating,
  type RatingToken,
} from './tokens';

/** How often the page asks about a rating the service has not recorded yet. */
export const RATING_RECEIPT_MS = 15_000;

/**
 * - loading: the lesson's rating is being read;
 * - not_taken: the reader has not taken the lesson (no notes, no quiz answer): no rating yet;
 * - ready: this browser holds the reader's token: `rate` sends;
 * - elsewhere: the token was given to this reader in another browser, which must send it;
 * - waiting: sent, held by the service until it records it with others' ratings;
 * - recorded: the rating is recorded.
 */
export type RatingPhase = 'loading' | 'not_taken' | 'ready' | 'elsewhere' | 'waiting' | 'recorded';

export const ratingKeys = {
  lesson: (lessonId: string) => ['lesson-rating', lessonId] as const,
  token: (subjectId: string) => ['lesson-rating-token', subjectId] as const,
};

function phaseOf(rating: Schemas['LessonRating'] | undefined, token: RatingToken | undefined) {
  if (!rating) return 'loading' as const;
  if (token?.state === 'committed') return 'recorded' as const;
  if (token && token.state !== 'unsent') return 'waiting' as const;
  if (token) return 'ready' as const;
  if (!rating.taken) return 'not_taken' as const;
  return rating.issued ? ('elsewhere' as const) : ('loading' as const);
}

export function useRating(lessonId: string) {
  const queryClient = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const rating = useQuery({
    queryKey: ratingKeys.lesson(lessonId),
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/library/lessons/{lesson_id}/rating', {
          params: { path: { lesson_id: lessonId } },
        }),
      ),
  });
  const subjectId = rating.data?.subject_id ?? '';
  const token = useQuery({
    queryKey: ratingKeys.token(subjectId),
    enabled: !!subjectId,
    queryFn: async () => {
      const kept = await ratingTokenOf(subjectId);
      return kept ? followRating(kept) : null;
    },
    refetchInterval: (query) =>
      query.state.data && ['queued', 'pending'].includes(query.state.data.state)
        ? RATING_RECEIPT_MS
        : false,
  });

  const data = rating.data;
  const kept = token.data ?? undefined;
  const needsToken = !!data?.key && data.taken && !data.issued && token.isSuccess && !kept;
  useEffect(() => {
    if (!needsToken || !data) return;
    let cancelled = false;
    obtainRatingToken(data, (body) =>
      unwrap(
        api.POST('/api/v1/library/lessons/{lesson_id}/rating/token', {
          params: { path: { lesson_id: lessonId } },
          body,
        }),
      ),
    )
      .then((fresh) => {
        if (!cancelled) queryClient.setQueryData(ratingKeys.token(subjectId), fresh);
      })
      .catch((reason: unknown) => !cancelled && setError(reason))
      .finally(() => void queryClient.invalidateQueries({ queryKey: ratingKeys.lesson(lessonId) }));
    return () => {
      cancelled = true;
    };
  }, [needsToken, data, lessonId, subjectId, queryClient]);

  const rate = useCallback(
    async (stars: number, comment: string) => {
      if (!kept || kept.state !== 'unsent') throw new Error('no rating token to send');
      setError(null);
      try {
        const now = await sendRating(kept, stars, comment);
        queryClient.setQueryData(ratingKeys.token(subjectId), now);
      } catch (reason) {
        setError(reason);
        await queryClient.invalidateQueries({ queryKey: ratingKeys.token(subjectId) });
        throw reason;
      }
    },
    [kept, queryClient, subjectId],
  );

  const checkComment = useCallback(
    async (comment: string) => {
      if (!kept || kept.state !== 'unsent') return [];
      return checkRatingComment(kept, comment);
    },
    [kept],
  );

  return {
    phase: phaseOf(data, kept) as RatingPhase,
    /** What is released: figures and shuffled comments once there are `release.minimum`. */
    release: data?.release,
    rate,
    checkComment,
    error: error ?? rating.error ?? token.error,
  };
}
