import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import { ErrorNote } from '../../../components/ui';
import { challengeKeys } from '../api';

export function SelfFormed({ challengeId }: { challengeId: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [code, setCode] = useState('');
  const done = () => queryClient.invalidateQueries({ queryKey: challengeKeys.detail(challengeId) });
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
      <button type="button" onClick={() => create.mutate()}>
        {t('teams.create')}
      </button>
      <ErrorNote error={create.error} />
      <form
        onSubmit={(e) => {
          e.preventDefault();
          join.mutate();
        }}
      >
        <label>
          {t('teams.code')}{' '}
          <input value={code} onChange={(e) => setCode(e.target.value)} required />
        </label>
        <button type="submit">{t('teams.join')}</button>
        <ErrorNote error={join.error} />
      </form>
    </div>
  );
}
