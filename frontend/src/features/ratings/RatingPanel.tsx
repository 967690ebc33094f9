// Rate a subject (a lesson, an idea entry) anonymously: 1–5 stars and an optional comment,
// sent with the reader's one-time token from a request with no cookie. The figures and the
// comments show only once enough people have rated. What differs between subjects is the
// hook that reads them and a few sentences.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Schemas } from '../../api/client';
import { Button } from '../../components/Button';
import { ErrorNote } from '../../components/ui';
import { ConfirmSend, type CommentWarning } from '../reviews/components/CommentCheck';
import type { RatingPhase } from './useRating';

export const STARS = [1, 2, 3, 4, 5] as const;

export interface StarRating {
  phase: RatingPhase;
  release?: Schemas['RatingRelease'];
  rate: (stars: number, comment: string) => Promise<void>;
  checkComment: (comment: string) => Promise<CommentWarning[]>;
  error: unknown;
}

export interface RatingTexts {
  title: string;
  notEligible: string;
  elsewhere: string;
  anonymous: string;
}

export function SubjectRatingPanel({
  rating,
  texts,
  id,
}: {
  rating: StarRating;
  texts: RatingTexts;
  /** Unique on the page: it names the heading and the fields. */
  id: string;
}) {
  const { t } = useTranslation();
  const { phase, release, rate, checkComment, error } = rating;
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
    <section aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{texts.title}</h2>
      {release && <RatingRelease release={release} />}
      <div role="status" aria-live="polite">
        {phase === 'waiting' && <p>{t('rating.waiting')}</p>}
        {phase === 'recorded' && <p className="ok">{t('rating.recorded')}</p>}
      </div>
      {phase === 'not_taken' && <p className="muted">{texts.notEligible}</p>}
      {phase === 'elsewhere' && <p className="muted">{texts.elsewhere}</p>}
      {phase === 'ready' && (
        <form onSubmit={(e) => void submit(e)} className="narrow">
          <fieldset>
            <legend>{t('rating.stars_legend')}</legend>
            {STARS.map((n) => (
              <label key={n} className="choice">
                <input
                  type="radio"
                  name={`${id}-stars`}
                  value={n}
                  checked={stars === n}
                  onChange={() => setStars(n)}
                />{' '}
                {t('rating.stars', { count: n })}
              </label>
            ))}
          </fieldset>
          <label className="field" htmlFor={`${id}-comment`}>
            <span>{t('rating.comment')}</span>
            <textarea
              id={`${id}-comment`}
              value={comment}
              maxLength={2000}
              rows={4}
              onChange={(e) => setComment(e.target.value)}
            />
          </label>
          <p className="hint">{texts.anonymous}</p>
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

/** Figures with small cells hidden: a number, or "fewer than n" where it is null. */
export function Distribution({
  distribution,
  minimum,
}: {
  distribution: Record<string, number | null | undefined>;
  minimum: number;
}) {
  const { t } = useTranslation();
  const hidden = t('rating.hidden', { count: minimum });
  return (
    <ul className="rating-distribution">
      {STARS.map((n) => {
        const value = distribution[String(n)];
        return (
          <li key={n}>
            {t('rating.stars', { count: n })}:{' '}
            {value === null || value === undefined ? hidden : value}
          </li>
        );
      })}
    </ul>
  );
}

export function Comments({ comments }: { comments: string[] }) {
  const { t } = useTranslation();
  if (comments.length === 0) return null;
  return (
    <>
      <h3>{t('rating.comments')}</h3>
      <ul className="rating-comments">
        {comments.map((text, i) => (
          <li key={i}>{text}</li>
        ))}
      </ul>
    </>
  );
}

export function RatingRelease({ release }: { release: Schemas['RatingRelease'] }) {
  const { t, i18n } = useTranslation();
  if (release.state === 'fewer_than_minimum' || release.count === null) {
    return <p>{t('rating.fewer', { count: release.minimum })}</p>;
  }
  return (
    <>
      <p>
        {t('rating.summary', {
          mean: (release.mean ?? 0).toLocaleString(i18n.language, { maximumFractionDigits: 1 }),
          count: release.count,
        })}
      </p>
      <Distribution distribution={release.distribution} minimum={release.minimum} />
      <Comments comments={release.comments} />
    </>
  );
}
