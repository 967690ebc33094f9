import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IDBFactory } from 'fake-indexeddb';
import { ApiError } from '../../api/client';
import { parseCode, WrongCode } from '../reviews/recovery';
import { b64, unb64 } from '../reviews/wallet';
import { newSigningKey, suite } from '../../test/signingKeys';
import { useRating, useSurveyAnswer } from './useRating';

// The signed-in requests go through the API client, the anonymous ones through `fetch`: both
// are answered here, by method and path, and recorded with the credentials they carry.
const net = vi.hoisted(() => ({
  routes: new Map<string, (body: unknown) => Promise<{ status: number; body: unknown }>>(),
  seen: [] as { method: string; path: string; credentials: string }[],
}));

async function answer(method: string, path: string, body: unknown, credentials: string) {
  net.seen.push({ method, path, credentials });
  const route = net.routes.get(`${method} ${path}`);
  return route ? route(body) : { status: 404, body: { code: 'not_found', status: 404 } };
}

vi.mock('../../api/client', async (original) => {
  const actual = await original<typeof import('../../api/client')>();
  const call =
    (method: string) =>
    async (
      template: string,
      options: { params: { path: Record<string, string> }; body?: unknown },
    ) => {
      const path = Object.entries(options.params.path).reduce(
        (text, [name, value]) => text.replace(`{${name}}`, value),
        template,
      );
      const result = await answer(method, path, options.body ?? null, 'same-origin');
      const ok = result.status < 400;
      return {
        data: ok ? result.body : undefined,
        error: ok ? undefined : result.body,
        response: new Response(null, { status: result.status }),
      };
    };
  return { ...actual, api: { GET: call('GET'), POST: call('POST'), PUT: call('PUT') } };
});

beforeEach(() => {
  vi.stubGlobal('fetch', async (path: string, init: RequestInit) => {
    const result = await answer(
      init.method ?? 'GET',
      path,
      JSON.parse(String(init.body)),
      String(init.credentials),
    );
    return new Response(JSON.stringify(result.body), { status: result.status });
  });
});
afterEach(() => vi.unstubAllGlobals());

const LESSON = '/api/v1/library/lessons/lesson-1/rating';
/** A subject with fewer ratings than the minimum: nothing released yet. */
const NOT_YET_RELEASED = {
  state: 'fewer_than_minimum',
  minimum: 5,
  count: null,
  mean: null,
  distribution: {},
  comments: [],
};

function wrapper({ children }: { children: ReactNode }) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}

describe('useRating', { timeout: 60_000 }, () => {
  it('gets the token once the lesson is taken, then rates without credentials', async () => {
    const { pair, spki } = await newSigningKey();
    let issued = false;
    net.routes.set(`GET ${LESSON}`, async () => ({
      status: 200,
      body: {
        subject_id: 'group-hook',
        key: { key_id: 'k'.repeat(64), jwk: {}, spki },
        taken: true,
        issued,
        release: NOT_YET_RELEASED,
      },
    }));
    net.routes.set(`POST ${LESSON}/token`, async (body) => {
      issued = true;
      const { key_id, blinded_message } = body as { key_id: string; blinded_message: string };
      const signed = await suite.blindSign(pair.privateKey, unb64(blinded_message));
      return { status: 200, body: { key_id, blind_signature: b64(signed) } };
    });
    net.routes.set('POST /api/v1/ratings', async () => ({
      status: 202,
      body: { state: 'pending', receipt: 'r' },
    }));

    const { result } = renderHook(() => useRating('lesson-1'), { wrapper });
    // Asked for as soon as the lesson is taken, before anything is rated.
    await waitFor(() => expect(result.current.phase).toBe('ready'), { timeout: 30_000 });
    expect(issued).toBe(true);
    expect(result.current.release?.state).toBe('fewer_than_minimum');

    await act(() => result.current.rate(5, 'Short and clear.'));
    await waitFor(() => expect(result.current.phase).toBe('waiting'));
    const token = net.seen.find((s) => s.path === `${LESSON}/token`);
    const rating = net.seen.find((s) => s.path === '/api/v1/ratings');
    expect(token?.credentials).toBe('same-origin');
    expect(rating?.credentials).toBe('omit');
  });

  it('seals the token under a code shown once; another browser rates with it after the code', async () => {
    const { pair, spki } = await newSigningKey();
    const PATH = '/api/v1/library/lessons/lesson-3/rating';
    let issued = false;
    let stored: string | null = null;
    let receiptState = 'unknown';
    const sent: { token: { signature: string } }[] = [];
    net.routes.set(`GET ${PATH}`, async () => ({
      status: 200,
      body: {
        subject_id: 'group-wallet',
        key: { key_id: 'k'.repeat(64), jwk: {}, spki },
        taken: true,
        issued,
        release: NOT_YET_RELEASED,
      },
    }));
    net.routes.set(`POST ${PATH}/token`, async (body) => {
      issued = true;
      const { key_id, blinded_message } = body as { key_id: string; blinded_message: string };
      const signed = await suite.blindSign(pair.privateKey, unb64(blinded_message));
      return { status: 200, body: { key_id, blind_signature: b64(signed) } };
    });
    net.routes.set(`PUT ${PATH}/wallet`, async (body) => {
      stored = (body as { blob: string }).blob;
      return { status: 200, body: {} };
    });
    net.routes.set(`GET ${PATH}/wallet`, async () =>
      stored
        ? { status: 200, body: { blob: stored } }
        : { status: 404, body: { code: 'rating_wallet_not_found', status: 404 } },
    );
    net.routes.set('POST /api/v1/ratings/receipts', async (body) => ({
      status: 200,
      body: {
        receipts: (body as { receipts: string[] }).receipts.map((receipt) => ({
          receipt,
          state: receiptState,
        })),
      },
    }));
    net.routes.set('POST /api/v1/ratings', async (body) => {
      sent.push(body as (typeof sent)[number]);
      return { status: 202, body: { state: 'pending', receipt: 'r' } };
    });
    const anotherBrowser = () => {
      vi.stubGlobal('indexedDB', new IDBFactory());
      sessionStorage.clear();
    };

    // No wallet stored yet: restoring says so with the service's code.
    anotherBrowser();
    issued = true;
    const early = renderHook(() => useRating('lesson-3'), { wrapper });
    await waitFor(() => expect(early.result.current.phase).toBe('elsewhere'));
    const anyCode = parseCode('0'.repeat(26)) as Uint8Array;
    const none = await early.result.current.wallet?.restore(anyCode).catch((e: unknown) => e);
    expect(none).toBeInstanceOf(ApiError);
    expect((none as ApiError).code).toBe('rating_wallet_not_found');
    early.unmount();
    issued = false;

    // The first browser: the token, its sealed copy, and the code to write down.
    anotherBrowser();
    const first = renderHook(() => useRating('lesson-3'), { wrapper });
    await waitFor(() => expect(first.result.current.wallet?.shownCode).toBeTruthy(), {
      timeout: 30_000,
    });
    expect(first.result.current.phase).toBe('ready');
    const code = first.result.current.wallet?.shownCode as string;
    expect(code).toMatch(/^([0-9A-Z]{4}-){6}[0-9A-Z]{2}$/);
    expect(stored).not.toBeNull();
    expect(stored).not.toContain(code);
    const put = net.seen.find((s) => s.method === 'PUT' && s.path === `${PATH}/wallet`);
    expect(put?.credentials).toBe('same-origin');
    // Shown until the reader says they saved it, and still there after a reload of the tab.
    first.unmount();
    const reloaded = renderHook(() => useRating('lesson-3'), { wrapper });
    await waitFor(() => expect(reloaded.result.current.wallet?.shownCode).toBe(code));
    act(() => reloaded.result.current.wallet?.codeSaved());
    expect(reloaded.result.current.wallet?.shownCode).toBeNull();
    reloaded.unmount();

    // Another browser: a wrong code does not open the wallet; the right one gives the token.
    anotherBrowser();
    const second = renderHook(() => useRating('lesson-3'), { wrapper });
    await waitFor(() => expect(second.result.current.phase).toBe('elsewhere'));
    const wrong = parseCode((code[0] === '0' ? '1' : '0') + code.slice(1)) as Uint8Array;
    await expect(second.result.current.wallet?.restore(wrong)).rejects.toBeInstanceOf(WrongCode);
    expect(second.result.current.phase).toBe('elsewhere');
    await act(() => second.result.current.wallet?.restore(parseCode(code) as Uint8Array));
    await waitFor(() => expect(second.result.current.phase).toBe('ready'));
    expect(second.result.current.wallet?.restored).toBe('ready');
    await act(() => second.result.current.rate(4, ''));
    await waitFor(() => expect(second.result.current.phase).toBe('waiting'));
    expect(sent).toHaveLength(1);
    expect(net.seen.filter((s) => s.path === '/api/v1/ratings').at(-1)?.credentials).toBe('omit');
    second.unmount();

    // A third browser, once that rating is recorded: the token is spent, and says so.
    receiptState = 'committed';
    anotherBrowser();
    const third = renderHook(() => useRating('lesson-3'), { wrapper });
    await waitFor(() => expect(third.result.current.phase).toBe('elsewhere'));
    await act(() => third.result.current.wallet?.restore(parseCode(code) as Uint8Array));
    await waitFor(() => expect(third.result.current.phase).toBe('recorded'));
    expect(third.result.current.wallet?.restored).toBe('spent');
    expect(sent).toHaveLength(1);
  });

  it('says when the lesson is not taken yet, and asks for no token', async () => {
    net.routes.set('GET /api/v1/library/lessons/lesson-2/rating', async () => ({
      status: 200,
      body: {
        subject_id: 'group-untaken',
        key: { key_id: 'k'.repeat(64), jwk: {}, spki: '' },
        taken: false,
        issued: false,
        release: {
          state: 'released',
          minimum: 5,
          count: 6,
          mean: 4.2,
          distribution: { '1': 0, '2': 0, '3': null, '4': null, '5': null },
          comments: ['Useful.'],
        },
      },
    }));
    const { result } = renderHook(() => useRating('lesson-2'), { wrapper });
    await waitFor(() => expect(result.current.phase).toBe('not_taken'));
    expect(result.current.release?.comments).toEqual(['Useful.']);
    expect(net.seen.some((s) => s.path === '/api/v1/library/lessons/lesson-2/rating/token')).toBe(
      false,
    );
  });
  it("answers a programme's survey: a token for a member, every question sent anonymously", async () => {
    const { pair, spki } = await newSigningKey();
    const FEEDBACK = '/api/v1/programmes/prog-1/feedback';
    let sent: unknown = null;
    net.routes.set(`GET ${FEEDBACK}`, async () => ({
      status: 200,
      body: [
        {
          point: 'midpoint',
          subject_id: 'survey-mid',
          open: true,
          key: { key_id: 'k'.repeat(64), jwk: {}, spki },
          member: true,
          issued: false,
        },
        {
          point: 'end',
          subject_id: 'survey-end',
          open: false,
          key: null,
          member: true,
          issued: false,
        },
      ],
    }));
    net.routes.set(`POST ${FEEDBACK}/midpoint/token`, async (body) => {
      const { key_id, blinded_message } = body as { key_id: string; blinded_message: string };
      const signed = await suite.blindSign(pair.privateKey, unb64(blinded_message));
      return { status: 200, body: { key_id, blind_signature: b64(signed) } };
    });
    net.routes.set('POST /api/v1/ratings', async (body) => {
      sent = body;
      return { status: 202, body: { state: 'pending', receipt: 'r' } };
    });

    const end = renderHook(() => useSurveyAnswer('prog-1', 'end'), { wrapper });
    await waitFor(() => expect(end.result.current.phase).toBe('not_open'));
    const { result } = renderHook(() => useSurveyAnswer('prog-1', 'midpoint'), { wrapper });
    await waitFor(() => expect(result.current.phase).toBe('ready'), { timeout: 30_000 });
    const answers = { sessions_useful: 4, pairing_fit: 5, recommend: 3 };
    await act(() => result.current.answer(answers, ''));
    await waitFor(() => expect(result.current.phase).toBe('waiting'));
    expect(sent).toMatchObject({ answers, comment: '' });
    expect(sent).not.toHaveProperty('stars');
    expect(net.seen.find((s) => s.path === '/api/v1/ratings')?.credentials).toBe('omit');
    expect(net.seen.some((s) => s.path === `${FEEDBACK}/end/token`)).toBe(false);
  });
});
