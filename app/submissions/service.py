"""Submission rules: one per team, versioned drafts during teamwork, a final that locks at the
deadline, and facilitators' feedback to the team.

The final: any member marks the current draft final, and any member may withdraw it (back to a
draft everyone edits) until the deadline; their teammates are told both in-app. A team of one
decides alone; a larger team is never bound by one member's click without being told and
without a way back. At the deadline (review) the final is what is reviewed.
"""

from __future__ import annotations

import uuid

from app.challenges import phases
from app.challenges.errors import NotEnrolled, WrongPhase
from app.challenges.service import ChallengeAccess
from app.db import AppDbSession
from app.kit.markdown import render_markdown
from app.kit.orm import utcnow
from app.mail.service import mail_notices
from app.notifications.models import Notification
from app.submissions import repository as repo
from app.submissions.errors import (
    NotFinal,
    NothingToSubmit,
    SubmissionLocked,
    VersionConflict,
    VersionNotFound,
)
from app.submissions.models import Feedback, Submission, SubmissionVersion
from app.submissions.schemas import (
    DraftIn,
    FacilitatorSubmission,
    FeedbackIn,
    RestoreIn,
    SubmissionToReview,
    TeamSubmission,
    VersionDetail,
    VersionSummary,
)
from app.submissions.schemas import Feedback as FeedbackOut
from app.teams import repository as teams_repo
from app.teams.errors import TeamNotFound
from app.teams.models import Team
from app.teams.service import TeamAccess
from app.vault import Identity


def _before_deadline(access: TeamAccess) -> bool:
    challenge = access.challenge
    deadline = challenge.review_starts_at
    return challenge.phase == "teamwork" and (deadline is None or utcnow() < deadline)


def _editable(access: TeamAccess, submission: Submission | None) -> bool:
    return _before_deadline(access) and (submission is None or submission.status == "draft")


async def _history(db: AppDbSession, submission: Submission | None) -> list[VersionSummary]:
    if submission is None:
        return []
    versions = await repo.versions_of(db, submission.id)
    handles = await teams_repo.handles(db, {v.editor for v in versions if v.editor})
    return [
        VersionSummary(
            version=v.version,
            editor_handle=handles.get(v.editor) if v.editor else None,
            created_at=v.created_at,
            title=v.title,
        )
        for v in versions
    ]


async def team_submission(db: AppDbSession, access: TeamAccess) -> TeamSubmission:
    submission = await repo.submission_of(db, access.team.id)
    history = await _history(db, submission)
    return TeamSubmission(
        status=submission.status if submission else "none",
        version=submission.version if submission else 0,
        title=submission.title if submission else "",
        body=submission.body if submission else "",
        body_html=render_markdown(submission.body) if submission else "",
        links=submission.links if submission else [],
        deadline=access.challenge.review_starts_at,
        editable=_editable(access, submission),
        final_withdrawable=(
            submission is not None and submission.status == "final" and _before_deadline(access)
        ),
        history=history,
    )


async def save_draft(db: AppDbSession, access: TeamAccess, draft: DraftIn) -> TeamSubmission:
    """A new version, if nobody saved one since `base_version` (then 409: nothing is lost)."""
    links = [str(link) for link in draft.links]
    await _new_version(db, access, draft.base_version, draft.title, draft.body, links)
    return await team_submission(db, access)


async def restore_version(db: AppDbSession, access: TeamAccess, body: RestoreIn) -> TeamSubmission:
    """An earlier version's content as a new version: history is never rewritten."""
    submission = await repo.submission_of(db, access.team.id)
    row = await repo.version_of(db, submission.id, body.version) if submission else None
    if row is None:
        raise VersionNotFound()
    await _new_version(db, access, body.base_version, row.title, row.body, list(row.links))
    return await team_submission(db, access)


async def _new_version(
    db: AppDbSession, access: TeamAccess, base_version: int, title: str, body: str, links: list[str]
) -> Submission:
    assert access.member is not None
    submission = await repo.submission_of(db, access.team.id)
    if access.challenge.phase != "teamwork":
        raise WrongPhase("Drafts are written during teamwork.")
    if not _editable(access, submission):
        raise SubmissionLocked()
    current = submission.version if submission else 0
    if base_version != current:
        raise VersionConflict(
            f"Version {current} was saved by a teammate; merge your text into it."
        )
    if submission is None:
        submission = Submission(
            team_id=access.team.id,
            challenge_id=access.challenge.id,
            status="draft",
            title=title,
            body=body,
            links=links,
            version=1,
        )
        await repo.add_submission(db, submission)
    else:
        submission.title, submission.body, submission.links = title, body, links
        submission.version = current + 1
        submission.updated_at = utcnow()
    await repo.add_version(
        db,
        SubmissionVersion(
            submission_id=submission.id,
            version=submission.version,
            editor=access.member.pseudonym,
            title=title,
            body=body,
            links=links,
        ),
    )
    await db.flush()
    return submission


async def submit_final(db: AppDbSession, access: TeamAccess) -> TeamSubmission:
    """Mark the current draft final; teammates are told, and any of them may withdraw it until
    the deadline (`withdraw_final`)."""
    submission = await repo.submission_of(db, access.team.id)
    if access.challenge.phase != "teamwork":
        raise WrongPhase("Final submissions are made during teamwork.")
    if submission is None:
        raise NothingToSubmit()
    if not _editable(access, submission):
        raise SubmissionLocked()
    submission.status = "final"
    await _tell_teammates(db, access, "submission_final", version=submission.version)
    await db.flush()
    return await team_submission(db, access)


async def withdraw_final(db: AppDbSession, access: TeamAccess) -> TeamSubmission:
    """Back to a draft (any member, during teamwork, before the deadline); teammates are told."""
    submission = await repo.submission_of(db, access.team.id)
    if access.challenge.phase != "teamwork":
        raise WrongPhase("A final can be withdrawn during teamwork only.")
    if submission is None or submission.status != "final":
        raise NotFinal()
    if not _before_deadline(access):
        raise SubmissionLocked()
    submission.status = "draft"
    await _tell_teammates(db, access, "submission_reopened", version=submission.version)
    await db.flush()
    return await team_submission(db, access)


async def _tell_teammates(db: AppDbSession, access: TeamAccess, kind: str, *, version: int) -> None:
    """An in-app notice to every other member (they know each other's handles already)."""
    me = access.member
    assert me is not None
    params = {
        "team_id": str(access.team.id),
        "team_name": access.team.name,
        "handle": me.handle,
        "version": version,
    }
    notices = [
        Notification(
            recipient=m.pseudonym, challenge_id=access.challenge.id, kind=kind, params=params
        )
        for m in access.members
        if m.pseudonym != me.pseudonym
    ]
    await repo.add_notifications(db, notices)
    await mail_notices(
        db,
        access.identity.vault,
        notices,
        topic="submissions",
        challenge_title=access.challenge.title,
    )


async def version_detail(db: AppDbSession, access: TeamAccess, version: int) -> VersionDetail:
    return await _version_detail(db, access.team.id, version)


async def _version_detail(db: AppDbSession, team_id: uuid.UUID, version: int) -> VersionDetail:
    submission = await repo.submission_of(db, team_id)
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
    found = [
        SubmissionToReview(
            id=s.id,
            team_name=s.name,
            title=s.title,
            body_html=render_markdown(s.body),
            links=s.links,
        )
        for s in rows
        if s.team_id != own_team
    ]
    return sorted(found, key=lambda s: s.team_name)


# Facilitators: a team's submission and the feedback they give it.


async def _team_in(db: AppDbSession, access: ChallengeAccess, team_id: uuid.UUID) -> Team:
    """A team of this challenge (404 for a team of another one: nothing says it exists)."""
    team = await teams_repo.get_team(db, team_id)
    if team is None or team.challenge_id != access.challenge.id:
        raise TeamNotFound()
    return team


async def facilitator_submission(
    db: AppDbSession, access: ChallengeAccess, team_id: uuid.UUID
) -> FacilitatorSubmission:
    """The team's submission as it stands (draft or final) with its history, read-only."""
    team = await _team_in(db, access, team_id)
    submission = await repo.submission_of(db, team.id)
    return FacilitatorSubmission(
        team_id=team.id,
        team_name=team.name,
        status=submission.status if submission else "none",
        version=submission.version if submission else 0,
        title=submission.title if submission else "",
        body=submission.body if submission else "",
        body_html=render_markdown(submission.body) if submission else "",
        links=submission.links if submission else [],
        updated_at=submission.updated_at if submission else None,
        deadline=access.challenge.review_starts_at,
        history=await _history(db, submission),
    )


async def facilitator_version(
    db: AppDbSession, access: ChallengeAccess, team_id: uuid.UUID, version: int
) -> VersionDetail:
    team = await _team_in(db, access, team_id)
    return await _version_detail(db, team.id, version)


async def _signed(
    identity: Identity, challenge_id: uuid.UUID, rows: list[Feedback], *, to_team: bool
) -> list[FeedbackOut]:
    """Each feedback with its author's name, from the vault (an audited read)."""
    authors = list(dict.fromkeys(f.author for f in rows))
    named = {
        found.pseudonym: found
        for found in await identity.vault.name_facilitators(
            challenge_id, authors, reader_id=identity.account_id, to_team=to_team
        )
    }
    out = []
    for f in rows:
        author = named.get(f.author)
        out.append(
            FeedbackOut(
                id=f.id,
                author_name=author.display_name if author else None,
                is_mine=not to_team
                and author is not None
                and author.account_id == identity.account_id,
                version=f.version,
                body_html=render_markdown(f.body),
                created_at=f.created_at,
            )
        )
    return out


async def facilitator_feedback(
    db: AppDbSession, access: ChallengeAccess, team_id: uuid.UUID
) -> list[FeedbackOut]:
    team = await _team_in(db, access, team_id)
    rows = await repo.feedback_of(db, team.id)
    return await _signed(access.identity, access.challenge.id, rows, to_team=False)


async def give_feedback(
    db: AppDbSession, access: ChallengeAccess, team_id: uuid.UUID, body: FeedbackIn
) -> FeedbackOut:
    """Feedback to the team, signed with the facilitator's name; its members are told in-app."""
    team = await _team_in(db, access, team_id)
    assert access.pseudonym is not None  # a facilitator of the challenge has one
    submission = await repo.submission_of(db, team.id)
    feedback = Feedback(
        team_id=team.id,
        challenge_id=access.challenge.id,
        author=access.pseudonym,
        version=submission.version if submission else None,
        body=body.body,
    )
    await repo.add_feedback(db, feedback)
    await access.identity.vault.record_team_signature(access.identity.account_id)
    members = (await teams_repo.members_of(db, [team.id])).get(team.id, [])
    notices = [
        Notification(
            recipient=m.pseudonym,
            challenge_id=access.challenge.id,
            kind="team_feedback",
            params={"team_id": str(team.id), "team_name": team.name},
        )
        for m in members
    ]
    await repo.add_notifications(db, notices)
    await mail_notices(
        db,
        access.identity.vault,
        notices,
        topic="submissions",
        challenge_title=access.challenge.title,
    )
    await db.flush()
    return (await _signed(access.identity, access.challenge.id, [feedback], to_team=False))[0]


async def team_feedback(
    db: AppDbSession, identity: Identity, access: TeamAccess
) -> list[FeedbackOut]:
    """The feedback the team's facilitators gave it, for its members."""
    rows = await repo.feedback_of(db, access.team.id)
    return await _signed(identity, access.challenge.id, rows, to_team=True)
