import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import i18n from '../../../i18n';
import { meKeys } from '../api';
import { Notices } from './Notices';

// The API as the notices list uses it: every POST is recorded and answered with success.
const post = vi.hoisted(() =>
  vi.fn(async (path: string, init: unknown) => ({
    data: { path, init },
    response: new Response(null, { status: 204 }),
  })),
);
vi.mock('../../../api/client', async (original) => ({
  ...(await original<typeof import('../../../api/client')>()),
  api: { POST: post, GET: vi.fn() },
}));

const notice = {
  id: 'n1',
  kind: 'team_feedback',
  challenge_id: 'c1',
  created_at: '2026-12-01T10:00:00Z',
  read: false,
  params: { team_id: 't1', team_name: 'Blue Herons' },
};

const reminder = {
  id: 'n2',
  kind: 'mentoring_reminder',
  challenge_id: null,
  programme_id: 'p1',
  created_at: '2026-12-02T10:00:00Z',
  read: false,
  params: { programme_title: 'Reverse mentoring', weeks: 5 },
};

function show(notices: object[] = [notice]) {
  const client = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity } } });
  client.setQueryData(meKeys.notices(), notices);
  return render(
    <QueryClientProvider client={client}>
      <MemoryRouter>
        <Routes>
          <Route path="/" element={<Notices />} />
          <Route path="/teams/:teamId" element={<p>The team page</p>} />
          <Route path="/programmes/:programmeId/pair" element={<p>The pair page</p>} />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

describe('notices', () => {
  beforeEach(async () => {
    post.mockClear();
    await i18n.changeLanguage('en');
  });

  it('marks a notice read when the person follows its link', async () => {
    show();
    fireEvent.click(screen.getByRole('link', { name: /Blue Herons/ }));
    expect(await screen.findByText('The team page')).toBeTruthy();
    await waitFor(() => expect(post).toHaveBeenCalledTimes(1));
    expect(post).toHaveBeenCalledWith('/api/v1/me/notifications/{notification_id}/read', {
      params: { path: { notification_id: 'n1' } },
    });
  });

  it('still marks it read with "Dismiss", staying on the page', async () => {
    show();
    fireEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
    await waitFor(() => expect(post).toHaveBeenCalledTimes(1));
    expect(screen.getByRole('link', { name: /Blue Herons/ })).toBeTruthy();
  });

  it('leads a mentoring reminder to the pair page, and reads it', async () => {
    show([reminder]);
    fireEvent.click(
      screen.getByRole('link', {
        name: 'Reverse mentoring: you and your mentoring partner have not met for 5 weeks. Propose a session.',
      }),
    );
    expect(await screen.findByText('The pair page')).toBeTruthy();
    await waitFor(() => expect(post).toHaveBeenCalledTimes(1));
    expect(post).toHaveBeenCalledWith('/api/v1/me/notifications/{notification_id}/read', {
      params: { path: { notification_id: 'n2' } },
    });
  });

  it('leads a session starting within a day to the pair page, in French too', async () => {
    await i18n.changeLanguage('fr');
    show([
      {
        ...reminder,
        id: 'n3',
        kind: 'mentoring_session_soon',
        params: { programme_title: 'Reverse mentoring' },
      },
    ]);
    fireEvent.click(
      screen.getByRole('link', {
        name: /^Reverse mentoring : votre séance de mentorat commence dans moins d'un jour/,
      }),
    );
    expect(await screen.findByText('The pair page')).toBeTruthy();
  });
});
