"""The notices' SQL."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from typing import Any, cast

from sqlalchemy import CursorResult, select, update

from app.db import AppDbSession
from app.kit.orm import utcnow
from app.notifications.models import Notification


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
