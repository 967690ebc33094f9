"""The learning library: lessons (written by facilitators, read and taken by anyone signed in),
each person's own notes and quiz attempts, and collections."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response, status

from app.auth.deps import CsrfFailed, CurrentIdentity
from app.challenges.schemas import Track
from app.db import AppDb
from app.errors import Forbidden, Unauthenticated, responses
from app.kit.pagination import InvalidCursor, Page, PageParams, page_params
from app.library import counts, service
from app.library.deps import LibraryEditor
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
from app.library.schemas import (
    AttemptIn,
    AttemptOut,
    AttemptResult,
    CollectionEdit,
    CollectionIn,
    CollectionOut,
    CollectionSummary,
    Language,
    LearningOverview,
    LessonCreate,
    LessonEdit,
    LessonForEditors,
    LessonForReaders,
    LessonLearning,
    LessonSummary,
    LessonVersionOut,
    LessonVersionSummary,
    MyLearning,
    NotesIn,
    NotesOut,
    PublishIn,
)

router = APIRouter(prefix="/library", tags=["library"])
Paging = Annotated[PageParams, Depends(page_params)]


@router.get(
    "/lessons",
    response_model=Page[LessonSummary],
    responses=responses(Unauthenticated, Forbidden, InvalidCursor),
)
async def list_lessons(
    identity: CurrentIdentity,
    db: AppDb,
    page: Paging,
    level: Track | None = None,
    language: Language | None = None,
    topic: Annotated[str | None, Query(max_length=50)] = None,
    drafts: bool = False,
) -> Page[LessonSummary]:
    """Published lessons, newest first, by guidance level, language and topic; with
    `drafts=true` (facilitators and admins), your own unpublished lessons instead."""
    items, next_cursor = await service.list_lessons(
        db,
        identity,
        level=level,
        language=language,
        topic=topic,
        drafts=drafts,
        cursor=page.cursor,
        limit=page.limit,
    )
    return Page(items=items, next_cursor=next_cursor)


@router.post(
    "/lessons",
    status_code=status.HTTP_201_CREATED,
    response_model=LessonForEditors,
    responses=responses(Unauthenticated, CsrfFailed, Forbidden, LessonNotFound, TranslationExists),
)
async def create_lesson(body: LessonCreate, identity: LibraryEditor, db: AppDb) -> LessonForEditors:
    """A new lesson, unpublished (version 1), or a translation of one (`translation_of`)."""
    return await service.create_lesson(db, identity, body)


def _pdf(body: bytes, filename: str) -> Response:
    return Response(
        body,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


PDF: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        "description": "A PDF to read offline",
    }
}


@router.get(
    "/lessons/{lesson_id}.pdf",
    response_class=Response,
    responses={**PDF, **responses(Unauthenticated, LessonNotFound)},
)
async def lesson_pdf(lesson_id: uuid.UUID, identity: CurrentIdentity, db: AppDb) -> Response:
    """The published lesson as a PDF, to read offline (the quiz is printed without its
    answers: it is taken in the app)."""
    return _pdf(await service.lesson_pdf(db, lesson_id), "lesson.pdf")


@router.get(
    "/lessons/{lesson_id}",
    response_model=LessonForReaders,
    responses=responses(Unauthenticated, LessonNotFound),
)
async def read_lesson(
    lesson_id: uuid.UUID, identity: CurrentIdentity, db: AppDb
) -> LessonForReaders:
    """The published version of a lesson; its quiz without the answers."""
    return await service.lesson_for_readers(db, identity, lesson_id)


@router.put(
    "/lessons/{lesson_id}",
    response_model=LessonForEditors,
    responses=responses(
        Unauthenticated, CsrfFailed, Forbidden, LessonNotFound, LessonVersionConflict
    ),
)
async def edit_lesson(
    lesson_id: uuid.UUID, body: LessonEdit, identity: LibraryEditor, db: AppDb
) -> LessonForEditors:
    """Save a new version (readers keep the published one until you publish again)."""
    return await service.edit_lesson(db, identity, lesson_id, body)


@router.get(
    "/lessons/{lesson_id}/edit",
    response_model=LessonForEditors,
    responses=responses(Unauthenticated, Forbidden, LessonNotFound),
)
async def lesson_for_editors(
    lesson_id: uuid.UUID, identity: LibraryEditor, db: AppDb
) -> LessonForEditors:
    """The lesson as its editors see it: the latest version, quiz answers included."""
    return await service.lesson_for_editors(db, identity, lesson_id)


@router.get(
    "/lessons/{lesson_id}/versions",
    response_model=list[LessonVersionSummary],
    responses=responses(Unauthenticated, Forbidden, LessonNotFound),
)
async def list_versions(
    lesson_id: uuid.UUID, identity: LibraryEditor, db: AppDb
) -> list[LessonVersionSummary]:
    """Every saved version, newest first."""
    return await service.versions(db, identity, lesson_id)


@router.get(
    "/lessons/{lesson_id}/versions/{version}",
    response_model=LessonVersionOut,
    responses=responses(Unauthenticated, Forbidden, LessonNotFound, LessonVersionNotFound),
)
async def read_version(
    lesson_id: uuid.UUID, version: int, identity: LibraryEditor, db: AppDb
) -> LessonVersionOut:
    return await service.version_detail(db, identity, lesson_id, version)


@router.put(
    "/lessons/{lesson_id}/publication",
    response_model=LessonForEditors,
    responses=responses(
        Unauthenticated, CsrfFailed, Forbidden, LessonNotFound, LessonVersionNotFound
    ),
)
async def publish_lesson(
    lesson_id: uuid.UUID, body: PublishIn, identity: LibraryEditor, db: AppDb
) -> LessonForEditors:
    """Publish this version: readers see it from now on."""
    return await service.publish(db, identity, lesson_id, body.version)


@router.delete(
    "/lessons/{lesson_id}/publication",
    response_model=LessonForEditors,
    responses=responses(Unauthenticated, CsrfFailed, Forbidden, LessonNotFound),
)
async def unpublish_lesson(
    lesson_id: uuid.UUID, identity: LibraryEditor, db: AppDb
) -> LessonForEditors:
    """Take the lesson away from readers (its versions stay)."""
    return await service.unpublish(db, identity, lesson_id)


@router.get(
    "/lessons/{lesson_id}/notes",
    response_model=NotesOut,
    responses=responses(Unauthenticated, LessonNotFound),
)
async def read_notes(lesson_id: uuid.UUID, identity: CurrentIdentity, db: AppDb) -> NotesOut:
    """Your own notes on the lesson's reflection task (nobody else can read them)."""
    return await service.notes(db, identity, lesson_id)


@router.put(
    "/lessons/{lesson_id}/notes",
    response_model=NotesOut,
    responses=responses(Unauthenticated, CsrfFailed, LessonNotFound),
)
async def save_notes(
    lesson_id: uuid.UUID, body: NotesIn, identity: CurrentIdentity, db: AppDb
) -> NotesOut:
    """Replace your notes on the lesson's reflection task."""
    return await service.save_notes(db, identity, lesson_id, body)


@router.post(
    "/lessons/{lesson_id}/attempts",
    status_code=status.HTTP_201_CREATED,
    response_model=AttemptResult,
    responses=responses(
        Unauthenticated, CsrfFailed, LessonNotFound, QuizChanged, NoQuiz, AnswersDoNotFit
    ),
)
async def submit_attempt(
    lesson_id: uuid.UUID, body: AttemptIn, identity: CurrentIdentity, db: AppDb
) -> AttemptResult:
    """Answer the quiz: graded at once, with the correct choices and explanations; the
    attempt is kept for you alone."""
    return await service.attempt(db, identity, lesson_id, body)


@router.get(
    "/lessons/{lesson_id}/attempts",
    response_model=list[AttemptOut],
    responses=responses(Unauthenticated, LessonNotFound),
)
async def list_attempts(
    lesson_id: uuid.UUID, identity: CurrentIdentity, db: AppDb
) -> list[AttemptOut]:
    """Your own attempts at the lesson's quiz, oldest first."""
    return await service.attempts(db, identity, lesson_id)


@router.get(
    "/lessons/{lesson_id}/learning",
    response_model=LessonLearning,
    responses=responses(Unauthenticated, Forbidden, LessonNotFound),
)
async def lesson_learning(
    lesson_id: uuid.UUID, identity: LibraryEditor, db: AppDb
) -> LessonLearning:
    """How many people took the lesson (in any language) and passed its quiz, over ended
    months; counts under 5 hidden. Never a person's record (editors only)."""
    return await counts.lesson_learning(db, identity, lesson_id)


@router.get(
    "/learning",
    response_model=LearningOverview,
    responses=responses(Unauthenticated, Forbidden),
)
async def learning_overview(identity: LibraryEditor, db: AppDb) -> LearningOverview:
    """Per published lesson and per collection, how many people took, passed, completed it,
    over ended months; counts under 5 hidden (editors only)."""
    return await counts.learning_overview(db, identity)


@router.get("/me", response_model=MyLearning, responses=responses(Unauthenticated))
async def my_learning(identity: CurrentIdentity, db: AppDb) -> MyLearning:
    """Your learning record: the lessons you started, the quizzes you passed, and the
    collections that hold them."""
    return await service.my_learning(db, identity)


@router.get(
    "/collections",
    response_model=list[CollectionSummary],
    responses=responses(Unauthenticated),
)
async def list_collections(identity: CurrentIdentity, db: AppDb) -> list[CollectionSummary]:
    return await service.collections(db)


@router.post(
    "/collections",
    status_code=status.HTTP_201_CREATED,
    response_model=CollectionOut,
    responses=responses(Unauthenticated, CsrfFailed, Forbidden, UnknownLessons),
)
async def create_collection(
    body: CollectionIn, identity: LibraryEditor, db: AppDb
) -> CollectionOut:
    return await service.create_collection(db, identity, body)


@router.get(
    "/collections/{collection_id}.pdf",
    response_class=Response,
    responses={**PDF, **responses(Unauthenticated, CollectionNotFound)},
)
async def collection_pdf(
    collection_id: uuid.UUID, identity: CurrentIdentity, db: AppDb
) -> Response:
    """The collection's lessons in one PDF, in your language where each exists."""
    return _pdf(await service.collection_pdf(db, identity, collection_id), "collection.pdf")


@router.get(
    "/collections/{collection_id}",
    response_model=CollectionOut,
    responses=responses(Unauthenticated, CollectionNotFound),
)
async def read_collection(
    collection_id: uuid.UUID, identity: CurrentIdentity, db: AppDb
) -> CollectionOut:
    """The collection, each lesson in your language where it exists, with your progress."""
    return await service.collection(db, identity, collection_id)


@router.put(
    "/collections/{collection_id}",
    response_model=CollectionOut,
    responses=responses(
        Unauthenticated, CsrfFailed, Forbidden, CollectionNotFound, StaleCollection, UnknownLessons
    ),
)
async def edit_collection(
    collection_id: uuid.UUID, body: CollectionEdit, identity: LibraryEditor, db: AppDb
) -> CollectionOut:
    return await service.edit_collection(db, identity, collection_id, body)


@router.delete(
    "/collections/{collection_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(Unauthenticated, CsrfFailed, Forbidden, CollectionNotFound),
)
async def delete_collection(
    collection_id: uuid.UUID, identity: LibraryEditor, db: AppDb
) -> Response:
    await service.delete_collection(db, identity, collection_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
