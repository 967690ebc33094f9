"""The few statements behind "what's next": each covers every challenge of the page at once."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Row, Select, bindparam, func, select

from app.challenges.models import Challenge, Participant
from app.db import AppDbSession
from app.formations.models import Formation
from app.reviews.models import ReviewRound, RoundKey, TokenIssuance
from app.submissions.models import Submission

# Built once (app.kit.orm): lists are expanding parameters.
_PARTICIPATIONS = select(Participant.challenge_id, Participant.team_id).where(
    Participant.pseudonym.in_(bindparam("pseudonyms", expanding=True))
)
# Yours (joined or facilitated), and the published ones someone may join or soon join.
_CHALLENGES: Select[*tuple[Any, ...]] = select(
    Challenge.id,
    Challenge.title,
    Challenge.phase,
    Challenge.published,
    Challenge.formation_mode,
    Challenge.enrolment_opens_at,
    Challenge.teamwork_starts_at,
    Challenge.review_starts_at,
    Challenge.closes_at,
).where(
    Challenge.id.in_(bindparam("ids", expanding=True))
    | (Challenge.published.is_(True) & Challenge.phase.in_(("draft", "enrolment")))
)
_PARTICIPANT_COUNTS = (
    select(Participant.challenge_id, func.count())
    .where(Participant.challenge_id.in_(bindparam("ids", expanding=True)))
    .group_by(Participant.challenge_id)
)
_TEAMS_WITH_MEMBERS = (
    select(Participant.challenge_id, func.count(func.distinct(Participant.team_id)))
    .where(
        Participant.challenge_id.in_(bindparam("ids", expanding=True)),
        Participant.team_id.is_not(None),
    )
    .group_by(Participant.challenge_id)
)
_FINALS = (
    select(Submission.challenge_id, func.count())
    .where(
        Submission.challenge_id.in_(bindparam("ids", expanding=True)),
        Submission.status == "final",
    )
    .group_by(Submission.challenge_id)
)
_SUBMISSION_STATUSES = select(Submission.team_id, Submission.status).where(
    Submission.team_id.in_(bindparam("team_ids", expanding=True))
)
_ROUNDS = select(ReviewRound.challenge_id, ReviewRound.id, ReviewRound.state).where(
    ReviewRound.challenge_id.in_(bindparam("ids", expanding=True))
)
# The submissions of a round other than your own team's: what you may review.
_OTHERS_SUBMISSIONS = (
    select(RoundKey.round_id, func.count())
    .join(Submission, Submission.id == RoundKey.submission_id)
    .where(
        RoundKey.round_id.in_(bindparam("round_ids", expanding=True)),
        Submission.team_id.not_in(bindparam("team_ids", expanding=True)),
    )
    .group_by(RoundKey.round_id)
)
_ISSUED = select(TokenIssuance.round_id).where(
    TokenIssuance.round_id.in_(bindparam("round_ids", expanding=True)),
    TokenIssuance.pseudonym.in_(bindparam("pseudonyms", expanding=True)),
)
_FINISHED_FORMATIONS = (
    select(Formation.challenge_id, Formation.status)
    .where(
        Formation.challenge_id.in_(bindparam("ids", expanding=True)),
        Formation.status.in_(("done", "published")),
    )
    .distinct()
)


def _listed(values: Iterable[uuid.UUID]) -> list[uuid.UUID]:
    return list(values)


async def participations(
    db: AppDbSession, pseudonyms: Iterable[uuid.UUID]
) -> dict[uuid.UUID, uuid.UUID | None]:
    """Challenge -> your team there (None: none yet), for every challenge you joined."""
    wanted = _listed(pseudonyms)
    if not wanted:
        return {}
    rows = await db.execute(_PARTICIPATIONS, {"pseudonyms": wanted})
    return {challenge_id: team_id for challenge_id, team_id in rows.all()}  # noqa: C416


async def challenges(db: AppDbSession, ids: Iterable[uuid.UUID]) -> list[Row[Any]]:
    """These challenges, and every published one in its draft or enrolment."""
    return list((await db.execute(_CHALLENGES, {"ids": _listed(ids)})).all())


async def _counts(db: AppDbSession, statement: Any, ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    if not ids:
        return {}
    rows = await db.execute(statement, {"ids": ids})
    return {key: int(count) for key, count in rows.all()}


async def participant_counts(db: AppDbSession, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, int]:
    return await _counts(db, _PARTICIPANT_COUNTS, _listed(ids))


async def teams_with_members(db: AppDbSession, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, int]:
    return await _counts(db, _TEAMS_WITH_MEMBERS, _listed(ids))


async def final_submissions(db: AppDbSession, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, int]:
    return await _counts(db, _FINALS, _listed(ids))


async def submission_statuses(
    db: AppDbSession, team_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, str]:
    wanted = _listed(team_ids)
    if not wanted:
        return {}
    rows = await db.execute(_SUBMISSION_STATUSES, {"team_ids": wanted})
    return {team_id: status for team_id, status in rows.all()}  # noqa: C416


async def rounds(
    db: AppDbSession, ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, tuple[uuid.UUID, str]]:
    """Challenge -> (its review round, the round's state)."""
    wanted = _listed(ids)
    if not wanted:
        return {}
    rows = await db.execute(_ROUNDS, {"ids": wanted})
    return {challenge_id: (round_id, state) for challenge_id, round_id, state in rows.all()}


async def others_submissions(
    db: AppDbSession, round_ids: Iterable[uuid.UUID], own_teams: Iterable[uuid.UUID]
) -> dict[uuid.UUID, int]:
    """Round -> how many of its submissions are not your team's."""
    wanted = _listed(round_ids)
    if not wanted:
        return {}
    rows = await db.execute(
        _OTHERS_SUBMISSIONS, {"round_ids": wanted, "team_ids": _listed(own_teams)}
    )
    return {round_id: int(count) for round_id, count in rows.all()}


async def issued_rounds(
    db: AppDbSession, round_ids: Iterable[uuid.UUID], pseudonyms: Iterable[uuid.UUID]
) -> set[uuid.UUID]:
    """The rounds among these in which one of your pseudonyms received its tokens."""
    wanted, mine = _listed(round_ids), _listed(pseudonyms)
    if not wanted or not mine:
        return set()
    return set(await db.scalars(_ISSUED, {"round_ids": wanted, "pseudonyms": mine}))


async def finished_formations(
    db: AppDbSession, ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, set[str]]:
    """Challenge -> the states among done and published that its formation runs reached."""
    wanted = _listed(ids)
    found: dict[uuid.UUID, set[str]] = {}
    if not wanted:
        return found
    for challenge_id, status in (await db.execute(_FINISHED_FORMATIONS, {"ids": wanted})).all():
        found.setdefault(challenge_id, set()).add(status)
    return found
