import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { type Token } from '../wallet';

/** Where a sent review stands, in plain words; read out when it changes. */
export function ReviewStatus({ token, focus }: { token: Token | undefined; focus: boolean }) {
  const { t } = useTranslation();
  const element = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (focus) element.current?.focus();
  }, [focus]);
  let text = t('review.no_token_here');
  if (token?.state === 'queued') text = t('review.state_queued');
  if (token?.state === 'pending')
    text = token.review ? t('review.state_pending') : t('review.state_pending_elsewhere');
  if (token?.state === 'committed') text = t('review.state_committed');
  if (token?.state === 'lost') text = t('review.state_lost');
  return (
    <p
      role="status"
      tabIndex={-1}
      ref={element}
      className={`review-state ${token?.state ?? 'none'}`}
    >
      {text}
    </p>
  );
}
