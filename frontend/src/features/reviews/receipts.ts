// Sending reviews and following them until they are recorded.
//
// The service keeps an accepted review in memory (its mix) and records it later, in a shuffled
// batch with others' reviews, so that the database's order says nothing about who wrote what.
// What it holds in memory is lost if it restarts: this browser keeps each review it sent
// (in IndexedDB, with its token) until the anonymous receipt check says "committed", and sends
// it again, identical, when the check says "unknown" while the round is open.
import { ApiError, type Problem } from '../../api/client';
import {
  anonymousPost,
  recorded,
  saveTokens,
  tokensOf,
  unb64,
  type ReviewBody,
  type Token,
  type WalletToken,
} from './wallet';

type ReceiptState = 'committed' | 'pending' | 'unknown';

/** How often an open review page asks about reviews the service has not recorded yet. */
export const RECEIPT_CHECK_MS = 15_000;
const RECEIPTS_PER_REQUEST = 100;

// One change at a time: a send and a receipt check must not overwrite each other's outcome.
let queue: Promise<unknown> = Promise.resolve();
function serially<T>(work: () => Promise<T>): Promise<T> {
  const next = queue.then(work, work);
  queue = next.catch(() => undefined);
  return next;
}

/** The receipt of a token: lowercase hex SHA-256 of its prepared message's bytes. */
export async function receiptOf(preparedMessage: string): Promise<string> {
  const digest = new Uint8Array(
    await crypto.subtle.digest('SHA-256', unb64(preparedMessage) as BufferSource),
  );
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function reviewBody(
  token: Token,
  scores: Record<string, number>,
  comment: string,
): ReviewBody {
  return {
    token: {
      key_id: token.key_id,
      prepared_message: token.prepared_message,
      signature: token.signature,
    },
    submission_id: token.submission_id,
    scores,
    comment,
  };
}

/** Post one review; returns the token as it now stands. A refusal that sending again cannot
 * change (an invalid token, scores that do not fit, a closed round) throws an ApiError after
 * putting the token back, or marking it lost. */
async function post(token: Token, review: ReviewBody, roundOpen: boolean): Promise<Token> {
  let result: Awaited<ReturnType<typeof anonymousPost<{ state?: string } & Partial<Problem>>>>;
  try {
    result = await anonymousPost<{ state?: string } & Partial<Problem>>('/api/v1/reviews', review);
  } catch {
    return { ...token, state: 'queued' }; // unreachable: sent again by the next check
  }
  if (result.ok)
    return result.data.state === 'committed' ? recorded(token) : { ...token, state: 'pending' };
  // Spent: recorded already (an earlier send of this review, or this token used on another
  // device), or held by the mix with another review from that device.
  if (result.data.code === 'token_spent') return recorded(token);
  if (result.status >= 500 || result.status === 429 || result.status === 408)
    return { ...token, state: 'queued' };
  const refusal = new ApiError(result.data as Problem);
  if (result.data.code === 'round_closed' || !roundOpen) {
    await saveTokens([{ ...token, state: 'lost', review: undefined }]);
  } else {
    await saveTokens([{ ...token, state: 'unsent', review: undefined }]);
  }
  throw refusal;
}

/** Keep the review, then send it: from this moment, a crash on either side loses nothing. */
export function sendReview(token: Token, review: ReviewBody): Promise<Token> {
  return serially(async () => {
    const receipt = token.receipt ?? (await receiptOf(token.prepared_message));
    const kept: Token = { ...token, state: 'queued', receipt, review };
    await saveTokens([kept]);
    const now = await post(kept, review, true);
    await saveTokens([now]);
    return now;
  });
}

async function askReceipts(receipts: string[]): Promise<Map<string, ReceiptState> | null> {
  const states = new Map<string, ReceiptState>();
  for (let i = 0; i < receipts.length; i += RECEIPTS_PER_REQUEST) {
    try {
      const result = await anonymousPost<{ receipts: { receipt: string; state: ReceiptState }[] }>(
        '/api/v1/reviews/receipts',
        {
          receipts: receipts.slice(i, i + RECEIPTS_PER_REQUEST),
        },
      );
      if (!result.ok) return null;
      result.data.receipts.forEach((r) => states.set(r.receipt, r.state));
    } catch {
      return null;
    }
  }
  return states;
}

/** Where each token stands after a receipt check; unknown reviews are sent again. */
async function settle(
  tokens: Token[],
  states: Map<string, ReceiptState>,
  roundOpen: boolean,
): Promise<Token[]> {
  const changed: Token[] = [];
  for (const token of tokens) {
    const state = token.receipt ? states.get(token.receipt) : undefined;
    if (!state) continue;
    if (state === 'committed') {
      changed.push(recorded(token));
    } else if (state === 'pending') {
      if (token.state !== 'pending') changed.push({ ...token, state: 'pending' });
    } else if (token.review && roundOpen) {
      // The service holds nothing for it (never arrived, or lost in a restart): again, identical.
      try {
        changed.push(await post(token, token.review, roundOpen));
      } catch {
        // post() already put the token back (or marked it lost); the page shows it.
      }
    } else if (token.review) {
      changed.push({ ...token, state: 'lost', review: undefined });
    } else if (token.state !== 'unsent') {
      // Sent from another device and since lost there: this browser has no text to send, the
      // token is free again (if the other device sends it later, the first to arrive counts).
      changed.push({ ...token, state: 'unsent' });
    }
  }
  if (changed.length) await saveTokens(changed);
  return changed;
}

/** The receipt check of an open review page (on load, then every RECEIPT_CHECK_MS while some
 * review is not recorded): only for reviews this browser sent. */
export function checkReceipts(roundId: string, roundOpen: boolean): Promise<void> {
  return serially(async () => {
    if (!roundOpen) return;
    const waiting = (await tokensOf(roundId)).filter(
      (t) => (t.state === 'queued' || t.state === 'pending') && t.receipt,
    );
    if (waiting.length === 0) return;
    const states = await askReceipts(waiting.map((t) => t.receipt as string));
    if (states) await settle(waiting, states, roundOpen);
  });
}

export function isWaiting(token: Token): boolean {
  return token.state === 'queued' || token.state === 'pending';
}

/** Tokens opened from a recovery wallet: kept here, then one receipt check says which reviews
 * were already sent from the other device (recorded, or still in the mix). */
export function adoptRecovered(roundId: string, recovered: WalletToken[]): Promise<void> {
  return serially(async () => {
    const here = new Map((await tokensOf(roundId)).map((t) => [t.submission_id, t]));
    const fresh: Token[] = [];
    for (const w of recovered) {
      if (here.has(w.submission_id)) continue;
      fresh.push({
        ...w,
        round_id: roundId,
        state: 'unsent',
        receipt: await receiptOf(w.prepared_message),
      });
    }
    if (fresh.length === 0) return;
    await saveTokens(fresh);
    const states = await askReceipts(fresh.map((t) => t.receipt as string));
    if (!states) return;
    const changed = fresh.flatMap((t): Token[] => {
      const state = states.get(t.receipt as string);
      if (state === 'committed') return [recorded(t)];
      if (state === 'pending') return [{ ...t, state: 'pending' }];
      return [];
    });
    if (changed.length) await saveTokens(changed);
  });
}
