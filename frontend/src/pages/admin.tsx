import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, unwrap, type Schemas } from '../api/client';
import { ErrorNote, Field, Loading, Page, formatDate } from '../components/ui';

type Role = 'participant' | 'facilitator' | 'admin';

function Invite() {
  const { t, i18n } = useTranslation();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('participant');
  const invite = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/admin/invitations', { body: { display_name: name, email, role, language: 'en' } as Schemas['InvitationCreate'] })),
  });
  const fieldError = (n: string) => (invite.error instanceof ApiError ? invite.error.fieldMessage(n) : undefined);
  return (
    <section aria-labelledby="invite-title">
      <h2 id="invite-title">{t('admin.invite')}</h2>
      <form
        className="narrow"
        onSubmit={(e) => {
          e.preventDefault();
          invite.mutate();
        }}
      >
        <Field label={t('profile.display_name')} error={fieldError('display_name')}>
          {(p) => <input {...p} required value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field label={t('profile.email')} error={fieldError('email')}>
          {(p) => <input {...p} type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />}
        </Field>
        <Field label={t('admin.role')}>
          {(p) => (
            <select {...p} value={role} onChange={(e) => setRole(e.target.value as Role)}>
              {(['participant', 'facilitator', 'admin'] as const).map((r) => (
                <option key={r} value={r}>
                  {t(`roles.${r}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <ErrorNote error={invite.error} />
        <button type="submit" disabled={invite.isPending}>
          {t('admin.send_invite')}
        </button>
        {invite.data && (
          <p role="status" className="ok">
            {t('admin.invited', { code: invite.data.invitation_code, until: formatDate(invite.data.expires_at, i18n.language) })}
          </p>
        )}
      </form>
    </section>
  );
}

function Import() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const upload = useMutation({
    mutationFn: (dryRun: boolean) => {
      const form = new FormData();
      if (file) form.append('file', file);
      return unwrap(
        api.POST('/api/v1/admin/invitations/import', {
          params: { query: { dry_run: dryRun } },
          body: form as unknown as Schemas['Body_admin-import_invitations'],
          bodySerializer: (body) => body as unknown as FormData,
        }),
      );
    },
    onSuccess: (result) => {
      if (!result.dry_run) void queryClient.invalidateQueries({ queryKey: ['accounts'] });
    },
  });
  const result = upload.data;
  const rejected = upload.error instanceof ApiError && upload.error.code === 'csv_rejected';
  return (
    <section aria-labelledby="import-title">
      <h2 id="import-title">{t('admin.import')}</h2>
      <p className="hint">{t('admin.import_hint')}</p>
      <label>
        {t('admin.csv_file')} <input type="file" accept=".csv,text/csv" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
      </label>
      <p>
        <button type="button" disabled={!file || upload.isPending} onClick={() => upload.mutate(true)}>
          {t('admin.preview')}
        </button>
      </p>
      {!rejected && <ErrorNote error={upload.error} />}
      {rejected && upload.error instanceof ApiError && (
        <div role="alert" className="error">
          <p>{t('admin.rejected')}</p>
          <ul>
            {(upload.error.problem.errors ?? []).map((e, i) => (
              <li key={i}>{e.message}</li>
            ))}
          </ul>
        </div>
      )}
      {result && (
        <div role="status">
          <p>{result.dry_run ? t('admin.preview_result', { count: result.valid_rows }) : t('admin.imported', { count: result.invitations.length })}</p>
          {result.errors.length > 0 && (
            <ul className="error">
              {result.errors.map((e, i) => (
                <li key={i}>{t('admin.row_error', { row: e.row, field: e.field ?? '', message: e.message })}</li>
              ))}
            </ul>
          )}
          {result.dry_run && result.errors.length === 0 && result.valid_rows > 0 && (
            <button type="button" onClick={() => upload.mutate(false)}>
              {t('admin.confirm_import', { count: result.valid_rows })}
            </button>
          )}
        </div>
      )}
    </section>
  );
}

function Accounts() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const accounts = useQuery({ queryKey: ['accounts'], queryFn: () => unwrap(api.GET('/api/v1/admin/accounts', { params: { query: { limit: 200 } } })) });
  const update = useMutation({
    mutationFn: (u: { id: string; body: Schemas['AccountAdminUpdate'] }) => unwrap(api.PATCH('/api/v1/admin/accounts/{account_id}', { params: { path: { account_id: u.id } }, body: u.body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['accounts'] }),
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
                      aria-label={t('admin.role_for', { role: t(`roles.${role}`), name: a.display_name ?? '' })}
                      checked={a.roles.includes(role)}
                      onChange={(e) =>
                        update.mutate({
                          id: a.account_id,
                          body: { roles: e.target.checked ? [...a.roles, role] : a.roles.filter((r) => r !== role) },
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

function Keys() {
  const { t, i18n } = useTranslation();
  const keys = useQuery({ queryKey: ['keys'], queryFn: () => unwrap(api.GET('/api/v1/admin/keys')) });
  if (!keys.data) return <ErrorNote error={keys.error} />;
  const epoch = keys.data.erasure_epoch;
  return (
    <section aria-labelledby="keys-title">
      <h2 id="keys-title">{t('admin.keys')}</h2>
      <p>
        {t('admin.key_status', { version: keys.data.current_kek_version, in_use: keys.data.kek_versions_in_use.join(', ') })}{' '}
        {keys.data.rotation_needed ? t('admin.rotation_needed') : t('admin.rotation_ok')}
      </p>
      <div className="table-scroll">
        <table>
          <caption>{t('admin.key_versions_caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('admin.key_version')}</th>
              <th scope="col">{t('admin.key_data_keys')}</th>
              <th scope="col">{t('admin.key_signing_keys')}</th>
            </tr>
          </thead>
          <tbody>
            {keys.data.kek_versions.map((v) => (
              <tr key={v.kek_version}>
                <th scope="row">
                  {v.kek_version}
                  {v.current ? ` (${t('admin.key_current')})` : ''}
                  {v.available ? '' : ` (${t('admin.key_missing')})`}
                </th>
                <td>{v.sealed.account_data_key ?? 0}</td>
                <td>{v.sealed.review_round_signing_key ?? 0}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p>
        {epoch.waiting === 0
          ? t('admin.epoch_none')
          : epoch.automatic
            ? t('admin.epoch_waiting', {
                count: epoch.waiting,
                since: new Date(epoch.waiting_since ?? '').toLocaleString(i18n.language),
              })
            : t('admin.epoch_waiting_holder', {
                count: epoch.waiting,
                since: new Date(epoch.waiting_since ?? '').toLocaleString(i18n.language),
              })}
      </p>
    </section>
  );
}

export function AdminPage() {
  const { t } = useTranslation();
  return (
    <Page title={t('admin.title')}>
      <Invite />
      <Import />
      <Accounts />
      <Keys />
    </Page>
  );
}
