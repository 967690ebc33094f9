import { render, screen } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import { IdeaEntryPage } from './pages';

// An entry as the server sends it: sanitised HTML without ids (app/ideas).
const entry = vi.hoisted(() => ({
  id: 'entry-1',
  title: 'Onboarding buddies',
  summary: 'Pair every newcomer with a buddy.',
  body_html:
    '<h2>Why</h2><p>First weeks are lonely.</p><p>A buddy answers the small questions.</p>',
  team_name: 'Amber Herons',
  challenge_title: 'Welcome week',
  track: 'discover',
  topics: [],
  featured: false,
  published_at: '2026-12-01T00:00:00Z',
  reviews: null,
  rating: null,
  can_curate: false,
}));
vi.mock('./api', async (original) => ({
  ...(await original<typeof import('./api')>()),
  useIdea: () => ({ data: entry, error: null, isPending: false }),
}));
// The rating panel fetches its own state; not what this test is about.
vi.mock('./components/IdeaRatingPanel', () => ({ IdeaRatingPanel: () => null }));

function renderAt(address: string) {
  return render(
    <MemoryRouter initialEntries={[address]}>
      <Routes>
        <Route path="/library/ideas/:entryId" element={<IdeaEntryPage />} />
      </Routes>
    </MemoryRouter>,
  );
}

describe('IdeaEntryPage', () => {
  it('opens at the paragraph "ask the library" quoted, focused', () => {
    renderAt('/library/ideas/entry-1#p-2');
    const quoted = screen.getByText('A buddy answers the small questions.');
    expect(quoted.id).toBe('p-2');
    expect(screen.getByText('First weeks are lonely.').id).toBe('p-1');
    expect(document.activeElement).toBe(quoted);
    expect(quoted.getAttribute('tabindex')).toBe('-1');
  });

  it('gives the summary its anchor too', () => {
    renderAt('/library/ideas/entry-1#summary');
    const summary = screen.getByText('Pair every newcomer with a buddy.');
    expect(summary.id).toBe('summary');
    expect(document.activeElement).toBe(summary);
  });
});
