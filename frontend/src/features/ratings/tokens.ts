// Rating tokens (RFC 9474) for lessons, idea entries and programme surveys, made and kept in
// this browser until their rating is recorded.
//
// One token per person and subject: the server signs a blinded message while it knows who asks,
// and later accepts the rating with the unblinded token from a request that carries no cookie.
// The rating waits in the service's mix and is recorded later in a shuffled batch, so this
// browser keeps the token and the rating (IndexedDB) until the anonymous receipt check says
// "committed", and sends the same rating again if the service lost it. The blinding, the
// anonymous requests, the receipts and the recovery wallet are the review tokens' own
// (features/reviews).
import { ApiError, type Problem, type Schemas } from '../../api/client';
import { receiptOf } from '../reviews/receipts';
import {
  formatCode,
  newRecoveryCode,
  openWallet,
  rememberCodeToShow,
  sealWallet,
  type WalletScope,
} from '../reviews/recovery';
import { anonymousPost, blindFresh, finaliseToken, tokenStore } from '../reviews/wallet';

const DB = 'challenge-rating-tokens';

/** Stars for a lesson or an idea; a survey's stars per question. */
export type RatingGiven = number | Record<string, number>;

export interface RatingBody {
  token: { key_id: string; prepared_message: string; signature: string };
  stars?: number;
  answers?: Record<string, number>;
  comment: string;
}

/** What a subject's signed-in read says about it: its id and key (null until it opens). */
export interface RatingManifest {
  subject_id: string;
  key: Schemas['RatingKeyOut'] | null;
}

/**
 * - unsent: the token waits for a rating;
 * - queued: the rating is kept here and the service was not reached: sent again;
 * - pending: the service holds it in its mix;
 * - committed: recorded (the token and the rating are no longer kept here).
 */
export type RatingState = 'unsent' | 'queued' | 'pending' | 'committed';

export interface RatingToken {
  /** The rated subject (a lesson's translation group, an idea entry, a survey). */
  subject_id: string;
  key_id: string;
  prepared_message: string;
  signature: string;
  state: RatingState;
  receipt?: string;
  rating?: RatingBody;
}

type ReceiptState = 'committed' | 'pending' | 'unknown';

/** A rating token as its recovery wallet carries it (the wallet's key names the subject). */
export type WalletRatingToken = Pick<RatingToken, 'key_id' | 'prepared_message' | 'signature'>;

export function ratingScope(subjectId: string): WalletScope {
  return { purpose: 'rating', id: subjectId };
}

const withStore = tokenStore(DB, 'subject_id');

export async function ratingTokenOf(subjectId: string): Promise<RatingToken | undefined> {
  return withStore('readonly', (s) => s.get(subjectId) as IDBRequest<RatingToken | undefined>);
}

async function save(token: RatingToken): Promise<void> {
  await withStore('readwrite', (s) => {
    s.put(token);
  });
}

/** Recorded: keep only that it is (no token, no rating), so the page can say so. */
function recorded(token: RatingToken): RatingToken {
  return {
    subject_id: token.subject_id,
    key_id: token.key_id,
    prepared_message: '',
    signature: '',
    state: 'committed',
  };
}

/** Blind a fresh message with the subject's key, ask for the one signature, finalise, keep. */
export async function obtainRatingToken(
  rating: RatingManifest,
  issue: (body: Schemas['RatingTokenRequest']) => Promise<Schemas['RatingTokenResponse']>,
): Promise<RatingToken> {
  if (!rating.key) throw new Error('the subject has no rating key yet');
  const blinded = await blindFresh(rating.key.spki);
  const answer = await issue({
    key_id: rating.key.key_id,
    blinded_message: blinded.blindedMessage,
  });
  const token: RatingToken = {
    subject_id: rating.subject_id,
    key_id: answer.key_id,
    ...(await finaliseToken(blinded, answer.blind_signature)),
    state: 'unsent',
  };
  await save(token);
  return token;
}

async function post(token: RatingToken, body: RatingBody): Promise<RatingToken> {
  let result: Awaited<ReturnType<typeof anonymousPost<{ state?: string } & Partial<Problem>>>>;
  try {
    result = await anonymousPost<{ state?: string } & Partial<Problem>>('/api/v1/ratings', body);
  } catch {
    return { ...token, state: 'queued' }; // unreachable: sent again by the next check
  }
  if (result.ok)
    return result.data.state === 'committed' ? recorded(token) : { ...token, state: 'pending' };
  // Spent: an earlier send of this rating was recorded (or is held with another text).
  if (result.data.code === 'token_spent') return recorded(token);
  if (result.status >= 500 || result.status === 429 || result.status === 408)
    return { ...token, state: 'queued' };
  await save({ ...token, state: 'unsent', rating: undefined });
  throw new ApiError(result.data as Problem);
}

/** Keep the rating, then send it: from this moment a crash on either side loses nothing. */
export async function sendRating(
  token: RatingToken,
  given: RatingGiven,
  comment: string,
): Promise<RatingToken> {
  const body: RatingBody = {
    token: {
      key_id: token.key_id,
      prepared_message: token.prepared_message,
      signature: token.signature,
    },
    ...(typeof given === 'number' ? { stars: given } : { answers: given }),
    comment,
  };
  const receipt = token.receipt ?? (await receiptOf(token.prepared_message));
  const kept: RatingToken = { ...token, state: 'queued', receipt, rating: body };
  await save(kept);
  const now = await post(kept, body);
  await save(now);
  return now;
}

/** What the anonymous receipt check says of one token; throws when it gets no answer. */
async function receiptState(receipt: string): Promise<ReceiptState | undefined> {
  const result = await anonymousPost<{ receipts: { receipt: string; state: ReceiptState }[] }>(
    '/api/v1/ratings/receipts',
    { receipts: [receipt] },
  );
  if (!result.ok) throw new ApiError(result.data as unknown as Problem);
  return result.data.receipts[0]?.state;
}

/** Ask whether a sent rating is recorded; send it again, identical, if the service lost it (a
 * token restored from its wallet after it was sent elsewhere has no rating here to send). */
export async function followRating(token: RatingToken): Promise<RatingToken> {
  if (!token.receipt || token.state === 'committed' || token.state === 'unsent') return token;
  let state: ReceiptState | undefined;
  try {
    state = await receiptState(token.receipt);
  } catch {
    return token;
  }
  let now = token;
  if (state === 'committed') now = recorded(token);
  else if (state === 'pending') now = { ...token, state: 'pending' };
  else if (state === 'unknown' && token.rating) now = await post(token, token.rating);
  if (now !== token) await save(now);
  return now;
}

/** Seal the token under a fresh recovery code and hand the blob to `store` (the subject's wallet
 * route): the code to show, once. Called only right after issuance, which the service sees
 * anyway: a wallet stored later would tell it that its owner had not rated by then. */
export async function storeRatingWallet(
  token: RatingToken,
  store: (blob: string) => Promise<unknown>,
): Promise<string> {
  const scope = ratingScope(token.subject_id);
  const code = newRecoveryCode();
  const held: WalletRatingToken = {
    key_id: token.key_id,
    prepared_message: token.prepared_message,
    signature: token.signature,
  };
  await store(await sealWallet(code, scope, [held]));
  const text = formatCode(code);
  rememberCodeToShow(scope, text);
  return text;
}

/** Open a subject's wallet with the code (WrongCode when it does not open it) and keep its token
 * here as the service knows it: unsent, or already used from the other browser (pending in the
 * mix, or committed). A token this browser holds already is kept as it is. */
export async function restoreRatingToken(
  subjectId: string,
  code: Uint8Array,
  blob: string,
): Promise<RatingToken> {
  const [held] = await openWallet<WalletRatingToken>(code, ratingScope(subjectId), blob);
  if (!held) throw new Error('the stored wallet holds no token');
  const here = await ratingTokenOf(subjectId);
  if (here) return here;
  const receipt = await receiptOf(held.prepared_message);
  const unsent: RatingToken = { subject_id: subjectId, ...held, state: 'unsent', receipt };
  const state = await receiptState(receipt);
  const token =
    state === 'committed'
      ? recorded(unsent)
      : state === 'pending'
        ? { ...unsent, state: 'pending' as const }
        : unsent;
  await save(token);
  return token;
}

/** What in a draft comment could identify its writer (names, e-mails, departments, …). */
export async function checkRatingComment(
  token: RatingToken,
  comment: string,
): Promise<Schemas['CommentCheck']['warnings']> {
  const result = await anonymousPost<Schemas['CommentCheck'] & Partial<Problem>>(
    '/api/v1/ratings/comment-check',
    {
      token: {
        key_id: token.key_id,
        prepared_message: token.prepared_message,
        signature: token.signature,
      },
      comment,
    },
  );
  if (!result.ok) throw new ApiError(result.data as Problem);
  return result.data.warnings;
}
