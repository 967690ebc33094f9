import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/client';
import { EmptyState } from '../../../components/EmptyState';
import { ErrorNote } from '../../../components/ui';
import { useOutbox } from '../api';

/** Development without a mail server: what the service wrote to var/outbox instead of sending.
 * Where mail goes to a server the section is not shown at all. */
export function Outbox() {
  const { t, i18n } = useTranslation();
  const outbox = useOutbox();
  if (outbox.error instanceof ApiError && outbox.error.code === 'outbox_off') return null;
  if (!outbox.data) return <ErrorNote error={outbox.error} />;
  const messages = outbox.data.messages;
  return (
    <section aria-labelledby="outbox-title">
      <h2 id="outbox-title">{t('admin.outbox')}</h2>
      <p>{t('admin.outbox_explain')}</p>
      {messages.length === 0 ? (
        <EmptyState>{t('admin.outbox_empty')}</EmptyState>
      ) : (
        <ul className="outbox">
          {messages.map((message) => (
            <li key={`${message.sent_at}-${message.to}-${message.kind}`}>
              <details>
                <summary>
                  <strong>{message.subject}</strong>
                  <br />
                  {t('admin.outbox_to', { to: message.to })} ·{' '}
                  <time dateTime={message.sent_at}>
                    {new Date(message.sent_at).toLocaleString(i18n.language)}
                  </time>{' '}
                  · <code>{message.kind}</code>
                </summary>
                <pre className="outbox-text">{message.text}</pre>
              </details>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
