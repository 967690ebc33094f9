import { render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import en from '../../../locales/en.json';
import type { Token } from '../wallet';
import {
  checkComment,
  FlaggedComment,
  utf16Range,
  WarningList,
  type CommentWarning,
} from './CommentCheck';

const token: Token = {
  round_id: 'r',
  submission_id: 'sub-1',
  key_id: 'k',
  prepared_message: 'cA==',
  signature: 'cw==',
  state: 'unsent',
};

// The server counts code points: "🎉 " is two code points but three UTF-16 units.
const comment = '🎉 Write to ann@example.org or call Bob';
const email: CommentWarning = { kind: 'email', text: 'ann@example.org', start: 11, end: 26 };
const name: CommentWarning = { kind: 'name', text: 'Bob', start: 35, end: 38 };

describe('the comment check', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('selects exactly the flagged text in the textarea, even after an emoji', () => {
    const [start, end] = utf16Range(comment, email);
    expect(comment.slice(start, end)).toBe('ann@example.org');
  });

  it('marks each flagged passage in the comment and keeps the rest as written', () => {
    render(<FlaggedComment comment={comment} warnings={[name, email]} />);
    const marks = screen.getAllByText((_, el) => el?.tagName === 'MARK');
    expect(marks.map((m) => m.textContent)).toEqual([
      `${en.review.flagged_start} ann@example.org ${en.review.flagged_end}`,
      `${en.review.flagged_start} Bob ${en.review.flagged_end}`,
    ]);
    expect(screen.getByRole('blockquote').textContent).toContain('🎉 Write to ');
  });

  it('ignores a warning that overlaps another or reaches past the comment', () => {
    const overlap = { ...email, start: 20, end: 30 };
    const beyond = { ...name, start: 35, end: 99 };
    render(<FlaggedComment comment={comment} warnings={[email, overlap, beyond]} />);
    expect(screen.getAllByText((_, el) => el?.tagName === 'MARK')).toHaveLength(1);
    expect(screen.getByRole('blockquote').textContent).toContain('or call Bob');
  });

  it('explains each warning, and an unknown kind in general words', () => {
    render(<WarningList warnings={[email, { kind: 'new_kind', text: 'x', start: 0, end: 1 }]} />);
    const items = within(screen.getByRole('list')).getAllByRole('listitem');
    expect(items[0]!.textContent).toContain(en.review.warning_email);
    expect(items[0]!.textContent).toContain('ann@example.org');
    expect(items[1]!.textContent).toContain(en.review.warning_unknown);
  });

  it('asks anonymously, with the token, and returns the warnings', async () => {
    const fetch = vi.fn(async () => Response.json({ warnings: [email] }));
    vi.stubGlobal('fetch', fetch);
    await expect(checkComment(token, comment)).resolves.toEqual({ ok: true, warnings: [email] });
    const [path, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(path).toBe('/api/v1/reviews/comment-check');
    expect(init.credentials).toBe('omit');
    expect(JSON.parse(init.body as string)).toEqual({
      token: { key_id: 'k', prepared_message: 'cA==', signature: 'cw==' },
      submission_id: 'sub-1',
      comment,
    });
  });

  it('reports a refusal with its code, and an unreachable service as such', async () => {
    vi.stubGlobal('fetch', async () => Response.json({ code: 'token_spent' }, { status: 409 }));
    await expect(checkComment(token, comment)).resolves.toEqual({
      ok: false,
      status: 409,
      code: 'token_spent',
      detail: undefined,
    });
    vi.stubGlobal('fetch', async () => new Response('<html>', { status: 502 }));
    await expect(checkComment(token, comment)).resolves.toMatchObject({
      ok: false,
      status: 502,
      code: 'service_unavailable',
    });
  });
});
