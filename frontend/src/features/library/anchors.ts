// The places "ask the library" links to inside a lesson or an idea-library entry (app/search:
// `Passage.anchor`): the summary is `#summary`, and `#p-N` is the N-th paragraph the page shows
// as <p>, counted across a lesson's body, reflection task and case study in that order (the
// order the search indexed them in, app/library/service.py `_searchable`), or across an entry's
// body. The server's sanitiser keeps no ids, so the page numbers its own paragraphs.
import { useEffect } from 'react';
import { useLocation } from 'react-router';

export const SUMMARY_ANCHOR = 'summary';

/** The same HTML fragments with every <p> given its id, `p-1` onwards, numbered across all
 * the fragments. The fragments are the server's sanitised HTML; a <template> parses them
 * inert (nothing loads or runs) and only an id attribute is added. */
export function numberParagraphs<const T extends readonly string[]>(
  fragments: T,
): { -readonly [K in keyof T]: string } {
  let count = 0;
  const numbered = fragments.map((html) => {
    const template = document.createElement('template');
    template.innerHTML = html;
    for (const paragraph of template.content.querySelectorAll('p')) {
      count += 1;
      paragraph.id = `p-${count}`;
    }
    return template.innerHTML;
  });
  // As many fragments as given, in the same order.
  return numbered as { -readonly [K in keyof T]: string };
}

/** Once the page's content is shown (`ready`), the element the address's #fragment names is
 * scrolled to and focused, so that a keyboard or screen reader user lands on the quoted
 * paragraph and not at the top. Call it in the page's own component, after its <Page>: a
 * parent's effect runs after its children's, so this focus wins over the heading's. */
export function useFocusOnFragment(ready: boolean): void {
  const { hash } = useLocation();
  useEffect(() => {
    if (!ready || hash.length < 2) return;
    const target = document.getElementById(decodeURIComponent(hash.slice(1)));
    if (!target) return;
    // Focusable by script only: a paragraph is no stop of the Tab order.
    if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
    target.scrollIntoView?.({ block: 'center' });
    target.focus({ preventScroll: true });
  }, [ready, hash]);
}
