// The state of a quiz while it is answered, and of a quiz while it is written. Pure functions:
// the pages keep the state, these decide what a click does to it.
import type { Schemas } from '../../api/client';

export type QuestionKind = Schemas['QuestionIn']['kind'];

/** Per question, in order, the indexes of the chosen choices (what the API takes). */
export type Answers = number[][];

export function emptyAnswers(questions: number): Answers {
  return Array.from({ length: questions }, () => []);
}

/** A click on a choice: a single-choice question keeps only it; a multiple-choice one adds or
 * removes it (kept in order, so that the same answers always send the same body). */
export function choose(
  answers: Answers,
  question: number,
  choice: number,
  kind: QuestionKind,
): Answers {
  return answers.map((chosen, i) => {
    if (i !== question) return chosen;
    if (kind === 'single') return [choice];
    return chosen.includes(choice)
      ? chosen.filter((c) => c !== choice)
      : [...chosen, choice].sort((a, b) => a - b);
  });
}

/** The questions (numbered from 1) still without an answer. */
export function unanswered(answers: Answers): number[] {
  return answers.flatMap((chosen, i) => (chosen.length === 0 ? [i + 1] : []));
}

// Writing a quiz

export interface ChoiceDraft {
  text: string;
  correct: boolean;
}

export interface QuestionDraft {
  kind: QuestionKind;
  prompt: string;
  choices: ChoiceDraft[];
  explanation: string;
}

export function newQuestion(): QuestionDraft {
  return {
    kind: 'single',
    prompt: '',
    choices: [
      { text: '', correct: true },
      { text: '', correct: false },
    ],
    explanation: '',
  };
}

/** Marking a choice correct: a single-choice question has one correct choice, so marking
 * another moves the mark; a multiple-choice question toggles it. */
export function markCorrect(question: QuestionDraft, choice: number): QuestionDraft {
  return {
    ...question,
    choices: question.choices.map((c, i) =>
      question.kind === 'single'
        ? { ...c, correct: i === choice }
        : i === choice
          ? { ...c, correct: !c.correct }
          : c,
    ),
  };
}

/** Turning a multiple-choice question into a single-choice one keeps its first correct
 * choice only (else it could never be saved); the other way round changes nothing. */
export function changeKind(question: QuestionDraft, kind: QuestionKind): QuestionDraft {
  if (kind === question.kind) return question;
  if (kind === 'multiple') return { ...question, kind };
  const first = question.choices.findIndex((c) => c.correct);
  return {
    ...question,
    kind,
    choices: question.choices.map((c, i) => ({ ...c, correct: i === first })),
  };
}

/** Removing a choice; a single-choice question that loses its correct one gets none marked
 * (the server then says "mark one"), rather than a mark moved silently onto another. */
export function removeChoice(question: QuestionDraft, choice: number): QuestionDraft {
  return { ...question, choices: question.choices.filter((_, i) => i !== choice) };
}
