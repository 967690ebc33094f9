import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap, type Schemas } from '../../../api/client';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { useLabels } from '../../../components/labels';
import { ErrorNote, Loading, formatDate } from '../../../components/ui';
import { challengeKeys, useEnrolment, type ChallengeDetail } from '../api';
import { JoinForm } from './JoinForm';
import { SelfFormed } from './SelfFormed';
import { Button } from '../../../components/Button';
import { useToast } from '../../../components/Toast';

type SkillClaim = Schemas['SkillClaim'];

function Claims({ title, claims }: { title: string; claims: SkillClaim[] }) {
  const { t } = useTranslation();
  const labels = useLabels();
  return (
    <>
      <dt>{title}</dt>
      <dd>
        {claims.length === 0 ? (
          t('join.no_skills')
        ) : (
          <ul className="skills">
            {claims.map((c) => (
              <li key={c.skill}>
                {labels.skill(c.skill)}{' '}
                <span className="muted">({t(`skills.level_${c.level}`)})</span>
              </li>
            ))}
          </ul>
        )}
      </dd>
    </>
  );
}

/** One's place in a challenge one has joined: what comes next, one's skills (editable while
 * enrolment is open), the way to one's team, the review or the results. `justJoined`: the join
 * form that had the focus is gone, so the focus moves to what it says now. */
export function Enrolled({
  challenge: c,
  justJoined,
}: {
  challenge: ChallengeDetail;
  justJoined: boolean;
}) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const enrolment = useEnrolment(c.id, true);
  const [editing, setEditing] = useState(false);
  const toast = useToast();
  const [confirmWithdraw, setConfirmWithdraw] = useState(false);
  const [inTeam, setInTeam] = useState(false);
  const teamNote = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (inTeam) teamNote.current?.focus();
  }, [inTeam]);
  const joinedNote = useRef<HTMLParagraphElement>(null);
  const skillsTitle = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (justJoined) joinedNote.current?.focus();
  }, [justJoined]);
  const withdraw = useMutation({
    mutationFn: () =>
      unwrap(
        api.DELETE('/api/v1/challenges/{challenge_id}/enrolment', {
          params: { path: { challenge_id: c.id } },
        }),
      ),
    onSuccess: async () => {
      queryClient.removeQueries({ queryKey: challengeKeys.enrolment(c.id) });
      await queryClient.invalidateQueries({ queryKey: challengeKeys.detail(c.id) });
    },
  });
  const open = c.phase === 'enrolment';
  const selfFormed = c.formation_mode === 'self_formed';
  const next = open
    ? selfFormed
      ? t('join.next_self_formed')
      : t('join.next_optimised', {
          date: formatDate(c.schedule.teamwork_starts_at, i18n.language),
        })
    : null;
  return (
    <section aria-labelledby="you-title">
      <h2 id="you-title">{t('challenge.you_are', { handle: c.my_handle })}</h2>
      {justJoined && (
        <p className="ok" role="status" tabIndex={-1} ref={joinedNote}>
          {t('join.joined')} {next}
        </p>
      )}
      {!justJoined && next && <p>{next}</p>}
      {inTeam && c.my_team_id && (
        <p className="ok" role="status" tabIndex={-1} ref={teamNote}>
          {t('teams.in_team')}
        </p>
      )}
      <ul className="actions">
        {c.my_team_id && (
          <li>
            <Link to={`/teams/${c.my_team_id}`}>{t('challenge.open_team')}</Link>
          </li>
        )}
        {c.phase === 'review' && (
          <li>
            <Link to={`/challenges/${c.id}/review`}>{t('challenge.open_review')}</Link>
          </li>
        )}
        {c.phase === 'closed' && (
          <li>
            <Link to={`/challenges/${c.id}/results`}>{t('challenge.open_results')}</Link>
          </li>
        )}
      </ul>
      <h3 id="my-skills-title" tabIndex={-1} ref={skillsTitle}>
        {t('join.your_skills')}
      </h3>
      {enrolment.isPending && <Loading />}
      <ErrorNote error={enrolment.error} />
      {enrolment.data &&
        (editing ? (
          <JoinForm
            challengeId={c.id}
            enrolment={enrolment.data}
            onDone={() => {
              setEditing(false);
              toast(t('join.skills_saved'));
              skillsTitle.current?.focus();
            }}
            onCancel={() => {
              setEditing(false);
              skillsTitle.current?.focus();
            }}
          />
        ) : (
          <>
            <dl className="my-skills">
              <Claims title={t('join.teach')} claims={enrolment.data.teach} />
              <Claims title={t('join.learn')} claims={enrolment.data.learn} />
            </dl>
            {open && (
              <Button variant="secondary" onClick={() => setEditing(true)}>
                {t('join.edit_skills')}
              </Button>
            )}
          </>
        ))}
      {open && !c.my_team_id && selfFormed && (
        <SelfFormed challengeId={c.id} onDone={() => setInTeam(true)} />
      )}
      {open && (
        <div className="withdraw">
          <ErrorNote error={withdraw.error} />
          <Button variant="secondary" onClick={() => setConfirmWithdraw(true)}>
            {t('challenge.withdraw')}
          </Button>
        </div>
      )}
      <ConfirmDialog
        open={confirmWithdraw}
        title={t('challenge.withdraw_confirm_title')}
        confirmLabel={t('challenge.withdraw_confirm')}
        cancelLabel={t('common.cancel')}
        onCancel={() => setConfirmWithdraw(false)}
        onConfirm={() => {
          setConfirmWithdraw(false);
          withdraw.mutate();
        }}
      >
        <p>{t('challenge.withdraw_confirm_body')}</p>
      </ConfirmDialog>
    </section>
  );
}
