"""Errors of the learning library."""

from app.errors import AppError, Conflict, NotFound


class LessonNotFound(NotFound, code="lesson_not_found", title="Lesson not found"): ...


class LessonVersionNotFound(
    NotFound, code="lesson_version_not_found", title="No such version of the lesson"
): ...


class LessonVersionConflict(
    Conflict, code="lesson_version_conflict", title="Someone saved a newer version of the lesson"
): ...


class TranslationExists(
    Conflict,
    code="translation_exists",
    title="This lesson already has a version in that language",
): ...


class QuizChanged(
    Conflict,
    code="quiz_changed",
    title="The lesson was republished since you opened it: reload it and answer again",
): ...


class NoQuiz(Conflict, code="no_quiz", title="This lesson has no quiz"): ...


class AnswersDoNotFit(
    AppError,
    code="answers_do_not_fit",
    title="The answers do not fit the quiz's questions",
    status=422,
): ...


class CollectionNotFound(NotFound, code="collection_not_found", title="Collection not found"): ...


class StaleCollection(
    Conflict, code="stale_collection", title="Someone changed this collection since you opened it"
): ...


class UnknownLessons(
    Conflict, code="unknown_lessons", title="A collection can only hold lessons that exist"
): ...
