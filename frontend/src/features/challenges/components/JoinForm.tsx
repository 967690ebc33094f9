import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../../../api/client';
import { humanise } from '../../../components/labels';
import { ErrorNote, Form } from '../../../components/ui';
import { challengeKeys } from '../api';
import { LevelScale, SkillList, type Claim } from './SkillList';
import { Button } from '../../../components/Button';

type SkillClaim = Schemas['SkillClaim'];

const claimsOf = (claims: SkillClaim[] | undefined): Claim[] =>
  claims && claims.length > 0
    ? claims.map((c) => ({ skill: humanise(c.skill), level: c.level }))
    : [{ skill: '', level: null }];

const filled = (claims: Claim[]): SkillClaim[] =>
  claims
    .filter((c) => c.skill.trim() && c.level !== null)
    .map((c) => ({ skill: c.skill.trim(), level: c.level ?? 1 }));

/** Joining a challenge, or (with `enrolment`) changing one's skills while enrolment is open:
 * the same request, the server replaces the skills. */
export function JoinForm({
  challengeId,
  enrolment,
  onDone,
  onCancel,
}: {
  challengeId: string;
  enrolment?: Schemas['Enrolment'];
  onDone: () => void;
  onCancel?: () => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const editing = !!enrolment;
  const [teach, setTeach] = useState<Claim[]>(() => claimsOf(enrolment?.teach));
  const [learn, setLearn] = useState<Claim[]>(() => claimsOf(enrolment?.learn));
  const join = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/challenges/{challenge_id}/enrolment', {
          params: { path: { challenge_id: challengeId } },
          body: { teach: filled(teach), learn: filled(learn) },
        }),
      ),
    onSuccess: async (saved) => {
      queryClient.setQueryData(challengeKeys.enrolment(challengeId), saved);
      await queryClient.invalidateQueries({ queryKey: challengeKeys.detail(challengeId) });
      onDone();
    },
  });
  return (
    // The browser checks the rows first (a skill without a level would be dropped unsaid);
    // the server's refusals are listed, in the reader's language, by the ErrorNote.
    <Form
      error={join.error}
      noValidate={false}
      aria-labelledby={`join-title-${challengeId}`}
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        join.mutate();
      }}
    >
      <h2 id={`join-title-${challengeId}`}>{editing ? t('join.edit_title') : t('join.title')}</h2>
      <p>{t('join.intro')}</p>
      <LevelScale id="level-scale" />
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
      <div className="button-row">
        <Button type="submit" disabled={join.isPending}>
          {editing ? t('join.save') : t('join.submit')}
        </Button>
        {onCancel && (
          <Button variant="secondary" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
        )}
      </div>
    </Form>
  );
}
