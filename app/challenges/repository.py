"""SQL for challenges and participants."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, delete, func, select, union
from sqlalchemy.exc import IntegrityError

from app.challenges.models import Challenge, ChallengeFacilitator, Participant, ParticipantSkill
from app.db import AppDbSession
from app.kit.direct_select import DirectSelect
from app.submissions.models import Submission
from app.teams.models import Team


async def get_challenge(db: AppDbSession, challenge_id: uuid.UUID) -> Challenge | None:
    return await db.get(Challenge, challenge_id)


# A challenge page's access in one statement: the challenge, the viewer's participant row (if
# their pseudonym is enrolled) and whether that pseudonym co-facilitates it.
_CHALLENGE_WITH_VIEWER = DirectSelect(
    select(
        Challenge,
        Participant,
        select(ChallengeFacilitator.pseudonym)
        .where(
            ChallengeFacilitator.challenge_id == Challenge.id,
            ChallengeFacilitator.pseudonym == bindparam("pseudonym"),
        )
        .exists()
        .label("co_facilitates"),
    )
    .outerjoin(
        Participant,
        (Participant.challenge_id == Challenge.id)
        & (Participant.pseudonym == bindparam("pseudonym")),
    )
    .where(Challenge.id == bindparam("challenge_id"))
)


async def challenge_with_viewer(
    db: AppDbSession, challenge_id: uuid.UUID, pseudonym: uuid.UUID | None
) -> tuple[Challenge, Participant | None, bool] | None:
    """The challenge, the participant `pseudonym` is in it (None: not enrolled) and whether it
    co-facilitates it; None when there is no such challenge."""
    rows = await _CHALLENGE_WITH_VIEWER.rows(
        db, {"challenge_id": challenge_id, "pseudonym": pseudonym}
    )
    if not rows:
        return None
    challenge, participant, co_facilitates = rows[0]
    return challenge, participant, bool(co_facilitates)


def open_challenge_ids() -> Select[uuid.UUID]:
    return select(Challenge.id).where(Challenge.phase != "closed", Challenge.published.is_(True))


# What a list of challenges shows and needs (the phase dates, the creator, the order), not the
# brief, its HTML or the rubric: loading those for every row was most of a list's cost.
_LISTED = (
    Challenge.id,
    Challenge.title,
    Challenge.tags,
    Challenge.track,
    Challenge.phase,
    Challenge.published,
    Challenge.formation_mode,
    Challenge.enrolment_opens_at,
    Challenge.teamwork_starts_at,
    Challenge.review_starts_at,
    Challenge.closes_at,
    Challenge.created_by,
    Challenge.created_at,
    # What each row shows of its participants, in the same statement: a list asked for them in
    # two statements of its own.
    select(func.count())
    .where(Participant.challenge_id == Challenge.id)
    .scalar_subquery()
    .label("participant_count"),
    select(Participant.pseudonym)
    .where(
        Participant.challenge_id == Challenge.id,
        Participant.pseudonym.in_(bindparam("mine", expanding=True)),
    )
    .exists()
    .label("enrolled"),
)


@cache
def _list_statement(with_drafts: bool, by_phase: bool, by_ids: bool, paged: bool) -> DirectSelect:
    """One statement per combination of filters, built once (app.kit.orm)."""
    query: Select[*tuple[Any, ...]] = (
        select(*_LISTED)
        .order_by(Challenge.created_at.desc(), Challenge.id)
        .limit(bindparam("limit"))
    )
    if with_drafts:  # the unpublished challenges one facilitates, and every published one
        query = query.where(
            Challenge.published.is_(True) | Challenge.id.in_(bindparam("drafts", expanding=True))
        )
    else:
        query = query.where(Challenge.published.is_(True))
    if by_phase:
        query = query.where(Challenge.phase == bindparam("phase"))
    if by_ids:
        query = query.where(Challenge.id.in_(bindparam("ids", expanding=True)))
    if paged:
        query = query.where(
            (Challenge.created_at < bindparam("created_at"))
            | (
                (Challenge.created_at == bindparam("created_at"))
                & (Challenge.id > bindparam("last_id"))
            )
        )
    return DirectSelect(query)


async def list_challenges(
    db: AppDbSession,
    *,
    drafts: set[uuid.UUID],
    phase: str | None,
    only_ids: set[uuid.UUID] | None,
    after: tuple[datetime, uuid.UUID] | None,
    limit: int,
    mine: Iterable[uuid.UUID],
) -> list[Any]:
    """The listed columns of each challenge (`_LISTED`), newest first: the published ones and,
    unpublished, those in `drafts` (the ones the viewer facilitates); with its participant count
    and whether one of `mine` (the viewer's pseudonyms) is among them."""
    query = _list_statement(
        bool(drafts), phase is not None, only_ids is not None, after is not None
    )
    parameters: dict[str, Any] = {"limit": limit, "mine": list(mine)}
    if drafts:
        parameters["drafts"] = list(drafts)
    if phase is not None:
        parameters["phase"] = phase
    if only_ids is not None:
        parameters["ids"] = list(only_ids)
    if after is not None:
        parameters["created_at"], parameters["last_id"] = after
    return await query.rows(db, parameters)


# Challenge ids ("ids") -> their numbers of participants (those with none are absent).
PARTICIPANT_COUNTS = (
    select(Participant.challenge_id, func.count())
    .where(Participant.challenge_id.in_(bindparam("ids", expanding=True)))
    .group_by(Participant.challenge_id)
)
# Of challenges ("ids"), those where one of a reader's pseudonyms ("pseudonyms") has joined: what
# a list's `enrolled` shows, checked by the response cache when their participants changed.
ENROLLED_AMONG = select(Participant.challenge_id).where(
    Participant.challenge_id.in_(bindparam("ids", expanding=True)),
    Participant.pseudonym.in_(bindparam("pseudonyms", expanding=True)),
)


async def participant_counts(
    db: AppDbSession, challenge_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, int]:
    rows = await db.execute(PARTICIPANT_COUNTS, {"ids": list(challenge_ids)})
    return {challenge_id: count for challenge_id, count in rows.all()}  # noqa: C416


async def teams_with_members(db: AppDbSession, challenge_id: uuid.UUID) -> int:
    count = await db.scalar(
        select(func.count(func.distinct(Participant.team_id))).where(
            Participant.challenge_id == challenge_id, Participant.team_id.is_not(None)
        )
    )
    return int(count or 0)


async def team_count(db: AppDbSession, challenge_id: uuid.UUID) -> int:
    count = await db.scalar(
        select(func.count()).select_from(Team).where(Team.challenge_id == challenge_id)
    )
    return int(count or 0)


async def final_submission_count(db: AppDbSession, challenge_id: uuid.UUID) -> int:
    count = await db.scalar(
        select(func.count())
        .select_from(Submission)
        .where(Submission.challenge_id == challenge_id, Submission.status == "final")
    )
    return int(count or 0)


async def find_participant(
    db: AppDbSession, challenge_id: uuid.UUID, pseudonym: uuid.UUID | None
) -> Participant | None:
    if pseudonym is None:
        return None
    participant = await db.get(Participant, pseudonym)
    return participant if participant and participant.challenge_id == challenge_id else None


async def handles_in(db: AppDbSession, challenge_id: uuid.UUID) -> set[str]:
    return set(
        await db.scalars(select(Participant.handle).where(Participant.challenge_id == challenge_id))
    )


async def skills_of(
    db: AppDbSession, pseudonyms: Iterable[uuid.UUID]
) -> dict[uuid.UUID, list[ParticipantSkill]]:
    found: dict[uuid.UUID, list[ParticipantSkill]] = {}
    rows = await db.scalars(
        select(ParticipantSkill)
        .where(ParticipantSkill.participant.in_(list(pseudonyms)))
        .order_by(ParticipantSkill.skill)
    )
    for row in rows:
        found.setdefault(row.participant, []).append(row)
    return found


def add_skills(
    db: AppDbSession, pseudonym: uuid.UUID, claims: Iterable[tuple[str, str, int]]
) -> None:
    for direction, skill, level in claims:
        db.add(
            ParticipantSkill(participant=pseudonym, direction=direction, skill=skill, level=level)
        )


async def replace_skills(
    db: AppDbSession, pseudonym: uuid.UUID, claims: Iterable[tuple[str, str, int]]
) -> None:
    await db.execute(delete(ParticipantSkill).where(ParticipantSkill.participant == pseudonym))
    add_skills(db, pseudonym, claims)


async def participants_page(
    db: AppDbSession, challenge_id: uuid.UUID, *, after: tuple[str, uuid.UUID] | None, limit: int
) -> list[Participant]:
    query = (
        select(Participant)
        .where(Participant.challenge_id == challenge_id)
        .order_by(Participant.handle, Participant.pseudonym)
        .limit(limit)
    )
    if after is not None:
        handle, pseudonym = after
        query = query.where(
            (Participant.handle > handle)
            | ((Participant.handle == handle) & (Participant.pseudonym > pseudonym))
        )
    return list(await db.scalars(query))


async def all_participants(db: AppDbSession, challenge_id: uuid.UUID) -> list[Participant]:
    return list(
        await db.scalars(select(Participant).where(Participant.challenge_id == challenge_id))
    )


async def all_skills(db: AppDbSession, challenge_id: uuid.UUID) -> list[ParticipantSkill]:
    return list(
        await db.scalars(
            select(ParticipantSkill)
            .join(Participant, Participant.pseudonym == ParticipantSkill.participant)
            .where(Participant.challenge_id == challenge_id)
        )
    )


# Facilitators: a challenge's creator (`created_by`) and its co-facilitators.
_FACILITATED = union(
    select(Challenge.id).where(Challenge.created_by.in_(bindparam("pseudonyms", expanding=True))),
    select(ChallengeFacilitator.challenge_id).where(
        ChallengeFacilitator.pseudonym.in_(bindparam("pseudonyms", expanding=True))
    ),
)
_IS_CO_FACILITATOR = select(ChallengeFacilitator.pseudonym).where(
    ChallengeFacilitator.challenge_id == bindparam("challenge_id"),
    ChallengeFacilitator.pseudonym == bindparam("pseudonym"),
)


async def facilitated_by(db: AppDbSession, pseudonyms: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    """The challenges that one of these pseudonyms facilitates (created or co-facilitates)."""
    wanted = list(pseudonyms)
    if not wanted:
        return set()
    return set(await db.scalars(_FACILITATED, {"pseudonyms": wanted}))


async def facilitates(db: AppDbSession, challenge: Challenge, pseudonym: uuid.UUID | None) -> bool:
    """Whether this pseudonym is one of the challenge's facilitators."""
    if pseudonym is None:
        return False
    if pseudonym == challenge.created_by:
        return True
    found = await db.scalar(
        _IS_CO_FACILITATOR, {"challenge_id": challenge.id, "pseudonym": pseudonym}
    )
    return found is not None


async def co_facilitators(db: AppDbSession, challenge_id: uuid.UUID) -> list[uuid.UUID]:
    return list(
        await db.scalars(
            select(ChallengeFacilitator.pseudonym)
            .where(ChallengeFacilitator.challenge_id == challenge_id)
            .order_by(ChallengeFacilitator.pseudonym)
        )
    )


async def add_co_facilitator(
    db: AppDbSession, challenge_id: uuid.UUID, pseudonym: uuid.UUID
) -> None:
    try:
        async with db.begin_nested():
            db.add(ChallengeFacilitator(challenge_id=challenge_id, pseudonym=pseudonym))
    except IntegrityError:  # added at the same moment by someone else: the same result
        pass


async def remove_co_facilitator(
    db: AppDbSession, challenge_id: uuid.UUID, pseudonym: uuid.UUID
) -> bool:
    """False if this pseudonym is no co-facilitator of the challenge."""
    row = await db.get(ChallengeFacilitator, (challenge_id, pseudonym))
    if row is None:
        return False
    await db.delete(row)
    await db.flush()
    return True
