"""Programme rules: creation, edits, the phase machine, leads, applications, mentor selection.

Matching runs and their proposals are in `matching.py`, published pairs in `pairs.py`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlalchemy.orm.attributes import set_committed_value

from app.challenges.names import draw_handle
from app.db import AppDbSession
from app.errors import FieldError, field_error_from_pydantic
from app.kit.orm import add_with_drawn_value, utcnow
from app.library.errors import CollectionNotFound
from app.library.service import has_completed_collection
from app.mentoring import phases
from app.mentoring import repository as repo
from app.mentoring.errors import (
    ApplicationNotFound,
    InvalidApplication,
    InvalidProgramme,
    NoApplication,
    OwnProgramme,
    ProgrammeNotFound,
    ProgrammeNotReady,
    ProgrammePhaseBackwards,
    ProgrammeWrongPhase,
    StaleProgramme,
)
from app.mentoring.models import Application, Programme
from app.mentoring.reminders import remind_quiet_pairs, remind_upcoming_sessions
from app.mentoring.schemas import (
    ApplicationIn,
    MentorApplicationRow,
    MyApplication,
    ProgrammeCreate,
    ProgrammePublic,
    ProgrammeSchedule,
    ProgrammeSummary,
    ProgrammeUpdate,
    Taught,
    Wanted,
)
from app.mentoring.schemas import Programme as ProgrammeOut
from app.mentoring.vocabulary import PHASES
from app.vault import Identity, Vault

# Where a lead may judge mentor applications: from the first application on, re-matching
# included; never once the programme is closed.
SELECTION_PHASES = ("applications", "matching", "running")


@dataclass
class ProgrammeAccess:
    """Who is looking at a programme, and as what."""

    programme: Programme
    identity: Identity
    pseudonym: uuid.UUID | None
    application: Application | None
    # One of its leads (creator or co-lead) holding the facilitator role: the role alone, or
    # the admin role, leads nothing (docs/mentoring.md, "Programmes and phases").
    is_lead: bool
    waiting_reason: str | None = None


def _dates(programme: Programme) -> dict[str, Any]:
    return {column: getattr(programme, column) for column in phases.PHASE_DATE.values()}


def schedule_of(programme: Programme) -> ProgrammeSchedule:
    return ProgrammeSchedule.model_construct(None, **_dates(programme))


async def _readiness(db: AppDbSession, programme: Programme) -> phases.Readiness:
    roles = await repo.role_counts(db, programme.id)
    return phases.Readiness(
        training_named=not programme.training_required
        or programme.training_collection_id is not None,
        closing_date_set=programme.applications_close_at is not None,
        mentor_applications=roles.get("mentor", 0) + roles.get("both", 0),
        mentee_applications=roles.get("mentee", 0) + roles.get("both", 0),
        published_pairs=await repo.pair_count(db, programme.id),
    )


async def _enter(db: AppDbSession, programme: Programme, phase: str) -> None:
    """The one place a programme changes phase."""
    programme.phase = phase
    programme.revision += 1
    await db.flush()


async def _due_phases(db: AppDbSession, programme: Programme) -> tuple[list[str], str | None]:
    """The phases whose date has passed and whose guard holds, in order, and why the next one
    waits. Once the end date has passed the programme closes, whatever phase it reached."""
    due = phases.due_steps(programme.phase, _dates(programme), utcnow())
    if "closed" in due:
        return ["closed"], None
    steps: list[str] = []
    readiness = None
    for phase in due:
        readiness = readiness or await _readiness(db, programme)
        reason = phases.guard(phase, readiness)
        if reason is not None:
            return steps, reason
        steps.append(phase)
    return steps, None


async def advance_if_due(db: AppDbSession, programme: Programme) -> str | None:
    """Enter every phase whose date has passed and whose guard holds; say why one waits. Only
    the ticker and a lead's own actions call this: reads never write (`show_due_phase`)."""
    await db.flush()
    await db.refresh(programme, ["phase"])
    steps, reason = await _due_phases(db, programme)
    for phase in steps:
        await _enter(db, programme, phase)
    return reason


async def show_due_phase(db: AppDbSession, programme: Programme) -> str | None:
    """The phase the dates have reached, shown without writing anything (as challenges do)."""
    steps, reason = await _due_phases(db, programme)
    if steps:
        set_committed_value(programme, "phase", steps[-1])
    return reason


async def advance_all_due(sessions: async_sessionmaker[AppDbSession], vault: Vault) -> int:
    """Advance every programme whose next phase is due, and remind the quiet pairs of those
    running and the pairs whose session starts within a day (the background ticker calls this)."""
    advanced = 0
    async with sessions() as db:
        ids = list(await db.scalars(repo.open_programme_ids()))
    for programme_id in ids:
        async with sessions.begin() as db:
            programme = await repo.get_programme(db, programme_id)
            if programme is None:
                continue
            before = programme.phase
            await advance_if_due(db, programme)
            advanced += programme.phase != before
            # Due work of a running programme rides on the same tick and worker.
            await remind_quiet_pairs(db, vault, programme)
            await remind_upcoming_sessions(db, vault, programme)
    return advanced


async def move_phase(db: AppDbSession, programme: Programme, target: str) -> None:
    """A lead moves the phase forward; every step's guard applies, its date becomes now."""
    await advance_if_due(db, programme)
    if phases.index(target) < phases.index(programme.phase):
        raise ProgrammePhaseBackwards(
            f"The programme is in {programme.phase}; it cannot go back to {target}."
        )
    now = utcnow()
    if target == "closed" and programme.phase != "closed":
        # Ending a programme needs nothing of the phases it skips.
        if programme.ends_at is None or programme.ends_at > now:
            programme.ends_at = now
        await _enter(db, programme, "closed")
        return
    for phase in PHASES[phases.index(programme.phase) + 1 : phases.index(target) + 1]:
        reason = phases.guard(phase, await _readiness(db, programme))
        if reason is not None:
            raise ProgrammeNotReady(reason)
        column = phases.PHASE_DATE[phase]
        start = getattr(programme, column)
        if start is None or start > now:
            setattr(programme, column, now)
        await _enter(db, programme, phase)
    # Moving a date to now may have put it after a later one that was still unset or earlier.
    _check_schedule(programme)


def _check_schedule(programme: Programme) -> None:
    dates = [d for d in _dates(programme).values() if d is not None]
    for earlier, later in pairwise(dates):
        if later <= earlier:
            raise ProgrammeNotReady(
                "A later date of the programme has already passed: change it first."
            )


async def programme_access(
    db: AppDbSession, identity: Identity, programme_id: uuid.UUID
) -> ProgrammeAccess:
    """The programme, if this person may see it (drafts: its leads only; else 404)."""
    programme = await repo.get_programme(db, programme_id)
    if programme is None:
        raise ProgrammeNotFound()
    pseudonym = await identity.pseudonym_in(programme.id)
    is_lead = "facilitator" in identity.roles and await repo.leads(db, programme, pseudonym)
    waiting = await show_due_phase(db, programme)
    if programme.phase == "draft" and not is_lead:
        raise ProgrammeNotFound()
    return ProgrammeAccess(
        programme=programme,
        identity=identity,
        pseudonym=pseudonym,
        application=await repo.find_application(db, programme.id, pseudonym),
        is_lead=is_lead,
        waiting_reason=waiting,
    )


def _invalid(
    error: type[InvalidProgramme] | type[InvalidApplication],
    field: str,
    code: str,
    message: str,
    **params: Any,
) -> Exception:
    return error(message, errors=[FieldError.of(field, code, message, params)])


def _check_training(training_required: bool, collection: uuid.UUID | None) -> None:
    # A draft may leave the collection unnamed (the applications guard waits for it); a
    # collection named without the requirement would be shown to nobody and checked for none.
    if collection is not None and not training_required:
        raise _invalid(
            InvalidProgramme,
            "body.training_collection_id",
            "training_not_required",
            "a training collection only goes with training_required",
        )


async def create_programme(
    db: AppDbSession, identity: Identity, data: ProgrammeCreate
) -> ProgrammeOut:
    """A new draft, led by its creator (under their pseudonym for it)."""
    _check_training(data.training_required, data.training_collection_id)
    programme_id = uuid.uuid4()
    programme = Programme(
        id=programme_id,
        title=data.title,
        purpose=data.purpose,
        topics=data.topics,
        guidance_levels=data.guidance_levels,
        session_count=data.session_count,
        cadence=data.cadence,
        pair_mode=data.pair_mode,
        training_required=data.training_required,
        training_collection_id=data.training_collection_id,
        handle_language=data.handle_language or identity.session.language,
        phase="draft",
        created_by=await identity.take_pseudonym_in(programme_id),
        revision=1,
        **data.schedule.model_dump(),
    )
    db.add(programme)
    await db.flush()
    access = ProgrammeAccess(programme, identity, programme.created_by, None, is_lead=True)
    return await lead_view(db, access)


# What may change until a phase starts (the phase named, and every later one, fixes it).
_FIXED_FROM = {
    "pair_mode": "applications",
    "topics": "applications",
    "guidance_levels": "applications",
    "session_count": "running",
    "cadence": "running",
    "training_required": "matching",
    "training_collection_id": "matching",
}


async def update_programme(db: AppDbSession, programme: Programme, data: ProgrammeUpdate) -> None:
    changes = data.model_dump(exclude_unset=True, exclude={"revision", "schedule"})
    if data.revision is not None and data.revision != programme.revision:
        raise StaleProgramme(f"It is now at revision {programme.revision}; reload and try again.")
    at = phases.index(programme.phase)
    if programme.phase == "closed" and (changes or data.schedule is not None):
        raise ProgrammeWrongPhase("A closed programme no longer changes.")
    for name, value in changes.items():
        fixed_from = _FIXED_FROM.get(name)
        if fixed_from and at >= phases.index(fixed_from) and value != getattr(programme, name):
            raise ProgrammeWrongPhase(f"The {name} is fixed once {fixed_from} starts.")
    _check_training(
        changes.get("training_required", programme.training_required),
        changes.get("training_collection_id", programme.training_collection_id),
    )
    for name, value in changes.items():
        setattr(programme, name, value)
    if data.schedule is not None:
        sent = data.schedule.model_dump(exclude_unset=True)
        for column, value in sent.items():
            phase = next(p for p, c in phases.PHASE_DATE.items() if c == column)
            if phases.index(phase) <= at and value != getattr(programme, column):
                raise ProgrammeWrongPhase(f"The {phase} phase has started; its date is history.")
        try:
            merged = ProgrammeSchedule(**(schedule_of(programme).model_dump() | sent))
        except ValidationError as exc:
            first = exc.errors()[0]
            raise InvalidProgramme(
                str(first["msg"]),
                errors=[field_error_from_pydantic(first, prefix=("body", "schedule"))],
            ) from exc
        for column, value in merged.model_dump().items():
            setattr(programme, column, value)
    programme.revision += 1
    await db.flush()


def public_view(access: ProgrammeAccess) -> ProgrammePublic:
    programme, application = access.programme, access.application
    return ProgrammePublic(
        id=programme.id,
        title=programme.title,
        purpose=programme.purpose,
        topics=programme.topics,
        guidance_levels=programme.guidance_levels,
        session_count=programme.session_count,
        cadence=programme.cadence,
        pair_mode=programme.pair_mode,
        training_required=programme.training_required,
        training_collection_id=programme.training_collection_id,
        schedule=schedule_of(programme),
        phase=programme.phase,
        phase_waiting_reason=access.waiting_reason,
        applied=application is not None,
        my_handle=application.handle if application else None,
        leading=access.is_lead,
    )


async def lead_view(db: AppDbSession, access: ProgrammeAccess) -> ProgrammeOut:
    programme = access.programme
    roles = await repo.role_counts(db, programme.id)
    return ProgrammeOut(
        **public_view(access).model_dump(),
        revision=programme.revision,
        handle_language=programme.handle_language,
        created_by_me=access.pseudonym == programme.created_by,
        mentor_applications=roles.get("mentor", 0) + roles.get("both", 0),
        mentee_applications=roles.get("mentee", 0) + roles.get("both", 0),
        accepted_mentors=await repo.accepted_mentor_count(db, programme.id),
    )


async def list_for(db: AppDbSession, identity: Identity) -> list[ProgrammeSummary]:
    """Programmes open to everyone (past their draft) and the drafts this person leads."""
    mine = await identity.pseudonyms()
    leading = await repo.led_by(db, mine.values()) if "facilitator" in identity.roles else set()
    summaries = []
    for programme in await repo.list_programmes(db, including=leading):
        await show_due_phase(db, programme)
        applied = (
            programme.id in mine
            and await repo.find_application(db, programme.id, mine[programme.id]) is not None
        )
        summaries.append(
            ProgrammeSummary(
                id=programme.id,
                title=programme.title,
                topics=programme.topics,
                pair_mode=programme.pair_mode,
                phase=programme.phase,
                schedule=schedule_of(programme),
                applied=applied,
                leading=programme.id in leading,
            )
        )
    return summaries


# Applications


def _application_errors(programme: Programme, body: ApplicationIn) -> list[FieldError]:
    """What makes an application unfit for this programme, each on its field."""
    errors: list[FieldError] = []

    def refuse(field: str, code: str, message: str, **params: Any) -> None:
        errors.append(FieldError.of(field, code, message, params))

    mentors = body.role != "mentee"
    learns = body.role != "mentor"
    if body.role == "both" and programme.pair_mode != "mutual":
        refuse("body.role", "both_needs_mutual", "applying as both is for mutual programmes")
    if mentors and body.capacity is None:
        refuse("body.capacity", "required", "mentors say how many mentees they take (1-3)")
    if not mentors and body.capacity is not None:
        refuse("body.capacity", "mentors_only", "only mentors have a capacity")
    topics = set(programme.topics)
    for k, claim in enumerate(body.teaches):
        if claim.skill not in topics:
            refuse(f"body.teaches.{k}.skill", "not_a_topic", "not one of the programme's topics")
    for k, want in enumerate(body.wants):
        if want.skill not in topics:
            refuse(f"body.wants.{k}.skill", "not_a_topic", "not one of the programme's topics")
        if want.guidance not in programme.guidance_levels:
            refuse(
                f"body.wants.{k}.guidance",
                "guidance_not_offered",
                "the programme does not offer this guidance level",
            )
    if mentors and not body.teaches:
        refuse("body.teaches", "too_few_items", "mentors teach at least one topic", min_length=1)
    if learns and not body.wants:
        refuse("body.wants", "too_few_items", "mentees want at least one topic", min_length=1)
    return errors


async def training_passed(
    db: AppDbSession, identity: Identity, programme: Programme
) -> bool | None:
    """The one place mentoring asks the learning library whether a mentor completed the
    programme's training collection. Only the person's own request can answer (their quiz
    attempts open with their key alone), so it is asked when they apply or ask for a check,
    and the answer kept. None: no training required, or the collection no longer exists."""
    if not programme.training_required or programme.training_collection_id is None:
        return None
    try:
        return await has_completed_collection(db, identity, programme.training_collection_id)
    except CollectionNotFound:
        return None


def _application_view(application: Application) -> MyApplication:
    return MyApplication(
        programme_id=application.programme_id,
        handle=application.handle,
        role=application.role,
        teaches=_taught(application),
        wants=_wanted(application),
        languages=application.languages,
        availability=application.availability,
        capacity=application.capacity,
        note=application.note,
        selection=application.selection,
        training_passed=application.training_passed,
    )


def _taught(application: Application) -> list[Taught]:
    return [Taught(skill=s, level=level) for s, level in sorted(application.teaches.items())]


def _wanted(application: Application) -> list[Wanted]:
    return [
        Wanted(skill=s, level=want["level"], guidance=want["guidance"])
        for s, want in sorted(application.wants.items())
    ]


async def apply(db: AppDbSession, access: ProgrammeAccess, body: ApplicationIn) -> MyApplication:
    """Apply (or edit one's application) while applications are open, under one's pseudonym
    for the programme. An edit sends a mentor application back to the lead (pending)."""
    programme, identity = access.programme, access.identity
    if programme.phase != "applications":
        raise ProgrammeWrongPhase("Applying and editing are possible while applications are open.")
    if access.is_lead or await repo.leads(db, programme, access.pseudonym):
        raise OwnProgramme()
    errors = _application_errors(programme, body)
    if errors:
        raise InvalidApplication(errors[0].message, errors=errors)
    attributes = await identity.vault.participant_attributes(identity.account_id, programme.id)

    async def applied_or_new() -> Application:
        found = await repo.find_application(db, programme.id, attributes.pseudonym)
        return found or Application(
            pseudonym=attributes.pseudonym,
            programme_id=programme.id,
            handle=draw_handle(programme.handle_language, await repo.handles_in(db, programme.id)),
            role=body.role,
            languages=[],
            teaches={},
            wants={},
            availability=[],
        )

    application = await add_with_drawn_value(db, applied_or_new)
    application.role = body.role
    # Coarse labels as of the last edit: a profile change shows on the next one.
    application.cohort = attributes.cohort
    application.department_tag = attributes.department_tag
    application.languages = list(body.languages)
    # In reverse mode a mentor's wants and a mentee's teaching are not matched on: kept only
    # in mutual mode, where each member teaches the other.
    mutual = programme.pair_mode == "mutual"
    keeps_teaches = body.role != "mentee" or mutual
    keeps_wants = body.role != "mentor" or mutual
    application.teaches = {c.skill: c.level for c in body.teaches} if keeps_teaches else {}
    application.wants = (
        {w.skill: {"level": w.level, "guidance": w.guidance} for w in body.wants}
        if keeps_wants
        else {}
    )
    application.availability = list(body.availability)
    application.capacity = body.capacity if body.role != "mentee" else None
    application.note = body.note
    application.selection = "pending"
    application.training_passed = (
        await training_passed(db, identity, programme) if body.role != "mentee" else None
    )
    application.updated_at = utcnow()
    await db.flush()
    access.application = application
    return _application_view(application)


def my_application(access: ProgrammeAccess) -> MyApplication:
    if access.application is None:
        raise NoApplication()
    return _application_view(access.application)


async def check_my_training(db: AppDbSession, access: ProgrammeAccess) -> MyApplication:
    """A mentor asks for their training to be checked again (after completing it)."""
    application = access.application
    if application is None:
        raise NoApplication()
    if application.role != "mentee":
        application.training_passed = await training_passed(db, access.identity, access.programme)
        await db.flush()
    return _application_view(application)


async def withdraw(db: AppDbSession, access: ProgrammeAccess) -> None:
    """Withdraw while applications are open: the row and the vault's mapping both go."""
    if access.application is None:
        raise NoApplication()
    if access.programme.phase != "applications":
        raise ProgrammeWrongPhase("Withdrawing is possible while applications are open.")
    await db.delete(access.application)
    await db.flush()
    await access.identity.forget_pseudonym_in(access.programme.id)


# Mentor selection


def _mentor_row(programme: Programme, application: Application) -> MentorApplicationRow:
    return MentorApplicationRow(
        pseudonym=application.pseudonym,
        handle=application.handle,
        role=application.role,
        cohort=application.cohort,
        teaches=_taught(application),
        wants=_wanted(application),
        languages=application.languages,
        availability=application.availability,
        capacity=application.capacity,
        note=application.note,
        selection=application.selection,
        training_passed=application.training_passed if programme.training_required else None,
    )


async def mentor_applications(
    db: AppDbSession, access: ProgrammeAccess
) -> list[MentorApplicationRow]:
    programme = access.programme
    return [
        _mentor_row(programme, application)
        for application in await repo.applications(db, programme.id)
        if application.role != "mentee"
    ]


async def select_mentor(
    db: AppDbSession, access: ProgrammeAccess, pseudonym: uuid.UUID, selection: str
) -> MentorApplicationRow:
    programme = access.programme
    if programme.phase not in SELECTION_PHASES:
        raise ProgrammeWrongPhase("Mentors are selected before their pairs are published.")
    application = await repo.find_application(db, programme.id, pseudonym)
    if application is None or application.role == "mentee":
        raise ApplicationNotFound()
    application.selection = selection
    await db.flush()
    return _mentor_row(programme, application)
