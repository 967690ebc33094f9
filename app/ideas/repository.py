"""SQL for the idea library."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, and_, delete, or_, select
from sqlalchemy.exc import IntegrityError

from app.challenges.models import Challenge, Participant
from app.db import AppDbSession
from app.ideas.models import IdeaConsent, IdeaEntry, IdeaTopic
from app.notifications.models import Notification
from app.teams.models import Team


async def entry_of_team(
    db: AppDbSession, team_id: uuid.UUID, *, for_update: bool = False
) -> IdeaEntry | None:
    """The team's copy and entry. `for_update`: locked until commit (PostgreSQL), so that two
    members answering at once cannot both miss the other's "yes" and leave it unpublished."""
    query = select(IdeaEntry).where(IdeaEntry.team_id == team_id)
    if for_update:
        query = query.with_for_update()
    return await db.scalar(query)


async def add_entry(db: AppDbSession, entry: IdeaEntry) -> bool:
    """Add the team's entry; False when a teammate's request added it first (one per team),
    which only that insert's savepoint rolls back."""
    try:
        async with db.begin_nested():
            db.add(entry)
    except IntegrityError:
        return False
    return True


async def answers_to(db: AppDbSession, entry_id: uuid.UUID, proposal: int) -> dict[uuid.UUID, bool]:
    """Each member's answer to one proposal, by pseudonym."""
    rows = await db.execute(
        select(IdeaConsent.member, IdeaConsent.agrees).where(
            IdeaConsent.entry_id == entry_id, IdeaConsent.proposal == proposal
        )
    )
    return {member: agrees for member, agrees in rows.all()}  # noqa: C416


async def record_answer(
    db: AppDbSession, entry_id: uuid.UUID, proposal: int, member: uuid.UUID, agrees: bool
) -> None:
    found = await db.get(IdeaConsent, (entry_id, proposal, member))
    if found is None:
        db.add(IdeaConsent(entry_id=entry_id, proposal=proposal, member=member, agrees=agrees))
    else:
        found.agrees = agrees
    await db.flush()


async def replace_topics(db: AppDbSession, entry_id: uuid.UUID, topics: Iterable[str]) -> None:
    await db.execute(delete(IdeaTopic).where(IdeaTopic.entry_id == entry_id))
    db.add_all(IdeaTopic(entry_id=entry_id, topic=topic) for topic in dict.fromkeys(topics))


async def topics_of(db: AppDbSession, entry_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    found: dict[uuid.UUID, list[str]] = {entry_id: [] for entry_id in entry_ids}
    rows = await db.execute(
        select(IdeaTopic.entry_id, IdeaTopic.topic)
        .where(IdeaTopic.entry_id.in_(entry_ids))
        .order_by(IdeaTopic.topic)
    )
    for entry_id, topic in rows.all():
        found[entry_id].append(topic)
    return found


_PUBLISHED = (
    select(IdeaEntry, Challenge, Team)
    .join(Challenge, Challenge.id == IdeaEntry.challenge_id)
    .join(Team, Team.id == IdeaEntry.team_id)
    .where(IdeaEntry.state == "published")
)


async def published_entry(
    db: AppDbSession, entry_id: uuid.UUID
) -> Row[IdeaEntry, Challenge, Team] | None:
    """A published entry with its challenge and its team."""
    return (await db.execute(_PUBLISHED.where(IdeaEntry.id == entry_id))).first()


async def published_page(
    db: AppDbSession,
    *,
    track: str | None,
    topic: str | None,
    after: tuple[bool, datetime, uuid.UUID] | None,
    limit: int,
) -> Sequence[Row[IdeaEntry, Challenge, Team]]:
    """Published entries, featured first, then newest first; `after` is the last one seen."""
    query = _PUBLISHED
    if track is not None:
        query = query.where(Challenge.track == track)
    if topic is not None:
        query = query.where(
            IdeaEntry.id.in_(select(IdeaTopic.entry_id).where(IdeaTopic.topic == topic))
        )
    if after is not None:
        featured, published_at, entry_id = after
        later_in_group: Any = or_(
            IdeaEntry.published_at < published_at,
            and_(IdeaEntry.published_at == published_at, IdeaEntry.id < entry_id),
        )
        if featured:
            query = query.where(
                or_(IdeaEntry.featured.is_(False), and_(IdeaEntry.featured, later_in_group))
            )
        else:
            query = query.where(IdeaEntry.featured.is_(False), later_in_group)
    query = query.order_by(
        IdeaEntry.featured.desc(), IdeaEntry.published_at.desc(), IdeaEntry.id.desc()
    ).limit(limit)
    return (await db.execute(query)).all()


async def get_entry(db: AppDbSession, entry_id: uuid.UUID) -> IdeaEntry | None:
    return await db.get(IdeaEntry, entry_id)


async def add_notifications(db: AppDbSession, notifications: list[Notification]) -> None:
    db.add_all(notifications)


async def is_of_proposing_team(
    db: AppDbSession, entry: IdeaEntry, pseudonym: uuid.UUID | None
) -> bool:
    """Whether this pseudonym is in the entry's team now, or answered one of its proposals."""
    if pseudonym is None:
        return False
    member = select(Participant.pseudonym).where(
        Participant.pseudonym == pseudonym, Participant.team_id == entry.team_id
    )
    answered = select(IdeaConsent.member).where(
        IdeaConsent.entry_id == entry.id, IdeaConsent.member == pseudonym
    )
    return await db.scalar(member.union(answered).limit(1)) is not None


async def published_without_rating_key(db: AppDbSession, keyed: Any) -> list[uuid.UUID]:
    """Published entries whose id is not in `keyed` (a select of rated subjects' ids)."""
    return list(
        await db.scalars(
            select(IdeaEntry.id).where(IdeaEntry.state == "published", IdeaEntry.id.not_in(keyed))
        )
    )
