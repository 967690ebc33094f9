import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { beforeEach, describe, expect, it } from 'vitest';
import i18n from '../../../i18n';
import { saveTokens, type Token } from '../../reviews/wallet';
import { homeKeys, type NextAction } from '../api';
import { WhatsNext } from './WhatsNext';

const DAY = 86_400_000;

function action(overrides: Partial<NextAction>): NextAction {
  return {
    kind: 'join',
    role: 'participant',
    challenge_id: 'c1',
    challenge_title: 'Pivot tables without fear',
    phase: 'enrolment',
    formation_mode: 'self_formed',
    deadline: null,
    team_id: null,
    submission_status: null,
    round_id: null,
    count: null,
    tokens_issued: null,
    ...overrides,
  };
}

function show(items: NextAction[]) {
  const client = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity } } });
  client.setQueryData(homeKeys.next(), { items });
  return render(
    <QueryClientProvider client={client}>
      <MemoryRouter>
        <WhatsNext />
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

describe("what's next", () => {
  beforeEach(async () => {
    await i18n.changeLanguage('en');
  });

  it('says what to do, where, and by when, with a quiet countdown', () => {
    const deadline = new Date(Date.now() + 2 * DAY + 3_600_000).toISOString();
    show([
      action({ deadline }),
      action({
        kind: 'meet_team',
        challenge_id: 'c2',
        challenge_title: 'Onboarding, reinvented',
        team_id: 't2',
      }),
    ]);
    const region = screen.getByRole('region', { name: "What's next" });
    const cards = within(region).getAllByRole('listitem');
    expect(cards).toHaveLength(2);
    const [first, second] = cards as [HTMLElement, HTMLElement];
    expect(within(first).getByRole('heading', { name: 'Pivot tables without fear' })).toBeTruthy();
    const join = within(first).getByRole('link', { name: 'Join' });
    expect(join.getAttribute('href')).toBe('/challenges/c1');
    expect(join.getAttribute('aria-describedby')).toBe(
      within(first).getByRole('heading').getAttribute('id'),
    );
    expect(first.textContent).toContain('Enrolment closes:');
    const countdown = within(first).getByText('in 2 days');
    expect(countdown.closest('[aria-live]')).toBeNull();
    expect(first.querySelector('time')?.getAttribute('datetime')).toBe(deadline);
    expect(within(second).getByRole('link', { name: 'Meet your team' }).getAttribute('href')).toBe(
      '/teams/t2',
    );
  });

  it('counts reviews left from this browser’s own wallet, not from the server', async () => {
    const tokens: Token[] = ['s1', 's2', 's3'].map((submission_id, i) => ({
      round_id: 'r1',
      submission_id,
      key_id: `k${i}`,
      prepared_message: '',
      signature: '',
      state: i === 0 ? 'committed' : 'unsent',
    }));
    await saveTokens(tokens);
    show([
      action({ kind: 'review', phase: 'review', round_id: 'r1', count: 3, team_id: 't1' }),
      action({ kind: 'review', phase: 'review', challenge_id: 'c9', round_id: 'r9', count: 2 }),
    ]);
    expect(await screen.findByText('2 of 3 submissions left to review.')).toBeTruthy();
    expect(screen.getByText('Review 2 submissions.')).toBeTruthy(); // no wallet here: the server's
  });

  it('points to joining a challenge when nothing needs one, in French too', async () => {
    show([]);
    expect(screen.getByText(/Nothing needs you right now/)).toBeTruthy();
    await i18n.changeLanguage('fr');
    expect(await screen.findByRole('heading', { name: 'À faire ensuite' })).toBeTruthy();
  });
});
