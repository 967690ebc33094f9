import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import { ErrorNote, Field, Form } from '../../../components/ui';
import { challengeKeys } from '../api';
import { Button } from '../../../components/Button';

/** Starting a team or joining one by its code. `onDone`: this form goes away once one is in a
 * team, so the page moves the focus to what it says next. */
export function SelfFormed({ challengeId, onDone }: { challengeId: string; onDone: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [code, setCode] = useState('');
  const done = async () => {
    await queryClient.invalidateQueries({ queryKey: challengeKeys.detail(challengeId) });
    onDone();
  };
  const create = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/challenges/{challenge_id}/teams', {
          params: { path: { challenge_id: challengeId } },
        }),
      ),
    onSuccess: done,
  });
  const join = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/teams/join', { body: { code } })),
    onSuccess: done,
  });
  return (
    <div className="self-formed">
      <h3>{t('teams.self_formed')}</h3>
      <Button onClick={() => create.mutate()}>{t('teams.create')}</Button>
      <ErrorNote error={create.error} />
      <Form
        error={join.error}
        onSubmit={(e) => {
          e.preventDefault();
          join.mutate();
        }}
      >
        <Field label={t('teams.code')} name="code">
          {(p) => <input {...p} value={code} onChange={(e) => setCode(e.target.value)} required />}
        </Field>
        <Button type="submit">{t('teams.join')}</Button>
        <ErrorNote error={join.error} />
      </Form>
    </div>
  );
}
