"""SQL for teams and messages."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple, cast

from sqlalchemy import Table, bindparam, func, insert, select

from app.challenges.models import Challenge, Participant
from app.db import AppDbSession
from app.kit.direct_select import DirectSelect
from app.kit.orm import add_with_drawn_value, new_id
from app.submissions.models import Submission
from app.teams.models import Message, Team

# Statements that team pages run on every read, built once (app.kit.orm).
# A team page's whole app-database read in one statement: the team, its challenge, its
# members in handle order (one row each; one row of NULLs when it has none) and its submission's
# status (a team has at most one submission).
_TEAM_WITH_MEMBERS = DirectSelect(
    select(
        Team,
        Challenge,
        Participant,
        select(Submission.status)
        .where(Submission.team_id == Team.id)
        .scalar_subquery()
        .label("submission_status"),
    )
    .join(Challenge, Challenge.id == Team.challenge_id)
    .outerjoin(Participant, Participant.team_id == Team.id)
    .where(Team.id == bindparam("team_id"))
    .order_by(Participant.handle)
)
_MEMBERS = (
    select(Participant)
    .where(Participant.team_id.in_(bindparam("team_ids", expanding=True)))
    .order_by(Participant.handle)
)
_SUBMISSION_STATUSES = select(Submission.team_id, Submission.status).where(
    Submission.team_id.in_(bindparam("team_ids", expanding=True))
)
_TEAMS_OF = select(Team).where(Team.challenge_id == bindparam("challenge_id")).order_by(Team.name)
_TEAM_NAMES = select(Team.id, Team.name).where(Team.challenge_id == bindparam("challenge_id"))


# Rows of the columns a page shows, not entities: a page is read far more often than written,
# and nothing on it is changed through the session.
class MessageRow(NamedTuple):
    """What a page shows of a message."""

    id: uuid.UUID
    author: uuid.UUID | None
    body: str
    created_at: datetime
    edited_at: datetime | None


_MESSAGES_SELECT = (
    select(Message.id, Message.author, Message.body, Message.created_at, Message.edited_at)
    .where(Message.team_id == bindparam("team_id"))
    .order_by(Message.created_at.desc(), Message.id.desc())
    .limit(bindparam("limit"))
)
_MESSAGES = DirectSelect(_MESSAGES_SELECT, MessageRow)
_MESSAGES_BEFORE = DirectSelect(
    _MESSAGES_SELECT.where(
        (Message.created_at < bindparam("created_at"))
        | ((Message.created_at == bindparam("created_at")) & (Message.id < bindparam("message_id")))
    ),
    MessageRow,
)
_HANDLES = select(Participant.pseudonym, Participant.handle).where(
    Participant.pseudonym.in_(bindparam("pseudonyms", expanding=True))
)
_MESSAGE_TABLE = cast(Table, Message.__table__)
_INSERT_MESSAGE = insert(_MESSAGE_TABLE)
_MESSAGE_COLUMNS = tuple(column.key for column in _MESSAGE_TABLE.c)


async def get_team(db: AppDbSession, team_id: uuid.UUID) -> Team | None:
    return await db.get(Team, team_id)


async def add_team(db: AppDbSession, draw: Callable[[], Awaitable[Team]]) -> Team:
    """Add the team `draw` makes, drawing again while a concurrent request takes its name or
    join code first."""
    return await add_with_drawn_value(db, draw)


@dataclass
class TeamWithMembers:
    team: Team
    challenge: Challenge
    members: list[Participant]  # in handle order
    submission_status: str  # "none" before the team saves a draft


async def team_with_members(db: AppDbSession, team_id: uuid.UUID) -> TeamWithMembers | None:
    """The team, its challenge, members and submission status in one round trip (every team
    page starts with them)."""
    rows = await _TEAM_WITH_MEMBERS.rows(db, {"team_id": team_id})
    if not rows:
        return None
    team, challenge, _, status = rows[0]
    return TeamWithMembers(
        team=team,
        challenge=challenge,
        members=[row[2] for row in rows if row[2] is not None],
        submission_status=status or "none",
    )


async def team_by_code(db: AppDbSession, code: str) -> Team | None:
    return await db.scalar(select(Team).where(Team.join_code == code.upper()))


async def teams_of(db: AppDbSession, challenge_id: uuid.UUID) -> list[Team]:
    return list(await db.scalars(_TEAMS_OF, {"challenge_id": challenge_id}))


async def team_names(db: AppDbSession, challenge_id: uuid.UUID) -> dict[uuid.UUID, str]:
    rows = await db.execute(_TEAM_NAMES, {"challenge_id": challenge_id})
    return {team_id: name for team_id, name in rows.all()}  # noqa: C416


async def names_in(db: AppDbSession, challenge_id: uuid.UUID) -> set[str]:
    return set(await db.scalars(select(Team.name).where(Team.challenge_id == challenge_id)))


async def members_of(
    db: AppDbSession, team_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, list[Participant]]:
    found: dict[uuid.UUID, list[Participant]] = {}
    rows = await db.scalars(_MEMBERS, {"team_ids": list(team_ids)})
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
    rows = await db.execute(_SUBMISSION_STATUSES, {"team_ids": list(team_ids)})
    return {team_id: status for team_id, status in rows.all()}  # noqa: C416


async def messages_page(
    db: AppDbSession, team_id: uuid.UUID, *, before: tuple[datetime, uuid.UUID] | None, limit: int
) -> list[MessageRow]:
    if before is None:
        return await _MESSAGES.rows(db, {"team_id": team_id, "limit": limit})
    created_at, message_id = before
    parameters = {
        "team_id": team_id,
        "limit": limit,
        "created_at": created_at,
        "message_id": message_id,
    }
    return await _MESSAGES_BEFORE.rows(db, parameters)


async def handles(db: AppDbSession, pseudonyms: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    rows = await db.execute(_HANDLES, {"pseudonyms": list(pseudonyms)})
    return {pseudonym: handle for pseudonym, handle in rows.all()}  # noqa: C416


async def get_message(db: AppDbSession, message_id: uuid.UUID) -> Message | None:
    return await db.get(Message, message_id)


async def add_message(db: AppDbSession, message: Message) -> None:
    """Stored with one INSERT of its columns: the busiest write, which the unit of work's
    flush would make several times dearer for a row nothing else in the request touches."""
    message.id = message.id or new_id()
    await db.execute(_INSERT_MESSAGE, {key: getattr(message, key) for key in _MESSAGE_COLUMNS})
