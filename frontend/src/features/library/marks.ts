// Highlighted search text, rendered without trusting it as HTML. The server escapes each
// excerpt and only then wraps the matches in <mark> (app/search/text.py), so `<mark>` and
// `</mark>` are the only tags it can contain: this splits on exactly those and decodes the
// escapes in between, and React escapes the pieces again when it renders them. Anything else
// that looks like a tag stays text.

export interface MarkedPiece {
  text: string;
  marked: boolean;
}

const ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#x27;': "'",
  '&#39;': "'",
};

function unescapeHtml(text: string): string {
  return text.replace(/&(?:amp|lt|gt|quot|#x27|#39);/g, (entity) => ENTITIES[entity] ?? entity);
}

/** "a <mark>b</mark> c" -> [a ], [b, marked], [ c]. An unmatched `</mark>` is dropped; a
 * `<mark>` never closed marks the rest. Empty pieces are left out. */
export function splitMarks(html: string): MarkedPiece[] {
  const pieces: MarkedPiece[] = [];
  let marked = false;
  for (const part of html.split(/(<mark>|<\/mark>)/)) {
    if (part === '<mark>') marked = true;
    else if (part === '</mark>') marked = false;
    else if (part) {
      const text = unescapeHtml(part);
      const last = pieces[pieces.length - 1];
      if (last && last.marked === marked) last.text += text;
      else pieces.push({ text, marked });
    }
  }
  return pieces;
}
