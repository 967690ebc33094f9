import { splitMarks } from '../marks';

/** Text the server highlighted (`title_html`, `snippet_html`, `text_html`): the matches in
 * <mark>, everything else as plain text (see marks.ts: no other markup gets through). */
export function Marked({ html }: { html: string }) {
  return (
    <>
      {splitMarks(html).map((piece, i) =>
        piece.marked ? <mark key={i}>{piece.text}</mark> : <span key={i}>{piece.text}</span>,
      )}
    </>
  );
}
