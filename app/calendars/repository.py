"""The challenge rows a calendar shows: titles, phase dates and revisions."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import select

from app.challenges.models import Challenge
from app.db import AppDbSession


class ChallengeDates(NamedTuple):
    id: uuid.UUID
    title: str
    revision: int
    enrolment_opens_at: datetime | None
    teamwork_starts_at: datetime | None
    review_starts_at: datetime | None
    closes_at: datetime | None


_COLUMNS = (
    Challenge.id,
    Challenge.title,
    Challenge.revision,
    Challenge.enrolment_opens_at,
    Challenge.teamwork_starts_at,
    Challenge.review_starts_at,
    Challenge.closes_at,
)


async def challenge_dates(db: AppDbSession, ids: Collection[uuid.UUID]) -> list[ChallengeDates]:
    """The challenges among `ids` (other scopes, such as the library, are simply not found),
    oldest first."""
    if not ids:
        return []
    rows = await db.execute(
        select(*_COLUMNS).where(Challenge.id.in_(list(ids))).order_by(Challenge.created_at)
    )
    return [ChallengeDates(*row) for row in rows.all()]
