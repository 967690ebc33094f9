import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { Button } from '../../components/Button';
import { ErrorNote, Page } from '../../components/ui';

const TOPICS = ['team', 'submissions', 'ideas', 'phases', 'mentoring'] as const;

/** The page an activity mail's unsubscribe link opens: it asks before it posts, so that a
 * link scanner that follows every link of a message turns nothing off (RFC 8058 §3.1); a mail
 * reader's own one-click button posts to the same address without this page. No session. */
export function UnsubscribePage() {
  const { t } = useTranslation();
  const { token = '' } = useParams();
  // The token starts with its topic (`team.<id>.<signature>`): name it before confirming.
  const topicKey = TOPICS.find((known) => token.startsWith(`${known}.`));
  const topic = topicKey ? t(`mail_preferences.topics.${topicKey}`) : '';
  const unsubscribe = useMutation({
    mutationFn: () =>
      unwrap(api.POST('/api/v1/mail/unsubscribe/{token}', { params: { path: { token } } })),
  });
  return (
    <Page title={t('mail_preferences.unsubscribe.title')}>
      <div role="status" aria-live="polite">
        {unsubscribe.data && (
          <p className="notice">
            {t('mail_preferences.unsubscribe.done', {
              topic: t(`mail_preferences.topics.${unsubscribe.data.topic}`),
            })}
          </p>
        )}
      </div>
      {!topicKey ? (
        <p role="alert">{t('mail_preferences.unsubscribe.no_token')}</p>
      ) : (
        !unsubscribe.data && (
          <>
            <p className="lead">{t('mail_preferences.unsubscribe.intro', { topic })}</p>
            <ErrorNote error={unsubscribe.error} />
            <Button disabled={unsubscribe.isPending} onClick={() => unsubscribe.mutate()}>
              {t('mail_preferences.unsubscribe.confirm')}
            </Button>
          </>
        )
      )}
      <p>
        <Link to="/me#mail-preferences">{t('mail_preferences.unsubscribe.profile')}</Link>
      </p>
    </Page>
  );
}
