import { RSABSSA } from '@cloudflare/blindrsa-ts';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { b64, unb64 } from '../reviews/wallet';
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
  return { ...actual, api: { GET: call('GET'), POST: call('POST') } };
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

const suite = RSABSSA.SHA384.PSS.Randomized();
const LESSON = '/api/v1/library/lessons/lesson-1/rating';

function wrapper({ children }: { children: ReactNode }) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}

describe('useRating', { timeout: 60_000 }, () => {
  it('gets the token once the lesson is taken, then rates without credentials', async () => {
    const pair = await suite.generateKey({
      modulusLength: 2048,
      publicExponent: Uint8Array.from([1, 0, 1]),
    });
    const spki = b64(new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey)));
    let issued = false;
    const release = {
      state: 'fewer_than_minimum',
      minimum: 5,
      count: null,
      mean: null,
      distribution: {},
      comments: [],
    };
    net.routes.set(`GET ${LESSON}`, async () => ({
      status: 200,
      body: {
        subject_id: 'group-hook',
        key: { key_id: 'k'.repeat(64), jwk: {}, spki },
        taken: true,
        issued,
        release,
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
    const pair = await suite.generateKey({
      modulusLength: 2048,
      publicExponent: Uint8Array.from([1, 0, 1]),
    });
    const spki = b64(new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey)));
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
