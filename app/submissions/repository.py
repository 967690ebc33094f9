"""SQL for submissions and their versions."""

from __future__ import annotations

import uuid
from typing import NamedTuple

from sqlalchemy import bindparam, select

from app.db import AppDbSession
from app.kit.direct_select import DirectSelect
from app.notifications.models import Notification
from app.submissions.models import Feedback, Submission, SubmissionVersion
from app.teams.models import Team


class FinalSubmission(NamedTuple):
    """What the review page shows of a final submission."""

    id: uuid.UUID
    team_id: uuid.UUID
    title: str
    body: str
    links: list[str]
    name: str  # the team's


# The review page's list, built once (app.kit.orm); columns, not entities: the page only reads
# them, and loading 50 ORM objects cost more than the query.
# Each with its team's name, joined here rather than asked for in a statement of its own.
_FINAL_SUBMISSIONS = DirectSelect(
    select(
        Submission.id,
        Submission.team_id,
        Submission.title,
        Submission.body,
        Submission.links,
        Team.name,
    )
    .join(Team, Team.id == Submission.team_id)
    .where(Submission.challenge_id == bindparam("challenge_id"), Submission.status == "final"),
    FinalSubmission,
)


async def submission_of(db: AppDbSession, team_id: uuid.UUID) -> Submission | None:
    """The team's submission (a team has at most one), if it saved a draft yet."""
    return await db.scalar(select(Submission).where(Submission.team_id == team_id))


async def versions_of(db: AppDbSession, submission_id: uuid.UUID) -> list[SubmissionVersion]:
    """Every version of the submission, newest first."""
    return list(
        await db.scalars(
            select(SubmissionVersion)
            .where(SubmissionVersion.submission_id == submission_id)
            .order_by(SubmissionVersion.version.desc())
        )
    )


async def version_of(
    db: AppDbSession, submission_id: uuid.UUID, version: int
) -> SubmissionVersion | None:
    return await db.scalar(
        select(SubmissionVersion).where(
            SubmissionVersion.submission_id == submission_id,
            SubmissionVersion.version == version,
        )
    )


async def add_submission(db: AppDbSession, submission: Submission) -> None:
    """Add a new submission, flushed so that its id is known."""
    db.add(submission)
    await db.flush()


async def add_version(db: AppDbSession, version: SubmissionVersion) -> None:
    db.add(version)


async def finals_of(db: AppDbSession, challenge_id: uuid.UUID) -> list[FinalSubmission]:
    """The challenge's final submissions: id, team_id, title, body, links and team name."""
    return await _FINAL_SUBMISSIONS.rows(db, {"challenge_id": challenge_id})


async def feedback_of(db: AppDbSession, team_id: uuid.UUID) -> list[Feedback]:
    """The team's feedback, newest first."""
    return list(
        await db.scalars(
            select(Feedback)
            .where(Feedback.team_id == team_id)
            .order_by(Feedback.created_at.desc(), Feedback.id)
        )
    )


async def add_feedback(db: AppDbSession, feedback: Feedback) -> None:
    db.add(feedback)
    await db.flush()


async def add_notifications(db: AppDbSession, notifications: list[Notification]) -> None:
    db.add_all(notifications)
