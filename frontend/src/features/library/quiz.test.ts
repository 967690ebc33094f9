import { describe, expect, it } from 'vitest';
import {
  changeKind,
  choose,
  emptyAnswers,
  markCorrect,
  newQuestion,
  removeChoice,
  unanswered,
  type QuestionDraft,
} from './quiz';

describe('answering', () => {
  it('a single-choice question keeps the last choice only', () => {
    let answers = emptyAnswers(2);
    answers = choose(answers, 0, 2, 'single');
    answers = choose(answers, 0, 1, 'single');
    expect(answers).toEqual([[1], []]);
  });

  it('a multiple-choice question toggles choices and keeps them in order', () => {
    let answers = emptyAnswers(1);
    answers = choose(answers, 0, 3, 'multiple');
    answers = choose(answers, 0, 0, 'multiple');
    expect(answers).toEqual([[0, 3]]);
    answers = choose(answers, 0, 3, 'multiple');
    expect(answers).toEqual([[0]]);
  });

  it('lists the questions left without an answer, numbered from 1', () => {
    const answers = choose(emptyAnswers(3), 1, 0, 'single');
    expect(unanswered(answers)).toEqual([1, 3]);
    expect(unanswered([[0], [1]])).toEqual([]);
  });
});

describe('writing', () => {
  const multiple: QuestionDraft = {
    ...newQuestion(),
    kind: 'multiple',
    choices: [
      { text: 'a', correct: false },
      { text: 'b', correct: true },
      { text: 'c', correct: true },
    ],
  };

  it('moves the one correct mark of a single-choice question', () => {
    const moved = markCorrect(newQuestion(), 1);
    expect(moved.choices.map((c) => c.correct)).toEqual([false, true]);
  });

  it('toggles the marks of a multiple-choice question', () => {
    expect(markCorrect(multiple, 0).choices.map((c) => c.correct)).toEqual([true, true, true]);
    expect(markCorrect(multiple, 2).choices.map((c) => c.correct)).toEqual([false, true, false]);
  });

  it('keeps the first correct choice when a question becomes single-choice', () => {
    const single = changeKind(multiple, 'single');
    expect(single.kind).toBe('single');
    expect(single.choices.map((c) => c.correct)).toEqual([false, true, false]);
    expect(changeKind(single, 'multiple').choices).toEqual(single.choices);
  });

  it('removes a choice without moving a correct mark onto another', () => {
    const left = removeChoice(newQuestion(), 0);
    expect(left.choices).toEqual([{ text: '', correct: false }]);
  });
});
