// Taking a lesson's quiz: radios for a single-choice question, checkboxes for a multiple-choice
// one; once sent, the score, passed or not, and under each question whether it was right, the
// right answers and the explanation. The result is announced (aria-live) and takes the focus.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../../../api/client';
import { Button } from '../../../components/Button';
import { ErrorNote, formatDate } from '../../../components/ui';
import { libraryKeys, useAttempts } from '../api';
import { choose, emptyAnswers, unanswered, type Answers } from '../quiz';

type Lesson = Schemas['LessonForReaders'];
type Result = Schemas['AttemptResult'];

export function QuizForm({ lesson }: { lesson: Lesson }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [answers, setAnswers] = useState<Answers>(() => emptyAnswers(lesson.quiz.length));
  const [result, setResult] = useState<Result | null>(null);
  const resultHeading = useRef<HTMLHeadingElement>(null);
  const firstChoice = useRef<HTMLInputElement>(null);
  const attempts = useAttempts(lesson.id);
  const send = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/library/lessons/{lesson_id}/attempts', {
          params: { path: { lesson_id: lesson.id } },
          body: { version: lesson.version, answers },
        }),
      ),
    onSuccess: async (graded) => {
      setResult(graded);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: libraryKeys.attempts(lesson.id) }),
        queryClient.invalidateQueries({ queryKey: libraryKeys.mine() }),
        queryClient.invalidateQueries({ queryKey: libraryKeys.collections() }),
      ]);
    },
    onError: async () => {
      // The quiz changed since the page was opened: fetch the published one again.
      await queryClient.invalidateQueries({ queryKey: libraryKeys.lesson(lesson.id) });
    },
  });
  useEffect(() => {
    if (result) resultHeading.current?.focus();
  }, [result]);

  const left = unanswered(answers);
  return (
    <section aria-labelledby="quiz-heading" className="quiz">
      <h2 id="quiz-heading">{t('library.quiz.title')}</h2>
      <p>{t('library.quiz.intro', { count: lesson.quiz.length, pass_mark: lesson.pass_mark })}</p>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          send.mutate();
        }}
      >
        {lesson.quiz.map((question, q) => {
          const graded = result?.questions[q];
          return (
            <fieldset key={q} className="quiz-question">
              <legend>{t('library.quiz.question', { n: q + 1, prompt: question.prompt })}</legend>
              <p className="hint">
                {t(
                  question.kind === 'single'
                    ? 'library.quiz.single_hint'
                    : 'library.quiz.multiple_hint',
                )}
              </p>
              {question.choices.map((choice, c) => (
                <label key={c} className="check">
                  <input
                    ref={q === 0 && c === 0 ? firstChoice : undefined}
                    type={question.kind === 'single' ? 'radio' : 'checkbox'}
                    name={`question-${q}`}
                    checked={answers[q]?.includes(c) ?? false}
                    disabled={result !== null}
                    onChange={() => setAnswers(choose(answers, q, c, question.kind))}
                  />{' '}
                  {choice}
                  {graded?.correct_choices.includes(c) && (
                    <span className="ok"> {t('library.quiz.right_answer')}</span>
                  )}
                </label>
              ))}
              {graded && (
                <div className={graded.correct ? 'quiz-feedback right' : 'quiz-feedback wrong'}>
                  <p>
                    <strong>
                      {t(graded.correct ? 'library.quiz.correct' : 'library.quiz.incorrect')}
                    </strong>
                  </p>
                  {graded.explanation && <p>{graded.explanation}</p>}
                </div>
              )}
            </fieldset>
          );
        })}
        <ErrorNote error={send.error} />
        {result === null && (
          <>
            {left.length > 0 && (
              <p className="hint">
                {t('library.quiz.unanswered', { list: left.join(', '), count: left.length })}
              </p>
            )}
            <Button type="submit" disabled={send.isPending}>
              {t('library.quiz.submit')}
            </Button>
          </>
        )}
      </form>
      <div aria-live="polite">
        {result && (
          <div className={result.passed ? 'quiz-result passed' : 'quiz-result failed'}>
            <h3 tabIndex={-1} ref={resultHeading}>
              {t(result.passed ? 'library.quiz.passed' : 'library.quiz.failed', {
                score: result.score,
                pass_mark: result.pass_mark,
              })}
            </h3>
            <p>{t('library.quiz.explanations_above')}</p>
            <Button
              variant="secondary"
              onClick={() => {
                setResult(null);
                setAnswers(emptyAnswers(lesson.quiz.length));
                send.reset();
                // Back to the first question, where the new attempt starts.
                window.setTimeout(() => firstChoice.current?.focus(), 0);
              }}
            >
              {t('library.quiz.again')}
            </Button>
          </div>
        )}
      </div>
      {attempts.data && attempts.data.length > 0 && (
        <>
          <h3>{t('library.quiz.attempts')}</h3>
          <p className="hint">{t('library.quiz.attempts_private')}</p>
          <ol className="attempts">
            {attempts.data.map((attempt, i) => (
              <li key={i}>
                {t(attempt.passed ? 'library.quiz.attempt_passed' : 'library.quiz.attempt_failed', {
                  score: attempt.score,
                  date: formatDate(attempt.submitted_at, i18n.language),
                })}
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}
