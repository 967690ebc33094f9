// A programme's anonymous surveys, answered on the pair page: three questions of 1–5 and an
// optional comment, sent with the member's one token per survey from a request with no cookie
// (features/ratings). Only the programme's leads read the answers, as aggregates from 5 on.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Schemas } from '../../../api/client';
import { Button } from '../../../components/Button';
import { ErrorNote } from '../../../components/ui';
import { STARS } from '../../ratings/RatingPanel';
import { CommentField, useCheckedSubmit } from '../../ratings/useCheckedSubmit';
import { useSurveyAnswer, type SurveyPoint } from '../../ratings/useRating';

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
  const id = `survey-${point}`;
  const complete = SURVEY_QUESTIONS.every((q) => answers[q]);
  const checked = useCheckedSubmit({
    ready: complete,
    send: (comment) => answer(answers as Record<string, number>, comment),
    checkComment,
  });

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

  return (
    <section aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{t(`mentoring.feedback.title.${point}`)}</h2>
      <div role="status" aria-live="polite">
        {phase === 'waiting' && <p>{t('mentoring.feedback.waiting')}</p>}
        {phase === 'recorded' && <p className="ok">{t('mentoring.feedback.recorded')}</p>}
      </div>
      {phase === 'elsewhere' && <p className="muted">{t('mentoring.feedback.elsewhere')}</p>}
      {phase === 'ready' && (
        <form onSubmit={(e) => void checked.submit(e)} className="narrow">
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
          <CommentField id={id} checked={checked} />
          <p className="hint">{t('mentoring.feedback.anonymous')}</p>
          <Button type="submit" disabled={!complete || checked.busy}>
            {t('mentoring.feedback.send')}
          </Button>
        </form>
      )}
      <ErrorNote error={error} />
      {checked.confirmation}
    </section>
  );
}
