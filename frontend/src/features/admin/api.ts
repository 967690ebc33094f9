// Administration: the accounts and the vault's keys.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';

export const ACCOUNTS_PER_PAGE = 25;

export const adminKeys = {
  accounts: () => ['accounts'] as const,
  accountPage: (search: string, cursor: string | null) => ['accounts', { search, cursor }] as const,
  keys: () => ['keys'] as const,
  scimTokens: () => ['scim-tokens'] as const,
  outbox: () => ['mail-outbox'] as const,
};

/** One page of accounts: those whose name or email contains `search`, after `cursor`. */
export function useAccounts(search: string, cursor: string | null) {
  return useQuery({
    queryKey: adminKeys.accountPage(search, cursor),
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/admin/accounts', {
          params: {
            query: {
              limit: ACCOUNTS_PER_PAGE,
              ...(search ? { q: search } : {}),
              ...(cursor ? { cursor } : {}),
            },
          },
        }),
      ),
    // The table stays while the next page loads (no jump to "Loading…" and back).
    placeholderData: keepPreviousData,
  });
}

export function useKeys() {
  return useQuery({
    queryKey: adminKeys.keys(),
    queryFn: () => unwrap(api.GET('/api/v1/admin/keys')),
  });
}

/** The identity providers' SCIM tokens (never the tokens themselves). */
export function useScimTokens() {
  return useQuery({
    queryKey: adminKeys.scimTokens(),
    queryFn: () => unwrap(api.GET('/api/v1/admin/scim-tokens')),
  });
}

/** The SCIM endpoint to give an identity provider (its "tenant URL"). */
export function scimBaseUrl(): string {
  return `${window.location.origin}/scim/v2`;
}

/** The link that opens the sign-up page with an invitation code filled in. The code travels
 * after `#`, so it never reaches a server log or a Referer header. */
export function invitationLink(code: string): string {
  return `${window.location.origin}/sign-up#invitation=${encodeURIComponent(code)}`;
}

/** A CSV file of the invitations just made, for the administrator to hand out. */
export function invitationsCsv(
  rows: readonly {
    display_name: string;
    email: string;
    invitation_code: string;
    expires_at: string;
  }[],
): string {
  const cell = (raw: string) => {
    // A spreadsheet would run a cell starting with = + - @ as a formula.
    const value = /^[=+\-@]/.test(raw) ? `'${raw}` : raw;
    return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
  };
  const lines = [
    ['name', 'email', 'invitation_code', 'link', 'expires_at'],
    ...rows.map((r) => [
      r.display_name,
      r.email,
      r.invitation_code,
      invitationLink(r.invitation_code),
      r.expires_at,
    ]),
  ];
  return lines.map((line) => line.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** Development without a mail server: the messages written to the outbox folder instead. */
export function useOutbox() {
  return useQuery({
    queryKey: adminKeys.outbox(),
    queryFn: () => unwrap(api.GET('/api/v1/mail/outbox')),
    // Where mail goes to a server there is no outbox (404 `outbox_off`): asked once.
    retry: false,
  });
}
