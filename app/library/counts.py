"""What editors learn of people's learning: how many took each lesson, passed its quiz,
completed each collection. Counts only, never a person's record (docs/library.md, "What
editors see of people's learning").

The vault computes them from everyone's sealed records, in memory (app/vault/learning_counts.py),
over ended months, moving by at least k at a time. Here the cells are suppressed once more for
what a reader could subtract: of the people who took a lesson, those who passed and those who
did not are two cells of one total (`app.kit.disclosure`, as every other breakdown shown).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from app.db import AppDbSession
from app.kit.disclosure import suppress_small_cells, suppress_total
from app.kit.orm import utcnow
from app.library import repository as repo
from app.library import service
from app.library.errors import LessonNotFound
from app.library.schemas import (
    CollectionLearningCounts,
    LearningOverview,
    LessonLearning,
    LessonLearningCounts,
)
from app.vault import Identity, LearningCounts

# The house's k for counts about people (as ratings' release and the insights).
LEARNING_K = 5


def _last_ended_month(now: datetime) -> str:
    year, month = (now.year - 1, 12) if now.month == 1 else (now.year, now.month - 1)
    return f"{year:04d}-{month:02d}"


async def _counts(db: AppDbSession, identity: Identity, now: datetime) -> LearningCounts:
    found = await repo.collections(db)
    groups_of = await repo.collection_groups(db, [c.id for c in found])
    every_group = {group for groups in groups_of.values() for group in groups}
    published = {
        lesson.translation_group
        for lesson in await repo.lessons_in_groups(db, every_group)
        if lesson.published_version is not None
    }
    # A collection is completed by passing its published lessons, as each person's own
    # progress says (`service.has_completed_collection`).
    required = {c.id: [g for g in groups_of[c.id] if g in published] for c in found}
    return await identity.vault.learning_counts(collections=required, now=now, k=LEARNING_K)


def _total(count: int | None) -> int | None:
    return None if count is None else suppress_total(count, LEARNING_K)


def _shown(
    group: uuid.UUID, counts: LearningCounts, lesson_id: uuid.UUID | None, title: str | None
) -> LessonLearningCounts:
    taken, passed = counts.lessons.get(group, (0, 0))
    shown_taken = _total(taken)
    shown_passed = None
    if shown_taken is not None and taken is not None and passed is not None:
        cells = suppress_small_cells({"passed": passed, "not_passed": taken - passed}, LEARNING_K)
        shown_passed = cells["passed"]
    return LessonLearningCounts(
        translation_group=group,
        lesson_id=lesson_id,
        title=title,
        taken=shown_taken,
        passed=shown_passed,
    )


async def lesson_learning(
    db: AppDbSession, identity: Identity, lesson_id: uuid.UUID
) -> LessonLearning:
    """One lesson's counts (its translation group's), for its editors, published or not."""
    service.require_editor(identity)
    lesson = await repo.get_lesson(db, lesson_id)
    if lesson is None:
        raise LessonNotFound()
    now = utcnow()
    counts = await _counts(db, identity, now)
    return LessonLearning(
        k=LEARNING_K,
        through=_last_ended_month(now),
        counts=_shown(lesson.translation_group, counts, None, None),
    )


async def learning_overview(db: AppDbSession, identity: Identity) -> LearningOverview:
    """Every published lesson (one per translation group, in the editor's language where it
    exists) and every collection, with their counts."""
    service.require_editor(identity)
    now = utcnow()
    counts = await _counts(db, identity, now)
    chosen = service._in_language(await repo.published_lessons(db), identity.session.language)
    versions = await repo.shown_versions(db, chosen.values(), published=True)
    lessons = [
        _shown(group, counts, lesson.id, versions[lesson.id].title)
        for group, lesson in chosen.items()
        if lesson.id in versions
    ]
    lessons.sort(key=lambda row: (row.title or "").casefold())
    return LearningOverview(
        k=LEARNING_K,
        through=_last_ended_month(now),
        lessons=lessons,
        collections=[
            CollectionLearningCounts(
                id=c.id,
                title=c.title,
                completed=_total(counts.collections.get(c.id, 0)),
            )
            for c in await repo.collections(db)
        ],
    )
