import { describe, expect, it } from 'vitest';
import { excerptAround, splitFlagged } from './highlight';

describe('splitFlagged', () => {
  it('cuts the text around a span', () => {
    expect(splitFlagged('Ask Ada Stone today', [{ start: 4, end: 13 }])).toEqual([
      { text: 'Ask ', flagged: false },
      { text: 'Ada Stone', flagged: true },
      { text: ' today', flagged: false },
    ]);
  });

  it('counts code points as the server does, not UTF-16 units', () => {
    // "🙂" is one code point (Python) but two UTF-16 units (JavaScript).
    const pieces = splitFlagged('🙂 Ada Stone', [{ start: 2, end: 11 }]);
    expect(pieces).toEqual([
      { text: '🙂 ', flagged: false },
      { text: 'Ada Stone', flagged: true },
    ]);
  });

  it('merges overlapping spans and clips those past the end', () => {
    const pieces = splitFlagged('abcdefgh', [
      { start: 5, end: 99 },
      { start: 1, end: 3 },
      { start: 2, end: 4 },
    ]);
    expect(pieces).toEqual([
      { text: 'a', flagged: false },
      { text: 'bcd', flagged: true },
      { text: 'e', flagged: false },
      { text: 'fgh', flagged: true },
    ]);
    expect(pieces.map((p) => p.text).join('')).toBe('abcdefgh');
  });

  it('leaves a text without findings whole', () => {
    expect(splitFlagged('nothing here', [])).toEqual([{ text: 'nothing here', flagged: false }]);
    expect(splitFlagged('', [{ start: 0, end: 3 }])).toEqual([]);
  });
});

describe('excerptAround', () => {
  it('keeps a few characters either side and moves the span with them', () => {
    const text = `${'x'.repeat(100)}Ada Stone${'y'.repeat(100)}`;
    const cut = excerptAround(text, { start: 100, end: 109 }, 5);
    expect(cut.text).toBe('…xxxxxAda Stoneyyyyy…');
    const pieces = splitFlagged(cut.text, [cut.span]);
    expect(pieces.find((p) => p.flagged)?.text).toBe('Ada Stone');
  });

  it('adds no ellipsis at the edges of a short text', () => {
    const cut = excerptAround('Ada Stone', { start: 0, end: 3 });
    expect(cut).toEqual({ text: 'Ada Stone', span: { start: 0, end: 3 } });
  });
});
