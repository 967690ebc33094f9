import { render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import { SearchPanel } from './SearchPanel';

// The results as the server sends them above its cap of 1,000 counted matches (app/search).
const results = vi.hoisted(() => ({
  total: 1000,
  counts_are_lower_bounds: true,
  page: 1,
  page_size: 10,
  hits: [],
  facets: {
    kind: [{ value: 'lesson', count: 812 }],
    topic: [],
    level: [],
    language: [{ value: 'en', count: 1000 }],
  },
}));
vi.mock('../api', async (original) => ({
  ...(await original<typeof import('../api')>()),
  useSearch: () => ({ data: results, error: null, isPlaceholderData: false }),
}));

describe('SearchPanel', () => {
  it('shows counts above the cap as lower bounds', () => {
    render(
      <MemoryRouter initialEntries={['/library?q=team']}>
        <SearchPanel />
      </MemoryRouter>,
    );
    expect(screen.getByRole('status').textContent).toBe(
      'More than 1,000 results: the first 1,000 found are counted.',
    );
    // Found by their accessible names, as a screen reader reads them.
    screen.getByRole('checkbox', { name: 'Lesson (812+)' });
    screen.getByRole('checkbox', { name: 'English (1,000+)' });
  });
});
