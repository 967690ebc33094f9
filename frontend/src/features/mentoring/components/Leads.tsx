import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import { Button } from '../../../components/Button';
import { useToast } from '../../../components/Toast';
import { EmailField } from '../../../components/credentialFields';
import { ErrorNote, Form, Loading } from '../../../components/ui';
import { mentoringKeys, useLeads } from '../api';

/** The creator and the co-leads; a facilitator is added by e-mail. */
export function Leads({ programmeId }: { programmeId: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const toast = useToast();
  const leads = useLeads(programmeId);
  const [email, setEmail] = useState('');
  const refresh = () =>
    queryClient.invalidateQueries({ queryKey: mentoringKeys.leads(programmeId) });
  const add = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/programmes/{programme_id}/leads', {
          params: { path: { programme_id: programmeId } },
          body: { email },
        }),
      ),
    onSuccess: async (lead) => {
      setEmail('');
      toast(t('mentoring.leads.added', { name: lead.display_name }));
      await refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (accountId: string) =>
      unwrap(
        api.DELETE('/api/v1/programmes/{programme_id}/leads/{account_id}', {
          params: { path: { programme_id: programmeId, account_id: accountId } },
        }),
      ),
    onSuccess: refresh,
  });
  return (
    <section aria-labelledby="leads-title">
      <h2 id="leads-title">{t('mentoring.leads.title')}</h2>
      {leads.isPending && <Loading />}
      <ErrorNote error={leads.error ?? remove.error} />
      <ul className="plain">
        {leads.data?.map((lead) => (
          <li key={lead.account_id}>
            {lead.display_name} <span className="muted">({lead.email})</span>
            {lead.creator && <span className="muted"> · {t('mentoring.leads.creator')}</span>}
            {lead.you && <span className="muted"> · {t('mentoring.leads.you')}</span>}
            {!lead.creator && (
              <Button
                variant="link"
                onClick={() => remove.mutate(lead.account_id)}
                aria-label={t('mentoring.leads.remove', { name: lead.display_name })}
              >
                {t('common.remove')}
              </Button>
            )}
          </li>
        ))}
      </ul>
      <Form
        error={add.error}
        aria-label={t('mentoring.leads.add')}
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          add.mutate();
        }}
      >
        <EmailField
          label={t('mentoring.leads.email')}
          hint={t('mentoring.leads.hint')}
          value={email}
          onChange={setEmail}
          autoComplete="off"
        />
        <ErrorNote error={add.error} />
        <Button type="submit" disabled={add.isPending}>
          {t('mentoring.leads.add')}
        </Button>
      </Form>
    </section>
  );
}
