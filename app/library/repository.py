"""SQL for lessons, their versions and topics, and collections."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable
from datetime import datetime

from sqlalchemy import and_, delete, exists, or_, select

from app.db import AppDbSession
from app.library.models import CollectionItem, Lesson, LessonCollection, LessonTopic, LessonVersion


async def get_lesson(db: AppDbSession, lesson_id: uuid.UUID) -> Lesson | None:
    return await db.get(Lesson, lesson_id)


async def add(db: AppDbSession, row: object) -> None:
    db.add(row)
    await db.flush()


async def version_of(db: AppDbSession, lesson_id: uuid.UUID, version: int) -> LessonVersion | None:
    found: LessonVersion | None = await db.scalar(
        select(LessonVersion).where(
            LessonVersion.lesson_id == lesson_id, LessonVersion.version == version
        )
    )
    return found


async def versions_of(db: AppDbSession, lesson_id: uuid.UUID) -> list[LessonVersion]:
    """Newest first."""
    return list(
        await db.scalars(
            select(LessonVersion)
            .where(LessonVersion.lesson_id == lesson_id)
            .order_by(LessonVersion.version.desc())
        )
    )


async def add_topics(db: AppDbSession, version_id: uuid.UUID, topics: Iterable[str]) -> None:
    db.add_all(LessonTopic(version_id=version_id, topic=topic) for topic in topics)
    await db.flush()


async def topics_of(
    db: AppDbSession, version_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, list[str]]:
    if not version_ids:
        return {}
    rows = await db.execute(
        select(LessonTopic.version_id, LessonTopic.topic)
        .where(LessonTopic.version_id.in_(list(version_ids)))
        .order_by(LessonTopic.topic)
    )
    topics: dict[uuid.UUID, list[str]] = {version_id: [] for version_id in version_ids}
    for version_id, topic in rows.all():
        topics[version_id].append(topic)
    return topics


async def lessons_in_groups(db: AppDbSession, groups: Collection[uuid.UUID]) -> list[Lesson]:
    if not groups:
        return []
    return list(
        await db.scalars(
            select(Lesson)
            .where(Lesson.translation_group.in_(list(groups)))
            .order_by(Lesson.language)
        )
    )


async def shown_versions(
    db: AppDbSession, lessons: Iterable[Lesson], *, published: bool
) -> dict[uuid.UUID, LessonVersion]:
    """lesson id -> its published version (or, with published=False, its latest one)."""
    wanted = {
        lesson.id: lesson.published_version if published else lesson.latest_version
        for lesson in lessons
    }
    wanted = {lesson_id: version for lesson_id, version in wanted.items() if version is not None}
    if not wanted:
        return {}
    rows = await db.scalars(
        select(LessonVersion).where(
            or_(
                *(
                    and_(LessonVersion.lesson_id == lesson_id, LessonVersion.version == version)
                    for lesson_id, version in wanted.items()
                )
            )
        )
    )
    return {row.lesson_id: row for row in rows}


async def list_lessons(
    db: AppDbSession,
    *,
    drafts_of: uuid.UUID | None,
    level: str | None,
    language: str | None,
    topic: str | None,
    after: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> list[tuple[Lesson, LessonVersion]]:
    """Published lessons with their published version, newest first; with `drafts_of`, that
    author's unpublished lessons with their latest version instead."""
    if drafts_of is None:
        shown = LessonVersion.version == Lesson.published_version
        query = select(Lesson, LessonVersion).where(Lesson.published_version.is_not(None))
    else:
        shown = LessonVersion.version == Lesson.latest_version
        query = select(Lesson, LessonVersion).where(
            Lesson.published_version.is_(None), Lesson.author == drafts_of
        )
    query = query.join(LessonVersion, (LessonVersion.lesson_id == Lesson.id) & shown)
    if level is not None:
        query = query.where(LessonVersion.level == level)
    if language is not None:
        query = query.where(Lesson.language == language)
    if topic is not None:
        query = query.where(
            exists().where(LessonTopic.version_id == LessonVersion.id, LessonTopic.topic == topic)
        )
    if after is not None:
        created, last_id = after
        query = query.where(
            (Lesson.created_at < created) | ((Lesson.created_at == created) & (Lesson.id > last_id))
        )
    query = query.order_by(Lesson.created_at.desc(), Lesson.id).limit(limit)
    return [(lesson, version) for lesson, version in (await db.execute(query)).all()]


async def get_collection(db: AppDbSession, collection_id: uuid.UUID) -> LessonCollection | None:
    return await db.get(LessonCollection, collection_id)


async def collections(db: AppDbSession) -> list[LessonCollection]:
    return list(
        await db.scalars(
            select(LessonCollection).order_by(LessonCollection.title, LessonCollection.id)
        )
    )


async def collection_groups(
    db: AppDbSession, collection_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, list[uuid.UUID]]:
    """collection id -> its translation groups, in order."""
    if not collection_ids:
        return {}
    rows = await db.execute(
        select(CollectionItem.collection_id, CollectionItem.translation_group)
        .where(CollectionItem.collection_id.in_(list(collection_ids)))
        .order_by(CollectionItem.collection_id, CollectionItem.position)
    )
    groups: dict[uuid.UUID, list[uuid.UUID]] = {cid: [] for cid in collection_ids}
    for collection_id, group in rows.all():
        groups[collection_id].append(group)
    return groups


async def collections_holding(
    db: AppDbSession, groups: Collection[uuid.UUID]
) -> list[LessonCollection]:
    if not groups:
        return []
    return list(
        await db.scalars(
            select(LessonCollection)
            .where(
                LessonCollection.id.in_(
                    select(CollectionItem.collection_id).where(
                        CollectionItem.translation_group.in_(list(groups))
                    )
                )
            )
            .order_by(LessonCollection.title, LessonCollection.id)
        )
    )


async def existing_groups(db: AppDbSession, groups: Collection[uuid.UUID]) -> set[uuid.UUID]:
    if not groups:
        return set()
    return set(
        await db.scalars(
            select(Lesson.translation_group)
            .where(Lesson.translation_group.in_(list(groups)))
            .distinct()
        )
    )


async def replace_items(
    db: AppDbSession, collection_id: uuid.UUID, groups: list[uuid.UUID]
) -> None:
    await db.execute(delete(CollectionItem).where(CollectionItem.collection_id == collection_id))
    db.add_all(
        CollectionItem(collection_id=collection_id, position=position, translation_group=group)
        for position, group in enumerate(groups)
    )
    await db.flush()


async def delete_collection(db: AppDbSession, collection: LessonCollection) -> None:
    await db.execute(delete(CollectionItem).where(CollectionItem.collection_id == collection.id))
    await db.delete(collection)
    await db.flush()


async def published_lessons(db: AppDbSession) -> list[Lesson]:
    """Every lesson with a published version (the learning counts list one per group)."""
    return list(
        await db.scalars(
            select(Lesson).where(Lesson.published_version.is_not(None)).order_by(Lesson.language)
        )
    )
