"""Team rules: self-formed teams, manual moves, team views, the workspace's messages."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from app.challenges import repository as challenges_repo
from app.challenges.errors import CannotMoveYourself, NotEnrolled, WrongPhase
from app.challenges.models import Challenge, Participant
from app.challenges.names import draw_team_name, new_join_code
from app.challenges.service import ChallengeAccess, PhaseEffects, show_due_phase
from app.db import AppDbSession
from app.kit import ratelimit
from app.kit.markdown import render_markdown
from app.kit.orm import utcnow
from app.kit.pagination import decode_cursor, encode_cursor
from app.teams import repository as repo
from app.teams.errors import (
    AlreadyInTeam,
    EditWindowOver,
    MessageNotFound,
    NotSelfFormed,
    TeamFull,
    TeamNotFound,
)
from app.teams.models import Message, Team
from app.teams.schemas import (
    Diversity,
    MemberDetail,
    MemberView,
    MyTeam,
    TeamCreated,
    TeamDetail,
    TeamSummary,
)
from app.teams.schemas import Message as MessageOut
from app.vault import Identity

EDIT_WINDOW = timedelta(minutes=15)
MEMBERSHIP_PHASES = ("enrolment",)
MANUAL_MOVE_PHASES = ("enrolment", "teamwork")
MESSAGING_PHASES = ("enrolment", "teamwork", "review")


@dataclass
class TeamAccess:
    team: Team
    challenge: Challenge
    # The team's members in handle order, loaded to find the viewer among them; the team page
    # and the messages reuse them instead of asking again.
    members: list[Participant]
    member: Participant | None  # set when the viewer belongs to the team
    is_facilitator: bool
    # Read in the same statement as the members, for the team page.
    submission_status: str
    # Who looks: a notice to the team is mailed through their vault (app/mail/service.py).
    identity: Identity


async def team_access(
    db: AppDbSession, identity: Identity, team_id: uuid.UUID, effects: PhaseEffects
) -> TeamAccess:
    """The team, for its members and for its challenge's facilitators; 404 for everyone else."""
    found = await repo.team_with_members(db, team_id)
    if found is None:
        raise TeamNotFound()
    team, challenge, members = found.team, found.challenge, found.members
    pseudonym = await identity.pseudonym_in(challenge.id)
    member = next((m for m in members if pseudonym is not None and m.pseudonym == pseudonym), None)
    is_facilitator = "facilitator" in identity.roles and await challenges_repo.facilitates(
        db, challenge, pseudonym
    )
    if member is None and not is_facilitator:
        raise TeamNotFound()
    await show_due_phase(db, challenge, effects)
    return TeamAccess(
        team=team,
        challenge=challenge,
        members=members,
        member=member,
        is_facilitator=is_facilitator,
        submission_status=found.submission_status,
        identity=identity,
    )


def diversity(members: list[Participant]) -> Diversity:
    return Diversity(
        size=len(members),
        generations=len({m.cohort for m in members if m.cohort}),
        seniority_bands=len({m.seniority_band for m in members if m.seniority_band}),
        departments=len({m.department_tag for m in members if m.department_tag}),
    )


async def _new_team(db: AppDbSession, challenge: Challenge, *, with_code: bool) -> Team:
    async def drawn() -> Team:
        return Team(
            id=uuid.uuid4(),
            challenge_id=challenge.id,
            name=draw_team_name(await repo.names_in(db, challenge.id)),
            join_code=new_join_code() if with_code else None,
        )

    return await repo.add_team(db, drawn)


async def create_team(db: AppDbSession, access: ChallengeAccess) -> TeamCreated:
    """A participant starts a self-formed team (and joins it); a facilitator adds an empty one."""
    challenge = access.challenge
    participant = access.participant
    if participant is None:
        if not access.is_facilitator:
            raise NotEnrolled()
        if challenge.phase not in MANUAL_MOVE_PHASES:
            raise WrongPhase("Teams can be added during enrolment and teamwork.")
        team = await _new_team(db, challenge, with_code=False)
        return TeamCreated(id=team.id, name=team.name, join_code=None)
    if challenge.formation_mode != "self_formed":
        raise NotSelfFormed()
    if challenge.phase not in MEMBERSHIP_PHASES:
        raise WrongPhase("Teams are formed while enrolment is open.")
    if participant.team_id is not None:
        raise AlreadyInTeam()
    team = await _new_team(db, challenge, with_code=True)
    participant.team_id = team.id
    await db.flush()
    return TeamCreated(id=team.id, name=team.name, join_code=team.join_code)


async def join_team(db: AppDbSession, identity: Identity, code: str) -> TeamCreated:
    """Join a self-formed team with its code."""
    team = await repo.team_by_code(db, code)
    challenge = await challenges_repo.get_challenge(db, team.challenge_id) if team else None
    if team is None or challenge is None:
        raise TeamNotFound("No team has this code.")
    pseudonym = await identity.pseudonym_in(challenge.id)
    participant = await challenges_repo.find_participant(db, challenge.id, pseudonym)
    if participant is None:
        raise NotEnrolled("Join the challenge before joining one of its teams.")
    if challenge.phase not in MEMBERSHIP_PHASES:
        raise WrongPhase("Teams are formed while enrolment is open.")
    if participant.team_id is not None:
        raise AlreadyInTeam()
    if await repo.member_count(db, team.id) >= challenge.team_size_max:
        raise TeamFull(f"{team.name} already has {challenge.team_size_max} members.")
    participant.team_id = team.id
    await db.flush()
    return TeamCreated(id=team.id, name=team.name, join_code=team.join_code)


async def leave_team(db: AppDbSession, access: TeamAccess) -> None:
    if access.member is None:
        raise TeamNotFound()
    if access.challenge.phase not in MEMBERSHIP_PHASES:
        raise WrongPhase("Teams are fixed once teamwork starts.")
    access.member.team_id = None
    await db.flush()


async def move_participant(
    db: AppDbSession, access: ChallengeAccess, pseudonym: uuid.UUID, team_id: uuid.UUID | None
) -> None:
    """A facilitator moves someone by hand (or out of every team); never themselves."""
    if pseudonym == access.pseudonym:
        raise CannotMoveYourself("You cannot move yourself; another facilitator can.")
    challenge = access.challenge
    if challenge.phase not in MANUAL_MOVE_PHASES:
        raise WrongPhase("People can be moved during enrolment and teamwork.")
    participant = await challenges_repo.find_participant(db, challenge.id, pseudonym)
    if participant is None:
        raise NotEnrolled("No such participant in this challenge.")
    if team_id is not None:
        team = await repo.get_team(db, team_id)
        if team is None or team.challenge_id != challenge.id:
            raise TeamNotFound()
        if (
            participant.team_id != team.id
            and await repo.member_count(db, team.id) >= challenge.team_size_max
        ):
            raise TeamFull(f"{team.name} already has {challenge.team_size_max} members.")
    participant.team_id = team_id
    await db.flush()


async def teams_of_challenge(
    db: AppDbSession, access: ChallengeAccess
) -> list[TeamDetail] | list[TeamSummary]:
    teams = await repo.teams_of(db, access.challenge.id)
    members = await repo.members_of(db, [t.id for t in teams])
    statuses = await repo.submission_statuses(db, [t.id for t in teams])
    if access.is_facilitator:
        return [
            TeamDetail(
                id=t.id,
                name=t.name,
                diversity=diversity(members.get(t.id, [])),
                has_final_submission=statuses.get(t.id) == "final",
                join_code=t.join_code,
                members=[
                    MemberDetail(
                        pseudonym=m.pseudonym,
                        handle=m.handle,
                        cohort=m.cohort,
                        seniority_band=m.seniority_band,
                    )
                    for m in members.get(t.id, [])
                ],
            )
            for t in teams
        ]
    if access.participant is None:
        raise NotEnrolled()
    return [
        TeamSummary(
            id=t.id,
            name=t.name,
            diversity=diversity(members.get(t.id, [])),
            has_final_submission=statuses.get(t.id) == "final",
        )
        for t in teams
    ]


async def team_view(db: AppDbSession, access: TeamAccess) -> MyTeam | TeamDetail:
    team = access.team
    members = access.members
    status = access.submission_status
    if access.member is None:
        return TeamDetail(
            id=team.id,
            name=team.name,
            diversity=diversity(members),
            has_final_submission=status == "final",
            join_code=team.join_code,
            members=[
                MemberDetail(
                    pseudonym=m.pseudonym,
                    handle=m.handle,
                    cohort=m.cohort,
                    seniority_band=m.seniority_band,
                )
                for m in members
            ],
        )
    joinable = access.challenge.phase in MEMBERSHIP_PHASES
    return MyTeam(
        id=team.id,
        name=team.name,
        challenge_id=access.challenge.id,
        diversity=diversity(members),
        has_final_submission=status == "final",
        members=[
            MemberView(handle=m.handle, is_you=m.pseudonym == access.member.pseudonym)
            for m in members
        ],
        join_code=team.join_code if joinable else None,
        submission_status=status,
        submission_deadline=access.challenge.review_starts_at,
        join_code_until=access.challenge.teamwork_starts_at if joinable else None,
    )


def _message_out(
    message: Message | repo.MessageRow, handles: dict[uuid.UUID, str], me: uuid.UUID
) -> MessageOut:
    mine = message.author == me
    editable_until = message.created_at + EDIT_WINDOW if mine else None
    return MessageOut(
        id=message.id,
        author_handle=handles.get(message.author) if message.author else None,
        is_mine=mine,
        body=message.body,
        body_html=render_markdown(message.body),
        created_at=message.created_at,
        edited_at=message.edited_at,
        editable_until=editable_until if editable_until and editable_until > utcnow() else None,
    )


async def messages(
    db: AppDbSession, access: TeamAccess, *, cursor: str | None, limit: int
) -> tuple[list[MessageOut], str | None]:
    """Newest first; the cursor walks back in time."""
    assert access.member is not None
    before = None
    if cursor:
        created_raw, id_raw = decode_cursor(cursor, 2)
        before = (datetime.fromisoformat(str(created_raw)), uuid.UUID(str(id_raw)))
    rows = await repo.messages_page(db, access.team.id, before=before, limit=limit + 1)
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        next_cursor = encode_cursor([rows[-1].created_at.isoformat(), str(rows[-1].id)])
    handles = {m.pseudonym: m.handle for m in access.members}
    # Former members keep their handle on what they wrote.
    if former := {m.author for m in rows if m.author and m.author not in handles}:
        handles |= await repo.handles(db, former)
    return [_message_out(m, handles, access.member.pseudonym) for m in rows], next_cursor


async def post_message(
    db: AppDbSession, access: TeamAccess, body: str, *, per_minute: int
) -> MessageOut:
    assert access.member is not None
    if access.challenge.phase not in MESSAGING_PHASES:
        raise WrongPhase("The workspace is read-only once the challenge is closed.")
    await ratelimit.enforce(
        db,
        ratelimit.RateBucket,
        f"messages:{access.member.pseudonym}",
        per_minute,
        timedelta(minutes=1),
        "messages",
    )
    message = Message(
        team_id=access.team.id, author=access.member.pseudonym, body=body, created_at=utcnow()
    )
    await repo.add_message(db, message)
    return _message_out(
        message, {access.member.pseudonym: access.member.handle}, access.member.pseudonym
    )


async def edit_message(
    db: AppDbSession, access: TeamAccess, message_id: uuid.UUID, body: str
) -> MessageOut:
    assert access.member is not None
    message = await repo.get_message(db, message_id)
    if (
        message is None
        or message.team_id != access.team.id
        or message.author != access.member.pseudonym
    ):
        raise MessageNotFound()
    if access.challenge.phase not in MESSAGING_PHASES:
        raise WrongPhase("The workspace is read-only once the challenge is closed.")
    if utcnow() > message.created_at + EDIT_WINDOW:
        raise EditWindowOver(f"Messages can be edited for {EDIT_WINDOW.seconds // 60} minutes.")
    message.body = body
    message.edited_at = utcnow()
    await db.flush()
    return _message_out(
        message, {access.member.pseudonym: access.member.handle}, access.member.pseudonym
    )
