"""SQL for formation runs, and for the teams and notices a published run creates."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.db import AppDbSession
from app.formations.models import Formation
from app.kit.orm import utcnow
from app.notifications.models import Notification
from app.teams.models import Team


async def running_silent_since(
    db: AppDbSession, challenge_id: uuid.UUID, since: datetime
) -> list[Formation]:
    """The challenge's runs still marked running whose last heartbeat is older than `since`."""
    return list(
        await db.scalars(
            select(Formation).where(
                Formation.challenge_id == challenge_id,
                Formation.status == "running",
                Formation.heartbeat_at < since,
            )
        )
    )


async def add_running(db: AppDbSession, formation: Formation) -> bool:
    """Add a running run; False if the challenge already has one (a unique index refuses a
    second, whatever the number of workers)."""
    try:
        async with db.begin_nested():
            db.add(formation)
    except IntegrityError:
        return False
    return True


async def get_formation(db: AppDbSession, formation_id: uuid.UUID) -> Formation | None:
    return await db.get(Formation, formation_id)


async def formations_of(db: AppDbSession, challenge_id: uuid.UUID) -> list[Formation]:
    """Every run of the challenge, newest first."""
    return list(
        await db.scalars(
            select(Formation)
            .where(Formation.challenge_id == challenge_id)
            .order_by(Formation.created_at.desc(), Formation.id)
        )
    )


async def record_progress(db: AppDbSession, formation_id: uuid.UUID, **values: Any) -> None:
    """Set `values` and the heartbeat on a run that is still running (one that was marked
    failed or removed meanwhile is left alone)."""
    formation = await db.get(Formation, formation_id)
    if formation is not None and formation.status == "running":
        for name, value in values.items():
            setattr(formation, name, value)
        formation.heartbeat_at = utcnow()


async def add_teams(db: AppDbSession, teams: Iterable[Team]) -> None:
    for team in teams:
        db.add(team)
    await db.flush()


async def add_notifications(db: AppDbSession, notifications: Iterable[Notification]) -> None:
    for notification in notifications:
        db.add(notification)
