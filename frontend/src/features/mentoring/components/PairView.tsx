import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../../../api/client';
import { Button } from '../../../components/Button';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { useLabels } from '../../../components/labels';
import { ErrorNote, formatDate } from '../../../components/ui';
import { mentoringKeys, usePartnerName } from '../api';
import { PairJournal } from './PairJournal';
import { PairPlan } from './PairPlan';
import { PairSessions } from './PairSessions';

type Answer = Schemas['AnswerIn']['answer'];

/** One's match: the partner under their handle (and name, once both consented), the skills
 * the two teach each other, the answer to the match and the consent to show one's name; once
 * both accepted, the pair's plan, sessions with check-ins, and journal. */
export function PairView({
  programmeId,
  pair,
  closed = false,
}: {
  programmeId: string;
  pair: Schemas['MyPair'];
  /** The programme has closed (the journal may then be deleted). */
  closed?: boolean;
}) {
  const { t, i18n } = useTranslation();
  const labels = useLabels();
  const queryClient = useQueryClient();
  const partnerName = usePartnerName(programmeId, pair.reveal.both);
  const [confirming, setConfirming] = useState<Answer | null>(null);
  // The box shows the choice at once, while the server records it.
  const [showName, setShowName] = useState(pair.reveal.you);
  const path = { params: { path: { programme_id: programmeId } } };
  const saved = (data: Schemas['MyPair']) =>
    queryClient.setQueryData(mentoringKeys.pair(programmeId), data);
  const answer = useMutation({
    mutationFn: (value: Answer) =>
      unwrap(
        api.POST('/api/v1/programmes/{programme_id}/pair/answer', {
          ...path,
          body: { answer: value },
        }),
      ),
    onSuccess: saved,
  });
  const reveal = useMutation({
    mutationFn: (value: boolean) =>
      unwrap(
        api.PUT('/api/v1/programmes/{programme_id}/pair/reveal', {
          ...path,
          body: { reveal: value },
        }),
      ),
    onSuccess: saved,
  });
  const mine = pair.my_role === 'mentee' ? 'mentee' : 'mentor';
  const declined = pair.my_answer === 'declined' || pair.partner_answer === 'declined';
  // The plan, sessions and journal open once both accepted (the server says pair_not_agreed
  // before).
  const agreed = pair.my_answer === 'accepted' && pair.partner_answer === 'accepted';
  return (
    <>
      {pair.reminded_at && (
        <p className="notice" role="note">
          {t('mentoring.pair.reminder', { date: formatDate(pair.reminded_at, i18n.language) })}
        </p>
      )}
      <section aria-labelledby="partner-title">
        <h2 id="partner-title">{t('mentoring.pair.partner', { handle: pair.partner_handle })}</h2>
        {pair.reveal.both && partnerName.data && (
          <p className="partner-name">
            {t('mentoring.pair.partner_name', {
              name: partnerName.data.display_name,
              email: partnerName.data.email,
            })}
          </p>
        )}
        <ErrorNote error={partnerName.error} />
        <dl className="pair-facts">
          <dt>{t('mentoring.pair.your_role')}</dt>
          <dd>{t(`mentoring.role.${mine}`)}</dd>
          <dt>{t('mentoring.generation')}</dt>
          <dd>{labels.cohort(pair.partner_generation)}</dd>
          <dt>{t('mentoring.pair.skills')}</dt>
          <dd>
            <ul className="plain">
              {pair.skills.map((s) => (
                <li key={`${s.skill}-${s.taught_by}`}>
                  {t(`mentoring.pair.${s.taught_by === mine ? 'you_teach' : 'you_learn'}`, {
                    skill: labels.skill(s.skill),
                    guidance: t(`track.${s.guidance}`),
                    guidance_means: t(`track_means.${s.guidance}`),
                  })}
                </li>
              ))}
            </ul>
          </dd>
        </dl>
      </section>
      <section aria-labelledby="answer-title">
        <h2 id="answer-title">{t('mentoring.pair.answer_title')}</h2>
        <p role="status">
          {t(`mentoring.pair.my_answer.${pair.my_answer}`)}{' '}
          {t(`mentoring.pair.partner_answer.${pair.partner_answer}`)}
        </p>
        {pair.my_answer === 'pending' && (
          <div className="button-row">
            <Button onClick={() => setConfirming('accepted')} disabled={answer.isPending}>
              {t('mentoring.pair.accept')}
            </Button>
            <Button
              variant="secondary"
              onClick={() => setConfirming('declined')}
              disabled={answer.isPending}
            >
              {t('mentoring.pair.decline')}
            </Button>
          </div>
        )}
        <ErrorNote error={answer.error} />
        <ConfirmDialog
          open={confirming !== null}
          title={confirming ? t(`mentoring.pair.confirm_title.${confirming}`) : ''}
          confirmLabel={
            confirming === 'declined' ? t('mentoring.pair.decline') : t('mentoring.pair.accept')
          }
          cancelLabel={t('common.cancel')}
          onCancel={() => setConfirming(null)}
          onConfirm={() => {
            if (confirming) answer.mutate(confirming);
            setConfirming(null);
          }}
        >
          <p>{confirming ? t(`mentoring.pair.confirm_body.${confirming}`) : ''}</p>
        </ConfirmDialog>
      </section>
      {!declined && (
        <section aria-labelledby="reveal-title">
          <h2 id="reveal-title">{t('mentoring.pair.reveal_title')}</h2>
          <p>{t('mentoring.pair.reveal_explained')}</p>
          <label className="inline">
            <input
              type="checkbox"
              checked={showName}
              onChange={(e) => {
                const agree = e.target.checked;
                setShowName(agree);
                // Back to what the server holds if it refused.
                reveal.mutate(agree, { onError: () => setShowName(pair.reveal.you) });
              }}
            />{' '}
            {t('mentoring.pair.reveal_mine')}
          </label>
          <p role="status">
            {pair.reveal.both
              ? t('mentoring.pair.reveal_both')
              : pair.reveal.partner
                ? t('mentoring.pair.reveal_partner_only')
                : pair.reveal.you
                  ? t('mentoring.pair.reveal_you_only')
                  : t('mentoring.pair.reveal_nobody')}
          </p>
          <ErrorNote error={reveal.error} />
        </section>
      )}
      {agreed && (
        <>
          <PairPlan programmeId={programmeId} myRole={mine} />
          <PairSessions programmeId={programmeId} />
          <PairJournal programmeId={programmeId} closed={closed} />
        </>
      )}
    </>
  );
}
