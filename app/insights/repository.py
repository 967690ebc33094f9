"""The rows the insights count: coarse labels and ids only, never a person's identity."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import date
from typing import NamedTuple

from sqlalchemy import select

from app.challenges.models import Challenge, Participant, ParticipantSkill
from app.db import AppDbSession
from app.reviews.models import Review, ReviewRound
from app.submissions.models import Submission


class ChallengeRow(NamedTuple):
    id: uuid.UUID
    track: str
    review_k: int
    # The day its review round closed, written by the server when it closed (the challenge's
    # own dates can be edited, into the past too, until their phase starts).
    closed_on: date


class ParticipantRow(NamedTuple):
    challenge_id: uuid.UUID
    cohort: str | None
    team_id: uuid.UUID | None
    # Opaque, per challenge: only the vault can count them by department.
    department_tag: str | None


class SkillRow(NamedTuple):
    challenge_id: uuid.UUID
    direction: str
    skill: str


class ReviewRow(NamedTuple):
    challenge_id: uuid.UUID
    team_id: uuid.UUID
    scores: dict[str, int]


async def closed_challenges(
    db: AppDbSession, only: Collection[uuid.UUID] | None
) -> list[ChallengeRow]:
    """The closed challenges (every one, `only` None, or those named) with the day each closed."""
    statement = (
        select(Challenge.id, Challenge.track, Challenge.review_k, ReviewRound.closed_on)
        .join(ReviewRound, ReviewRound.challenge_id == Challenge.id)
        .where(
            Challenge.phase == "closed",
            ReviewRound.state == "closed",
            ReviewRound.closed_on.is_not(None),
        )
    )
    if only is not None:
        if not only:
            return []
        statement = statement.where(Challenge.id.in_(list(only)))
    rows = (await db.execute(statement)).all()
    return [
        ChallengeRow(id_, track, review_k, closed_on)
        for id_, track, review_k, closed_on in rows
        if closed_on is not None
    ]


async def participants(db: AppDbSession, ids: Collection[uuid.UUID]) -> list[ParticipantRow]:
    if not ids:
        return []
    rows = await db.execute(
        select(
            Participant.challenge_id,
            Participant.cohort,
            Participant.team_id,
            Participant.department_tag,
        ).where(Participant.challenge_id.in_(list(ids)))
    )
    return [ParticipantRow(*row) for row in rows.all()]


async def skills(db: AppDbSession, ids: Collection[uuid.UUID]) -> list[SkillRow]:
    if not ids:
        return []
    rows = await db.execute(
        select(Participant.challenge_id, ParticipantSkill.direction, ParticipantSkill.skill)
        .join(Participant, Participant.pseudonym == ParticipantSkill.participant)
        .where(Participant.challenge_id.in_(list(ids)))
    )
    return [SkillRow(*row) for row in rows.all()]


async def teams_with_final(db: AppDbSession, ids: Collection[uuid.UUID]) -> set[uuid.UUID]:
    if not ids:
        return set()
    return set(
        await db.scalars(
            select(Submission.team_id).where(
                Submission.challenge_id.in_(list(ids)), Submission.status == "final"
            )
        )
    )


async def closed_round_reviews(db: AppDbSession, ids: Collection[uuid.UUID]) -> list[ReviewRow]:
    """The reviews of closed rounds, with the team reviewed (release is decided by the caller:
    a team's reviews count only where the team itself could read them)."""
    if not ids:
        return []
    rows = await db.execute(
        select(ReviewRound.challenge_id, Submission.team_id, Review.scores)
        .join(Review, Review.round_id == ReviewRound.id)
        .join(Submission, Submission.id == Review.submission_id)
        .where(ReviewRound.challenge_id.in_(list(ids)), ReviewRound.state == "closed")
    )
    return [ReviewRow(*row) for row in rows.all()]
