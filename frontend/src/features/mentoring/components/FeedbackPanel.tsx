// A programme's anonymous surveys, answered on the pair page: three questions of 1–5 and an
// optional comment, sent with the member's one token per survey from a request with no cookie
// (features/ratings). Only the programme's leads read the answers, as aggregates from 5 on.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Schemas } from '../../../api/client';
import { Button } from '../../../components/Button';
import { ErrorNote } from '../../../components/ui';
import { STARS } from '../../ratings/RatingPanel';
import { useSurveyAnswer, type SurveyPoint } from '../../ratings/useRating';
import { ConfirmSend, type CommentWarning } from '../../reviews/components/CommentCheck';

export type SurveyQuestion = Schemas['QuestionRelease']['question'];
export const SURVEY_QUESTIONS: SurveyQuestion[] = ['sessions_useful', 'pairing_fit', 'recommend'];
const POINTS: SurveyPoint[] = ['midpoint', 'end'];

export function FeedbackPanel({ programmeId }: { programmeId: string }) {
  return (
    <>
      {POINTS.map((point) => (
        <Survey key={point} programmeId={programmeId} point={point} />
      ))}
    </>
  );
}

function Survey({ programmeId, point }: { programmeId: string; point: SurveyPoint }) {
  const { t } = useTranslation();
  const { phase, manifest, answer, checkComment, error } = useSurveyAnswer(programmeId, point);
  const [answers, setAnswers] = useState<Partial<Record<SurveyQuestion, number>>>({});
  const [comment, setComment] = useState('');
  const [warnings, setWarnings] = useState<CommentWarning[] | null>(null);
  const [busy, setBusy] = useState(false);
  const id = `survey-${point}`;
  const complete = SURVEY_QUESTIONS.every((q) => answers[q]);

  // A closed survey takes no more answers: its members are told, unless theirs is recorded.
  const closed = !!manifest?.closed && manifest.member && phase !== 'recorded';
  if (closed) {
    return (
      <section aria-labelledby={`${id}-heading`}>
        <h2 id={`${id}-heading`}>{t(`mentoring.feedback.title.${point}`)}</h2>
        <p className="muted">{t('mentoring.feedback.closed')}</p>
      </section>
    );
  }
  // Nothing to show of a survey that is not open, or that this reader may not answer.
  if (phase === 'loading' || phase === 'not_open' || phase === 'not_taken') {
    return error ? <ErrorNote error={error} /> : null;
  }

  async function send() {
    setBusy(true);
    try {
      await answer(answers as Record<string, number>, comment.trim());
      setWarnings(null);
    } catch {
      // The hook keeps the error, shown below.
    } finally {
      setBusy(false);
    }
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!complete) return;
    if (comment.trim()) {
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
      <h2 id={`${id}-heading`}>{t(`mentoring.feedback.title.${point}`)}</h2>
      <div role="status" aria-live="polite">
        {phase === 'waiting' && <p>{t('mentoring.feedback.waiting')}</p>}
        {phase === 'recorded' && <p className="ok">{t('mentoring.feedback.recorded')}</p>}
      </div>
      {phase === 'elsewhere' && <p className="muted">{t('mentoring.feedback.elsewhere')}</p>}
      {phase === 'ready' && (
        <form onSubmit={(e) => void submit(e)} className="narrow">
          {SURVEY_QUESTIONS.map((question) => (
            <fieldset key={question}>
              <legend>{t(`mentoring.feedback.question.${question}`)}</legend>
              {STARS.map((n) => (
                <label key={n} className="choice">
                  <input
                    type="radio"
                    name={`${id}-${question}`}
                    value={n}
                    checked={answers[question] === n}
                    onChange={() => setAnswers((given) => ({ ...given, [question]: n }))}
                  />{' '}
                  {t('mentoring.feedback.scale', { count: n })}
                </label>
              ))}
            </fieldset>
          ))}
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
          <p className="hint">{t('mentoring.feedback.anonymous')}</p>
          <Button type="submit" disabled={!complete || busy}>
            {t('mentoring.feedback.send')}
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
