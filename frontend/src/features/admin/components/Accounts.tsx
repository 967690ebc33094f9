import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../../../api/client';
import { ErrorNote, Loading } from '../../../components/ui';
import { adminKeys, useAccounts } from '../api';

export function Accounts() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const accounts = useAccounts();
  const update = useMutation({
    mutationFn: (u: { id: string; body: Schemas['AccountAdminUpdate'] }) =>
      unwrap(
        api.PATCH('/api/v1/admin/accounts/{account_id}', {
          params: { path: { account_id: u.id } },
          body: u.body,
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: adminKeys.accounts() }),
  });
  return (
    <section aria-labelledby="accounts-title">
      <h2 id="accounts-title">{t('admin.accounts')}</h2>
      <p className="hint">{t('admin.accounts_hint')}</p>
      {accounts.isPending && <Loading />}
      <ErrorNote error={accounts.error ?? update.error} />
      <div className="table-wrap" tabIndex={0} role="region" aria-label={t('admin.accounts')}>
        <table>
          <caption className="visually-hidden">{t('admin.accounts')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('profile.display_name')}</th>
              <th scope="col">{t('admin.status')}</th>
              <th scope="col">{t('roles.facilitator')}</th>
              <th scope="col">{t('roles.admin')}</th>
            </tr>
          </thead>
          <tbody>
            {accounts.data?.items.map((a) => (
              <tr key={a.account_id}>
                <th scope="row">
                  {a.display_name} <span className="muted">{a.email}</span>
                </th>
                <td>{t(`admin.status_${a.status}`)}</td>
                {(['facilitator', 'admin'] as const).map((role) => (
                  <td key={role}>
                    <input
                      type="checkbox"
                      aria-label={t('admin.role_for', {
                        role: t(`roles.${role}`),
                        name: a.display_name ?? '',
                      })}
                      checked={a.roles.includes(role)}
                      onChange={(e) =>
                        update.mutate({
                          id: a.account_id,
                          body: {
                            roles: e.target.checked
                              ? [...a.roles, role]
                              : a.roles.filter((r) => r !== role),
                          },
                        })
                      }
                    />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
