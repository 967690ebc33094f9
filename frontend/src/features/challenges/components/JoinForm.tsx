import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import { ErrorNote } from '../../../components/ui';
import { challengeKeys } from '../api';
import { SkillList, type Claim } from './SkillList';

export function JoinForm({ challengeId }: { challengeId: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [teach, setTeach] = useState<Claim[]>([{ skill: '', level: 4 }]);
  const [learn, setLearn] = useState<Claim[]>([{ skill: '', level: 1 }]);
  const join = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/challenges/{challenge_id}/enrolment', {
          params: { path: { challenge_id: challengeId } },
          body: {
            teach: teach.filter((c) => c.skill.trim()),
            learn: learn.filter((c) => c.skill.trim()),
          },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: challengeKeys.detail(challengeId) }),
  });
  return (
    <form
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        join.mutate();
      }}
    >
      <h2>{t('join.title')}</h2>
      <p>{t('join.intro')}</p>
      <details className="scale">
        <summary>{t('skills.scale_title')}</summary>
        <dl>
          {[0, 1, 2, 3, 4].map((level) => (
            <div key={level}>
              <dt>{t(`skills.level_${level}`)}</dt>
              <dd>{t(`skills.level_${level}_means`)}</dd>
            </div>
          ))}
        </dl>
      </details>
      <SkillList
        legend={t('join.teach')}
        hint={t('join.teach_hint')}
        claims={teach}
        onChange={setTeach}
        idPrefix="teach"
      />
      <SkillList
        legend={t('join.learn')}
        hint={t('join.learn_hint')}
        claims={learn}
        onChange={setLearn}
        idPrefix="learn"
      />
      <ErrorNote error={join.error} />
      <button type="submit" disabled={join.isPending}>
        {t('join.submit')}
      </button>
    </form>
  );
}
