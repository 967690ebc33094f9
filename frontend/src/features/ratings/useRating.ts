// useRating(lessonId), useIdeaRating(entryId), useSurveyAnswer(programmeId, point): everything
// a page needs to let its reader rate a subject anonymously (one hook, `useSubjectRating`,
// under all three).
//
// The token is asked for as soon as the reader may rate (took the lesson, is not of the idea's
// team, is in one of the programme's pairs), not when they press Send: then being given a token
// says nothing about whether, or when, they rated (everyone who may rate gets one), and the
// rating is sent later from a request with no cookie.
//
// A lesson's or an idea's token is also sealed under a recovery code right after it is issued
// and stored on the server (its wallet), so that the reader can rate from another browser:
// there the panel asks for the code, opens the wallet and keeps the token.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, unwrap, type Schemas } from '../../api/client';
import { codeToShow, forgetCodeToShow } from '../reviews/recovery';
import {
  checkRatingComment,
  followRating,
  obtainRatingToken,
  ratingScope,
  ratingTokenOf,
  restoreRatingToken,
  sendRating,
  storeRatingWallet,
  type RatingGiven,
  type RatingManifest,
  type RatingToken,
} from './tokens';

/** How often the page asks about a rating the service has not recorded yet. */
export const RATING_RECEIPT_MS = 15_000;

/**
 * - loading: the subject's rating is being read;
 * - not_open: the subject has no rating key yet (a survey its lead has not opened);
 * - not_taken: the reader may not rate it (a lesson not taken, an idea of their own team, a
 *   programme they are in no pair of);
 * - ready: this browser holds the reader's token: `rate` sends;
 * - elsewhere: the token was given to this reader in another browser, which must send it;
 * - waiting: sent, held by the service until it records it with others' ratings;
 * - recorded: the rating is recorded.
 */
export type RatingPhase =
  'loading' | 'not_open' | 'not_taken' | 'ready' | 'elsewhere' | 'waiting' | 'recorded';

export const ratingKeys = {
  lesson: (lessonId: string) => ['lesson-rating', lessonId] as const,
  idea: (entryId: string) => ['idea-rating', entryId] as const,
  survey: (programmeId: string, point: string) => ['survey', programmeId, point] as const,
  token: (subjectId: string) => ['lesson-rating-token', subjectId] as const,
};

interface Manifest extends RatingManifest {
  issued: boolean;
}

/** Where a subject's rating is read and its token asked for, and who may rate it. */
export interface RatingSource<M extends Manifest> {
  queryKey: readonly unknown[];
  read: () => Promise<M>;
  issue: (body: Schemas['RatingTokenRequest']) => Promise<Schemas['RatingTokenResponse']>;
  mayRate: (manifest: M) => boolean;
  /** Where the reader's sealed token is stored and read back (lessons and ideas have one). */
  wallet?: RatingWalletRoutes;
}

export interface RatingWalletRoutes {
  store: (blob: string) => Promise<unknown>;
  read: () => Promise<{ blob: string }>;
}

/**
 * What a panel shows of the recovery wallet:
 * - shownCode: the code to write down, until the reader says they saved it (`codeSaved`);
 * - restore: open the wallet with a typed code (WrongCode when it does not open it);
 * - restored: what the last restore found: a token to rate with, or one already used from the
 *   other browser.
 */
export interface RatingWallet {
  shownCode: string | null;
  codeSaved: () => void;
  restore: (code: Uint8Array) => Promise<void>;
  restored: 'ready' | 'spent' | null;
}

function phaseOf<M extends Manifest>(
  rating: M | undefined,
  token: RatingToken | undefined,
  mayRate: (manifest: M) => boolean,
) {
  if (!rating) return 'loading' as const;
  if (token?.state === 'committed') return 'recorded' as const;
  if (token && token.state !== 'unsent') return 'waiting' as const;
  if (token) return 'ready' as const;
  if (!rating.key) return 'not_open' as const;
  if (!mayRate(rating)) return 'not_taken' as const;
  return rating.issued ? ('elsewhere' as const) : ('loading' as const);
}

export function useRating(lessonId: string) {
  const rating = useSubjectRating({
    queryKey: ratingKeys.lesson(lessonId),
    read: () =>
      unwrap(
        api.GET('/api/v1/library/lessons/{lesson_id}/rating', {
          params: { path: { lesson_id: lessonId } },
        }),
      ),
    issue: (body) =>
      unwrap(
        api.POST('/api/v1/library/lessons/{lesson_id}/rating/token', {
          params: { path: { lesson_id: lessonId } },
          body,
        }),
      ),
    mayRate: (manifest) => manifest.taken,
    wallet: {
      store: (blob) =>
        unwrap(
          api.PUT('/api/v1/library/lessons/{lesson_id}/rating/wallet', {
            params: { path: { lesson_id: lessonId } },
            body: { blob },
          }),
        ),
      read: () =>
        unwrap(
          api.GET('/api/v1/library/lessons/{lesson_id}/rating/wallet', {
            params: { path: { lesson_id: lessonId } },
          }),
        ),
    },
  });
  return {
    ...rating,
    /** What is released: figures and shuffled comments once there are `release.minimum`. */
    release: rating.manifest?.release,
    rate: (stars: number, comment: string) => rating.rate(stars, comment),
  };
}

export function useIdeaRating(entryId: string) {
  const rating = useSubjectRating({
    queryKey: ratingKeys.idea(entryId),
    read: () =>
      unwrap(
        api.GET('/api/v1/ideas/{entry_id}/rating', { params: { path: { entry_id: entryId } } }),
      ),
    issue: (body) =>
      unwrap(
        api.POST('/api/v1/ideas/{entry_id}/rating/token', {
          params: { path: { entry_id: entryId } },
          body,
        }),
      ),
    mayRate: (manifest) => manifest.may_rate,
    wallet: {
      store: (blob) =>
        unwrap(
          api.PUT('/api/v1/ideas/{entry_id}/rating/wallet', {
            params: { path: { entry_id: entryId } },
            body: { blob },
          }),
        ),
      read: () =>
        unwrap(
          api.GET('/api/v1/ideas/{entry_id}/rating/wallet', {
            params: { path: { entry_id: entryId } },
          }),
        ),
    },
  });
  return {
    ...rating,
    /** What is released: figures and shuffled comments once there are `release.minimum`. */
    release: rating.manifest?.release,
    rate: (stars: number, comment: string) => rating.rate(stars, comment),
  };
}

export type SurveyPoint = Schemas['FeedbackSurvey']['point'];

/** A programme's survey, answered by the members of its accepted pairs. */
export function useSurveyAnswer(programmeId: string, point: SurveyPoint) {
  const answer = useSubjectRating({
    queryKey: ratingKeys.survey(programmeId, point),
    read: async () => {
      const surveys = await unwrap(
        api.GET('/api/v1/programmes/{programme_id}/feedback', {
          params: { path: { programme_id: programmeId } },
        }),
      );
      const found = surveys.find((survey) => survey.point === point);
      if (!found) throw new Error(`no ${point} survey`);
      return found;
    },
    issue: (body) =>
      unwrap(
        api.POST('/api/v1/programmes/{programme_id}/feedback/{point}/token', {
          params: { path: { programme_id: programmeId, point } },
          body,
        }),
      ),
    // A closed survey signs no more tokens: none is asked for.
    mayRate: (manifest) => manifest.member && !manifest.closed,
  });
  return {
    ...answer,
    answer: (answers: Record<string, number>, comment: string) => answer.rate(answers, comment),
  };
}

export function useSubjectRating<M extends Manifest>(source: RatingSource<M>) {
  const queryClient = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const { queryKey, read, issue, mayRate } = source;
  const hasWallet = !!source.wallet;
  const rating = useQuery({ queryKey, queryFn: read });
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
  const needsToken = !!data?.key && mayRate(data) && !data.issued && token.isSuccess && !kept;
  // The source is rebuilt on every render; what it reads and asks is fixed by its query key.
  const issueRef = useRef(issue);
  const walletRef = useRef(source.wallet);
  useEffect(() => {
    issueRef.current = issue;
    walletRef.current = source.wallet;
  });
  // The code to write down, kept by this tab until the reader says they saved it: read again
  // whenever the subject changes (while rendering, not in an effect).
  const [shown, setShown] = useState<{ subjectId: string; code: string | null }>({
    subjectId: '',
    code: null,
  });
  const [restored, setRestored] = useState<RatingWallet['restored']>(null);
  if (subjectId && shown.subjectId !== subjectId) {
    setShown({ subjectId, code: codeToShow(ratingScope(subjectId)) });
    setRestored(null);
  }
  const keyText = JSON.stringify(queryKey);
  // One request for a subject's token at a time: a refetch that re-runs the effect while the
  // first is under way would ask twice, and the second answer (already issued) would hide the
  // token the first one kept.
  const asking = useRef<string | null>(null);
  useEffect(() => {
    if (!needsToken || !data || asking.current === subjectId) return;
    asking.current = subjectId;
    obtainRatingToken(data, (body) => issueRef.current(body))
      .then(async (fresh) => {
        // Kept in this browser already: shown even if the page moved on meanwhile.
        queryClient.setQueryData(ratingKeys.token(fresh.subject_id), fresh);
        const wallet = walletRef.current;
        if (!wallet) return;
        const code = await storeRatingWallet(fresh, wallet.store);
        setShown({ subjectId: fresh.subject_id, code });
      })
      .catch((reason: unknown) => setError(reason))
      .finally(() => {
        asking.current = null;
        void queryClient.invalidateQueries({ queryKey: JSON.parse(keyText) as unknown[] });
      });
  }, [needsToken, data, keyText, subjectId, queryClient]);

  const rate = useCallback(
    async (given: RatingGiven, comment: string) => {
      if (!kept || kept.state !== 'unsent') throw new Error('no rating token to send');
      setError(null);
      try {
        const now = await sendRating(kept, given, comment);
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

  const codeSaved = useCallback(() => {
    forgetCodeToShow(ratingScope(subjectId));
    setShown({ subjectId, code: null });
  }, [subjectId]);

  const restore = useCallback(
    async (code: Uint8Array) => {
      const wallet = walletRef.current;
      if (!wallet || !subjectId) return;
      const { blob } = await wallet.read();
      const token = await restoreRatingToken(subjectId, code, blob);
      queryClient.setQueryData(ratingKeys.token(subjectId), token);
      setRestored(token.state === 'unsent' ? 'ready' : 'spent');
    },
    [queryClient, subjectId],
  );

  const wallet: RatingWallet | undefined = hasWallet
    ? { shownCode: shown.subjectId === subjectId ? shown.code : null, codeSaved, restore, restored }
    : undefined;

  return {
    phase: phaseOf(data, kept, mayRate) as RatingPhase,
    wallet,
    /** What the subject's read said (a lesson's or an idea's has its release). */
    manifest: data,
    rate,
    checkComment,
    error: error ?? rating.error ?? token.error,
  };
}
