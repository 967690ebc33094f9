// Rate a subject (a lesson, an idea entry) anonymously: 1–5 stars and an optional comment,
// sent with the reader's one-time token from a request with no cookie. The figures and the
// comments show only once enough people have rated. What differs between subjects is the
// hook that reads them and a few sentences. Where the subject has a token wallet, the panel
// shows the recovery code once the token is issued, and in another browser asks for it.
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Schemas } from '../../api/client';
import { Button } from '../../components/Button';
import { ErrorNote } from '../../components/ui';
import type { CommentWarning } from '../reviews/components/CommentCheck';
import { RecoveryCodeForm, RecoveryCodeShown } from '../reviews/components/RecoveryPanels';
import { CommentField, useCheckedSubmit } from './useCheckedSubmit';
import type { RatingPhase, RatingWallet } from './useRating';

export const STARS = [1, 2, 3, 4, 5] as const;

export interface StarRating {
  phase: RatingPhase;
  release?: Schemas['RatingRelease'];
  rate: (stars: number, comment: string) => Promise<void>;
  checkComment: (comment: string) => Promise<CommentWarning[]>;
  error: unknown;
  wallet?: RatingWallet;
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
  const { phase, release, rate, checkComment, error, wallet } = rating;
  const [stars, setStars] = useState(0);
  const heading = useRef<HTMLHeadingElement>(null);
  const checked = useCheckedSubmit({
    ready: stars > 0,
    send: (comment) => rate(stars, comment),
    checkComment,
  });

  return (
    <>
      <section aria-labelledby={`${id}-heading`}>
        <h2 id={`${id}-heading`} tabIndex={-1} ref={heading}>
          {texts.title}
        </h2>
        {release && <RatingRelease release={release} />}
        <div role="status" aria-live="polite">
          {phase === 'ready' && wallet?.restored === 'ready' && (
            <p className="ok">{t('rating.restored')}</p>
          )}
          {phase === 'waiting' && <p>{t('rating.waiting')}</p>}
          {phase === 'recorded' && <p className="ok">{t('rating.recorded')}</p>}
        </div>
        {wallet?.restored === 'spent' && (
          <p className="notice" role="alert">
            {t('rating.restored_spent')}
          </p>
        )}
        {phase === 'not_taken' && <p className="muted">{texts.notEligible}</p>}
        {phase === 'elsewhere' && <p className="muted">{texts.elsewhere}</p>}
        {phase === 'elsewhere' && wallet && (
          <RecoveryCodeForm
            title={t('rating.restore_title')}
            explain={t('rating.restore_explain')}
            wrongCode={t('rating.restore_wrong_code')}
            open={wallet.restore}
            level={3}
          />
        )}
        {phase === 'ready' && (
          <form onSubmit={(e) => void checked.submit(e)} className="narrow">
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
            <CommentField id={id} checked={checked} />
            <p className="hint">{texts.anonymous}</p>
            <Button type="submit" disabled={!stars || checked.busy}>
              {t('rating.send')}
            </Button>
          </form>
        )}
        <ErrorNote error={error} />
        {checked.confirmation}
      </section>
      {/* Beside the panel, not in it: the panel's status line stays its only one. */}
      {wallet?.shownCode && (
        <RecoveryCodeShown
          code={wallet.shownCode}
          explain={t('rating.recovery_explain')}
          focusHeading={false}
          onSaved={() => {
            wallet.codeSaved();
            heading.current?.focus();
          }}
        />
      )}
    </>
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
