import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ApiError, api, unwrap, type Schemas } from '../../../api/client';
import { EmailField } from '../../../components/credentialFields';
import { ErrorNote, Form, Loading } from '../../../components/ui';
import { facilitateKeys, useFacilitators } from '../api';
import { Button } from '../../../components/Button';
import { Badge } from '../../../components/Badge';

type Facilitator = Schemas['Facilitator'];

// The challenge's facilitators: its creator and the co-facilitators they add (by e-mail).
export function CoFacilitators({ challengeId }: { challengeId: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const path = { params: { path: { challenge_id: challengeId } } };
  const [email, setEmail] = useState('');
  const list = useFacilitators(challengeId);
  const add = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/challenges/{challenge_id}/facilitators', { ...path, body: { email } }),
      ),
    onSuccess: async () => {
      setEmail('');
      await queryClient.invalidateQueries({ queryKey: facilitateKeys.facilitators(challengeId) });
    },
  });
  const remove = useMutation({
    mutationFn: (f: Facilitator) =>
      unwrap(
        api.DELETE('/api/v1/challenges/{challenge_id}/facilitators/{account_id}', {
          params: { path: { challenge_id: challengeId, account_id: f.account_id } },
        }),
      ),
    onSuccess: async (_, f) => {
      // Leaving: the challenge is no longer yours to manage.
      if (f.you) void navigate('/facilitate');
      await queryClient.invalidateQueries();
    },
  });
  return (
    <section aria-labelledby="cofacilitators-title">
      <h2 id="cofacilitators-title">{t('cofacilitators.title')}</h2>
      <p className="hint">{t('cofacilitators.intro')}</p>
      {list.isPending && <Loading />}
      <ErrorNote error={list.error} />
      {list.data && (
        <ul className="facilitators">
          {list.data.map((f) => (
            <li key={f.account_id}>
              {f.display_name} &lt;{f.email}&gt;{' '}
              {f.creator && <Badge>{t('cofacilitators.creator')}</Badge>}{' '}
              {f.you && <Badge>{t('cofacilitators.you')}</Badge>}{' '}
              {!f.creator && (
                <Button
                  variant="secondary"
                  disabled={remove.isPending}
                  aria-label={
                    f.you
                      ? t('cofacilitators.leave')
                      : t('cofacilitators.remove_named', { name: f.display_name })
                  }
                  onClick={() => remove.mutate(f)}
                >
                  {f.you ? t('cofacilitators.leave') : t('common.remove')}
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
      <ErrorNote error={remove.error} />
      <Form
        error={add.error}
        onSubmit={(e) => {
          e.preventDefault();
          add.mutate();
        }}
      >
        <EmailField
          label={t('cofacilitators.email')}
          hint={t('cofacilitators.email_hint')}
          autoComplete="off"
          value={email}
          onChange={setEmail}
        />
        {add.error instanceof ApiError && add.error.code === 'account_not_found' ? (
          <p className="error" role="alert">
            {t('cofacilitators.not_addable')}
          </p>
        ) : (
          <ErrorNote error={add.error} />
        )}
        <Button type="submit" disabled={add.isPending}>
          {t('cofacilitators.add')}
        </Button>
      </Form>
    </section>
  );
}
