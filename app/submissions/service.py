"""Submission rules: one per team, versioned drafts during teamwork, a final that locks."""

from __future__ import annotations

from app.challenges import phases
from app.challenges.errors import NotEnrolled, WrongPhase
from app.challenges.service import ChallengeAccess
from app.db import AppDbSession
from app.kit.markdown import render_markdown
from app.kit.orm import utcnow
from app.submissions import repository as repo
from app.submissions.errors import (
    NothingToSubmit,
    SubmissionLocked,
    VersionConflict,
    VersionNotFound,
)
from app.submissions.models import Submission, SubmissionVersion
from app.submissions.schemas import (
    DraftIn,
    SubmissionToReview,
    TeamSubmission,
    VersionDetail,
    VersionSummary,
)
from app.teams import repository as teams_repo
from app.teams.service import TeamAccess


def _editable(access: TeamAccess, submission: Submission | None) -> bool:
    challenge = access.challenge
    deadline = challenge.review_starts_at
    return (
        challenge.phase == "teamwork"
        and (submission is None or submission.status == "draft")
        and (deadline is None or utcnow() < deadline)
    )


async def team_submission(db: AppDbSession, access: TeamAccess) -> TeamSubmission:
    submission = await repo.submission_of(db, access.team.id)
    history: list[VersionSummary] = []
    if submission is not None:
        versions = await repo.versions_of(db, submission.id)
        handles = await teams_repo.handles(db, {v.editor for v in versions if v.editor})
        history = [
            VersionSummary(
                version=v.version,
                editor_handle=handles.get(v.editor) if v.editor else None,
                created_at=v.created_at,
                title=v.title,
            )
            for v in versions
        ]
    return TeamSubmission(
        status=submission.status if submission else "none",
        version=submission.version if submission else 0,
        title=submission.title if submission else "",
        body=submission.body if submission else "",
        body_html=render_markdown(submission.body) if submission else "",
        links=submission.links if submission else [],
        deadline=access.challenge.review_starts_at,
        editable=_editable(access, submission),
        history=history,
    )


async def save_draft(db: AppDbSession, access: TeamAccess, draft: DraftIn) -> TeamSubmission:
    """A new version, if nobody saved one since `base_version` (then 409: nothing is lost)."""
    assert access.member is not None
    submission = await repo.submission_of(db, access.team.id)
    if access.challenge.phase != "teamwork":
        raise WrongPhase("Drafts are written during teamwork.")
    if not _editable(access, submission):
        raise SubmissionLocked()
    current = submission.version if submission else 0
    if draft.base_version != current:
        raise VersionConflict(
            f"Version {current} was saved by a teammate; merge your text into it."
        )
    links = [str(link) for link in draft.links]
    if submission is None:
        submission = Submission(
            team_id=access.team.id,
            challenge_id=access.challenge.id,
            status="draft",
            title=draft.title,
            body=draft.body,
            links=links,
            version=1,
        )
        await repo.add_submission(db, submission)
    else:
        submission.title, submission.body, submission.links = draft.title, draft.body, links
        submission.version = current + 1
        submission.updated_at = utcnow()
    await repo.add_version(
        db,
        SubmissionVersion(
            submission_id=submission.id,
            version=submission.version,
            editor=access.member.pseudonym,
            title=draft.title,
            body=draft.body,
            links=links,
        ),
    )
    await db.flush()
    return await team_submission(db, access)


async def submit_final(db: AppDbSession, access: TeamAccess) -> TeamSubmission:
    submission = await repo.submission_of(db, access.team.id)
    if access.challenge.phase != "teamwork":
        raise WrongPhase("Final submissions are made during teamwork.")
    if submission is None:
        raise NothingToSubmit()
    if not _editable(access, submission):
        raise SubmissionLocked()
    submission.status = "final"
    await db.flush()
    return await team_submission(db, access)


async def version_detail(db: AppDbSession, access: TeamAccess, version: int) -> VersionDetail:
    submission = await repo.submission_of(db, access.team.id)
    row = await repo.version_of(db, submission.id, version) if submission else None
    if row is None:
        raise VersionNotFound()
    handles = await teams_repo.handles(db, [row.editor] if row.editor else [])
    return VersionDetail(
        version=row.version,
        editor_handle=handles.get(row.editor) if row.editor else None,
        created_at=row.created_at,
        title=row.title,
        body=row.body,
        body_html=render_markdown(row.body),
        links=row.links,
    )


async def submissions_to_review(
    db: AppDbSession, access: ChallengeAccess
) -> list[SubmissionToReview]:
    """During review and after: other teams' finals (facilitators: every final)."""
    challenge = access.challenge
    if phases.index(challenge.phase) < phases.index("review"):
        raise WrongPhase("Submissions are shown once the review phase starts.")
    own_team = None
    if not access.is_facilitator:
        if access.participant is None:
            raise NotEnrolled()
        own_team = access.participant.team_id
    rows = await repo.finals_of(db, challenge.id)
    teams = await teams_repo.team_names(db, challenge.id)
    found = [
        SubmissionToReview(
            id=s.id,
            team_name=teams[s.team_id],
            title=s.title,
            body_html=render_markdown(s.body),
            links=s.links,
        )
        for s in rows
        if s.team_id != own_team
    ]
    return sorted(found, key=lambda s: s.team_name)
