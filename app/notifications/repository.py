"""The notices' SQL: a challenge's notices and a programme's are two tables of one shape, read
and marked by the same two statements."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable
from datetime import datetime
from typing import Any, TypeVar, cast

from sqlalchemy import CursorResult, select, update

from app.challenges.models import Challenge, Participant
from app.db import AppDbSession
from app.kit.orm import utcnow
from app.notifications.models import Notification, ProgrammeNotification

AnyNotice = TypeVar("AnyNotice", Notification, ProgrammeNotification)


async def latest_for(
    db: AppDbSession, model: type[AnyNotice], recipients: Collection[uuid.UUID], limit: int
) -> list[AnyNotice]:
    rows = await db.scalars(
        select(model)
        .where(model.recipient.in_(list(recipients)))
        .order_by(model.created_at.desc(), model.id)
        .limit(limit)
    )
    return list(rows)


async def mark_read(
    db: AppDbSession,
    model: type[Notification] | type[ProgrammeNotification],
    notification_id: uuid.UUID,
    recipients: Collection[uuid.UUID],
) -> bool:
    """False if no notice with this id is addressed to these recipients."""
    done = cast(
        CursorResult[Any],
        await db.execute(
            update(model)
            .where(model.id == notification_id, model.recipient.in_(list(recipients)))
            .values(read_at=utcnow())
        ),
    )
    return done.rowcount > 0


async def add(
    db: AppDbSession, notices: Iterable[Notification] | Iterable[ProgrammeNotification]
) -> None:
    db.add_all(notices)
    # Flushed: their ids name their mails.
    await db.flush()


async def participants_of(db: AppDbSession, challenge_id: uuid.UUID) -> list[uuid.UUID]:
    """The pseudonyms of a challenge's participants."""
    return list(
        await db.scalars(
            select(Participant.pseudonym).where(Participant.challenge_id == challenge_id)
        )
    )


async def told_already(db: AppDbSession, challenge_id: uuid.UUID, kind: str) -> bool:
    """Whether any notice of this kind was given in the challenge."""
    found = await db.scalar(
        select(Notification.id)
        .where(Notification.challenge_id == challenge_id, Notification.kind == kind)
        .limit(1)
    )
    return found is not None


async def reviews_closing_by(db: AppDbSession, until: datetime) -> list[Challenge]:
    """The challenges in review whose round closes between now and `until`."""
    now = utcnow()
    return list(
        await db.scalars(
            select(Challenge).where(
                Challenge.phase == "review",
                Challenge.closes_at.is_not(None),
                Challenge.closes_at > now,
                Challenge.closes_at <= until,
            )
        )
    )
