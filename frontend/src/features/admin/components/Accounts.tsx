import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../../../api/client';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { Table, type Column } from '../../../components/Table';
import { ErrorNote, Field, Loading } from '../../../components/ui';
import { useToast } from '../../../components/Toast';
import { useMe } from '../../me/api';
import { adminKeys, useAccounts } from '../api';
import { Button } from '../../../components/Button';
import { Badge } from '../../../components/Badge';

type Account = Schemas['AccountSummary'];

/** What waits for the administrator's "yes": deactivating or reactivating someone, or
 * granting or removing the admin role (it opens every account's identity, so one stray click
 * on a checkbox must not do it). */
type Pending =
  { kind: 'access'; account: Account } | { kind: 'admin_role'; account: Account; grant: boolean };

export function Accounts() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const me = useMe();
  const [draft, setDraft] = useState('');
  const [search, setSearch] = useState('');
  // The cursors of the pages before this one (the first page has none): "Previous" pops one.
  const [trail, setTrail] = useState<(string | null)[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<Pending | null>(null);
  const toast = useToast();
  const accounts = useAccounts(search, cursor);
  const update = useMutation({
    mutationFn: (u: { account: Account; body: Schemas['AccountAdminUpdate'] }) =>
      unwrap(
        api.PATCH('/api/v1/admin/accounts/{account_id}', {
          params: { path: { account_id: u.account.account_id } },
          body: u.body,
        }),
      ),
    onSuccess: (account, u) => {
      const name = account.display_name ?? '';
      if (u.body.disabled !== undefined && u.body.disabled !== null) {
        toast(
          t(account.status === 'disabled' ? 'admin.deactivated' : 'admin.reactivated', { name }),
        );
      } else if (account.roles.includes('admin') !== u.account.roles.includes('admin')) {
        toast(
          t(account.roles.includes('admin') ? 'admin.admin_granted' : 'admin.admin_removed', {
            name,
          }),
        );
      }
      return queryClient.invalidateQueries({ queryKey: adminKeys.accounts() });
    },
  });
  const goTo = (next: string | null, back: (string | null)[]) => {
    setTrail(back);
    setCursor(next);
  };
  const columns: Column<Account>[] = [
    {
      id: 'name',
      header: t('admin.person'),
      rowHeader: true,
      cell: (a) => (
        <>
          {a.display_name ?? t('admin.erased')}{' '}
          <span className="muted account-email">{a.email}</span>
        </>
      ),
    },
    {
      id: 'status',
      header: t('admin.status'),
      // A badge for the state that needs noticing: someone who cannot sign in.
      cell: (a) =>
        a.status === 'disabled' ? (
          <Badge>{t('admin.badge_deactivated')}</Badge>
        ) : (
          t(`admin.status_${a.status}`)
        ),
    },
    ...(['facilitator', 'admin'] as const).map((role): Column<Account> => ({
      id: role,
      header: t(`roles.${role}`),
      cell: (a) => (
        <input
          type="checkbox"
          aria-label={t('admin.role_for', { role: t(`roles.${role}`), name: a.display_name ?? '' })}
          checked={a.roles.includes(role)}
          disabled={update.isPending}
          onChange={(e) => {
            if (role === 'admin') {
              setConfirming({ kind: 'admin_role', account: a, grant: e.target.checked });
              return;
            }
            update.mutate({
              account: a,
              body: {
                roles: e.target.checked ? [...a.roles, role] : a.roles.filter((r) => r !== role),
              },
            });
          }}
        />
      ),
    })),
    {
      id: 'access',
      header: t('admin.access'),
      cell: (a) =>
        a.status === 'invited' ? (
          <span className="muted">{t('admin.not_signed_up_yet')}</span>
        ) : a.account_id === me.data?.account_id ? (
          <span className="muted">{t('admin.you')}</span>
        ) : (
          <Button
            variant={a.status === 'active' ? 'danger' : 'secondary'}
            disabled={update.isPending}
            aria-label={
              a.status === 'active'
                ? t('admin.deactivate_who', { name: a.display_name ?? '' })
                : t('admin.reactivate_who', { name: a.display_name ?? '' })
            }
            onClick={() => setConfirming({ kind: 'access', account: a })}
          >
            {a.status === 'active' ? t('admin.deactivate') : t('admin.reactivate')}
          </Button>
        ),
    },
  ];
  const deactivating = confirming?.kind === 'access' && confirming.account.status === 'active';
  const who = { name: confirming?.account.display_name ?? '' };
  const dialog =
    confirming?.kind === 'admin_role'
      ? confirming.grant
        ? {
            title: t('admin.grant_admin_title', who),
            confirm: t('admin.grant_admin'),
            explain: t('admin.grant_admin_explain'),
          }
        : {
            title: t('admin.remove_admin_title', who),
            confirm: t('admin.remove_admin'),
            explain: t('admin.remove_admin_explain'),
          }
      : deactivating
        ? {
            title: t('admin.deactivate_title', who),
            confirm: t('admin.deactivate'),
            explain: t('admin.deactivate_explain'),
          }
        : {
            title: t('admin.reactivate_title', who),
            confirm: t('admin.reactivate'),
            explain: t('admin.reactivate_explain'),
          };
  return (
    <section aria-labelledby="accounts-title">
      <h2 id="accounts-title">{t('admin.accounts')}</h2>
      <p className="hint">{t('admin.accounts_hint')}</p>
      <form
        role="search"
        className="narrow search-form"
        onSubmit={(e) => {
          e.preventDefault();
          setSearch(draft.trim());
          goTo(null, []);
        }}
      >
        <Field label={t('admin.search')} hint={t('admin.search_hint')}>
          {(p) => (
            <input
              {...p}
              type="search"
              maxLength={100}
              value={draft}
              onChange={(e) => setDraft(e.target.value)}
            />
          )}
        </Field>
        <p className="button-row">
          <Button type="submit">{t('admin.search_button')}</Button>
          {search && (
            <Button
              variant="secondary"
              onClick={() => {
                setDraft('');
                setSearch('');
                goTo(null, []);
              }}
            >
              {t('admin.search_clear')}
            </Button>
          )}
        </p>
      </form>
      {accounts.isPending && <Loading />}
      <ErrorNote error={accounts.error ?? update.error} />
      {accounts.data && (
        <>
          <Table
            caption={
              search
                ? t('admin.accounts_matching', { search, page: trail.length + 1 })
                : t('admin.accounts_page', { page: trail.length + 1 })
            }
            columns={columns}
            rows={accounts.data.items}
            rowKey={(a) => a.account_id}
            empty={search ? t('admin.no_match', { search }) : t('admin.no_accounts')}
          />
          <nav className="button-row" aria-label={t('admin.pages')}>
            <Button
              variant="secondary"
              disabled={trail.length === 0 || accounts.isFetching}
              onClick={() => goTo(trail[trail.length - 1] ?? null, trail.slice(0, -1))}
            >
              {t('admin.previous_page')}
            </Button>
            <Button
              variant="secondary"
              disabled={!accounts.data.next_cursor || accounts.isFetching}
              onClick={() => goTo(accounts.data.next_cursor ?? null, [...trail, cursor])}
            >
              {t('admin.next_page')}
            </Button>
          </nav>
        </>
      )}
      <ConfirmDialog
        open={confirming !== null}
        title={dialog.title}
        confirmLabel={dialog.confirm}
        cancelLabel={t('common.cancel')}
        onCancel={() => setConfirming(null)}
        onConfirm={() => {
          if (confirming?.kind === 'access') {
            update.mutate({ account: confirming.account, body: { disabled: deactivating } });
          } else if (confirming?.kind === 'admin_role') {
            const roles = confirming.account.roles.filter((r) => r !== 'admin');
            update.mutate({
              account: confirming.account,
              body: { roles: confirming.grant ? [...roles, 'admin'] : roles },
            });
          }
          setConfirming(null);
        }}
      >
        <p>{dialog.explain}</p>
      </ConfirmDialog>
    </section>
  );
}
