"""SQL for teams and messages."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select

from app.challenges.models import Participant
from app.db import AppDbSession
from app.submissions.models import Submission
from app.teams.models import Message, Team


async def get_team(db: AppDbSession, team_id: uuid.UUID) -> Team | None:
    return await db.get(Team, team_id)


async def team_by_code(db: AppDbSession, code: str) -> Team | None:
    return await db.scalar(select(Team).where(Team.join_code == code.upper()))


async def teams_of(db: AppDbSession, challenge_id: uuid.UUID) -> list[Team]:
    return list(
        await db.scalars(select(Team).where(Team.challenge_id == challenge_id).order_by(Team.name))
    )


async def names_in(db: AppDbSession, challenge_id: uuid.UUID) -> set[str]:
    return set(await db.scalars(select(Team.name).where(Team.challenge_id == challenge_id)))


async def members_of(
    db: AppDbSession, team_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, list[Participant]]:
    found: dict[uuid.UUID, list[Participant]] = {}
    rows = await db.scalars(
        select(Participant)
        .where(Participant.team_id.in_(list(team_ids)))
        .order_by(Participant.handle)
    )
    for row in rows:
        assert row.team_id is not None
        found.setdefault(row.team_id, []).append(row)
    return found


async def member_count(db: AppDbSession, team_id: uuid.UUID) -> int:
    count = await db.scalar(select(func.count()).where(Participant.team_id == team_id))
    return int(count or 0)


async def submission_statuses(
    db: AppDbSession, team_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, str]:
    rows = await db.execute(
        select(Submission.team_id, Submission.status).where(Submission.team_id.in_(list(team_ids)))
    )
    return {team_id: status for team_id, status in rows.all()}  # noqa: C416


async def messages_page(
    db: AppDbSession, team_id: uuid.UUID, *, before: tuple[datetime, uuid.UUID] | None, limit: int
) -> list[Message]:
    query = (
        select(Message)
        .where(Message.team_id == team_id)
        .order_by(Message.created_at.desc(), Message.id.desc())
        .limit(limit)
    )
    if before is not None:
        created_at, message_id = before
        query = query.where(
            (Message.created_at < created_at)
            | ((Message.created_at == created_at) & (Message.id < message_id))
        )
    return list(await db.scalars(query))


async def handles(db: AppDbSession, pseudonyms: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    rows = await db.execute(
        select(Participant.pseudonym, Participant.handle).where(
            Participant.pseudonym.in_(list(pseudonyms))
        )
    )
    return {pseudonym: handle for pseudonym, handle in rows.all()}  # noqa: C416
