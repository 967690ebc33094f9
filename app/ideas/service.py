"""The idea library: once a challenge is closed, a team may publish its final submission.

Consent is the team's: any member proposes the text, every current member must say yes, and
one "no" ends the proposal (a new one can be made). The team publishes a copy it can edit, not
the submission that was reviewed, because the text is first run through the check the
reviewers' comments get (handles, team names, departments, e-mails, phone numbers...): an entry
is read by the whole organisation, credited to the team's name and never to a member, so
nothing in it may name one. Readers see the released review medians only where the team's
reviews reached the challenge's k, exactly as the team itself was shown them.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime

from app.challenges import repository as challenges_repo
from app.challenges.errors import WrongPhase
from app.challenges.models import Challenge
from app.db import AppDbSession
from app.errors import FieldError, Forbidden
from app.ideas import repository as repo
from app.ideas.errors import (
    AlreadyPublished,
    IdeaNotFound,
    IdeaVersionConflict,
    IdentifyingText,
    NoFinalSubmission,
    NoOpenProposal,
    ProposalOpen,
)
from app.ideas.models import IdeaEntry
from app.ideas.schemas import (
    ConsentIn,
    CopyIn,
    CriterionMedian,
    IdeaEntryOut,
    IdeaSummary,
    MemberAnswer,
    ProposalIn,
    ReleasedReviews,
    TeamIdea,
    TextWarning,
    UnpublishReason,
)
from app.kit.markdown import render_markdown
from app.kit.orm import utcnow
from app.kit.pagination import InvalidCursor, decode_cursor, encode_cursor
from app.mail.service import mail_notices
from app.notifications.models import Notification
from app.ratings import keys as rating_keys
from app.redemption.safety import check_comment
from app.redemption.service import DepartmentNames
from app.reviews.service import team_reviews
from app.search import service as search
from app.search.schemas import SearchDocument
from app.submissions import repository as submissions_repo
from app.submissions.models import Submission
from app.teams import repository as teams_repo
from app.teams.models import Team
from app.teams.service import TeamAccess
from app.vault import Identity

SEARCH_KIND = "idea"


def entry_path(entry_id: uuid.UUID) -> str:
    """Where the UI shows an entry (the search links there)."""
    return f"/library/ideas/{entry_id}"


# -- what the entry shows of the reviews ----------------------------------------------------


async def _released_reviews(
    db: AppDbSession, challenge: Challenge, team: Team
) -> ReleasedReviews | None:
    """The medians the team was shown, through the reviews' own release rule: nothing before the
    round closes, nothing under k. Only medians leave: never scores, comments or distributions."""
    released = await team_reviews(db, challenge, team)
    if released.state != "released" or released.count is None:
        return None
    titles = {str(c["id"]): str(c.get("title", c["id"])) for c in challenge.rubric}
    return ReleasedReviews(
        count=released.count,
        medians=[
            CriterionMedian(
                criterion_id=c.criterion_id,
                title=titles.get(c.criterion_id, c.criterion_id),
                median=c.median,
            )
            for c in released.criteria
            if c.median is not None
        ],
    )


# -- the team: the copy, the check, the proposal and the answers ----------------------------


async def _final_submission(db: AppDbSession, access: TeamAccess) -> Submission:
    if access.challenge.phase != "closed":
        raise WrongPhase("Teams publish to the idea library once the challenge is closed.")
    submission = await submissions_repo.submission_of(db, access.team.id)
    if submission is None or submission.status != "final":
        raise NoFinalSubmission()
    return submission


async def _warnings(
    db: AppDbSession,
    challenge: Challenge,
    copy: IdeaEntry | Submission,
    department_names: DepartmentNames | None,
    not_names: Iterable[str] = (),
) -> tuple[list[TextWarning], list[TextWarning]]:
    """Every warning on the copy's fields, and those that block a proposal. Every team name of
    the challenge is flagged, the team's own too: the credit line names the team already, and
    the text must not name another team that never agreed to appear."""
    handles = [p.handle for p in await challenges_repo.all_participants(db, challenge.id)]
    team_names = list((await teams_repo.team_names(db, challenge.id)).values())
    departments = list(await department_names()) if department_names is not None else []
    confirmed = set(not_names)
    summary = copy.summary if isinstance(copy, IdeaEntry) else ""
    found: list[TextWarning] = []
    blocking: list[TextWarning] = []
    for field, text in (("title", copy.title), ("summary", summary), ("body", copy.body)):
        for warning in check_comment(
            text, handles=handles, team_names=team_names, departments=departments
        ):
            flagged = TextWarning(
                **warning.model_dump(), field=field, confirmable=warning.kind == "name"
            )
            found.append(flagged)
            if not (flagged.confirmable and flagged.text in confirmed):
                blocking.append(flagged)
    return found, blocking


async def _answers(db: AppDbSession, access: TeamAccess, entry: IdeaEntry) -> list[MemberAnswer]:
    given = await repo.answers_to(db, entry.id, entry.proposal)
    me = access.member.pseudonym if access.member else None
    return [
        MemberAnswer(
            handle=m.handle,
            answer=(
                "pending" if m.pseudonym not in given else "yes" if given[m.pseudonym] else "no"
            ),
            is_me=m.pseudonym == me,
        )
        for m in access.members
    ]


def _nothing(state: str) -> TeamIdea:
    return TeamIdea.model_validate(
        {
            "state": state,
            "version": 0,
            "title": "",
            "summary": "",
            "body": "",
            "body_html": "",
            "warnings": [],
            "proposal": 0,
            "answers": [],
            "entry_id": None,
            "unpublished_reason": None,
            "reviews": None,
        }
    )


async def team_idea(
    db: AppDbSession, access: TeamAccess, department_names: DepartmentNames | None
) -> TeamIdea:
    """The team's view: the text to publish (the final submission's until someone edits it),
    what in it could identify someone, and each member's answer to the latest proposal."""
    if access.challenge.phase != "closed":
        return _nothing("not_yet")
    submission = await submissions_repo.submission_of(db, access.team.id)
    if submission is None or submission.status != "final":
        return _nothing("no_final")
    entry = await repo.entry_of_team(db, access.team.id)
    copy: IdeaEntry | Submission = entry if entry is not None else submission
    warnings, _ = await _warnings(db, access.challenge, copy, department_names)
    published = entry is not None and entry.state == "published"
    return TeamIdea(
        state=entry.state if entry is not None else "editing",
        version=entry.version if entry is not None else 0,
        title=copy.title,
        summary=entry.summary if entry is not None else "",
        body=copy.body,
        body_html=render_markdown(copy.body),
        warnings=warnings,
        proposal=entry.proposal if entry is not None else 0,
        answers=await _answers(db, access, entry) if entry and entry.proposal else [],
        entry_id=entry.id if entry is not None and published else None,
        unpublished_reason=entry.unpublished_reason if entry is not None else None,
        reviews=await _released_reviews(db, access.challenge, access.team),
    )


async def _open_entry(db: AppDbSession, access: TeamAccess, submission: Submission) -> IdeaEntry:
    """The team's copy, locked for this request (made from the final submission if nobody
    edited it yet), refused while a proposal is open or once published."""
    entry = await repo.entry_of_team(db, access.team.id, for_update=True)
    if entry is None:
        made = IdeaEntry(
            team_id=access.team.id,
            challenge_id=access.challenge.id,
            title=submission.title,
            summary="",
            body=submission.body,
            version=0,
            state="editing",
            proposal=0,
            featured=False,
        )
        entry = made if await repo.add_entry(db, made) else None
        if entry is None:  # a teammate's request made it a moment ago: theirs is the copy
            entry = await repo.entry_of_team(db, access.team.id, for_update=True)
            assert entry is not None
    if entry.state == "proposed":
        raise ProposalOpen()
    if entry.state == "published":
        raise AlreadyPublished()
    return entry


async def save_copy(
    db: AppDbSession, access: TeamAccess, body: CopyIn, department_names: DepartmentNames | None
) -> TeamIdea:
    """A new version of the text to publish (any member; not while the team answers a
    proposal, whose text must stay the one they are answering)."""
    entry = await _open_entry(db, access, await _final_submission(db, access))
    if body.base_version != entry.version:
        raise IdeaVersionConflict(
            f"Version {entry.version} was saved by a teammate; merge your text into it."
        )
    entry.title, entry.summary, entry.body = body.title, body.summary, body.body
    entry.version += 1
    entry.updated_at = utcnow()
    await db.flush()
    return await team_idea(db, access, department_names)


async def propose(
    db: AppDbSession,
    access: TeamAccess,
    body: ProposalIn,
    department_names: DepartmentNames | None,
    sealer: rating_keys.Sealer | None = None,
) -> TeamIdea:
    """Propose the copy for publication: refused while anything in it could identify someone;
    counts as the proposer's own "yes"; a team of one publishes at once."""
    assert access.member is not None
    entry = await _open_entry(db, access, await _final_submission(db, access))
    if body.version != entry.version:
        raise IdeaVersionConflict(
            f"Version {entry.version} was saved by a teammate; read it before proposing it."
        )
    _, blocking = await _warnings(db, access.challenge, entry, department_names, body.not_names)
    if blocking:
        raise IdentifyingText(
            errors=[
                FieldError.of(
                    f"body.{w.field}",
                    "identifying_text",
                    "text that could identify someone ({kind})",
                    {"kind": w.kind, "start": w.start, "end": w.end},
                )
                for w in blocking
            ]
        )
    entry.state = "proposed"
    entry.proposal += 1
    await repo.record_answer(db, entry.id, entry.proposal, access.member.pseudonym, True)
    await _tell_teammates(db, access, entry, "idea_proposed")
    await _publish_if_everyone_agreed(db, access, entry, sealer)
    return await team_idea(db, access, department_names)


async def answer(
    db: AppDbSession,
    access: TeamAccess,
    body: ConsentIn,
    department_names: DepartmentNames | None,
    sealer: rating_keys.Sealer | None = None,
) -> TeamIdea:
    """A member's yes or no to the open proposal. A no is a veto: the proposal ends and the
    copy can be edited again. The last yes publishes."""
    assert access.member is not None
    await _final_submission(db, access)
    entry = await repo.entry_of_team(db, access.team.id, for_update=True)
    if entry is None or entry.state != "proposed" or entry.proposal != body.proposal:
        raise NoOpenProposal()
    await repo.record_answer(db, entry.id, entry.proposal, access.member.pseudonym, body.agree)
    if body.agree:
        await _publish_if_everyone_agreed(db, access, entry, sealer)
    else:
        entry.state = "editing"
        await _tell_teammates(db, access, entry, "idea_vetoed")
    await db.flush()
    return await team_idea(db, access, department_names)


async def _publish_if_everyone_agreed(
    db: AppDbSession, access: TeamAccess, entry: IdeaEntry, sealer: rating_keys.Sealer | None
) -> None:
    """Every current member (as the team stands now) said yes to this proposal: publish."""
    given = await repo.answers_to(db, entry.id, entry.proposal)
    if not all(given.get(m.pseudonym) is True for m in access.members):
        return
    challenge = access.challenge
    entry.state = "published"
    entry.published_at = utcnow()
    entry.unpublished_reason = None
    await repo.replace_topics(db, entry.id, challenge.tags)
    # The language of the search: the challenge's own (the language its handles and team names
    # are drawn in, chosen by its facilitators for its participants), not a guess from the text.
    await search.index_document(
        db,
        SearchDocument(
            kind=SEARCH_KIND,
            ref=entry.id,
            language=challenge.handle_language,
            title=entry.title,
            summary=entry.summary,
            body=entry.body,
            topics=list(challenge.tags),
            level=challenge.track,
            url=entry_path(entry.id),
        ),
    )
    await _tell_teammates(db, access, entry, "idea_published")
    if sealer is not None:
        # Its rating key now, not at a reader's first request, which the key's commit would
        # date (app/ratings/keys.py); entries published without one get theirs at start-up.
        await rating_keys.ensure_key(db, sealer, "idea", entry.id)
    await db.flush()


async def _tell_teammates(
    db: AppDbSession, access: TeamAccess, entry: IdeaEntry, kind: str
) -> None:
    """An in-app notice to every other member (they know each other's handles already)."""
    me = access.member
    assert me is not None
    params = {
        "team_id": str(access.team.id),
        "team_name": access.team.name,
        "handle": me.handle,
        "proposal": entry.proposal,
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
        db, access.identity.vault, notices, topic="ideas", challenge_title=access.challenge.title
    )


# -- readers ---------------------------------------------------------------------------------


def _summary(entry: IdeaEntry, challenge: Challenge, team: Team, topics: list[str]) -> IdeaSummary:
    assert entry.published_at is not None
    return IdeaSummary(
        id=entry.id,
        team_name=team.name,
        challenge_id=challenge.id,
        challenge_title=challenge.title,
        track=challenge.track,
        topics=topics,
        title=entry.title,
        summary=entry.summary,
        featured=entry.featured,
        published_at=entry.published_at,
    )


def _after(cursor: str) -> tuple[bool, datetime, uuid.UUID]:
    featured, published_at, entry_id = decode_cursor(cursor, 3)
    try:
        return bool(featured), datetime.fromisoformat(str(published_at)), uuid.UUID(str(entry_id))
    except ValueError as exc:
        raise InvalidCursor() from exc


async def list_entries(
    db: AppDbSession, *, track: str | None, topic: str | None, cursor: str | None, limit: int
) -> tuple[list[IdeaSummary], str | None]:
    """Published entries, featured ones first, then the newest."""
    rows = await repo.published_page(
        db,
        track=track,
        topic=topic,
        after=_after(cursor) if cursor else None,
        limit=limit + 1,
    )
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1][0]
        assert last.published_at is not None
        next_cursor = encode_cursor([last.featured, last.published_at.isoformat(), str(last.id)])
    topics = await repo.topics_of(db, [entry.id for entry, _, _ in rows])
    return [
        _summary(entry, challenge, team, topics[entry.id]) for entry, challenge, team in rows
    ], next_cursor


async def _may_curate(db: AppDbSession, identity: Identity, challenge: Challenge) -> bool:
    """Admins, and the challenge's own facilitators (with the role)."""
    if "admin" in identity.roles:
        return True
    if "facilitator" not in identity.roles:
        return False
    pseudonym = await identity.pseudonym_in(challenge.id)
    return await challenges_repo.facilitates(db, challenge, pseudonym)


async def entry(db: AppDbSession, identity: Identity, entry_id: uuid.UUID) -> IdeaEntryOut:
    found = await repo.published_entry(db, entry_id)
    if found is None:
        raise IdeaNotFound()
    idea, challenge, team = found
    topics = await repo.topics_of(db, [idea.id])
    return IdeaEntryOut(
        **_summary(idea, challenge, team, topics[idea.id]).model_dump(),
        body_html=render_markdown(idea.body),
        reviews=await _released_reviews(db, challenge, team),
        can_curate=await _may_curate(db, identity, challenge),
    )


async def _curated(
    db: AppDbSession, identity: Identity, entry_id: uuid.UUID
) -> tuple[IdeaEntry, Challenge, Team]:
    found = await repo.published_entry(db, entry_id)
    if found is None:
        raise IdeaNotFound()
    idea, challenge, team = found
    if not await _may_curate(db, identity, challenge):
        # The entry is public to everyone signed in: a 403 says nothing a 404 would hide.
        raise Forbidden("Only the challenge's facilitators and admins curate its entries.")
    return idea, challenge, team


async def set_featured(
    db: AppDbSession, identity: Identity, entry_id: uuid.UUID, featured: bool
) -> IdeaEntryOut:
    idea, _, _ = await _curated(db, identity, entry_id)
    idea.featured = featured
    await db.flush()
    return await entry(db, identity, entry_id)


async def unpublish(
    db: AppDbSession, identity: Identity, entry_id: uuid.UUID, reason: UnpublishReason
) -> None:
    """Take an entry down (at the team's request, or because of what it says): out of the list
    and the search at once; its members are told why, and may propose it again."""
    idea, challenge, team = await _curated(db, identity, entry_id)
    idea.state = "editing"
    idea.featured = False
    idea.published_at = None
    idea.unpublished_reason = reason
    idea.updated_at = utcnow()
    await search.remove_document(db, SEARCH_KIND, idea.id)
    members = (await teams_repo.members_of(db, [team.id])).get(team.id, [])
    notices = [
        Notification(
            recipient=m.pseudonym,
            challenge_id=challenge.id,
            kind="idea_unpublished",
            params={"team_id": str(team.id), "team_name": team.name, "reason": reason},
        )
        for m in members
    ]
    await repo.add_notifications(db, notices)
    await mail_notices(db, identity.vault, notices, topic="ideas", challenge_title=challenge.title)
    await db.flush()


async def may_rate(db: AppDbSession, identity: Identity, entry_id: uuid.UUID) -> bool:
    """Whether this person may rate the published entry: anyone signed in who is not of the
    team that proposed it (a member now, or one who answered a proposal). Only the person asks
    about themselves, so the answer tells nobody else who was in the team."""
    found = await repo.published_entry(db, entry_id)
    if found is None:
        raise IdeaNotFound()
    idea, challenge, _ = found
    pseudonym = await identity.pseudonym_in(challenge.id)
    return not await repo.is_of_proposing_team(db, idea, pseudonym)
