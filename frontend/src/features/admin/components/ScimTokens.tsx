import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../../../api/client';
import { Badge } from '../../../components/Badge';
import { Button } from '../../../components/Button';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { Table, type Column } from '../../../components/Table';
import { useToast } from '../../../components/Toast';
import { ErrorNote, Field, Form, formatDate } from '../../../components/ui';
import { adminKeys, scimBaseUrl, useScimTokens } from '../api';

type Token = Schemas['ScimTokenSummary'];

/** Identity providers' SCIM tokens: make one per provider (shown once: the vault keeps a
 * hash), see which exist, revoke one (with a confirmation: its provider stops at once). */
export function ScimTokens() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const toast = useToast();
  const tokens = useScimTokens();
  const [provider, setProvider] = useState('');
  const [revoking, setRevoking] = useState<Token | null>(null);
  const create = useMutation({
    mutationFn: (name: string) =>
      unwrap(api.POST('/api/v1/admin/scim-tokens', { body: { provider: name } })),
    onSuccess: (made) => {
      setProvider('');
      toast(t('admin.scim_token_made', { provider: made.provider }));
      return queryClient.invalidateQueries({ queryKey: adminKeys.scimTokens() });
    },
  });
  const revoke = useMutation({
    mutationFn: (token: Token) =>
      unwrap(
        api.POST('/api/v1/admin/scim-tokens/{token_id}/revoke', {
          params: { path: { token_id: token.id } },
        }),
      ),
    onSuccess: (token) => {
      toast(t('admin.scim_token_revoked', { provider: token.provider }));
      return queryClient.invalidateQueries({ queryKey: adminKeys.scimTokens() });
    },
  });
  const columns: Column<Token>[] = [
    { id: 'provider', header: t('admin.scim_provider'), cell: (k) => k.provider, rowHeader: true },
    {
      id: 'made',
      header: t('admin.scim_made'),
      cell: (k) => formatDate(k.created_at, i18n.language),
    },
    {
      id: 'state',
      header: t('admin.status'),
      cell: (k) =>
        k.revoked_at ? (
          <Badge>
            {t('admin.scim_revoked_on', { date: formatDate(k.revoked_at, i18n.language) })}
          </Badge>
        ) : (
          <Badge tone="ok">{t('admin.scim_in_use')}</Badge>
        ),
    },
    {
      id: 'revoke',
      header: t('admin.scim_actions'),
      cell: (k) =>
        k.revoked_at ? null : (
          <Button
            variant="danger"
            disabled={revoke.isPending}
            aria-label={t('admin.scim_revoke_who', { provider: k.provider })}
            onClick={() => setRevoking(k)}
          >
            {t('admin.scim_revoke')}
          </Button>
        ),
    },
  ];
  return (
    <section aria-labelledby="scim-title">
      <h2 id="scim-title">{t('admin.scim')}</h2>
      <p className="hint">{t('admin.scim_hint')}</p>
      <p>
        {t('admin.scim_base_url')} <code>{scimBaseUrl()}</code>
      </p>
      <Form
        error={create.error}
        className="narrow"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate(provider.trim());
        }}
      >
        <Field
          label={t('admin.scim_provider')}
          hint={t('admin.scim_provider_hint')}
          name="provider"
        >
          {(p) => (
            <input
              {...p}
              required
              maxLength={100}
              autoComplete="off"
              value={provider}
              onChange={(e) => setProvider(e.target.value)}
            />
          )}
        </Field>
        <Button type="submit" disabled={create.isPending}>
          {t('admin.scim_make')}
        </Button>
      </Form>
      {create.data && (
        <div className="notice" role="status">
          <p>
            <strong>{t('admin.scim_token_once', { provider: create.data.provider })}</strong>
          </p>
          <p>
            <code className="scim-token">{create.data.token}</code>
          </p>
        </div>
      )}
      <ErrorNote error={tokens.error ?? revoke.error} />
      {tokens.data && (
        <Table
          caption={t('admin.scim_tokens_caption')}
          columns={columns}
          rows={tokens.data}
          rowKey={(k) => k.id}
          empty={t('admin.scim_none')}
        />
      )}
      <ConfirmDialog
        open={revoking !== null}
        title={t('admin.scim_revoke_title', { provider: revoking?.provider ?? '' })}
        confirmLabel={t('admin.scim_revoke')}
        cancelLabel={t('common.cancel')}
        onCancel={() => setRevoking(null)}
        onConfirm={() => {
          if (revoking) revoke.mutate(revoking);
          setRevoking(null);
        }}
      >
        <p>{t('admin.scim_revoke_explain')}</p>
      </ConfirmDialog>
    </section>
  );
}
