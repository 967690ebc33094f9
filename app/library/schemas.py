"""Library bodies: what editors send and see, what readers see, and each person's progress.

Readers never receive a quiz's correct choices or explanations before they answer
(`QuestionToAnswer`); they come back with the graded attempt (`QuestionResult`).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.challenges.schemas import SkillName, Track
from app.errors import rule_error
from app.kit.validation import MAX_INT32
from app.library import quiz

Language = Literal["en", "fr", "es"]
LessonState = Literal["not_started", "notes_written", "attempted", "passed"]
MAX_QUESTIONS = 30
MAX_CHOICES = 8


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ChoiceIn(_Strict):
    text: str = Field(min_length=1, max_length=300)
    correct: bool = False


class QuestionIn(_Strict):
    kind: quiz.QuestionKind = Field(
        description="single: exactly one correct choice; multiple: one or more"
    )
    prompt: str = Field(min_length=1, max_length=500)
    choices: list[ChoiceIn] = Field(min_length=2, max_length=MAX_CHOICES)
    explanation: str = Field(
        default="", max_length=2000, description="Shown to the reader once they have answered"
    )

    @model_validator(mode="after")
    def _correct_choices(self) -> QuestionIn:
        broken = quiz.broken_rule(self.kind, [choice.correct for choice in self.choices])
        if broken is not None:
            raise rule_error(broken.code, broken.message)
        return self


class LessonContent(_Strict):
    title: str = Field(min_length=1, max_length=200)
    summary: str = Field(default="", max_length=1000, description="Plain text")
    body: str = Field(default="", max_length=50_000, description="Markdown")
    task: str = Field(default="", max_length=5000, description="Markdown: a question to reflect on")
    case_study: str = Field(default="", max_length=20_000, description="Markdown")
    level: Track = Field(description="The guidance level: discover, deepen or exploit")
    topics: list[SkillName] = Field(
        default_factory=list, max_length=10, description="Skill slugs, as challenges use"
    )
    quiz: list[QuestionIn] = Field(default_factory=list, max_length=MAX_QUESTIONS)
    pass_mark: int = Field(default=80, ge=1, le=100, description="Percent of questions right")

    @model_validator(mode="after")
    def _topics_once(self) -> LessonContent:
        if len(set(self.topics)) != len(self.topics):
            raise rule_error("duplicate_skill", "each skill once per list")
        return self


class LessonCreate(LessonContent):
    language: Language
    translation_of: uuid.UUID | None = Field(
        default=None, description="A lesson this one translates: they share a translation group"
    )


class LessonEdit(LessonContent):
    base_version: int = Field(
        ge=1, le=MAX_INT32, description="The version you edited; if someone saved a newer one, 409"
    )


class PublishIn(_Strict):
    version: int = Field(ge=1, le=MAX_INT32, description="The version readers will see")


class Translation(BaseModel):
    lesson_id: uuid.UUID
    language: Language
    title: str


class ChoiceOut(BaseModel):
    text: str
    correct: bool


class QuestionOut(BaseModel):
    """A question as its editors see it."""

    kind: quiz.QuestionKind
    prompt: str
    choices: list[ChoiceOut]
    explanation: str


class LessonVersionSummary(BaseModel):
    version: int
    title: str
    editor_name: str | None = Field(description="None once the editor's account was erased")
    created_at: datetime


class LessonVersionOut(LessonVersionSummary):
    """One saved version, whole, for editors."""

    summary: str
    body: str
    body_html: str
    task: str
    task_html: str
    case_study: str
    case_study_html: str
    level: Track
    topics: list[str]
    quiz: list[QuestionOut]
    pass_mark: int


class LessonForEditors(BaseModel):
    id: uuid.UUID
    translation_group: uuid.UUID
    language: Language
    author_name: str | None
    latest_version: int
    published_version: int | None
    published_at: datetime | None
    translations: list[Translation] = Field(description="The other languages, in any state")
    latest: LessonVersionOut


class QuestionToAnswer(BaseModel):
    """A question as readers see it before answering: no correct choice, no explanation."""

    kind: quiz.QuestionKind
    prompt: str
    choices: list[str]


class LessonForReaders(BaseModel):
    id: uuid.UUID
    translation_group: uuid.UUID
    language: Language
    version: int = Field(description="The published version; send it with a quiz attempt")
    title: str
    summary: str
    body_html: str
    task_html: str
    case_study_html: str
    level: Track
    topics: list[str]
    author_name: str | None
    published_at: datetime
    quiz: list[QuestionToAnswer]
    pass_mark: int
    translations: list[Translation] = Field(description="The other published languages")


class LessonSummary(BaseModel):
    id: uuid.UUID
    translation_group: uuid.UUID
    language: Language
    title: str
    summary: str
    level: Track
    topics: list[str]
    version: int = Field(description="Published lessons: the published version; drafts: latest")
    published: bool
    questions: int


class NotesIn(_Strict):
    text: str = Field(max_length=20_000, description="Your answer to the reflection task")


class NotesOut(BaseModel):
    """Your own notes: stored sealed in the vault, readable by you alone."""

    text: str
    updated_at: datetime | None = Field(description="None: nothing written yet")


class AttemptIn(_Strict):
    version: int = Field(ge=1, le=MAX_INT32, description="The version whose quiz you answered")
    answers: list[list[int]] = Field(
        max_length=MAX_QUESTIONS,
        description="Per question, in order, the indexes of the choices you picked",
    )


class QuestionResult(BaseModel):
    correct: bool
    correct_choices: list[int]
    explanation: str


class AttemptOut(BaseModel):
    version: int
    score: int = Field(description="Percent of the questions answered correctly")
    passed: bool
    submitted_at: datetime


class AttemptResult(AttemptOut):
    pass_mark: int
    questions: list[QuestionResult]


class LessonProgress(BaseModel):
    translation_group: uuid.UUID
    lesson_id: uuid.UUID | None = Field(description="The lesson to open: your language first")
    title: str | None = Field(description="None when no version of it is published any more")
    state: LessonState
    attempts: int
    best_score: int | None


class CollectionIn(_Strict):
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=5000, description="Plain text")
    lessons: list[uuid.UUID] = Field(
        max_length=100,
        description="Translation groups, in order: each reader gets their language",
    )

    @model_validator(mode="after")
    def _each_once(self) -> CollectionIn:
        if len(set(self.lessons)) != len(self.lessons):
            raise rule_error("duplicate_lesson", "each lesson once per collection")
        return self


class CollectionEdit(CollectionIn):
    revision: int = Field(
        ge=1, le=MAX_INT32, description="The revision you edited; a newer one answers 409"
    )


class CollectionItemOut(BaseModel):
    translation_group: uuid.UUID
    lesson: LessonSummary | None = Field(
        description="In your language when it exists; None while no language is published"
    )
    state: LessonState


class CollectionSummary(BaseModel):
    id: uuid.UUID
    title: str
    description: str
    lessons: int


class CollectionOut(BaseModel):
    id: uuid.UUID
    title: str
    description: str
    revision: int
    author_name: str | None
    items: list[CollectionItemOut]
    passed: int = Field(description="How many of its published lessons you passed")
    total: int = Field(description="How many of its lessons are published")
    completed: bool = Field(description="You passed every published lesson (and there is one)")


class CollectionProgress(BaseModel):
    id: uuid.UUID
    title: str
    passed: int
    total: int
    completed: bool


class MyLearning(BaseModel):
    """Your learning record, built from your own vault records for you alone."""

    lessons: list[LessonProgress]
    collections: list[CollectionProgress] = Field(
        description="The collections holding a lesson you started"
    )


class LessonLearningCounts(BaseModel):
    """How many people took a lesson, in any of its languages, and passed its quiz: counts
    over ended months only, never a person's record."""

    translation_group: uuid.UUID
    lesson_id: uuid.UUID | None = Field(description="The lesson in your language where it exists")
    title: str | None
    taken: int | None = Field(
        description="People who wrote notes on its task or answered its quiz; null: fewer than k"
    )
    passed: int | None = Field(
        description="People who passed its quiz; null: fewer than k, or hidden because the "
        "number who took it without passing is under k and would give it away"
    )


class LessonLearning(BaseModel):
    k: int = Field(description="The smallest count shown")
    through: str = Field(description="YYYY-MM: the last ended month the counts may cover")
    counts: LessonLearningCounts


class CollectionLearningCounts(BaseModel):
    id: uuid.UUID
    title: str
    completed: int | None = Field(
        description="People who passed every published lesson of it; null: fewer than k"
    )


class LearningOverview(BaseModel):
    """The library's learning as counts: per published lesson and per collection."""

    k: int = Field(description="The smallest count shown")
    through: str = Field(description="YYYY-MM: the last ended month the counts may cover")
    lessons: list[LessonLearningCounts]
    collections: list[CollectionLearningCounts]
