import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import i18n from '../../../i18n';
import { MailPreferences } from './MailPreferences';

// The server as the preferences use it: each PUT is held until the test lets it through.
const server = vi.hoisted(() => ({
  saved: {
    team: 'immediately',
    submissions: 'immediately',
    ideas: 'immediately',
    phases: 'immediately',
    mentoring: 'immediately',
  } as Record<string, string>,
  waiting: [] as (() => void)[],
  sent: [] as Record<string, string>[],
}));
vi.mock('../../../api/client', async (original) => ({
  ...(await original<typeof import('../../../api/client')>()),
  api: {
    GET: vi.fn(async () => ({ data: { ...server.saved }, response: new Response(null) })),
    PUT: vi.fn(
      (_path: string, { body }: { body: Record<string, string> }) =>
        new Promise((resolve) => {
          server.sent.push(body);
          server.waiting.push(() => {
            Object.assign(server.saved, body);
            resolve({ data: { ...server.saved }, response: new Response(null) });
          });
        }),
    ),
  },
}));

function ideas() {
  return within(screen.getByRole('group', { name: 'Ideas' }));
}

describe('e-mail preferences', () => {
  beforeEach(async () => {
    server.waiting.length = 0;
    server.sent.length = 0;
    Object.keys(server.saved).forEach((topic) => (server.saved[topic] = 'immediately'));
    await i18n.changeLanguage('en');
  });

  it('saves quick successive choices one at a time, in order, and keeps the last', async () => {
    const client = new QueryClient();
    render(
      <QueryClientProvider client={client}>
        <MailPreferences />
      </QueryClientProvider>,
    );
    await screen.findByRole('group', { name: 'Ideas' });
    const checked = (name: string) =>
      (ideas().getByRole('radio', { name }) as HTMLInputElement).checked;
    // Each choice shows in the click's own render, as a native radio does.
    fireEvent.click(ideas().getByRole('radio', { name: 'Once a day' }));
    expect(checked('Once a day')).toBe(true);
    fireEvent.click(ideas().getByRole('radio', { name: 'Never' }));
    expect(checked('Never')).toBe(true);
    // The second save waits for the first: the server cannot apply them out of order.
    await waitFor(() => expect(server.sent).toHaveLength(1));
    server.waiting.shift()?.();
    await waitFor(() => expect(server.sent).toHaveLength(2));
    // The first answer (once a day) does not move the radio back while "never" is on its way.
    expect(checked('Never')).toBe(true);
    server.waiting.shift()?.();
    await waitFor(() => expect(server.saved.ideas).toBe('off'));
    expect(server.sent).toEqual([{ ideas: 'daily_digest' }, { ideas: 'off' }]);
    expect(checked('Never')).toBe(true);
  });
});
