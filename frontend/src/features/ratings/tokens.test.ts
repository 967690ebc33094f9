import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Schemas } from '../../api/client';
import { newSigningKey, suite } from '../../test/signingKeys';
import { b64, unb64 } from '../reviews/wallet';
import {
  checkRatingComment,
  followRating,
  obtainRatingToken,
  ratingTokenOf,
  sendRating,
  type RatingToken,
} from './tokens';

// One key for every test: making an RSA key takes seconds here.
let shared: ReturnType<typeof makeKey> | undefined;
function lessonKey() {
  shared ??= makeKey();
  return shared;
}

async function makeKey() {
  const { pair, spki } = await newSigningKey();
  return { pair, key: { key_id: 'k'.repeat(64), jwk: {}, spki } };
}

function lessonRating(subject_id: string, key: Schemas['RatingKeyOut']): Schemas['LessonRating'] {
  return {
    subject_id,
    key,
    taken: true,
    issued: false,
    release: {
      state: 'fewer_than_minimum',
      minimum: 5,
      count: null,
      mean: null,
      distribution: {},
      comments: [],
    },
  };
}

/** Answers anonymous requests in turn; records what was sent, and how. */
function service(...answers: { status: number; body: unknown }[]) {
  const sent: { url: string; init: RequestInit; body: Record<string, unknown> }[] = [];
  const fetchMock = vi.fn(async (url: string, init: RequestInit) => {
    sent.push({ url, init, body: JSON.parse(String(init.body)) });
    const answer = answers.shift() ?? { status: 500, body: {} };
    return new Response(JSON.stringify(answer.body), { status: answer.status });
  });
  vi.stubGlobal('fetch', fetchMock);
  return sent;
}

afterEach(() => vi.unstubAllGlobals());

async function issued(subject: string): Promise<RatingToken> {
  const { pair, key } = await lessonKey();
  return obtainRatingToken(lessonRating(subject, key), async (body) => ({
    key_id: body.key_id,
    blind_signature: b64(await suite.blindSign(pair.privateKey, unb64(body.blinded_message))),
  }));
}

describe('lesson rating tokens', { timeout: 60_000 }, () => {
  it('makes a token the lesson key verifies, signed blind, and keeps it here', async () => {
    const { pair, key } = await lessonKey();
    let seen = '';
    const token = await obtainRatingToken(lessonRating('group-1', key), async (body) => {
      seen = body.blinded_message;
      return {
        key_id: body.key_id,
        blind_signature: b64(await suite.blindSign(pair.privateKey, unb64(body.blinded_message))),
      };
    });
    expect(token.state).toBe('unsent');
    // The server saw a blinded message, never the token's message or signature.
    expect(seen).not.toBe(token.prepared_message);
    await expect(
      suite.verify(pair.publicKey, unb64(token.signature), unb64(token.prepared_message)),
    ).resolves.toBe(true);
    expect(await ratingTokenOf('group-1')).toEqual(token);
  });

  it('sends the rating without credentials, keeps it until recorded, resends if lost', async () => {
    const token = await issued('group-2');
    const sent = service(
      { status: 202, body: { state: 'pending', receipt: 'r' } },
      { status: 200, body: { receipts: [{ receipt: 'r', state: 'unknown' }] } },
      { status: 202, body: { state: 'pending', receipt: 'r' } },
      { status: 200, body: { receipts: [{ receipt: 'r', state: 'committed' }] } },
    );
    const pending = await sendRating(token, 4, 'Clear and short.');
    expect(pending.state).toBe('pending');
    expect(sent[0]!.url).toBe('/api/v1/ratings');
    expect(sent[0]!.init.credentials).toBe('omit');
    expect(sent[0]!.body).toEqual({
      token: {
        key_id: token.key_id,
        prepared_message: token.prepared_message,
        signature: token.signature,
      },
      stars: 4,
      comment: 'Clear and short.',
    });
    // Kept, with its receipt, while the service only holds it.
    expect((await ratingTokenOf('group-2'))?.rating?.stars).toBe(4);

    // The service lost it (a restart): the same rating goes again.
    const again = await followRating(pending);
    expect(sent[1]!.url).toBe('/api/v1/ratings/receipts');
    expect(sent[1]!.body).toEqual({ receipts: [pending.receipt] });
    expect(sent[2]!.body).toEqual(sent[0]!.body);
    expect(again.state).toBe('pending');

    const done = await followRating(again);
    expect(done.state).toBe('committed');
    // Recorded: neither the token nor the rating is kept any more.
    expect(await ratingTokenOf('group-2')).toEqual({
      subject_id: 'group-2',
      key_id: token.key_id,
      prepared_message: '',
      signature: '',
      state: 'committed',
    });
  });

  it('queues a rating the service could not take, and frees a refused token', async () => {
    const token = await issued('group-3');
    service({ status: 503, body: {} });
    expect((await sendRating(token, 5, '')).state).toBe('queued');

    service({ status: 401, body: { code: 'invalid_token', title: 'no', status: 401 } });
    await expect(sendRating(token, 5, '')).rejects.toMatchObject({ code: 'invalid_token' });
    expect((await ratingTokenOf('group-3'))?.state).toBe('unsent');
  });

  it('asks the anonymous comment check with the unspent token', async () => {
    const token = await issued('group-4');
    const warning = { kind: 'email', text: 'a@b.org', start: 0, end: 7 };
    const sent = service({ status: 200, body: { warnings: [warning] } });
    expect(await checkRatingComment(token, 'a@b.org says hi')).toEqual([warning]);
    expect(sent[0]!.url).toBe('/api/v1/ratings/comment-check');
    expect(sent[0]!.init.credentials).toBe('omit');
  });
});
