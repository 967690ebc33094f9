import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { ReactNode } from 'react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { api, type Schemas } from '../../../api/client';
import i18n from '../../../i18n';
import { mentoringKeys } from '../api';
import { PairJournal } from './PairJournal';
import { PairSessions } from './PairSessions';
import { Progress } from './Progress';

const PROGRAMME = 'p1';

/** The first of what was found (the test fails if there is none). */
function first(found: HTMLElement[]): HTMLElement {
  expect(found.length).toBeGreaterThan(0);
  return found[0] as HTMLElement;
}
const DAY = 86_400_000;

function session(overrides: Partial<Schemas['PairSessionOut']>): Schemas['PairSessionOut'] {
  return {
    id: 's1',
    starts_at: new Date(Date.now() + DAY).toISOString(),
    minutes: 60,
    place: 'Room 4',
    video_url: null,
    status: 'proposed',
    proposed_by_me: false,
    sequence: 0,
    held: false,
    my_check_in: false,
    partner_check_in: false,
    ...overrides,
  };
}

function show(data: [readonly unknown[], unknown][], children: ReactNode) {
  const client = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity } } });
  for (const [key, value] of data) client.setQueryData(key, value);
  return render(<QueryClientProvider client={client}>{children}</QueryClientProvider>);
}

const EMPTY_PLAN: Schemas['PlanOut'] = {
  revision: 0,
  updated_at: null,
  mentor: { interests: '', knowledge: '', shortcomings: '', goals: [] },
  mentee: { interests: '', knowledge: '', shortcomings: '', goals: [] },
};

describe("a pair's work", () => {
  beforeEach(async () => {
    await i18n.changeLanguage('en');
  });

  it("offers to answer the partner's proposal, to move, cancel or add it to a calendar", () => {
    show(
      [
        [mentoringKeys.sessions(PROGRAMME), [session({})]],
        [mentoringKeys.checkIns(PROGRAMME), []],
        [mentoringKeys.plan(PROGRAMME), EMPTY_PLAN],
      ],
      <PairSessions programmeId={PROGRAMME} />,
    );
    const card = first(screen.getAllByRole('listitem'));
    expect(within(card).getByText(/Your partner proposes this session/)).toBeTruthy();
    for (const name of [/^Accept the session of/, /^Decline the session of/, /^Move the session/]) {
      expect(within(card).getByRole('button', { name })).toBeTruthy();
    }
    const calendar = within(card).getByRole('link', { name: /^Add to my calendar \(\.ics\)/ });
    expect(calendar.getAttribute('href')).toBe('/api/v1/programmes/p1/pair/sessions/s1.ics');
  });

  it('asks for a check-in once a session is held, and no longer offers to move it', () => {
    const past = new Date(Date.now() - DAY).toISOString();
    show(
      [
        [
          mentoringKeys.sessions(PROGRAMME),
          [session({ starts_at: past, status: 'accepted', held: true })],
        ],
        [mentoringKeys.checkIns(PROGRAMME), []],
        [mentoringKeys.plan(PROGRAMME), EMPTY_PLAN],
      ],
      <PairSessions programmeId={PROGRAMME} />,
    );
    const card = first(screen.getAllByRole('listitem'));
    expect(within(card).getByRole('button', { name: /^Check in on the session of/ })).toBeTruthy();
    expect(within(card).queryByRole('button', { name: /^Move/ })).toBeNull();
    expect(within(card).queryByRole('button', { name: /^Cancel/ })).toBeNull();
  });

  it('says plainly who reads the journal', () => {
    show(
      [[mentoringKeys.journal(PROGRAMME), { entries: [], shredded: false }]],
      <PairJournal programmeId={PROGRAMME} />,
    );
    expect(screen.getByText(/^Only the two of you can read this journal\./)).toBeTruthy();
  });

  it('deletes the journal for good only after the programme closed, and after asking', async () => {
    // jsdom has <dialog> but not its modal methods: open and close it like a browser would.
    const proto = HTMLDialogElement.prototype;
    proto.showModal ??= function (this: HTMLDialogElement) {
      this.open = true;
    };
    proto.close ??= function (this: HTMLDialogElement) {
      this.open = false;
    };
    // The client, not the network: what the page asks for, and when.
    const deleted = vi.spyOn(api, 'DELETE').mockResolvedValue({
      data: undefined,
      response: new Response(null, { status: 204 }),
    } as never);
    const read = vi.spyOn(api, 'GET').mockResolvedValue({
      data: { entries: [], shredded: true },
      response: Response.json({}),
    } as never);
    const journal = [[mentoringKeys.journal(PROGRAMME), { entries: [], shredded: false }]] as [
      readonly unknown[],
      unknown,
    ][];
    const running = show(journal, <PairJournal programmeId={PROGRAMME} />);
    expect(screen.queryByRole('button', { name: 'Delete the journal for good' })).toBeNull();
    running.unmount();

    show(journal, <PairJournal programmeId={PROGRAMME} closed />);
    // Export is offered first, then the deletion.
    const buttons = screen.getAllByRole('button').map((b) => b.textContent);
    expect(buttons.indexOf('Export the journal (JSON)')).toBeLessThan(
      buttons.indexOf('Delete the journal for good'),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Delete the journal for good' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete the journal for good?' });
    expect(deleted).not.toHaveBeenCalled(); // nothing deleted before the answer
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(deleted).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: 'Delete the journal for good' }));
    fireEvent.click(
      within(screen.getByRole('dialog')).getByRole('button', {
        name: 'Delete the journal for good',
      }),
    );
    await waitFor(() => expect(deleted).toHaveBeenCalledTimes(1));
    expect(deleted.mock.calls[0]?.[0]).toBe('/api/v1/programmes/{programme_id}/pair/journal');
    // The journal is read again, and says it is gone.
    expect(await screen.findByText(/deleted for good at the end of the programme/)).toBeTruthy();
    expect(read).toHaveBeenCalled();
    vi.restoreAllMocks();
  });

  it('tells a count under five from one hidden only as its complement', () => {
    const progress: Schemas['ProgrammeProgress'] = {
      k: 5,
      months: [
        {
          month: '2026-11',
          pairs: 10,
          met: null,
          not_met: null,
          sessions_planned: 8,
          sessions_held: 8,
          complement: ['not_met'],
        },
      ],
      goal_progress: [],
      journals: { journals_kept: 0, entries: 0 },
    };
    show([[mentoringKeys.progress(PROGRAMME), progress]], <Progress programmeId={PROGRAMME} />);
    const table = screen.getByRole('table', { name: 'Pairs and sessions, by month' });
    const row = within(table).getAllByRole('row')[1] as HTMLElement;
    const cells = within(row).getAllByRole('cell');
    expect(cells.map((c) => c.textContent)).toEqual([
      expect.stringMatching(/10$/),
      expect.stringMatching(/fewer than 5$/),
      // Read out with its reason, not "fewer than 5": it may well be more.
      expect.stringMatching(/hidden, so that a count under 5 can't be worked out from the others$/),
      expect.stringMatching(/8$/),
      expect.stringMatching(/8$/),
    ]);
    expect(screen.getByText(/“Hidden”: a count shown would let one under 5/)).toBeTruthy();
  });
});
