// The identifying-text check (app/redemption/safety.py) reports where a finding is as Python
// string offsets, which count code points; JavaScript strings count UTF-16 units, so an emoji
// or another character outside the Basic Multilingual Plane before the finding would shift a
// naive slice. These helpers cut by code points.

export interface Span {
  start: number;
  end: number;
}

export interface Piece {
  text: string;
  flagged: boolean;
}

/** `text` cut into the pieces before, inside and after each flagged span (overlapping or
 * out-of-range spans are merged and clipped: the text is never lost or repeated). */
export function splitFlagged(text: string, spans: readonly Span[]): Piece[] {
  const points = Array.from(text);
  const clipped = spans
    .map((s) => ({
      start: Math.max(0, Math.min(s.start, points.length)),
      end: Math.max(0, Math.min(s.end, points.length)),
    }))
    .filter((s) => s.end > s.start)
    .sort((a, b) => a.start - b.start);
  const merged: Span[] = [];
  for (const span of clipped) {
    const last = merged[merged.length - 1];
    if (last && span.start <= last.end) last.end = Math.max(last.end, span.end);
    else merged.push({ ...span });
  }
  const pieces: Piece[] = [];
  let at = 0;
  for (const span of merged) {
    if (span.start > at)
      pieces.push({ text: points.slice(at, span.start).join(''), flagged: false });
    pieces.push({ text: points.slice(span.start, span.end).join(''), flagged: true });
    at = span.end;
  }
  if (at < points.length) pieces.push({ text: points.slice(at).join(''), flagged: false });
  return pieces;
}

/** A few words either side of a span, so that a finding deep in a long body is shown in
 * context rather than with the whole text. */
export function excerptAround(text: string, span: Span, reach = 40): { text: string; span: Span } {
  const points = Array.from(text);
  const from = Math.max(0, span.start - reach);
  const to = Math.min(points.length, span.end + reach);
  const lead = from > 0 ? '…' : '';
  const tail = to < points.length ? '…' : '';
  return {
    text: lead + points.slice(from, to).join('') + tail,
    span: { start: span.start - from + lead.length, end: span.end - from + lead.length },
  };
}
