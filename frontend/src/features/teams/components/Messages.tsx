import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import { ErrorNote, Field, Form, Loading, formatDate } from '../../../components/ui';
import { teamKeys, useMessages } from '../api';
import { Button } from '../../../components/Button';

export function Messages({ teamId }: { teamId: string }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [body, setBody] = useState('');
  const [editing, setEditing] = useState<{ id: string; body: string } | null>(null);
  const messages = useMessages(teamId);
  const refresh = () => queryClient.invalidateQueries({ queryKey: teamKeys.messages(teamId) });
  const post = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/teams/{team_id}/messages', {
          params: { path: { team_id: teamId } },
          body: { body },
        }),
      ),
    onSuccess: () => {
      setBody('');
      void refresh();
    },
  });
  const edit = useMutation({
    mutationFn: (m: { id: string; body: string }) =>
      unwrap(
        api.PATCH('/api/v1/teams/{team_id}/messages/{message_id}', {
          params: { path: { team_id: teamId, message_id: m.id } },
          body: { body: m.body },
        }),
      ),
    onSuccess: () => {
      setEditing(null);
      void refresh();
    },
  });
  return (
    <section aria-labelledby="messages-title">
      <h2 id="messages-title">{t('team.messages')}</h2>
      <Form
        error={post.error}
        onSubmit={(e) => {
          e.preventDefault();
          post.mutate();
        }}
      >
        <Field label={t('team.new_message')} hint={t('team.markdown_hint')} name="body">
          {(p) => (
            <textarea
              {...p}
              rows={3}
              required
              value={body}
              onChange={(e) => setBody(e.target.value)}
            />
          )}
        </Field>
        <ErrorNote error={post.error} />
        <Button type="submit" disabled={post.isPending}>
          {t('team.send')}
        </Button>
      </Form>
      {messages.isPending && <Loading />}
      <ol className="messages">
        {messages.data?.items.map((m) => (
          <li key={m.id}>
            <p className="meta">
              <strong>{m.author_handle ?? t('team.someone_who_left')}</strong> ·{' '}
              {formatDate(m.created_at, i18n.language)}
              {m.edited_at && ` · ${t('team.edited')}`}
            </p>
            {editing?.id === m.id ? (
              <Form
                error={edit.error}
                onSubmit={(e) => {
                  e.preventDefault();
                  edit.mutate(editing);
                }}
              >
                <Field label={t('team.edit_message')} name="body">
                  {(p) => (
                    <textarea
                      {...p}
                      rows={3}
                      value={editing.body}
                      onChange={(e) => setEditing({ id: m.id, body: e.target.value })}
                    />
                  )}
                </Field>
                <ErrorNote error={edit.error} />
                <Button type="submit">{t('common.save')}</Button>{' '}
                <Button variant="secondary" onClick={() => setEditing(null)}>
                  {t('common.cancel')}
                </Button>
              </Form>
            ) : (
              <>
                <div dangerouslySetInnerHTML={{ __html: m.body_html }} />
                {m.is_mine && m.editable_until && new Date(m.editable_until) > new Date() && (
                  <Button variant="link" onClick={() => setEditing({ id: m.id, body: m.body })}>
                    {t('team.edit_message')}
                  </Button>
                )}
              </>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
