import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, unwrap } from '../../../api/client';
import { Countdown, ErrorNote, Field, Loading, formatDate } from '../../../components/ui';
import { teamKeys, useSubmission, useSubmissionVersion } from '../api';

export function Submission({ teamId }: { teamId: string }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const submission = useSubmission(teamId);
  // The draft being typed survives a failed save: it is only replaced when the server's changes.
  const [draft, setDraft] = useState<{ title: string; body: string; base: number } | null>(null);
  const [shown, setShown] = useState<number | null>(null);
  if (submission.data && (draft === null || draft.base !== submission.data.version)) {
    setDraft({
      title: submission.data.title,
      body: submission.data.body,
      base: submission.data.version,
    });
  }
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
    onSuccess: (data) => queryClient.setQueryData(teamKeys.submission(teamId), data),
  });
  const final = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/teams/{team_id}/submission/final', {
          params: { path: { team_id: teamId } },
        }),
      ),
    onSuccess: (data) => queryClient.setQueryData(teamKeys.submission(teamId), data),
  });
  const version = useSubmissionVersion(teamId, shown);
  if (submission.isPending || !draft) return <Loading />;
  const s = submission.data;
  if (!s) return <ErrorNote error={submission.error} />;
  const conflict = save.error instanceof ApiError && save.error.code === 'version_conflict';
  return (
    <section aria-labelledby="submission-title">
      <h2 id="submission-title">{t('submission.title')}</h2>
      <p>
        {t(`submission.status_${s.status}`)} {s.deadline && <Countdown until={s.deadline} />}
      </p>
      {s.editable ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate();
          }}
        >
          <Field label={t('submission.heading')}>
            {(p) => (
              <input
                {...p}
                required
                value={draft.title}
                onChange={(e) => setDraft({ ...draft, title: e.target.value })}
              />
            )}
          </Field>
          <Field label={t('submission.body')} hint={t('team.markdown_hint')}>
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
              <button
                type="button"
                className="link-button"
                onClick={() => void submission.refetch().then(() => save.reset())}
              >
                {t('submission.load_latest')}
              </button>
            </p>
          )}
          {!conflict && <ErrorNote error={save.error} />}
          {save.isSuccess && <p role="status">{t('submission.saved', { version: s.version })}</p>}
          <button type="submit" disabled={save.isPending}>
            {t('submission.save')}
          </button>{' '}
          {s.status === 'draft' && (
            <button
              type="button"
              className="secondary"
              onClick={() => {
                if (window.confirm(t('submission.final_confirm'))) final.mutate();
              }}
            >
              {t('submission.make_final')}
            </button>
          )}
          <ErrorNote error={final.error} />
        </form>
      ) : (
        <article>
          <h3>{s.title}</h3>
          <div dangerouslySetInnerHTML={{ __html: s.body_html }} />
        </article>
      )}
      {s.history.length > 0 && (
        <>
          <h3>{t('submission.history')}</h3>
          <ol className="history">
            {s.history.map((v) => (
              <li key={v.version}>
                <button type="button" className="link-button" onClick={() => setShown(v.version)}>
                  {t('submission.version', { version: v.version })}
                </button>{' '}
                — {v.editor_handle ?? t('team.someone_who_left')},{' '}
                {formatDate(v.created_at, i18n.language)}
              </li>
            ))}
          </ol>
          {version.data && (
            <article className="version" aria-live="polite">
              <h4>
                {t('submission.version', { version: version.data.version })}: {version.data.title}
              </h4>
              <div dangerouslySetInnerHTML={{ __html: version.data.body_html }} />
            </article>
          )}
        </>
      )}
    </section>
  );
}
