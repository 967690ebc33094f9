import { render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { describe, expect, it } from 'vitest';
import { numberParagraphs, useFocusOnFragment } from './anchors';

describe('numberParagraphs', () => {
  it('numbers the shown paragraphs across body, task and case study, as the search does', () => {
    const [body, task, caseStudy] = numberParagraphs([
      '<h2>Listen</h2><p>First.</p><ul><li>tight item</li></ul><blockquote><p>Quoted.</p></blockquote>',
      '<p>The task.</p>',
      '',
    ]);
    // Headings and a tight list's items are no paragraphs (app/search/text.py counts the same).
    expect(body).toBe(
      '<h2>Listen</h2><p id="p-1">First.</p><ul><li>tight item</li></ul>' +
        '<blockquote><p id="p-2">Quoted.</p></blockquote>',
    );
    expect(task).toBe('<p id="p-3">The task.</p>');
    expect(caseStudy).toBe('');
  });

  it('adds nothing but ids: the escaped text stays text', () => {
    const [html] = numberParagraphs(['<p>&lt;img src=x onerror=alert(1)&gt;</p>']);
    expect(html).toBe('<p id="p-1">&lt;img src=x onerror=alert(1)&gt;</p>');
  });
});

function Lesson() {
  useFocusOnFragment(true);
  const [body] = numberParagraphs(['<p>One.</p><p>Two, the quoted one.</p><p>Three.</p>']);
  return <div data-testid="body" dangerouslySetInnerHTML={{ __html: body }} />;
}

describe('useFocusOnFragment', () => {
  it('focuses the paragraph an answer linked to', () => {
    render(
      <MemoryRouter initialEntries={['/library/lessons/x#p-2']}>
        <Lesson />
      </MemoryRouter>,
    );
    const quoted = screen.getByText('Two, the quoted one.');
    expect(quoted.id).toBe('p-2');
    expect(document.activeElement).toBe(quoted);
    // Reachable by the link, not a stop of the Tab order.
    expect(quoted.getAttribute('tabindex')).toBe('-1');
  });

  it('leaves the focus alone without a fragment or when it names nothing', () => {
    for (const address of ['/library/lessons/x', '/library/lessons/x#p-9']) {
      const { unmount } = render(
        <MemoryRouter initialEntries={[address]}>
          <Lesson />
        </MemoryRouter>,
      );
      expect(document.activeElement).toBe(document.body);
      unmount();
    }
  });
});
