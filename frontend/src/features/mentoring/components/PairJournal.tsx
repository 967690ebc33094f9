import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import { Button } from '../../../components/Button';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { EmptyState } from '../../../components/EmptyState';
import { ErrorNote, Field, Form, Loading, formatDate } from '../../../components/ui';
import { mentoringKeys, useJournal } from '../api';

/** The pair's confidential journal: the vault seals each entry under the pair's own key, so
 * that only its two members read it (a lead sees how many journals and entries there are,
 * never a word). Either member exports it as a file to keep and, once the programme has
 * closed, deletes it for good (after a confirmation: the key is destroyed, nothing brings it
 * back). */
export function PairJournal({
  programmeId,
  closed = false,
}: {
  programmeId: string;
  /** The programme has closed: the journal may be deleted. */
  closed?: boolean;
}) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const journal = useJournal(programmeId);
  const [text, setText] = useState('');
  const [confirming, setConfirming] = useState(false);
  const path = { params: { path: { programme_id: programmeId } } };
  const write = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/programmes/{programme_id}/pair/journal', { ...path, body: { text } }),
      ),
    onSuccess: async () => {
      setText('');
      await queryClient.invalidateQueries({ queryKey: mentoringKeys.journal(programmeId) });
    },
  });
  const exported = useMutation({
    mutationFn: () =>
      unwrap(api.GET('/api/v1/programmes/{programme_id}/pair/journal/export', path)),
    onSuccess: (data) => {
      // A file made in the page: the journal never travels through another address.
      const blob = new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' });
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = 'mentoring-journal.json';
      link.click();
      URL.revokeObjectURL(url);
    },
  });
  const shred = useMutation({
    mutationFn: () => unwrap(api.DELETE('/api/v1/programmes/{programme_id}/pair/journal', path)),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: mentoringKeys.journal(programmeId) });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    write.mutate();
  };
  const entries = journal.data?.entries ?? [];
  return (
    <section aria-labelledby="journal-title">
      <h2 id="journal-title">{t('mentoring.journal.title')}</h2>
      <p className="notice">{t('mentoring.journal.who_reads')}</p>
      {journal.isPending && <Loading />}
      <ErrorNote error={journal.error} />
      {journal.data?.shredded && <p>{t('mentoring.journal.shredded')}</p>}
      {journal.data && !journal.data.shredded && (
        <>
          {entries.length === 0 ? (
            <EmptyState>{t('mentoring.journal.none')}</EmptyState>
          ) : (
            <ol className="journal-entries">
              {entries.map((entry) => (
                <li key={entry.id}>
                  <p className="muted">
                    {t(`mentoring.journal.${entry.by_me ? 'by_you' : 'by_partner'}`, {
                      date: formatDate(entry.created_at, i18n.language),
                    })}
                  </p>
                  <p className="pre-line">{entry.text}</p>
                </li>
              ))}
            </ol>
          )}
          <Form error={write.error} onSubmit={submit}>
            <ErrorNote error={write.error} />
            <Field label={t('mentoring.journal.new')} name="text">
              {(field) => (
                <textarea
                  {...field}
                  rows={4}
                  value={text}
                  onChange={(e) => setText(e.target.value)}
                />
              )}
            </Field>
            <Button type="submit" disabled={write.isPending}>
              {t('mentoring.journal.add')}
            </Button>
          </Form>
          <h3>{t('mentoring.journal.keep_title')}</h3>
          <p>{t('mentoring.journal.keep_hint')}</p>
          <Button
            variant="secondary"
            onClick={() => exported.mutate()}
            disabled={exported.isPending || entries.length === 0}
          >
            {t('mentoring.journal.export')}
          </Button>
          <ErrorNote error={exported.error} />
          {closed && (
            <>
              <h3>{t('mentoring.journal.delete_title')}</h3>
              <p>{t('mentoring.journal.delete_hint')}</p>
              <Button
                variant="danger"
                onClick={() => setConfirming(true)}
                disabled={shred.isPending}
              >
                {t('mentoring.journal.delete')}
              </Button>
              <ErrorNote error={shred.error} />
              <ConfirmDialog
                open={confirming}
                title={t('mentoring.journal.delete_confirm_title')}
                confirmLabel={t('mentoring.journal.delete')}
                cancelLabel={t('common.cancel')}
                onCancel={() => setConfirming(false)}
                onConfirm={() => {
                  setConfirming(false);
                  shred.mutate();
                }}
              >
                <p>{t('mentoring.journal.delete_explain')}</p>
              </ConfirmDialog>
            </>
          )}
        </>
      )}
    </section>
  );
}
