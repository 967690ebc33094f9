import { useTranslation } from 'react-i18next';
import { type Schemas } from '../../../api/client';
import { formatDate } from '../../../components/ui';
import { Badge } from '../../../components/Badge';
import { Card } from '../../../components/Card';

type Feedback = Schemas['Feedback'];

/** Feedback from the challenge's facilitators, each signed with its author's name and time. */
export function FeedbackList({ items }: { items: Feedback[] }) {
  const { t, i18n } = useTranslation();
  if (items.length === 0) return <p className="muted">{t('feedback.none')}</p>;
  return (
    <ul className="feedback-list">
      {items.map((f) => (
        <Card as="li" key={f.id}>
          <p className="feedback-signature">
            <strong>
              {f.author_name
                ? t('feedback.signed', { name: f.author_name })
                : t('feedback.former_facilitator')}
            </strong>
            {f.is_mine && <Badge>{t('feedback.yours')}</Badge>}{' '}
            <time dateTime={f.created_at}>{formatDate(f.created_at, i18n.language)}</time>
            {f.version !== null && f.version !== undefined && (
              <> · {t('feedback.about_version', { version: f.version })}</>
            )}
          </p>
          <div dangerouslySetInnerHTML={{ __html: f.body_html }} />
        </Card>
      ))}
    </ul>
  );
}
