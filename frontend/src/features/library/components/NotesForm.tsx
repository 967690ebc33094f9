// The reader's own notes on the reflection task: sealed in the vault under their own key, read
// by nobody else (docs/privacy.md, "The learning library"). The page says so in plain words.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import { Button } from '../../../components/Button';
import { useToast } from '../../../components/Toast';
import { ErrorNote, Field, Form, Loading, formatDate } from '../../../components/ui';
import { libraryKeys, useNotes } from '../api';

export function NotesForm({ lessonId }: { lessonId: string }) {
  const notes = useNotes(lessonId);
  if (notes.isPending) return <Loading />;
  if (!notes.data) return <ErrorNote error={notes.error} />;
  return <NotesEditor lessonId={lessonId} saved={notes.data} />;
}

function NotesEditor({
  lessonId,
  saved,
}: {
  lessonId: string;
  saved: { text: string; updated_at: string | null };
}) {
  const { t, i18n } = useTranslation();
  const toast = useToast();
  const queryClient = useQueryClient();
  const [text, setText] = useState(saved.text);
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        api.PUT('/api/v1/library/lessons/{lesson_id}/notes', {
          params: { path: { lesson_id: lessonId } },
          body: { text },
        }),
      ),
    onSuccess: async (stored) => {
      queryClient.setQueryData(libraryKeys.notes(lessonId), stored);
      toast(t('library.notes.saved_toast'));
      await queryClient.invalidateQueries({ queryKey: libraryKeys.mine() });
    },
  });
  const updatedAt = save.data?.updated_at ?? saved.updated_at;
  return (
    <Form
      error={save.error}
      className="notes"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <Field label={t('library.notes.label')} hint={t('library.notes.private')} name="text">
        {(p) => <textarea {...p} rows={6} value={text} onChange={(e) => setText(e.target.value)} />}
      </Field>
      <ErrorNote error={save.error} />
      <div className="button-row">
        <Button type="submit" disabled={save.isPending}>
          {t('library.notes.save')}
        </Button>
        <span role="status" className="muted">
          {updatedAt
            ? t('library.notes.saved_at', { date: formatDate(updatedAt, i18n.language) })
            : t('library.notes.none_yet')}
        </span>
      </div>
    </Form>
  );
}
