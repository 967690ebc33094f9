"""The learning library's rules: lessons written and versioned by editors, published one
version at a time, read and taken by anyone signed in; collections of lessons; each person's
own progress.

Where each piece lives: lessons, versions and collections in the app database, their authors
as a library pseudonym the vault names; a person's notes and quiz attempts in the vault only,
sealed under their own data key (app/vault/learning.py). This module never writes anything
about a reader to the app database, and only the reader's own requests open their records:
every function that reads them takes the reader's `Identity` and asks for nobody else's.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from anyio import to_thread
from sqlalchemy.exc import IntegrityError

from app.db import AppDbSession
from app.errors import FieldError, Forbidden
from app.kit import pdf
from app.kit.markdown import render_markdown
from app.kit.orm import utcnow
from app.kit.pagination import decode_cursor, encode_cursor
from app.library import quiz
from app.library import repository as repo
from app.library.errors import (
    AnswersDoNotFit,
    CollectionNotFound,
    LessonNotFound,
    LessonVersionConflict,
    LessonVersionNotFound,
    NoQuiz,
    QuizChanged,
    StaleCollection,
    TranslationExists,
    UnknownLessons,
)
from app.library.models import LANGUAGES, Lesson, LessonCollection, LessonVersion
from app.library.schemas import (
    AttemptIn,
    AttemptOut,
    AttemptResult,
    ChoiceOut,
    CollectionEdit,
    CollectionIn,
    CollectionItemOut,
    CollectionOut,
    CollectionProgress,
    CollectionSummary,
    LessonContent,
    LessonCreate,
    LessonEdit,
    LessonForEditors,
    LessonForReaders,
    LessonProgress,
    LessonState,
    LessonSummary,
    LessonVersionOut,
    LessonVersionSummary,
    MyLearning,
    NotesIn,
    NotesOut,
    QuestionOut,
    QuestionResult,
    QuestionToAnswer,
    Translation,
)
from app.ratings import keys as rating_keys
from app.search import service as search
from app.search.schemas import SearchDocument
from app.vault import Identity, LearningRecord, QuizAttemptRecord

# Who writes in the library (the vault names the same roles as its authors).
EDITOR_ROLES = ("facilitator", "admin")


def is_editor(identity: Identity) -> bool:
    return any(role in identity.roles for role in EDITOR_ROLES)


def require_editor(identity: Identity) -> None:
    if not is_editor(identity):
        raise Forbidden("This needs the facilitator or admin role.")


# Lessons, for editors


async def _editable_lesson(db: AppDbSession, lesson_id: uuid.UUID) -> Lesson:
    lesson = await repo.get_lesson(db, lesson_id)
    if lesson is None:
        raise LessonNotFound()
    return lesson


def _stored_quiz(content: LessonContent) -> list[dict[str, Any]]:
    return [question.model_dump() for question in content.quiz]


async def _save_version(
    db: AppDbSession, lesson: Lesson, editor: uuid.UUID, content: LessonContent
) -> LessonVersion:
    row = LessonVersion(
        lesson_id=lesson.id,
        version=lesson.latest_version,
        editor=editor,
        title=content.title,
        summary=content.summary,
        body=content.body,
        task=content.task,
        case_study=content.case_study,
        level=content.level,
        quiz=_stored_quiz(content),
        pass_mark=content.pass_mark,
    )
    await repo.add(db, row)
    await repo.add_topics(db, row.id, content.topics)
    return row


async def _author_pseudonym(identity: Identity) -> uuid.UUID:
    pseudonym = await identity.vault.library_pseudonym(identity.account_id, create=True)
    assert pseudonym is not None
    # Their name signs what they write, for every reader: their own access log says so.
    await identity.vault.record_library_authorship(identity.account_id)
    return pseudonym


async def create_lesson(
    db: AppDbSession, identity: Identity, content: LessonCreate
) -> LessonForEditors:
    """A new lesson (version 1, unpublished), or a translation of an existing one."""
    require_editor(identity)
    group = uuid.uuid4()
    if content.translation_of is not None:
        source = await repo.get_lesson(db, content.translation_of)
        if source is None:
            raise LessonNotFound("The lesson to translate does not exist.")
        group = source.translation_group
        if any(
            row.language == content.language for row in await repo.lessons_in_groups(db, [group])
        ):
            raise TranslationExists()
    author = await _author_pseudonym(identity)
    lesson = Lesson(
        translation_group=group,
        language=content.language,
        author=author,
        latest_version=1,
        published_version=None,
    )
    try:
        async with db.begin_nested():
            await repo.add(db, lesson)
    except IntegrityError as exc:  # another editor added that language at the same moment
        raise TranslationExists() from exc
    await _save_version(db, lesson, author, content)
    return await lesson_for_editors(db, identity, lesson.id)


async def edit_lesson(
    db: AppDbSession, identity: Identity, lesson_id: uuid.UUID, content: LessonEdit
) -> LessonForEditors:
    """Every save is a new version; readers keep seeing the published one until republished."""
    require_editor(identity)
    lesson = await _editable_lesson(db, lesson_id)
    if content.base_version != lesson.latest_version:
        raise LessonVersionConflict(
            f"Version {lesson.latest_version} was saved since; merge your changes into it."
        )
    editor = await _author_pseudonym(identity)
    lesson.latest_version += 1
    lesson.updated_at = utcnow()
    try:
        async with db.begin_nested():
            await _save_version(db, lesson, editor, content)
    except IntegrityError as exc:  # two editors saved the same base version at once
        raise LessonVersionConflict() from exc
    return await lesson_for_editors(db, identity, lesson.id)


async def publish(
    db: AppDbSession, identity: Identity, lesson_id: uuid.UUID, version: int
) -> LessonForEditors:
    """Readers see this version from now on (any saved version: publishing an older one
    takes a change back without rewriting history)."""
    require_editor(identity)
    lesson = await _editable_lesson(db, lesson_id)
    if await repo.version_of(db, lesson.id, version) is None:
        raise LessonVersionNotFound()
    lesson.published_version = version
    lesson.published_at = utcnow()
    await db.flush()
    published = await repo.version_of(db, lesson.id, version)
    assert published is not None
    topics = await repo.topics_of(db, [published.id])
    await search.index_document(db, _searchable(lesson, published, topics[published.id]))
    # The rating key is made now, not at the first reader's request for a token, whose time
    # its commit would give away (app/ratings/keys.py).
    await rating_keys.ensure_key(db, identity.vault, "lesson", lesson.translation_group)
    return await lesson_for_editors(db, identity, lesson.id)


async def unpublish(db: AppDbSession, identity: Identity, lesson_id: uuid.UUID) -> LessonForEditors:
    require_editor(identity)
    lesson = await _editable_lesson(db, lesson_id)
    lesson.published_version = None
    lesson.published_at = None
    await db.flush()
    await search.remove_document(db, "lesson", lesson.id)
    return await lesson_for_editors(db, identity, lesson.id)


def _questions_for_editors(stored: list[dict[str, Any]]) -> list[QuestionOut]:
    return [
        QuestionOut(
            kind=question.kind,
            prompt=question.prompt,
            choices=[ChoiceOut(text=c.text, correct=c.correct) for c in question.choices],
            explanation=question.explanation,
        )
        for question in map(quiz.Question.from_stored, stored)
    ]


def _version_out(
    row: LessonVersion, topics: list[str], names: dict[uuid.UUID, str]
) -> LessonVersionOut:
    return LessonVersionOut(
        version=row.version,
        title=row.title,
        editor_name=names.get(row.editor),
        created_at=row.created_at,
        summary=row.summary,
        body=row.body,
        body_html=render_markdown(row.body),
        task=row.task,
        task_html=render_markdown(row.task),
        case_study=row.case_study,
        case_study_html=render_markdown(row.case_study),
        level=row.level,
        topics=topics,
        quiz=_questions_for_editors(row.quiz),
        pass_mark=row.pass_mark,
    )


async def _translations(
    db: AppDbSession, lesson: Lesson, *, published_only: bool
) -> list[Translation]:
    others = [
        row
        for row in await repo.lessons_in_groups(db, [lesson.translation_group])
        if row.id != lesson.id and (row.published_version is not None or not published_only)
    ]
    shown = await repo.shown_versions(db, others, published=published_only)
    return [
        Translation(lesson_id=row.id, language=row.language, title=shown[row.id].title)
        for row in others
        if row.id in shown
    ]


async def lesson_for_editors(
    db: AppDbSession, identity: Identity, lesson_id: uuid.UUID
) -> LessonForEditors:
    require_editor(identity)
    lesson = await _editable_lesson(db, lesson_id)
    latest = await repo.version_of(db, lesson.id, lesson.latest_version)
    assert latest is not None
    topics = await repo.topics_of(db, [latest.id])
    names = await identity.vault.name_library_authors(list({lesson.author, latest.editor}))
    return LessonForEditors(
        id=lesson.id,
        translation_group=lesson.translation_group,
        language=lesson.language,
        author_name=names.get(lesson.author),
        latest_version=lesson.latest_version,
        published_version=lesson.published_version,
        published_at=lesson.published_at,
        translations=await _translations(db, lesson, published_only=False),
        latest=_version_out(latest, topics[latest.id], names),
    )


async def versions(
    db: AppDbSession, identity: Identity, lesson_id: uuid.UUID
) -> list[LessonVersionSummary]:
    """Every saved version, newest first."""
    require_editor(identity)
    lesson = await _editable_lesson(db, lesson_id)
    rows = await repo.versions_of(db, lesson.id)
    names = await identity.vault.name_library_authors(list({row.editor for row in rows}))
    return [
        LessonVersionSummary(
            version=row.version,
            title=row.title,
            editor_name=names.get(row.editor),
            created_at=row.created_at,
        )
        for row in rows
    ]


async def version_detail(
    db: AppDbSession, identity: Identity, lesson_id: uuid.UUID, version: int
) -> LessonVersionOut:
    require_editor(identity)
    lesson = await _editable_lesson(db, lesson_id)
    row = await repo.version_of(db, lesson.id, version)
    if row is None:
        raise LessonVersionNotFound()
    topics = await repo.topics_of(db, [row.id])
    names = await identity.vault.name_library_authors([row.editor])
    return _version_out(row, topics[row.id], names)


# Lessons, for readers


async def _published(db: AppDbSession, lesson_id: uuid.UUID) -> tuple[Lesson, LessonVersion]:
    """The lesson and its published version; a draft or an unpublished lesson does not exist
    for readers (404, whoever asks: editors open drafts through the editor's routes)."""
    lesson = await repo.get_lesson(db, lesson_id)
    if lesson is None or lesson.published_version is None:
        raise LessonNotFound()
    version = await repo.version_of(db, lesson.id, lesson.published_version)
    assert version is not None
    return lesson, version


async def lesson_for_readers(
    db: AppDbSession, identity: Identity, lesson_id: uuid.UUID
) -> LessonForReaders:
    lesson, version = await _published(db, lesson_id)
    assert lesson.published_at is not None
    topics = await repo.topics_of(db, [version.id])
    names = await identity.vault.name_library_authors([lesson.author])
    return LessonForReaders(
        id=lesson.id,
        translation_group=lesson.translation_group,
        language=lesson.language,
        version=version.version,
        title=version.title,
        summary=version.summary,
        body_html=render_markdown(version.body),
        task_html=render_markdown(version.task),
        case_study_html=render_markdown(version.case_study),
        level=version.level,
        topics=topics[version.id],
        author_name=names.get(lesson.author),
        published_at=lesson.published_at,
        quiz=[
            QuestionToAnswer(
                kind=question.kind,
                prompt=question.prompt,
                choices=[choice.text for choice in question.choices],
            )
            for question in map(quiz.Question.from_stored, version.quiz)
        ],
        pass_mark=version.pass_mark,
        translations=await _translations(db, lesson, published_only=True),
    )


# The guidance level under a PDF's title, in the document's language.
_LEVEL_NAMES: dict[str, dict[str, str]] = {
    "en": {"discover": "Discover", "deepen": "Deepen", "exploit": "Exploit"},
    "fr": {"discover": "Découvrir", "deepen": "Approfondir", "exploit": "Exploiter"},
    "es": {"discover": "Descubrir", "deepen": "Profundizar", "exploit": "Aprovechar"},
}


def _lesson_text(version: LessonVersion) -> pdf.LessonText:
    """A lesson for reading offline: its quiz without the answers, as readers get it."""
    return pdf.LessonText(
        title=version.title,
        summary=version.summary,
        body=version.body,
        task=version.task,
        case_study=version.case_study,
        questions=[
            (question.prompt, [choice.text for choice in question.choices])
            for question in map(quiz.Question.from_stored, version.quiz)
        ],
    )


async def lesson_pdf(db: AppDbSession, lesson_id: uuid.UUID) -> bytes:
    """The published version as a PDF, in the lesson's own language (off the event loop:
    laying out pages takes tens of milliseconds)."""
    lesson, version = await _published(db, lesson_id)
    document = pdf.lesson_document(
        _lesson_text(version),
        language=lesson.language,
        subtitle=_LEVEL_NAMES[lesson.language][version.level],
    )
    return await to_thread.run_sync(pdf.render_document, document)


async def collection_pdf(db: AppDbSession, identity: Identity, collection_id: uuid.UUID) -> bytes:
    """The collection's published lessons, in the reader's language where one exists, as the
    collection page shows them."""
    found = await _collection(db, collection_id)
    groups = (await repo.collection_groups(db, [found.id]))[found.id]
    shown = await _published_in_language(db, groups, identity.session.language)
    document = pdf.collection_document(
        found.title,
        [_lesson_text(shown[group][1]) for group in groups if group in shown],
        language=identity.session.language,
        description=found.description,
    )
    return await to_thread.run_sync(pdf.render_document, document)


def _summary(lesson: Lesson, version: LessonVersion, topics: list[str]) -> LessonSummary:
    return LessonSummary(
        id=lesson.id,
        translation_group=lesson.translation_group,
        language=lesson.language,
        title=version.title,
        summary=version.summary,
        level=version.level,
        topics=topics,
        version=version.version,
        published=lesson.published_version is not None,
        questions=len(version.quiz),
    )


async def list_lessons(
    db: AppDbSession,
    identity: Identity,
    *,
    level: str | None,
    language: str | None,
    topic: str | None,
    drafts: bool,
    cursor: str | None,
    limit: int,
) -> tuple[list[LessonSummary], str | None]:
    """Published lessons, newest first; `drafts`: the caller's own unpublished lessons."""
    drafts_of = None
    if drafts:
        require_editor(identity)
        drafts_of = await identity.vault.library_pseudonym(identity.account_id, create=False)
        if drafts_of is None:  # has never written anything
            return [], None
    after = None
    if cursor:
        created_raw, id_raw = decode_cursor(cursor, 2)
        after = (datetime.fromisoformat(str(created_raw)), uuid.UUID(str(id_raw)))
    rows = await repo.list_lessons(
        db,
        drafts_of=drafts_of,
        level=level,
        language=language,
        topic=topic,
        after=after,
        limit=limit + 1,
    )
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1][0]
        next_cursor = encode_cursor([last.created_at.isoformat(), str(last.id)])
    topics = await repo.topics_of(db, [version.id for _, version in rows])
    return [_summary(lesson, version, topics[version.id]) for lesson, version in rows], next_cursor


def _searchable(lesson: Lesson, version: LessonVersion, topics: list[str]) -> SearchDocument:
    """What search indexes of one published lesson version: readers find the reflection task
    and the case study too, not only the body."""
    return SearchDocument(
        kind="lesson",
        ref=lesson.id,
        language=lesson.language,
        title=version.title,
        summary=version.summary,
        body="\n\n".join(part for part in (version.body, version.task, version.case_study) if part),
        topics=list(topics),
        level=version.level,
        url=f"/library/lessons/{lesson.id}",
    )


# Taking a lesson: notes and attempts, the person's own, in the vault


async def notes(db: AppDbSession, identity: Identity, lesson_id: uuid.UUID) -> NotesOut:
    lesson, _ = await _published(db, lesson_id)
    found = await identity.vault.lesson_notes(identity.account_id, lesson.id)
    if found is None:
        return NotesOut(text="", updated_at=None)
    return NotesOut(text=found.text, updated_at=found.updated_at)


async def save_notes(
    db: AppDbSession, identity: Identity, lesson_id: uuid.UUID, body: NotesIn
) -> NotesOut:
    lesson, _ = await _published(db, lesson_id)
    saved = await identity.vault.save_lesson_notes(
        identity.account_id,
        lesson_id=lesson.id,
        translation_group=lesson.translation_group,
        text=body.text,
    )
    return NotesOut(text=saved.text, updated_at=saved.updated_at)


def _grade(version: LessonVersion, answers: Sequence[Sequence[int]]) -> quiz.Grade:
    questions = [quiz.Question.from_stored(stored) for stored in version.quiz]
    if not questions:
        raise NoQuiz()
    try:
        return quiz.grade(questions, answers, version.pass_mark)
    except quiz.AnswerOutOfRange as exc:
        raise AnswersDoNotFit(
            errors=[
                FieldError.of(
                    f"body.answers.{exc.question}",
                    "out_of_range",
                    "a choice must be between {min} and {max}",
                    {"min": 0, "max": exc.choices - 1},
                )
            ]
        ) from exc
    except ValueError as exc:
        raise AnswersDoNotFit(
            errors=[
                FieldError.of(
                    "body.answers",
                    "too_many_items",
                    "at most one answer per question",
                    {"max_length": len(questions)},
                )
            ]
        ) from exc


async def attempt(
    db: AppDbSession, identity: Identity, lesson_id: uuid.UUID, body: AttemptIn
) -> AttemptResult:
    """Grade the answers, keep the attempt in the person's vault, and only now show the
    correct choices and the explanations."""
    lesson, version = await _published(db, lesson_id)
    if body.version != version.version:
        raise QuizChanged()
    graded = _grade(version, body.answers)
    record = QuizAttemptRecord(
        lesson_id=lesson.id,
        translation_group=lesson.translation_group,
        version=version.version,
        answers=[sorted(set(chosen)) for chosen in body.answers],
        correct=list(graded.correct),
        score=graded.score,
        passed=graded.passed,
        submitted_at=utcnow(),
    )
    await identity.vault.add_quiz_attempt(identity.account_id, record)
    questions = [quiz.Question.from_stored(stored) for stored in version.quiz]
    return AttemptResult(
        version=record.version,
        score=record.score,
        passed=record.passed,
        submitted_at=record.submitted_at,
        pass_mark=version.pass_mark,
        questions=[
            QuestionResult(
                correct=right,
                correct_choices=sorted(question.correct_choices),
                explanation=question.explanation,
            )
            for question, right in zip(questions, graded.correct, strict=True)
        ],
    )


async def attempts(db: AppDbSession, identity: Identity, lesson_id: uuid.UUID) -> list[AttemptOut]:
    """The caller's own attempts at this lesson's quiz, oldest first."""
    lesson, _ = await _published(db, lesson_id)
    return [
        AttemptOut(
            version=found.version,
            score=found.score,
            passed=found.passed,
            submitted_at=found.submitted_at,
        )
        for found in await identity.vault.quiz_attempts(identity.account_id, lesson.id)
    ]


# Progress: computed in the caller's request from their own vault records


@dataclass
class _GroupProgress:
    notes: bool = False
    attempts: int = 0
    best_score: int | None = None
    passed: bool = False

    @property
    def state(self) -> LessonState:
        if self.passed:
            return "passed"
        if self.attempts:
            return "attempted"
        return "notes_written" if self.notes else "not_started"


@dataclass
class _Progress:
    """A person's progress per translation group: passing the quiz in any language counts."""

    groups: dict[uuid.UUID, _GroupProgress] = field(default_factory=dict)

    @classmethod
    def of(cls, record: LearningRecord) -> _Progress:
        progress = cls()
        for written in record.notes:
            if written.text:
                progress.group(written.translation_group).notes = True
        for taken in record.attempts:
            group = progress.group(taken.translation_group)
            group.attempts += 1
            group.best_score = max(group.best_score or 0, taken.score)
            group.passed = group.passed or taken.passed
        return progress

    def group(self, translation_group: uuid.UUID) -> _GroupProgress:
        return self.groups.setdefault(translation_group, _GroupProgress())

    def state(self, translation_group: uuid.UUID) -> LessonState:
        found = self.groups.get(translation_group)
        return found.state if found else "not_started"


async def _progress(identity: Identity) -> _Progress:
    return _Progress.of(await identity.vault.learning_record(identity.account_id))


def _in_language(lessons: Iterable[Lesson], language: str) -> dict[uuid.UUID, Lesson]:
    """translation group -> its published lesson in `language`, else in the first language
    (en, fr, es) it is published in."""
    preference = {code: rank for rank, code in enumerate(LANGUAGES)}
    preference[language] = -1
    chosen: dict[uuid.UUID, Lesson] = {}
    for lesson in lessons:
        if lesson.published_version is None:
            continue
        current = chosen.get(lesson.translation_group)
        if current is None or preference[lesson.language] < preference[current.language]:
            chosen[lesson.translation_group] = lesson
    return chosen


async def _published_in_language(
    db: AppDbSession, groups: Iterable[uuid.UUID], language: str
) -> dict[uuid.UUID, tuple[Lesson, LessonVersion, list[str]]]:
    chosen = _in_language(await repo.lessons_in_groups(db, set(groups)), language)
    shown = await repo.shown_versions(db, chosen.values(), published=True)
    topics = await repo.topics_of(db, [version.id for version in shown.values()])
    return {
        group: (lesson, shown[lesson.id], topics[shown[lesson.id].id])
        for group, lesson in chosen.items()
    }


def _collection_progress(
    collection: LessonCollection,
    groups: list[uuid.UUID],
    published: Iterable[uuid.UUID],
    progress: _Progress,
) -> CollectionProgress:
    available = set(published)
    counted = [group for group in groups if group in available]
    passed = sum(progress.state(group) == "passed" for group in counted)
    return CollectionProgress(
        id=collection.id,
        title=collection.title,
        passed=passed,
        total=len(counted),
        completed=bool(counted) and passed == len(counted),
    )


async def my_learning(db: AppDbSession, identity: Identity) -> MyLearning:
    progress = await _progress(identity)
    language = identity.session.language
    shown = await _published_in_language(db, progress.groups, language)
    lessons = []
    for group, found in progress.groups.items():
        lesson = shown.get(group)
        lessons.append(
            LessonProgress(
                translation_group=group,
                lesson_id=lesson[0].id if lesson else None,
                title=lesson[1].title if lesson else None,
                state=found.state,
                attempts=found.attempts,
                best_score=found.best_score,
            )
        )
    holding = await repo.collections_holding(db, set(progress.groups))
    groups_of = await repo.collection_groups(db, [c.id for c in holding])
    every_group = {group for groups in groups_of.values() for group in groups}
    published = await repo.lessons_in_groups(db, every_group)
    published_groups = {row.translation_group for row in published if row.published_version}
    return MyLearning(
        lessons=lessons,
        collections=[
            _collection_progress(c, groups_of[c.id], published_groups, progress) for c in holding
        ],
    )


# Collections


async def _collection(db: AppDbSession, collection_id: uuid.UUID) -> LessonCollection:
    found = await repo.get_collection(db, collection_id)
    if found is None:
        raise CollectionNotFound()
    return found


async def _check_groups(db: AppDbSession, groups: list[uuid.UUID]) -> None:
    missing = set(groups) - await repo.existing_groups(db, groups)
    if missing:
        raise UnknownLessons(f"{len(missing)} of the lessons do not exist.")


async def collections(db: AppDbSession) -> list[CollectionSummary]:
    found = await repo.collections(db)
    groups_of = await repo.collection_groups(db, [c.id for c in found])
    return [
        CollectionSummary(
            id=c.id, title=c.title, description=c.description, lessons=len(groups_of[c.id])
        )
        for c in found
    ]


async def collection(
    db: AppDbSession, identity: Identity, collection_id: uuid.UUID
) -> CollectionOut:
    """The collection, each lesson in the caller's language when it exists, with the caller's
    own state for each, and whether they completed it."""
    found = await _collection(db, collection_id)
    groups = (await repo.collection_groups(db, [found.id]))[found.id]
    shown = await _published_in_language(db, groups, identity.session.language)
    progress = await _progress(identity)
    summary = _collection_progress(found, groups, shown, progress)
    names = await identity.vault.name_library_authors([found.author])
    return CollectionOut(
        id=found.id,
        title=found.title,
        description=found.description,
        revision=found.revision,
        author_name=names.get(found.author),
        items=[
            CollectionItemOut(
                translation_group=group,
                lesson=_summary(*shown[group]) if group in shown else None,
                state=progress.state(group),
            )
            for group in groups
        ],
        passed=summary.passed,
        total=summary.total,
        completed=summary.completed,
    )


async def create_collection(
    db: AppDbSession, identity: Identity, body: CollectionIn
) -> CollectionOut:
    require_editor(identity)
    await _check_groups(db, body.lessons)
    row = LessonCollection(
        title=body.title, description=body.description, author=await _author_pseudonym(identity)
    )
    await repo.add(db, row)
    await repo.replace_items(db, row.id, body.lessons)
    return await collection(db, identity, row.id)


async def edit_collection(
    db: AppDbSession, identity: Identity, collection_id: uuid.UUID, body: CollectionEdit
) -> CollectionOut:
    require_editor(identity)
    found = await _collection(db, collection_id)
    if body.revision != found.revision:
        raise StaleCollection()
    await _check_groups(db, body.lessons)
    found.title, found.description = body.title, body.description
    found.revision += 1
    await repo.replace_items(db, found.id, body.lessons)
    return await collection(db, identity, found.id)


async def delete_collection(db: AppDbSession, identity: Identity, collection_id: uuid.UUID) -> None:
    require_editor(identity)
    await repo.delete_collection(db, await _collection(db, collection_id))


async def lesson_taken(
    db: AppDbSession, identity: Identity, lesson_id: uuid.UUID
) -> tuple[uuid.UUID, bool]:
    """The published lesson's translation group, and whether this person took it (wrote notes
    or answered its quiz, in any of its languages): what rating it needs. Answered from their
    own record in their own request, as `has_completed_collection` is."""
    lesson, _ = await _published(db, lesson_id)
    group = lesson.translation_group
    return group, (await _progress(identity)).state(group) != "not_started"


async def has_completed_collection(
    db: AppDbSession, identity: Identity, collection_id: uuid.UUID
) -> bool:
    """Has this person passed the quiz of every published lesson of the collection (in any
    language)? For other domains (a mentoring programme that requires a collection).

    Only the person's own request can answer: their attempts open with their data key alone,
    so a programme lead cannot ask about someone else. A caller that needs the answer later
    (next to a mentor's application) keeps the boolean the person's own request computed.
    """
    found = await _collection(db, collection_id)
    groups = (await repo.collection_groups(db, [found.id]))[found.id]
    published = {
        row.translation_group
        for row in await repo.lessons_in_groups(db, groups)
        if row.published_version is not None
    }
    return _collection_progress(found, groups, published, await _progress(identity)).completed
