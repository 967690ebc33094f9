import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError, api, unwrap, type Schemas } from '../api/client';
import { Countdown, ErrorNote, Field, Loading, Page, formatDate } from '../components/ui';

type MyTeam = Schemas['MyTeam'];

export function DiversityBadge({ diversity }: { diversity: Schemas['Diversity'] }) {
  const { t } = useTranslation();
  return (
    <p className="diversity" aria-label={t('team.diversity')}>
      <span className="badge">{t('team.generations', { count: diversity.generations })}</span>
      <span className="badge">{t('team.seniority_bands', { count: diversity.seniority_bands })}</span>
      <span className="badge">{t('team.departments', { count: diversity.departments })}</span>
    </p>
  );
}

function Messages({ teamId }: { teamId: string }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [body, setBody] = useState('');
  const [editing, setEditing] = useState<{ id: string; body: string } | null>(null);
  const messages = useQuery({
    queryKey: ['messages', teamId],
    queryFn: () => unwrap(api.GET('/api/v1/teams/{team_id}/messages', { params: { path: { team_id: teamId }, query: { limit: 50 } } })),
    refetchInterval: 15_000,
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['messages', teamId] });
  const post = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/teams/{team_id}/messages', { params: { path: { team_id: teamId } }, body: { body } })),
    onSuccess: () => {
      setBody('');
      void refresh();
    },
  });
  const edit = useMutation({
    mutationFn: (m: { id: string; body: string }) =>
      unwrap(api.PATCH('/api/v1/teams/{team_id}/messages/{message_id}', { params: { path: { team_id: teamId, message_id: m.id } }, body: { body: m.body } })),
    onSuccess: () => {
      setEditing(null);
      void refresh();
    },
  });
  return (
    <section aria-labelledby="messages-title">
      <h2 id="messages-title">{t('team.messages')}</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          post.mutate();
        }}
      >
        <Field label={t('team.new_message')} hint={t('team.markdown_hint')}>
          {(p) => <textarea {...p} rows={3} required value={body} onChange={(e) => setBody(e.target.value)} />}
        </Field>
        <ErrorNote error={post.error} />
        <button type="submit" disabled={post.isPending}>
          {t('team.send')}
        </button>
      </form>
      {messages.isPending && <Loading />}
      <ol className="messages">
        {messages.data?.items.map((m) => (
          <li key={m.id}>
            <p className="meta">
              <strong>{m.author_handle ?? t('team.someone_who_left')}</strong> · {formatDate(m.created_at, i18n.language)}
              {m.edited_at && ` · ${t('team.edited')}`}
            </p>
            {editing?.id === m.id ? (
              <form
                onSubmit={(e) => {
                  e.preventDefault();
                  edit.mutate(editing);
                }}
              >
                <label>
                  <span className="visually-hidden">{t('team.edit_message')}</span>
                  <textarea rows={3} value={editing.body} onChange={(e) => setEditing({ id: m.id, body: e.target.value })} />
                </label>
                <ErrorNote error={edit.error} />
                <button type="submit">{t('common.save')}</button>{' '}
                <button type="button" className="secondary" onClick={() => setEditing(null)}>
                  {t('common.cancel')}
                </button>
              </form>
            ) : (
              <>
                <div dangerouslySetInnerHTML={{ __html: m.body_html }} />
                {m.is_mine && m.editable_until && new Date(m.editable_until) > new Date() && (
                  <button type="button" className="link-button" onClick={() => setEditing({ id: m.id, body: m.body })}>
                    {t('team.edit_message')}
                  </button>
                )}
              </>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}

function Submission({ teamId }: { teamId: string }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const submission = useQuery({
    queryKey: ['submission', teamId],
    queryFn: () => unwrap(api.GET('/api/v1/teams/{team_id}/submission', { params: { path: { team_id: teamId } } })),
  });
  // The draft being typed survives a failed save: it is only replaced when the server's changes.
  const [draft, setDraft] = useState<{ title: string; body: string; base: number } | null>(null);
  const [shown, setShown] = useState<number | null>(null);
  useEffect(() => {
    if (submission.data && (draft === null || draft.base !== submission.data.version)) {
      setDraft({ title: submission.data.title, body: submission.data.body, base: submission.data.version });
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [submission.data?.version]);
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        api.PUT('/api/v1/teams/{team_id}/submission', {
          params: { path: { team_id: teamId } },
          body: { base_version: draft?.base ?? 0, title: draft?.title ?? '', body: draft?.body ?? '', links: [] },
        }),
      ),
    onSuccess: (data) => queryClient.setQueryData(['submission', teamId], data),
  });
  const final = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/teams/{team_id}/submission/final', { params: { path: { team_id: teamId } } })),
    onSuccess: (data) => queryClient.setQueryData(['submission', teamId], data),
  });
  const version = useQuery({
    queryKey: ['version', teamId, shown],
    enabled: shown !== null,
    queryFn: () =>
      unwrap(api.GET('/api/v1/teams/{team_id}/submission/versions/{version}', { params: { path: { team_id: teamId, version: shown ?? 0 } } })),
  });
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
            {(p) => <input {...p} required value={draft.title} onChange={(e) => setDraft({ ...draft, title: e.target.value })} />}
          </Field>
          <Field label={t('submission.body')} hint={t('team.markdown_hint')}>
            {(p) => <textarea {...p} rows={10} value={draft.body} onChange={(e) => setDraft({ ...draft, body: e.target.value })} />}
          </Field>
          {conflict && (
            <p className="error" role="alert">
              {t('submission.conflict')}{' '}
              <button type="button" className="link-button" onClick={() => void submission.refetch().then(() => save.reset())}>
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
                — {v.editor_handle ?? t('team.someone_who_left')}, {formatDate(v.created_at, i18n.language)}
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

export function TeamPage() {
  const { t } = useTranslation();
  const { teamId = '' } = useParams();
  const team = useQuery({
    queryKey: ['team', teamId],
    queryFn: () => unwrap(api.GET('/api/v1/teams/{team_id}', { params: { path: { team_id: teamId } } })),
  });
  if (team.isPending) return <Loading />;
  if (!team.data) return <ErrorNote error={team.error} />;
  const data = team.data;
  const mine = 'challenge_id' in data ? (data as MyTeam) : null;
  return (
    <Page title={data.name}>
      <DiversityBadge diversity={data.diversity} />
      <h2>{t('team.members')}</h2>
      <ul className="members">
        {data.members.map((m) => (
          <li key={m.handle}>
            {m.handle} {'is_you' in m && m.is_you && <span className="badge">{t('team.you')}</span>}
          </li>
        ))}
      </ul>
      {mine?.join_code && <p>{t('team.join_code', { code: mine.join_code })}</p>}
      {mine && (
        <p>
          <Link to={`/challenges/${mine.challenge_id}`}>{t('team.back_to_challenge')}</Link> ·{' '}
          <Link to={`/challenges/${mine.challenge_id}/results`}>{t('team.reviews_link')}</Link>
        </p>
      )}
      {mine && <Submission teamId={teamId} />}
      {mine && <Messages teamId={teamId} />}
    </Page>
  );
}
