// Writing a lesson's quiz: questions, their choices and which are correct, the explanation
// readers get once they have answered. Each input carries the body path the server names in a
// refusal (quiz.2.choices.1.text), so the sentence lands on the right input; a rule about a
// question's correct choices (quiz.2) lands on its kind, where the fix usually is.
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../../components/Button';
import { Field } from '../../../components/ui';
import {
  changeKind,
  markCorrect,
  newQuestion,
  removeChoice,
  type QuestionDraft,
  type QuestionKind,
} from '../quiz';

const MAX_CHOICES = 8;

export function QuizBuilder({
  questions,
  onChange,
}: {
  questions: QuestionDraft[];
  onChange: (questions: QuestionDraft[]) => void;
}) {
  const { t } = useTranslation();
  const container = useRef<HTMLFieldSetElement>(null);
  const update = (q: number, question: QuestionDraft) =>
    onChange(questions.map((old, i) => (i === q ? question : old)));
  // After adding or removing, the focus goes somewhere that makes sense rather than to <body>.
  const focusLater = (selector: string) =>
    window.setTimeout(() => container.current?.querySelector<HTMLElement>(selector)?.focus(), 0);

  return (
    <fieldset ref={container} className="quiz-builder">
      <legend>{t('library.editor.quiz')}</legend>
      <p className="hint">{t('library.editor.quiz_hint')}</p>
      {questions.map((question, q) => (
        <fieldset key={q} className="quiz-question" data-question={q}>
          <legend>{t('library.editor.question_n', { n: q + 1 })}</legend>
          <Field label={t('library.editor.prompt')} name={`quiz.${q}.prompt`}>
            {(p) => (
              <input
                {...p}
                value={question.prompt}
                onChange={(e) => update(q, { ...question, prompt: e.target.value })}
              />
            )}
          </Field>
          <Field label={t('library.editor.kind')} name={`quiz.${q}`}>
            {(p) => (
              <select
                {...p}
                value={question.kind}
                onChange={(e) => update(q, changeKind(question, e.target.value as QuestionKind))}
              >
                <option value="single">{t('library.editor.kind_single')}</option>
                <option value="multiple">{t('library.editor.kind_multiple')}</option>
              </select>
            )}
          </Field>
          <ol className="choices">
            {question.choices.map((choice, c) => (
              <li key={c} className="choice-row">
                <Field
                  label={t('library.editor.choice_n', { n: c + 1 })}
                  name={`quiz.${q}.choices.${c}.text`}
                >
                  {(p) => (
                    <input
                      {...p}
                      value={choice.text}
                      onChange={(e) =>
                        update(q, {
                          ...question,
                          choices: question.choices.map((old, i) =>
                            i === c ? { ...old, text: e.target.value } : old,
                          ),
                        })
                      }
                    />
                  )}
                </Field>
                <label className="check">
                  <input
                    type={question.kind === 'single' ? 'radio' : 'checkbox'}
                    name={`correct-${q}`}
                    checked={choice.correct}
                    onChange={() => update(q, markCorrect(question, c))}
                  />{' '}
                  {t('library.editor.correct', { n: c + 1 })}
                </label>
                {question.choices.length > 2 && (
                  <Button
                    variant="link"
                    onClick={() => {
                      update(q, removeChoice(question, c));
                      focusLater(`[data-question="${q}"] .add-choice`);
                    }}
                  >
                    {t('library.editor.remove_choice', { n: c + 1 })}
                  </Button>
                )}
              </li>
            ))}
          </ol>
          {question.choices.length < MAX_CHOICES && (
            <Button
              variant="secondary"
              size="sm"
              className="add-choice"
              onClick={() => {
                update(q, {
                  ...question,
                  choices: [...question.choices, { text: '', correct: false }],
                });
                focusLater(`[data-question="${q}"] .choice-row:last-child input`);
              }}
            >
              {t('library.editor.add_choice')}
            </Button>
          )}
          <Field
            label={t('library.editor.explanation')}
            hint={t('library.editor.explanation_hint')}
            name={`quiz.${q}.explanation`}
          >
            {(p) => (
              <textarea
                {...p}
                rows={2}
                value={question.explanation}
                onChange={(e) => update(q, { ...question, explanation: e.target.value })}
              />
            )}
          </Field>
          <Button
            variant="secondary"
            size="sm"
            onClick={() => {
              onChange(questions.filter((_, i) => i !== q));
              focusLater('.add-question');
            }}
          >
            {t('library.editor.remove_question', { n: q + 1 })}
          </Button>
        </fieldset>
      ))}
      <Button
        variant="secondary"
        className="add-question"
        onClick={() => {
          onChange([...questions, newQuestion()]);
          focusLater(`[data-question="${questions.length}"] input`);
        }}
      >
        {t('library.editor.add_question')}
      </Button>
    </fieldset>
  );
}
