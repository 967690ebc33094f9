// Rate a lesson, anonymously: 1–5 stars and an optional comment, sent with the reader's
// one-time token from a request with no cookie (features/ratings). The figures and the
// comments show only once enough people have rated.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Schemas } from '../../../api/client';
import { Button } from '../../../components/Button';
import { ErrorNote } from '../../../components/ui';
import { useRating } from '../../ratings/useRating';
import { ConfirmSend, type CommentWarning } from '../../reviews/components/CommentCheck';

const STARS = [1, 2, 3, 4, 5] as const;

export function RatingPanel({ lessonId }: { lessonId: string }) {
  const { t } = useTranslation();
  const { phase, release, rate, checkComment, error } = useRating(lessonId);
  const [stars, setStars] = useState(0);
  const [comment, setComment] = useState('');
  const [warnings, setWarnings] = useState<CommentWarning[] | null>(null);
  const [busy, setBusy] = useState(false);

  async function send() {
    setBusy(true);
    try {
      await rate(stars, comment.trim());
      setWarnings(null);
    } catch {
      // The hook keeps the error, shown below.
    } finally {
      setBusy(false);
    }
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!stars) return;
    if (comment.trim()) {
      // What in the comment could point to someone, before it leaves (as for reviews).
      const found = await checkComment(comment.trim());
      if (found.length) {
        setWarnings(found);
        return;
      }
    }
    await send();
  }

  return (
    <section aria-labelledby="rating-heading">
      <h2 id="rating-heading">{t('rating.title')}</h2>
      {release && <Release release={release} />}
      <div role="status" aria-live="polite">
        {phase === 'waiting' && <p>{t('rating.waiting')}</p>}
        {phase === 'recorded' && <p className="ok">{t('rating.recorded')}</p>}
      </div>
      {phase === 'not_taken' && <p className="muted">{t('rating.not_taken')}</p>}
      {phase === 'elsewhere' && <p className="muted">{t('rating.elsewhere')}</p>}
      {phase === 'ready' && (
        <form onSubmit={(e) => void submit(e)} className="narrow">
          <fieldset>
            <legend>{t('rating.stars_legend')}</legend>
            {STARS.map((n) => (
              <label key={n} className="choice">
                <input
                  type="radio"
                  name="stars"
                  value={n}
                  checked={stars === n}
                  onChange={() => setStars(n)}
                />{' '}
                {t('rating.stars', { count: n })}
              </label>
            ))}
          </fieldset>
          <label className="field" htmlFor="rating-comment">
            <span>{t('rating.comment')}</span>
            <textarea
              id="rating-comment"
              value={comment}
              maxLength={2000}
              rows={4}
              onChange={(e) => setComment(e.target.value)}
            />
          </label>
          <p className="hint">{t('rating.anonymous')}</p>
          <Button type="submit" disabled={!stars || busy}>
            {t('rating.send')}
          </Button>
        </form>
      )}
      <ErrorNote error={error} />
      {warnings && (
        <ConfirmSend
          comment={comment.trim()}
          warnings={warnings}
          busy={busy}
          onEdit={() => setWarnings(null)}
          onSend={() => void send()}
        />
      )}
    </section>
  );
}

function Release({ release }: { release: Schemas['RatingRelease'] }) {
  const { t, i18n } = useTranslation();
  if (release.state === 'fewer_than_minimum' || release.count === null) {
    return <p>{t('rating.fewer', { count: release.minimum })}</p>;
  }
  const hidden = t('rating.hidden', { count: release.minimum });
  return (
    <>
      <p>
        {t('rating.summary', {
          mean: (release.mean ?? 0).toLocaleString(i18n.language, { maximumFractionDigits: 1 }),
          count: release.count,
        })}
      </p>
      <ul className="rating-distribution">
        {STARS.map((n) => {
          const value = release.distribution[String(n)];
          return (
            <li key={n}>
              {t('rating.stars', { count: n })}:{' '}
              {value === null || value === undefined ? hidden : value}
            </li>
          );
        })}
      </ul>
      {release.comments.length > 0 && (
        <>
          <h3>{t('rating.comments')}</h3>
          <ul className="rating-comments">
            {release.comments.map((text, i) => (
              <li key={i}>{text}</li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}
