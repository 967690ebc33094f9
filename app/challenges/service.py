"""Challenge rules: creation, edits, the phase machine, enrolment, the participants overview."""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from pydantic import ValidationError
from sqlalchemy import Row
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlalchemy.orm.attributes import set_committed_value

from app.challenges import phases
from app.challenges import repository as repo
from app.challenges.errors import (
    ChallengeNotFound,
    InvalidSchedule,
    LockedAfterPhase,
    NotEnrolled,
    OwnChallenge,
    PhaseBackwards,
    PhaseNotReady,
    StaleRevision,
    WrongPhase,
)
from app.challenges.models import Challenge, Participant
from app.challenges.names import draw_handle
from app.challenges.schemas import (
    Challenge as ChallengeOut,
)
from app.challenges.schemas import (
    ChallengeCreate,
    ChallengePublic,
    ChallengeSummary,
    ChallengeUpdate,
    Criterion,
    Distributions,
    Enrolment,
    EnrolmentIn,
    ParticipantsOverview,
    ParticipantView,
    Schedule,
    SkillBalance,
    SkillClaim,
    TeamSize,
)
from app.db import AppDbSession
from app.errors import field_error_from_pydantic
from app.kit.disclosure import suppress_small_cells, suppress_total
from app.kit.markdown import render_markdown
from app.kit.orm import add_with_drawn_value, utcnow
from app.kit.pagination import decode_cursor, encode_cursor
from app.vault import Identity

# The cell of people who gave no generation or no experience, in distributions and rows alike.
NOT_GIVEN = "not_given"


class PhaseEffects(Protocol):
    """What other domains do when a challenge enters a phase (reviews: open or close a round)."""

    # How long after its date a challenge closes when nobody closes it by hand: every worker
    # must first write the reviews it holds for the round (app/redemption/mix.py).
    close_grace: timedelta

    async def entered(self, db: AppDbSession, challenge: Challenge, phase: str) -> None: ...


@dataclass
class ChallengeAccess:
    """Who is looking at a challenge, and as what."""

    challenge: Challenge
    identity: Identity
    pseudonym: uuid.UUID | None
    participant: Participant | None
    # One of this challenge's facilitators (its creator or a co-facilitator), with the role:
    # the facilitator role alone manages nothing.
    is_facilitator: bool
    waiting_reason: str | None = None


def _phase_dates(challenge: Challenge | Row[Any]) -> dict[str, datetime | None]:
    """The four phase dates, from a challenge or from a row of a list (the same names)."""
    return {
        "enrolment_opens_at": challenge.enrolment_opens_at,
        "teamwork_starts_at": challenge.teamwork_starts_at,
        "review_starts_at": challenge.review_starts_at,
        "closes_at": challenge.closes_at,
    }


def schedule_of(challenge: Challenge | Row[Any]) -> Schedule:
    # Not validated again: the dates were validated when they were written, and a list of
    # challenges builds one schedule per row on every read.
    return Schedule.model_construct(None, **_phase_dates(challenge))


async def _readiness(db: AppDbSession, challenge: Challenge) -> phases.Readiness:
    return phases.Readiness(
        published=challenge.published,
        teams_with_members=await repo.teams_with_members(db, challenge.id),
        final_submissions=await repo.final_submission_count(db, challenge.id),
    )


async def _enter(db: AppDbSession, challenge: Challenge, phase: str, effects: PhaseEffects) -> None:
    """The one place a challenge changes phase."""
    challenge.phase = phase
    if phase == "enrolment":
        challenge.published = True
    challenge.revision += 1
    await db.flush()
    await effects.entered(db, challenge, phase)


async def _due_phases(
    db: AppDbSession, challenge: Challenge, close_grace: timedelta
) -> tuple[list[str], str | None]:
    """The phases whose date has passed and whose guard holds, in order, and why the next one
    waits (None when it waits for nothing but its date)."""
    now = utcnow()
    steps: list[str] = []
    readiness = None
    for phase in phases.due_steps(challenge.phase, _phase_dates(challenge), now):
        if phase == "closed" and challenge.closes_at and now < challenge.closes_at + close_grace:
            break
        # Entering a phase changes none of what the guards read (published is set before).
        readiness = readiness or await _readiness(db, challenge)
        reason = phases.guard(phase, readiness)
        if reason is not None:
            return steps, reason
        steps.append(phase)
    return steps, None


async def advance_if_due(
    db: AppDbSession, challenge: Challenge, effects: PhaseEffects
) -> str | None:
    """Enter every phase whose date has passed and whose guard holds; say why one waits. Only
    the ticker and a facilitator's own action call this: reads never write (`show_due_phase`).

    Starts from the phase the database holds (a request's access may have shown a later one;
    the request's own changes are flushed first, so that none is reloaded away).
    """
    await db.flush()
    await db.refresh(challenge, ["phase", "published"])
    steps, reason = await _due_phases(db, challenge, effects.close_grace)
    for phase in steps:
        await _enter(db, challenge, phase, effects)
    return reason


async def show_due_phase(
    db: AppDbSession, challenge: Challenge, effects: PhaseEffects
) -> str | None:
    """What a request sees: the phase the dates have reached, without writing anything.

    The loaded challenge takes that phase as if it had been read so (nothing is flushed), so
    that every rule judges the request by the same phase it shows; the ticker enters the phase
    for real, with what entering it does (a review round opens), within a tick.
    """
    steps, reason = await _due_phases(db, challenge, effects.close_grace)
    if steps:  # (a challenge past its draft is published already: the enrolment guard)
        set_committed_value(challenge, "phase", steps[-1])
    return reason


async def challenge_access(
    db: AppDbSession, identity: Identity, challenge_id: uuid.UUID, effects: PhaseEffects
) -> ChallengeAccess:
    """The challenge, if this person may see it (drafts: its own facilitators only; else 404).

    `is_facilitator` says whether the viewer facilitates *this* challenge: its creator or a
    co-facilitator, holding the facilitator role. Facilitators of other challenges see it as
    anyone else does.
    """
    # The pseudonym first (the vault answers None for a challenge that does not exist), so
    # that one app statement reads the challenge with the viewer's place in it.
    pseudonym = await identity.pseudonym_in(challenge_id)
    found = await repo.challenge_with_viewer(db, challenge_id, pseudonym)
    if found is None:
        raise ChallengeNotFound()
    challenge, participant, co_facilitates = found
    is_facilitator = (
        "facilitator" in identity.roles
        and pseudonym is not None
        and (pseudonym == challenge.created_by or co_facilitates)
    )
    if not (challenge.published or is_facilitator):
        raise ChallengeNotFound()
    access = ChallengeAccess(
        challenge=challenge,
        identity=identity,
        pseudonym=pseudonym,
        participant=participant,
        is_facilitator=is_facilitator,
    )
    access.waiting_reason = await show_due_phase(db, challenge, effects)
    return access


async def advance_all_due(sessions: async_sessionmaker[AppDbSession], effects: PhaseEffects) -> int:
    """Advance every challenge whose next phase is due (the background ticker calls this)."""
    advanced = 0
    async with sessions() as db:
        ids = list(await db.scalars(repo.open_challenge_ids()))
    for challenge_id in ids:
        async with sessions.begin() as db:
            challenge = await repo.get_challenge(db, challenge_id)
            if challenge is None:
                continue
            before = challenge.phase
            await advance_if_due(db, challenge, effects)
            advanced += challenge.phase != before
    return advanced


async def move_phase(
    db: AppDbSession, challenge: Challenge, target: str, effects: PhaseEffects
) -> None:
    """A facilitator moves the phase forward; every step's guard applies, its date becomes now."""
    await advance_if_due(db, challenge, effects)  # what the dates reached first, for real
    if phases.index(target) < phases.index(challenge.phase):
        raise PhaseBackwards(
            f"The challenge is in {challenge.phase}; it cannot go back to {target}."
        )
    now = utcnow()
    for phase in phases.PHASES[phases.index(challenge.phase) + 1 : phases.index(target) + 1]:
        if phase == "enrolment":
            challenge.published = True
        reason = phases.guard(phase, await _readiness(db, challenge))
        if reason is not None:
            raise PhaseNotReady(reason)
        column = phases.PHASE_DATE[phase]
        start = getattr(challenge, column)
        if start is None or start > now:
            setattr(challenge, column, now)
        await _enter(db, challenge, phase, effects)


async def create_challenge(
    db: AppDbSession, identity: Identity, data: ChallengeCreate
) -> ChallengeOut:
    """A new draft, created by this facilitator (under their pseudonym for it)."""
    challenge_id = uuid.uuid4()
    challenge = Challenge(
        id=challenge_id,
        title=data.title,
        brief=data.brief,
        tags=data.tags,
        track=data.track,
        team_size_min=data.team_size.min,
        team_size_target=data.team_size.target,
        team_size_max=data.team_size.max,
        formation_mode=data.formation_mode,
        rubric=[criterion.model_dump() for criterion in data.rubric],
        review_k=data.review_k,
        # The creator's language unless chosen: the session carries the account's language,
        # the same value the vault's participant attributes give enrolment.
        handle_language=data.handle_language or identity.session.language,
        phase="draft",
        published=False,
        created_by=await identity.take_pseudonym_in(challenge_id),
        revision=1,
        **data.schedule.model_dump(),
    )
    db.add(challenge)
    await db.flush()
    access = ChallengeAccess(
        challenge=challenge,
        identity=identity,
        pseudonym=challenge.created_by,
        participant=None,
        is_facilitator=True,
    )
    return await facilitator_view(db, access, None)


async def update_challenge(db: AppDbSession, challenge: Challenge, data: ChallengeUpdate) -> None:
    changes = data.model_dump(exclude_unset=True, exclude={"revision"})
    if data.revision is not None and data.revision != challenge.revision:
        raise StaleRevision(f"It is now at revision {challenge.revision}; reload and try again.")
    at = phases.index(challenge.phase)
    if challenge.phase == "closed" and changes:
        raise LockedAfterPhase("A closed challenge no longer changes.")
    if {"team_size", "formation_mode"} & changes.keys() and at >= phases.index("teamwork"):
        raise LockedAfterPhase("Team sizes and formation mode are fixed once teamwork starts.")
    if {"rubric", "review_k"} & changes.keys() and at >= phases.index("review"):
        raise LockedAfterPhase("The rubric and k are fixed once reviews start.")
    if "published" in changes and not changes["published"] and challenge.phase != "draft":
        raise LockedAfterPhase("Only a draft can be unpublished.")
    if (
        "handle_language" in changes
        and changes["handle_language"] != challenge.handle_language
        and at >= phases.index("enrolment")
    ):
        # Handles are drawn as people join: a change now would mix two languages.
        raise LockedAfterPhase("The handle language is fixed once enrolment opens.")
    for name in (
        "title",
        "brief",
        "tags",
        "track",
        "formation_mode",
        "review_k",
        "published",
        "handle_language",
    ):
        if name in changes:
            setattr(challenge, name, changes[name])
    if data.team_size is not None:
        challenge.team_size_min = data.team_size.min
        challenge.team_size_target = data.team_size.target
        challenge.team_size_max = data.team_size.max
    if data.rubric is not None:
        challenge.rubric = [criterion.model_dump() for criterion in data.rubric]
    if data.schedule is not None:
        sent = data.schedule.model_dump(exclude_unset=True)
        for column, value in sent.items():
            phase = next(p for p, c in phases.PHASE_DATE.items() if c == column)
            if phases.index(phase) <= at and value != getattr(challenge, column):
                raise LockedAfterPhase(f"The {phase} phase has started; its date is history.")
        try:
            merged = Schedule(**(schedule_of(challenge).model_dump() | sent))
        except ValidationError as exc:
            first = exc.errors()[0]
            raise InvalidSchedule(
                str(first["msg"]),
                errors=[field_error_from_pydantic(first, prefix=("body", "schedule"))],
            ) from exc
        for column, value in merged.model_dump().items():
            setattr(challenge, column, value)
    challenge.revision += 1
    await db.flush()


# Challenge ids ("ids") -> their numbers of participants, as the list shows them (those with
# none are absent): for whoever shows the list's numbers again without the rest of it.
PARTICIPANT_COUNTS = repo.PARTICIPANT_COUNTS
ENROLLED_AMONG = repo.ENROLLED_AMONG


async def _participant_count(db: AppDbSession, challenge: Challenge) -> int:
    return (await repo.participant_counts(db, [challenge.id])).get(challenge.id, 0)


async def public_view(
    db: AppDbSession, access: ChallengeAccess, waiting: str | None
) -> ChallengePublic:
    challenge, participant = access.challenge, access.participant
    return ChallengePublic(
        id=challenge.id,
        title=challenge.title,
        brief=challenge.brief,
        brief_html=render_markdown(challenge.brief),
        tags=challenge.tags,
        track=challenge.track,
        team_size=TeamSize(
            min=challenge.team_size_min,
            target=challenge.team_size_target,
            max=challenge.team_size_max,
        ),
        formation_mode=challenge.formation_mode,
        rubric=[Criterion.model_validate(criterion) for criterion in challenge.rubric],
        review_k=challenge.review_k,
        phase=challenge.phase,
        phase_waiting_reason=waiting,
        schedule=schedule_of(challenge),
        enrolled=participant is not None,
        my_handle=participant.handle if participant else None,
        my_team_id=participant.team_id if participant else None,
        participant_count=await _participant_count(db, challenge),
    )


async def facilitator_view(
    db: AppDbSession, access: ChallengeAccess, waiting: str | None
) -> ChallengeOut:
    public = await public_view(db, access, waiting)
    challenge = access.challenge
    return ChallengeOut(
        **public.model_dump(),
        published=challenge.published,
        revision=challenge.revision,
        handle_language=challenge.handle_language,
        created_by_me=access.pseudonym == challenge.created_by,
        team_count=await repo.team_count(db, challenge.id),
        final_submission_count=await repo.final_submission_count(db, challenge.id),
    )


async def list_for(
    db: AppDbSession,
    identity: Identity,
    *,
    phase: str | None,
    mine: bool,
    cursor: str | None,
    limit: int,
    effects: PhaseEffects,
) -> tuple[list[ChallengeSummary], str | None]:
    my_pseudonyms = await identity.pseudonyms()
    facilitated = (
        await repo.facilitated_by(db, my_pseudonyms.values())
        if "facilitator" in identity.roles
        else set()
    )
    after = None
    if cursor:
        created_raw, id_raw = decode_cursor(cursor, 2)
        after = (datetime.fromisoformat(str(created_raw)), uuid.UUID(str(id_raw)))
    rows = await repo.list_challenges(
        db,
        drafts=facilitated,
        phase=phase,
        only_ids=set(my_pseudonyms) if mine else None,
        after=after,
        limit=limit + 1,
        mine=my_pseudonyms.values(),
    )
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        next_cursor = encode_cursor([rows[-1].created_at.isoformat(), str(rows[-1].id)])
    summaries = []
    now = utcnow()
    for row in rows:
        phase = row.phase
        # A date has passed and the ticker has not acted on it yet, or a guard holds the phase
        # (the waiting reason shows on the challenge page): the one case that needs the whole
        # challenge.
        if phases.due_steps(phase, _phase_dates(row), now):
            challenge = await repo.get_challenge(db, row.id)
            if challenge is not None:
                await show_due_phase(db, challenge, effects)
                phase = challenge.phase
        enrolled = bool(row.enrolled)
        if mine and not enrolled and row.id not in facilitated:
            continue
        summaries.append(
            ChallengeSummary(
                id=row.id,
                title=row.title,
                tags=row.tags,
                track=row.track,
                phase=phase,
                published=row.published,
                formation_mode=row.formation_mode,
                schedule=schedule_of(row),
                enrolled=enrolled,
                facilitating=row.id in facilitated,
                participant_count=row.participant_count,
            )
        )
    return summaries, next_cursor


def _claims(skills: list[Any], direction: str) -> list[SkillClaim]:
    return [SkillClaim(skill=s.skill, level=s.level) for s in skills if s.direction == direction]


async def enrol(db: AppDbSession, access: ChallengeAccess, body: EnrolmentIn) -> Enrolment:
    """Join (or update one's skills): a pseudonym from the vault, a handle drawn here."""
    challenge = access.challenge
    if challenge.phase != "enrolment":
        raise WrongPhase("Joining and changing skills are possible while enrolment is open.")
    identity = access.identity
    attributes = await identity.vault.participant_attributes(
        identity.account_id, challenge.id, none_yet=access.pseudonym is None
    )
    # A pseudonym drawn just now names no facilitator, participant or skill yet: a first join
    # reads none of them.
    fresh = attributes.drawn_now
    if not fresh and await repo.facilitates(db, challenge, attributes.pseudonym):
        raise OwnChallenge()

    async def joined_or_new() -> Participant:
        # Looked up on every attempt: the same person joining twice at once finds the row
        # the other request stored, rather than failing on its key.
        joined = (
            None if fresh else await repo.find_participant(db, challenge.id, attributes.pseudonym)
        )
        return joined or Participant(
            pseudonym=attributes.pseudonym,
            challenge_id=challenge.id,
            handle=draw_handle(challenge.handle_language, await repo.handles_in(db, challenge.id)),
            cohort=attributes.cohort,
            seniority_band=attributes.seniority_band,
            department_tag=attributes.department_tag,
            language=attributes.language,
        )

    participant = await add_with_drawn_value(db, joined_or_new)
    claims = [("teach", c.skill, c.level) for c in body.teach]
    claims += [("learn", c.skill, c.level) for c in body.learn]
    if fresh:
        repo.add_skills(db, participant.pseudonym, claims)
    else:
        await repo.replace_skills(db, participant.pseudonym, claims)
    await db.flush()
    return Enrolment(
        challenge_id=challenge.id,
        handle=participant.handle,
        teach=body.teach,
        learn=body.learn,
        team_id=participant.team_id,
    )


async def my_enrolment(db: AppDbSession, access: ChallengeAccess) -> Enrolment:
    participant = access.participant
    if participant is None:
        raise NotEnrolled()
    skills = (await repo.skills_of(db, [participant.pseudonym])).get(participant.pseudonym, [])
    return Enrolment(
        challenge_id=access.challenge.id,
        handle=participant.handle,
        teach=_claims(skills, "teach"),
        learn=_claims(skills, "learn"),
        team_id=participant.team_id,
    )


async def withdraw(db: AppDbSession, access: ChallengeAccess) -> None:
    """Leave while enrolment is open: the row and the vault's mapping both go."""
    if access.participant is None:
        raise NotEnrolled()
    if access.challenge.phase != "enrolment":
        raise WrongPhase("Withdrawing is possible while enrolment is open.")
    await db.delete(access.participant)
    await db.flush()
    await access.identity.forget_pseudonym_in(access.challenge.id)


async def participants_overview(
    db: AppDbSession, challenge: Challenge, *, cursor: str | None, limit: int
) -> ParticipantsOverview:
    after = None
    if cursor:
        handle, pseudonym = decode_cursor(cursor, 2)
        after = (str(handle), uuid.UUID(str(pseudonym)))
    page = await repo.participants_page(db, challenge.id, after=after, limit=limit + 1)
    next_cursor = None
    if len(page) > limit:
        page = page[:limit]
        next_cursor = encode_cursor([page[-1].handle, str(page[-1].pseudonym)])
    skills = await repo.skills_of(db, [p.pseudonym for p in page])
    shown = await distributions(db, challenge)
    # A row shows a label only where the distributions show its cell: counting the rows would
    # otherwise give back every cell the distributions hide (and the complementary ones).
    cohorts = {key for key, count in shown.by_cohort.items() if count is not None}
    bands = {key for key, count in shown.by_seniority_band.items() if count is not None}
    teaching = {s.skill for s in shown.skills if s.teachers is not None}
    learning = {s.skill for s in shown.skills if s.learners is not None}
    items = []
    for p in page:
        cohort = p.cohort or NOT_GIVEN
        band = p.seniority_band or NOT_GIVEN
        claims = skills.get(p.pseudonym, [])
        items.append(
            ParticipantView(
                pseudonym=p.pseudonym,
                handle=p.handle,
                cohort=cohort if cohort in cohorts else None,
                seniority_band=band if band in bands else None,
                teach=[c for c in _claims(claims, "teach") if c.skill in teaching],
                learn=[c for c in _claims(claims, "learn") if c.skill in learning],
                team_id=p.team_id,
            )
        )
    return ParticipantsOverview(items=items, next_cursor=next_cursor, distributions=shown)


async def distributions(db: AppDbSession, challenge: Challenge) -> Distributions:
    everyone = await repo.all_participants(db, challenge.id)
    k = challenge.review_k
    teachers: Counter[str] = Counter()
    learners: Counter[str] = Counter()
    for skill in await repo.all_skills(db, challenge.id):
        (teachers if skill.direction == "teach" else learners)[skill.skill] += 1
    balance = []
    for name in sorted(set(teachers) | set(learners)):
        shown = suppress_small_cells({"teach": teachers[name], "learn": learners[name]}, k)
        balance.append(SkillBalance(skill=name, teachers=shown["teach"], learners=shown["learn"]))
    return Distributions(
        k=k,
        total=suppress_total(len(everyone), k),
        by_cohort=suppress_small_cells(Counter(p.cohort or NOT_GIVEN for p in everyone), k),
        by_seniority_band=suppress_small_cells(
            Counter(p.seniority_band or NOT_GIVEN for p in everyone), k
        ),
        skills=balance,
    )
