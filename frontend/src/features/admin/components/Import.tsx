import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, unwrap, type Schemas } from '../../../api/client';
import { fieldErrorText } from '../../../api/fieldErrors';
import { useLabels } from '../../../components/labels';
import { Table, type Column } from '../../../components/Table';
import { Button } from '../../../components/Button';
import { useToast } from '../../../components/Toast';
import { Select } from '../../../components/Select';
import { ErrorNote } from '../../../components/ui';
import { LANGUAGES, type Language } from '../../../i18n';
import { adminKeys } from '../api';
import { InvitationCodes } from './Codes';
import { uiLanguage } from './Invite';

type RowError = Schemas['CsvRowError'];
type PreviewRow = Schemas['CsvPreviewRow'];

// Problems with the file itself or between rows (app/vault/admin.py); the others are a field's
// rule, the same codes as the forms' errors (api/fieldErrors.ts).
const FILE_CODES = [
  'missing_columns',
  'unknown_columns',
  'too_many_rows',
  'extra_cells',
  'duplicate_email',
  'account_exists',
];
const COLUMNS = ['name', 'email', 'birth_year', 'department', 'manager_email', 'role'];

/** One problem of the file in the reader's language, naming its column. */
function useRowErrorText() {
  const { t } = useTranslation();
  return (error: RowError) => {
    const text = FILE_CODES.includes(error.code)
      ? t(`admin.csv_errors.${error.code}`, error.params ?? {})
      : fieldErrorText(t, error);
    const column =
      error.field && COLUMNS.includes(error.field) ? t(`admin.csv_columns.${error.field}`) : null;
    return column ? t('admin.column_error', { column, problem: text }) : text;
  };
}

export function Import() {
  const { t, i18n } = useTranslation();
  const labels = useLabels();
  const errorText = useRowErrorText();
  const queryClient = useQueryClient();
  const toast = useToast();
  const fileHint = useId();
  // The file's bytes, read when it is chosen: the file may be edited and chosen again (the
  // browser cannot read a chosen file that changed on disk since).
  const [file, setFile] = useState<{ name: string; bytes: ArrayBuffer } | null>(null);
  // The language every imported person's pages and messages start in (each can change it).
  const [language, setLanguage] = useState<Language | null>(null);
  const chosenLanguage = language ?? uiLanguage(i18n.language);
  const upload = useMutation({
    mutationFn: (dryRun: boolean) => {
      const form = new FormData();
      if (file) form.append('file', new Blob([file.bytes], { type: 'text/csv' }), file.name);
      return unwrap(
        api.POST('/api/v1/admin/invitations/import', {
          params: { query: { dry_run: dryRun, language: chosenLanguage } },
          body: form as unknown as Schemas['Body_admin-import_invitations'],
          bodySerializer: (body) => body as unknown as FormData,
        }),
      );
    },
    onSuccess: (result) => {
      if (result.dry_run) return;
      toast(t('admin.imported', { count: result.invitations.length }));
      void queryClient.invalidateQueries({ queryKey: adminKeys.accounts() });
    },
  });
  const result = upload.data;
  const rejected = upload.error instanceof ApiError && upload.error.code === 'csv_rejected';
  const errorsOf = (row: number) => (result?.errors ?? []).filter((e) => e.row === row);
  const fileErrors = (result?.errors ?? []).filter(
    (e) => !(result?.rows ?? []).some((r) => r.row === e.row),
  );
  const columns: Column<PreviewRow>[] = [
    { id: 'row', header: t('admin.csv_row'), cell: (r) => r.row, nowrap: true },
    {
      id: 'name',
      header: t('admin.invitee_name'),
      cell: (r) => r.display_name || '—',
      rowHeader: true,
    },
    { id: 'email', header: t('admin.invitee_email'), cell: (r) => r.email || '—' },
    {
      id: 'cohort',
      header: t('admin.csv_cohort'),
      cell: (r) => (r.cohort ? labels.cohort(r.cohort) : '—'),
    },
    { id: 'department', header: t('profile.department'), cell: (r) => r.department ?? '—' },
    {
      id: 'role',
      header: t('admin.invitee_role'),
      cell: (r) =>
        ['participant', 'facilitator', 'admin'].includes(r.role) ? t(`roles.${r.role}`) : r.role,
    },
    {
      id: 'problems',
      header: t('admin.csv_problems'),
      cell: (r) => {
        const problems = errorsOf(r.row);
        return problems.length === 0 ? (
          <span className="ok">{t('admin.csv_row_ok')}</span>
        ) : (
          <ul className="error">
            {problems.map((e, i) => (
              <li key={i}>{errorText(e)}</li>
            ))}
          </ul>
        );
      },
    },
  ];
  return (
    <section aria-labelledby="import-title">
      <h2 id="import-title">{t('admin.import')}</h2>
      <p className="hint" id={fileHint}>
        {t('admin.import_hint')}
      </p>
      <label>
        {t('admin.csv_file')}{' '}
        <input
          type="file"
          accept=".csv,text/csv"
          aria-describedby={fileHint}
          onChange={(e) => {
            const chosen = e.target.files?.[0];
            // Emptied, so that choosing the same file again (once fixed) is a new choice.
            e.target.value = '';
            upload.reset();
            if (!chosen) return;
            void chosen.arrayBuffer().then(
              (bytes) => setFile({ name: chosen.name, bytes }),
              () => setFile(null),
            );
          }}
        />
      </label>
      {file && <p className="hint">{t('admin.csv_chosen', { name: file.name })}</p>}
      <Select
        label={t('admin.import_language')}
        hint={t('admin.invitee_language_hint')}
        value={chosenLanguage}
        onChange={(e) => setLanguage(e.target.value as Language)}
        options={LANGUAGES.map((l) => ({ value: l, label: t(`languages.${l}`) }))}
      />
      <p>
        <Button disabled={!file || upload.isPending} onClick={() => upload.mutate(true)}>
          {t('admin.preview')}
        </Button>
      </p>
      {!rejected && <ErrorNote error={upload.error} />}
      {rejected && (
        <p role="alert" className="error">
          {t('admin.rejected')}
        </p>
      )}
      {result && (
        <div>
          {result.dry_run && (
            <p role="status">
              {result.errors.length > 0
                ? t('admin.preview_problems', { count: result.errors.length })
                : t('admin.preview_result', { count: result.valid_rows })}
            </p>
          )}
          {fileErrors.length > 0 && (
            <ul className="error">
              {fileErrors.map((e, i) => (
                <li key={i}>{t('admin.row_error', { row: e.row, problem: errorText(e) })}</li>
              ))}
            </ul>
          )}
          {result.dry_run && result.rows && result.rows.length > 0 && (
            <Table
              caption={t('admin.preview_caption', { count: result.rows.length })}
              columns={columns}
              rows={result.rows}
              rowKey={(r) => r.row}
            />
          )}
          {result.dry_run && result.errors.length === 0 && result.valid_rows > 0 && (
            <Button disabled={upload.isPending} onClick={() => upload.mutate(false)}>
              {t('admin.confirm_import', { count: result.valid_rows })}
            </Button>
          )}
          {!result.dry_run && result.invitations.length > 0 && (
            <InvitationCodes invitations={result.invitations} />
          )}
        </div>
      )}
    </section>
  );
}
