import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, unwrap, type Schemas } from '../../../api/client';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { Countdown, ErrorNote, Field, Form, Loading, formatDate } from '../../../components/ui';
import { useTeamFeedback } from '../../submissions/api';
import { FeedbackList } from '../../submissions/components/FeedbackList';
import { RubricPreview } from '../../submissions/components/RubricPreview';
import { VersionHistory } from '../../submissions/components/VersionHistory';
import { teamKeys, useSubmission, useSubmissionVersion } from '../api';
import { Button } from '../../../components/Button';
import { useToast } from '../../../components/Toast';

type Asking = { kind: 'final' } | { kind: 'withdraw' } | { kind: 'restore'; version: number };

export function Submission({ teamId, challengeId }: { teamId: string; challengeId: string }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const submission = useSubmission(teamId);
  // The draft being typed survives a failed save: it is only replaced when the server's changes.
  const [draft, setDraft] = useState<{ title: string; body: string; base: number } | null>(null);
  const [shown, setShown] = useState<number | null>(null);
  const [asking, setAsking] = useState<Asking | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const toast = useToast();
  // After a final, a withdrawal or a restore, the button that was pressed is gone: the focus goes
  // to the sentence that says what happened.
  const focusDone = useRef(false);
  const said = (text: string) => {
    focusDone.current = true;
    setDone(text);
  };
  if (submission.data && (draft === null || draft.base !== submission.data.version)) {
    setDraft({
      title: submission.data.title,
      body: submission.data.body,
      base: submission.data.version,
    });
  }
  const stored = (data: Schemas['TeamSubmission']) => {
    queryClient.setQueryData(teamKeys.submission(teamId), data);
    void queryClient.invalidateQueries({ queryKey: teamKeys.team(teamId) });
  };
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        api.PUT('/api/v1/teams/{team_id}/submission', {
          params: { path: { team_id: teamId } },
          body: {
            base_version: draft?.base ?? 0,
            title: draft?.title ?? '',
            body: draft?.body ?? '',
            links: [],
          },
        }),
      ),
    onSuccess: (data) => {
      stored(data);
      toast(t('submission.saved', { version: data.version }));
    },
  });
  const final = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/teams/{team_id}/submission/final', {
          params: { path: { team_id: teamId } },
        }),
      ),
    onSuccess: (data) => {
      stored(data);
      said(t('submission.finalised', { version: data.version }));
    },
  });
  const withdraw = useMutation({
    mutationFn: () =>
      unwrap(
        api.DELETE('/api/v1/teams/{team_id}/submission/final', {
          params: { path: { team_id: teamId } },
        }),
      ),
    onSuccess: (data) => {
      stored(data);
      said(t('submission.withdrawn'));
    },
  });
  const restore = useMutation({
    mutationFn: (version: number) =>
      unwrap(
        api.POST('/api/v1/teams/{team_id}/submission/restore', {
          params: { path: { team_id: teamId } },
          body: { version, base_version: submission.data?.version ?? 0 },
        }),
      ),
    onSuccess: (data, version) => {
      stored(data);
      setShown(null);
      said(t('versions.restored', { version, new_version: data.version }));
    },
  });
  const version = useSubmissionVersion(teamId, shown);
  const feedback = useTeamFeedback(teamId);
  if (submission.isPending || !draft) return <Loading />;
  const s = submission.data;
  if (!s) return <ErrorNote error={submission.error} />;
  const conflict = save.error instanceof ApiError && save.error.code === 'version_conflict';
  const deadline = s.deadline ? formatDate(s.deadline, i18n.language) : null;
  // Text typed since the last save: the final is of what the team sees, so it is saved first.
  const unsaved = s.editable && (draft.title !== s.title || draft.body !== s.body);
  const finalVersion = unsaved ? s.version + 1 : s.version;
  const confirm = () => {
    const what = asking;
    setAsking(null);
    setDone(null);
    if (what?.kind === 'final' && unsaved) {
      // A refused save (a conflict, an empty title) is shown on the form, and nothing is final.
      save.mutateAsync().then(
        () => final.mutate(),
        () => undefined,
      );
    } else if (what?.kind === 'final') final.mutate();
    else if (what?.kind === 'withdraw') withdraw.mutate();
    else if (what?.kind === 'restore') restore.mutate(what.version);
  };
  return (
    <section aria-labelledby="submission-title">
      <h2 id="submission-title">{t('submission.title')}</h2>
      <p>
        {s.status === 'final' && !s.final_withdrawable
          ? t('submission.status_locked')
          : t(`submission.status_${s.status}`)}{' '}
        {s.deadline && <Countdown until={s.deadline} />}
      </p>
      <p className="hint" id="final-rule">
        {deadline
          ? t('submission.final_rule', { deadline })
          : t('submission.final_rule_no_deadline')}
      </p>
      <RubricPreview challengeId={challengeId} />
      {done && (
        <p
          role="status"
          className="notice"
          tabIndex={-1}
          ref={(element) => {
            if (element && focusDone.current) {
              focusDone.current = false;
              element.focus();
            }
          }}
        >
          {done}
        </p>
      )}
      <ErrorNote error={final.error ?? withdraw.error ?? restore.error} />
      {s.editable ? (
        <Form
          error={save.error}
          onSubmit={(e) => {
            e.preventDefault();
            setDone(null);
            save.mutate();
          }}
        >
          <Field label={t('submission.heading')} name="title">
            {(p) => (
              <input
                {...p}
                required
                maxLength={200}
                value={draft.title}
                onChange={(e) => setDraft({ ...draft, title: e.target.value })}
              />
            )}
          </Field>
          <Field label={t('submission.body')} hint={t('team.markdown_hint')} name="body">
            {(p) => (
              <textarea
                {...p}
                rows={10}
                value={draft.body}
                onChange={(e) => setDraft({ ...draft, body: e.target.value })}
              />
            )}
          </Field>
          {conflict && (
            <p className="error" role="alert">
              {t('submission.conflict')}{' '}
              <Button
                variant="link"
                onClick={() => void submission.refetch().then(() => save.reset())}
              >
                {t('submission.load_latest')}
              </Button>
            </p>
          )}
          {!conflict && <ErrorNote error={save.error} />}
          <div className="button-row">
            <Button type="submit" disabled={save.isPending}>
              {t('submission.save')}
            </Button>
            {s.status === 'draft' && (
              <Button
                variant="secondary"
                aria-describedby="final-rule"
                disabled={final.isPending || save.isPending}
                onClick={() => setAsking({ kind: 'final' })}
              >
                {t('submission.make_final')}
              </Button>
            )}
          </div>
        </Form>
      ) : (
        <article>
          <h3>{s.title}</h3>
          <div dangerouslySetInnerHTML={{ __html: s.body_html }} />
          {s.final_withdrawable && (
            <div className="button-row">
              <Button
                variant="secondary"
                aria-describedby="final-rule"
                disabled={withdraw.isPending}
                onClick={() => setAsking({ kind: 'withdraw' })}
              >
                {t('submission.withdraw_final')}
              </Button>
            </div>
          )}
        </article>
      )}
      <VersionHistory
        history={s.history}
        current={{ version: s.version, title: s.title, body: s.body }}
        shown={shown}
        onShow={setShown}
        version={version.data}
        error={version.error}
        actions={(v) =>
          s.editable && v.version !== s.version ? (
            <Button
              variant="secondary"
              disabled={restore.isPending}
              onClick={() => setAsking({ kind: 'restore', version: v.version })}
            >
              {t('versions.restore')}
            </Button>
          ) : null
        }
      />
      <h3>{t('feedback.title')}</h3>
      <p className="hint">{t('feedback.team_hint')}</p>
      {feedback.isPending ? (
        <Loading />
      ) : feedback.data ? (
        <FeedbackList items={feedback.data} />
      ) : (
        <ErrorNote error={feedback.error} />
      )}
      <ConfirmDialog
        open={asking !== null}
        title={
          asking?.kind === 'final'
            ? t('submission.final_confirm_title', { version: finalVersion })
            : asking?.kind === 'withdraw'
              ? t('submission.withdraw_confirm_title')
              : t('versions.restore_confirm_title', {
                  version: asking?.kind === 'restore' ? asking.version : 0,
                })
        }
        confirmLabel={
          asking?.kind === 'final'
            ? t('submission.final_confirm_yes')
            : asking?.kind === 'withdraw'
              ? t('submission.withdraw_confirm_yes')
              : t('versions.restore_confirm_yes')
        }
        cancelLabel={t('common.cancel')}
        onConfirm={confirm}
        onCancel={() => setAsking(null)}
      >
        <p>
          {asking?.kind === 'final' && unsaved && (
            <>{t('submission.final_saves_first', { version: finalVersion })} </>
          )}
          {asking?.kind === 'final'
            ? deadline
              ? t('submission.final_confirm', { deadline })
              : t('submission.final_confirm_no_deadline')
            : asking?.kind === 'withdraw'
              ? t('submission.withdraw_confirm')
              : t('versions.restore_confirm', {
                  version: asking?.kind === 'restore' ? asking.version : 0,
                  new_version: s.version + 1,
                })}
        </p>
      </ConfirmDialog>
    </section>
  );
}
