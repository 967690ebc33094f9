"""The notices' SQL."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from typing import Any, cast

from sqlalchemy import CursorResult, select, update

from app.db import AppDbSession
from app.kit.orm import utcnow
from app.notifications.models import Notification, ProgrammeNotification


async def latest_for(
    db: AppDbSession, recipients: Collection[uuid.UUID], limit: int
) -> list[Notification]:
    rows = await db.scalars(
        select(Notification)
        .where(Notification.recipient.in_(list(recipients)))
        .order_by(Notification.created_at.desc(), Notification.id)
        .limit(limit)
    )
    return list(rows)


async def mark_read(
    db: AppDbSession, notification_id: uuid.UUID, recipients: Collection[uuid.UUID]
) -> bool:
    """False if no notice with this id is addressed to these recipients."""
    done = cast(
        CursorResult[Any],
        await db.execute(
            update(Notification)
            .where(
                Notification.id == notification_id,
                Notification.recipient.in_(list(recipients)),
            )
            .values(read_at=utcnow())
        ),
    )
    return done.rowcount > 0


async def latest_programme_notices_for(
    db: AppDbSession, recipients: Collection[uuid.UUID], limit: int
) -> list[ProgrammeNotification]:
    rows = await db.scalars(
        select(ProgrammeNotification)
        .where(ProgrammeNotification.recipient.in_(list(recipients)))
        .order_by(ProgrammeNotification.created_at.desc(), ProgrammeNotification.id)
        .limit(limit)
    )
    return list(rows)


async def mark_programme_notice_read(
    db: AppDbSession, notification_id: uuid.UUID, recipients: Collection[uuid.UUID]
) -> bool:
    """False if no programme notice with this id is addressed to these recipients."""
    done = cast(
        CursorResult[Any],
        await db.execute(
            update(ProgrammeNotification)
            .where(
                ProgrammeNotification.id == notification_id,
                ProgrammeNotification.recipient.in_(list(recipients)),
            )
            .values(read_at=utcnow())
        ),
    )
    return done.rowcount > 0


def add_programme_notice(
    db: AppDbSession,
    recipient: uuid.UUID,
    programme_id: uuid.UUID,
    kind: str,
    params: dict[str, Any],
) -> None:
    db.add(
        ProgrammeNotification(
            recipient=recipient, programme_id=programme_id, kind=kind, params=params
        )
    )
