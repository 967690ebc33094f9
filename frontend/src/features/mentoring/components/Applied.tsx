import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap, type Schemas } from '../../../api/client';
import { Button } from '../../../components/Button';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { useLabels } from '../../../components/labels';
import { useToast } from '../../../components/Toast';
import { ErrorNote, Loading } from '../../../components/ui';
import { mentoringKeys, useMyApplication, type ProgrammeDetail } from '../api';
import { ApplyForm } from './ApplyForm';
import { SlotList } from './SlotList';

/** Skills someone teaches or wants, in words: "Spreadsheets (3 · Exploit)". */
export function SkillClaims({
  teaches,
  wants,
}: {
  teaches: Schemas['Taught'][];
  wants: Schemas['Wanted'][];
}) {
  const { t } = useTranslation();
  const labels = useLabels();
  return (
    <>
      {teaches.length > 0 && (
        <>
          <dt>{t('mentoring.apply.teaches')}</dt>
          <dd>
            {teaches
              .map((c) => `${labels.skill(c.skill)} (${t(`skills.level_${c.level}`)})`)
              .join(', ')}
          </dd>
        </>
      )}
      {wants.length > 0 && (
        <>
          <dt>{t('mentoring.apply.wants')}</dt>
          <dd>
            {wants
              .map(
                (c) =>
                  `${labels.skill(c.skill)} (${t(`mentoring.learn_level.${c.level}`)}, ${t(`track.${c.guidance}`)})`,
              )
              .join(', ')}
          </dd>
        </>
      )}
    </>
  );
}

/** The mentor training as the applicant sees it: where to take it, and "check again". */
function Training({
  programme: p,
  application: a,
}: {
  programme: ProgrammeDetail;
  application: Schemas['MyApplication'];
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const check = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/programmes/{programme_id}/application/training-check', {
          params: { path: { programme_id: p.id } },
        }),
      ),
    onSuccess: (saved) => queryClient.setQueryData(mentoringKeys.application(p.id), saved),
  });
  const state =
    a.training_passed === true ? 'passed' : a.training_passed === false ? 'not_yet' : 'unknown';
  return (
    <section aria-labelledby="training-title">
      <h3 id="training-title">{t('mentoring.training')}</h3>
      <p role="status">{t(`mentoring.training_state.${state}`)}</p>
      {p.training_collection_id && a.training_passed !== true && (
        <p>
          <Link to={`/library/collections/${p.training_collection_id}`}>
            {t('mentoring.training_open')}
          </Link>
        </p>
      )}
      {a.training_passed !== true && (
        <Button variant="secondary" onClick={() => check.mutate()} disabled={check.isPending}>
          {t('mentoring.training_check')}
        </Button>
      )}
      <ErrorNote error={check.error} />
    </section>
  );
}

/** One's application: handle, what one offers and asks for, the lead's decision; editable and
 * withdrawable while applications are open. `justApplied`: the form that had the focus is
 * gone, so the focus moves to the heading that replaces it. */
export function Applied({
  programme: p,
  justApplied = false,
}: {
  programme: ProgrammeDetail;
  justApplied?: boolean;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const toast = useToast();
  const application = useMyApplication(p.id, true);
  const [editing, setEditing] = useState(false);
  const [confirmWithdraw, setConfirmWithdraw] = useState(false);
  const title = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (justApplied) title.current?.focus();
  }, [justApplied]);
  const withdraw = useMutation({
    mutationFn: () =>
      unwrap(
        api.DELETE('/api/v1/programmes/{programme_id}/application', {
          params: { path: { programme_id: p.id } },
        }),
      ),
    onSuccess: async () => {
      queryClient.removeQueries({ queryKey: mentoringKeys.application(p.id) });
      await queryClient.invalidateQueries({ queryKey: mentoringKeys.programme(p.id) });
      toast(t('mentoring.withdrawn'));
    },
  });
  const open = p.phase === 'applications';
  const a = application.data;
  const mentor = a && a.role !== 'mentee';
  return (
    <section aria-labelledby="my-application-title">
      <h2 id="my-application-title" tabIndex={-1} ref={title}>
        {t('mentoring.you_are', { handle: p.my_handle })}
      </h2>
      {justApplied && (
        <p className="ok" role="status">
          {t('mentoring.applied')}
        </p>
      )}
      {application.isPending && <Loading />}
      <ErrorNote error={application.error} />
      {a && editing && (
        <ApplyForm
          programme={p}
          application={a}
          onDone={() => {
            setEditing(false);
            toast(t('mentoring.application_saved'));
            title.current?.focus();
          }}
          onCancel={() => {
            setEditing(false);
            title.current?.focus();
          }}
        />
      )}
      {a && !editing && (
        <>
          <dl className="my-application">
            <dt>{t('mentoring.apply.role')}</dt>
            <dd>{t(`mentoring.role.${a.role}`)}</dd>
            <SkillClaims teaches={a.teaches} wants={a.wants} />
            <dt>{t('mentoring.apply.languages')}</dt>
            <dd>{a.languages.map((l) => t(`languages.${l}`)).join(', ')}</dd>
            <dt>{t('mentoring.apply.availability')}</dt>
            <dd>
              <SlotList slots={a.availability} />
            </dd>
            {mentor && (
              <>
                <dt>{t('mentoring.apply.capacity')}</dt>
                <dd>{t('mentoring.apply.mentees', { count: a.capacity ?? 1 })}</dd>
                <dt>{t('mentoring.selection_title')}</dt>
                <dd>{t(`mentoring.selection_mine.${a.selection}`)}</dd>
              </>
            )}
          </dl>
          {mentor && p.training_required && <Training programme={p} application={a} />}
          {open && (
            <div className="button-row">
              <Button variant="secondary" onClick={() => setEditing(true)}>
                {t('mentoring.edit_application')}
              </Button>
              <Button variant="secondary" onClick={() => setConfirmWithdraw(true)}>
                {t('mentoring.withdraw')}
              </Button>
            </div>
          )}
        </>
      )}
      <ErrorNote error={withdraw.error} />
      <ConfirmDialog
        open={confirmWithdraw}
        title={t('mentoring.withdraw_confirm_title')}
        confirmLabel={t('mentoring.withdraw')}
        cancelLabel={t('common.cancel')}
        onCancel={() => setConfirmWithdraw(false)}
        onConfirm={() => {
          setConfirmWithdraw(false);
          withdraw.mutate();
        }}
      >
        <p>{t('mentoring.withdraw_confirm_body')}</p>
      </ConfirmDialog>
    </section>
  );
}
