import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';
import axe from 'axe-core';
import { MemoryRouter } from 'react-router';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import i18n from '../../../i18n';
import { LearningOverviewPanel, LessonLearningPanel, monthName } from './LearningCounts';

// The counts as app/library/counts.py sends them: null where fewer than k.
const get = vi.hoisted(() =>
  vi.fn(async (path: string) => ({
    data:
      path === '/api/v1/library/learning'
        ? {
            k: 5,
            through: '2026-03',
            lessons: [
              {
                translation_group: 'g1',
                lesson_id: 'l1',
                title: 'Listening first',
                taken: 8,
                passed: null,
              },
            ],
            collections: [{ id: 'c1', title: 'Mentor basics', completed: 1234 }],
          }
        : {
            k: 5,
            through: '2026-03',
            counts: {
              translation_group: 'g1',
              lesson_id: null,
              title: null,
              taken: null,
              passed: null,
            },
          },
    response: new Response(null, { status: 200 }),
  })),
);
vi.mock('../../../api/client', async (original) => ({
  ...(await original<typeof import('../../../api/client')>()),
  api: { GET: get },
}));

function show(panel: React.ReactNode) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <MemoryRouter>{panel}</MemoryRouter>
    </QueryClientProvider>,
  );
}

describe('learning counts', () => {
  beforeEach(async () => {
    await i18n.changeLanguage('en');
  });

  it('shows a hidden count as "fewer than k", and the months it covers', async () => {
    show(<LearningOverviewPanel />);
    const lessons = await screen.findByRole('table', {
      name: 'People per published lesson, in any of its languages',
    });
    const row = within(lessons).getByRole('row', { name: /Listening first/ });
    expect(
      within(row)
        .getAllByRole('cell')
        .map((cell) => cell.textContent),
    ).toEqual(['Took it8', 'Passed the quizfewer than 5']);
    const collections = screen.getByRole('table', { name: 'People per collection' });
    expect(within(collections).getByRole('row', { name: /Mentor basics/ }).textContent).toContain(
      '1,234',
    );
    screen.getByText(/Up to the end of March 2026/);
  });

  it('has no axe violation', async () => {
    const { container } = show(
      <main>
        <LearningOverviewPanel />
        <LessonLearningPanel lessonId="l1" />
      </main>,
    );
    await screen.findByRole('table', { name: 'People per collection' });
    await screen.findAllByText('fewer than 5');
    // Colours are the browser tests' (tests/e2e/test_library.py): jsdom computes no styles.
    const results = await axe.run(container, { rules: { 'color-contrast': { enabled: false } } });
    expect(results.violations.map((v) => v.id)).toEqual([]);
  });

  it("shows a lesson's counts in the editor's language", async () => {
    await i18n.changeLanguage('fr');
    show(<LessonLearningPanel lessonId="l1" />);
    await screen.findByRole('heading', { name: 'Personnes ayant suivi cette leçon' });
    expect(await screen.findAllByText('moins de 5')).toHaveLength(2);
    expect(monthName('2026-03', 'es')).toBe('marzo de 2026');
  });
});
