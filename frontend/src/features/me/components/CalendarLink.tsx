// "Calendar link" in My account: a private address to subscribe to from any calendar app, that
// shows the dates of every challenge the person joins. Making a new one or revoking it stops
// the old one at once.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import { Button } from '../../../components/Button';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { useToast } from '../../../components/Toast';
import { ErrorNote } from '../../../components/ui';

const KEY = ['me', 'calendar'] as const;

export function CalendarLink() {
  const { t } = useTranslation();
  const toast = useToast();
  const queryClient = useQueryClient();
  const [confirmRevoke, setConfirmRevoke] = useState(false);
  const feed = useQuery({
    queryKey: KEY,
    queryFn: () => unwrap(api.GET('/api/v1/me/calendar')),
  });
  const make = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/me/calendar')),
    onSuccess: (made) => {
      queryClient.setQueryData(KEY, made);
      toast(t('calendar.made'));
    },
  });
  const revoke = useMutation({
    mutationFn: () => unwrap(api.DELETE('/api/v1/me/calendar')),
    onSuccess: () => {
      queryClient.setQueryData(KEY, { url: null });
      toast(t('calendar.revoked'));
    },
  });
  const copy = async (url: string) => {
    try {
      await navigator.clipboard.writeText(url);
      toast(t('calendar.copied'));
    } catch {
      // No clipboard (an insecure page, a refusal): the address stays on screen to copy.
    }
  };
  const url = feed.data?.url ?? null;
  return (
    <section aria-labelledby="calendar-link">
      <h2 id="calendar-link">{t('calendar.title')}</h2>
      <p>{t('calendar.intro')}</p>
      <ErrorNote error={feed.error ?? make.error ?? revoke.error} />
      {url ? (
        <>
          <label className="field" htmlFor="calendar-url">
            <span>{t('calendar.address')}</span>
            <input
              id="calendar-url"
              type="text"
              readOnly
              value={url}
              onFocus={(e) => e.target.select()}
            />
          </label>
          <p className="muted">{t('calendar.keep_private')}</p>
          <p className="actions">
            <Button onClick={() => void copy(url)}>{t('calendar.copy')}</Button>{' '}
            <Button variant="secondary" disabled={make.isPending} onClick={() => make.mutate()}>
              {t('calendar.renew')}
            </Button>{' '}
            <Button variant="secondary" onClick={() => setConfirmRevoke(true)}>
              {t('calendar.revoke')}
            </Button>
          </p>
        </>
      ) : (
        feed.isSuccess && (
          <Button variant="secondary" disabled={make.isPending} onClick={() => make.mutate()}>
            {t('calendar.make')}
          </Button>
        )
      )}
      <ConfirmDialog
        open={confirmRevoke}
        title={t('calendar.revoke_title')}
        confirmLabel={t('calendar.revoke')}
        cancelLabel={t('common.cancel')}
        onConfirm={() => {
          setConfirmRevoke(false);
          revoke.mutate();
        }}
        onCancel={() => setConfirmRevoke(false)}
      >
        {t('calendar.revoke_body')}
      </ConfirmDialog>
    </section>
  );
}
