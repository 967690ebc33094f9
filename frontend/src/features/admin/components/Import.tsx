import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, unwrap, type Schemas } from '../../../api/client';
import { ErrorNote } from '../../../components/ui';
import { adminKeys } from '../api';

export function Import() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const upload = useMutation({
    mutationFn: (dryRun: boolean) => {
      const form = new FormData();
      if (file) form.append('file', file);
      return unwrap(
        api.POST('/api/v1/admin/invitations/import', {
          params: { query: { dry_run: dryRun } },
          body: form as unknown as Schemas['Body_admin-import_invitations'],
          bodySerializer: (body) => body as unknown as FormData,
        }),
      );
    },
    onSuccess: (result) => {
      if (!result.dry_run) void queryClient.invalidateQueries({ queryKey: adminKeys.accounts() });
    },
  });
  const result = upload.data;
  const rejected = upload.error instanceof ApiError && upload.error.code === 'csv_rejected';
  return (
    <section aria-labelledby="import-title">
      <h2 id="import-title">{t('admin.import')}</h2>
      <p className="hint">{t('admin.import_hint')}</p>
      <label>
        {t('admin.csv_file')}{' '}
        <input
          type="file"
          accept=".csv,text/csv"
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
        />
      </label>
      <p>
        <button
          type="button"
          disabled={!file || upload.isPending}
          onClick={() => upload.mutate(true)}
        >
          {t('admin.preview')}
        </button>
      </p>
      {!rejected && <ErrorNote error={upload.error} />}
      {rejected && upload.error instanceof ApiError && (
        <div role="alert" className="error">
          <p>{t('admin.rejected')}</p>
          <ul>
            {(upload.error.problem.errors ?? []).map((e, i) => (
              <li key={i}>{e.message}</li>
            ))}
          </ul>
        </div>
      )}
      {result && (
        <div role="status">
          <p>
            {result.dry_run
              ? t('admin.preview_result', { count: result.valid_rows })
              : t('admin.imported', { count: result.invitations.length })}
          </p>
          {result.errors.length > 0 && (
            <ul className="error">
              {result.errors.map((e, i) => (
                <li key={i}>
                  {t('admin.row_error', { row: e.row, field: e.field ?? '', message: e.message })}
                </li>
              ))}
            </ul>
          )}
          {result.dry_run && result.errors.length === 0 && result.valid_rows > 0 && (
            <button type="button" onClick={() => upload.mutate(false)}>
              {t('admin.confirm_import', { count: result.valid_rows })}
            </button>
          )}
        </div>
      )}
    </section>
  );
}
