"""A lesson's quiz: the rules a definition keeps, and grading an attempt. Pure functions.

Kept free of the database and of HTTP so that whatever else quizzes people (a mentoring
programme's training) grades the same way.

- A question is `single` (exactly one correct choice) or `multiple` (at least one).
- Grading is all-or-nothing per question: a multiple-choice question counts as correct only
  when the chosen set is exactly the correct set; a single-choice answer with several choices
  is wrong.
- The score is the percentage of questions answered correctly, rounded down; the attempt
  passes when that share, unrounded, reaches the pass mark.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

QuestionKind = Literal["single", "multiple"]


@dataclass(frozen=True, slots=True)
class Choice:
    text: str
    correct: bool


@dataclass(frozen=True, slots=True)
class Question:
    kind: QuestionKind
    prompt: str
    choices: tuple[Choice, ...]
    explanation: str

    @classmethod
    def from_stored(cls, stored: dict[str, Any]) -> Question:
        return cls(
            kind=stored["kind"],
            prompt=stored["prompt"],
            choices=tuple(Choice(c["text"], bool(c["correct"])) for c in stored["choices"]),
            explanation=stored["explanation"],
        )

    @property
    def correct_choices(self) -> frozenset[int]:
        return frozenset(i for i, choice in enumerate(self.choices) if choice.correct)


@dataclass(frozen=True, slots=True)
class BrokenRule:
    code: str
    message: str


def broken_rule(kind: QuestionKind, correct: Sequence[bool]) -> BrokenRule | None:
    """What is wrong with a question whose choices are marked `correct`, or None."""
    count = sum(correct)
    if count == 0:
        return BrokenRule("no_correct_choice", "mark at least one choice correct")
    if kind == "single" and count > 1:
        return BrokenRule(
            "single_choice_one_correct", "a single-choice question has exactly one correct choice"
        )
    return None


@dataclass(frozen=True, slots=True)
class Grade:
    correct: tuple[bool, ...]
    score: int
    passed: bool


class AnswerOutOfRange(ValueError):
    """An answer names a choice the question does not have."""

    def __init__(self, question: int, choices: int) -> None:
        super().__init__(f"question {question} has choices 0 to {choices - 1}")
        self.question = question
        self.choices = choices


def grade(questions: Sequence[Question], answers: Sequence[Sequence[int]], pass_mark: int) -> Grade:
    """Grade one attempt. `answers[i]` are the chosen choices of question i; a question with no
    answer (missing or empty) is wrong. Raises AnswerOutOfRange for a choice that does not
    exist, and ValueError for more answers than questions."""
    if len(answers) > len(questions):
        raise ValueError("more answers than questions")
    correct = []
    for number, question in enumerate(questions):
        chosen = frozenset(answers[number]) if number < len(answers) else frozenset()
        if any(not 0 <= choice < len(question.choices) for choice in chosen):
            raise AnswerOutOfRange(number, len(question.choices))
        correct.append(bool(chosen) and chosen == question.correct_choices)
    right = sum(correct)
    total = len(questions)
    return Grade(
        correct=tuple(correct),
        score=right * 100 // total if total else 0,
        passed=total > 0 and right * 100 >= pass_mark * total,
    )
