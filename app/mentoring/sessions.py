"""A pair's sessions and check-ins.

Either member proposes a session (a time, a length, a place or a video link); the other
accepts or declines it. Either may reschedule it (it goes back to the other to accept) or
cancel it. Each session is a calendar event whose UID is the session's id and whose SEQUENCE
rises with every change, so a calendar that imported it replaces it, and shows it cancelled
when it is. An event names the programme only: never a handle or a name, since a calendar
lives in other companies' systems.

After a held session (accepted, and over), each member checks in once: what they covered,
progress on each goal of the plan (1-5), the next step and how it went (1-5).
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from app.calendars import ics
from app.db import AppDbSession
from app.errors import FieldError
from app.kit.orm import utcnow
from app.mentoring import repository as repo
from app.mentoring.errors import (
    CheckInDone,
    InvalidCheckIn,
    InvalidSession,
    SessionNotFound,
    SessionWrongState,
)
from app.mentoring.models import CheckIn, Pair, PairSession, Programme
from app.mentoring.pairs import PairAtWork, at_work
from app.mentoring.plans import goals_of
from app.mentoring.schemas import CheckInIn, CheckInOut, PairSessionOut, SessionIn
from app.mentoring.service import ProgrammeAccess
from app.notifications.service import tell_programme_members
from app.vault import Language

# What an event is called, in the reader's language (the programme's title follows).
EVENT_NAME: dict[Language, str] = {
    "en": "Mentoring session",
    "fr": "Session de mentorat",
    "es": "Sesión de mentoría",
}


def _ends_at(session: PairSession) -> datetime:
    return session.starts_at + timedelta(minutes=session.minutes)


def held(session: PairSession) -> bool:
    return session.status == "accepted" and _ends_at(session) <= utcnow()


def _check(body: SessionIn) -> None:
    errors = []
    if body.starts_at.tzinfo is None:
        errors.append(
            FieldError.of(
                "body.starts_at",
                "needs_time_zone",
                "dates need a time zone, e.g. 2026-12-01T09:00:00Z",
            )
        )
    elif body.starts_at <= utcnow():
        errors.append(
            FieldError.of("body.starts_at", "in_the_past", "a session is planned in the future")
        )
    if (body.place is None) == (body.video_url is None):
        errors.append(
            FieldError.of("body.place", "place_or_video_link", "give a place or a video link")
        )
    if errors:
        raise InvalidSession(errors[0].message, errors=errors)


def _view(
    work: PairAtWork, session: PairSession, checked_in: Collection[uuid.UUID]
) -> PairSessionOut:
    me = work.me.pseudonym
    partner = work.pair.mentee if me == work.pair.mentor else work.pair.mentor
    return PairSessionOut(
        id=session.id,
        starts_at=session.starts_at,
        minutes=session.minutes,
        place=session.place,
        video_url=session.video_url,
        status=session.status,
        proposed_by_me=session.proposed_by == me,
        sequence=session.sequence,
        held=held(session),
        my_check_in=me in checked_in,
        partner_check_in=partner in checked_in,
    )


async def _authors(
    db: AppDbSession, session_ids: list[uuid.UUID]
) -> dict[uuid.UUID, set[uuid.UUID]]:
    authors: dict[uuid.UUID, set[uuid.UUID]] = {sid: set() for sid in session_ids}
    for check_in in await repo.check_ins_of(db, session_ids):
        authors[check_in.session_id].add(check_in.author)
    return authors


async def _one(work: PairAtWork, db: AppDbSession, session: PairSession) -> PairSessionOut:
    authors = await _authors(db, [session.id])
    return _view(work, session, authors[session.id])


async def _find(db: AppDbSession, work: PairAtWork, session_id: uuid.UUID) -> PairSession:
    session = await repo.get_session(db, work.pair.id, session_id)
    if session is None:
        raise SessionNotFound()
    return session


async def list_sessions(db: AppDbSession, access: ProgrammeAccess) -> list[PairSessionOut]:
    work = await at_work(db, access, writing=False)
    sessions = await repo.sessions_of(db, work.pair.id)
    authors = await _authors(db, [s.id for s in sessions])
    return [_view(work, s, authors[s.id]) for s in sessions]


async def propose(db: AppDbSession, access: ProgrammeAccess, body: SessionIn) -> PairSessionOut:
    work = await at_work(db, access)
    _check(body)
    session = PairSession(
        pair_id=work.pair.id,
        proposed_by=work.me.pseudonym,
        starts_at=body.starts_at,
        minutes=body.minutes,
        place=body.place,
        video_url=body.video_url,
        status="proposed",
        sequence=0,
        updated_at=utcnow(),
    )
    db.add(session)
    await db.flush()
    # The partner answers it: told in the app, and by mail as they chose.
    partner = work.pair.mentee if work.me.pseudonym == work.pair.mentor else work.pair.mentor
    programme = access.programme
    await tell_programme_members(
        db,
        access.identity.vault,
        programme.id,
        programme.title,
        [partner],
        "mentoring_session_proposed",
        {"programme_title": programme.title},
    )
    return await _one(work, db, session)


def _changed(session: PairSession, status: str) -> None:
    session.status = status
    session.sequence += 1
    session.updated_at = utcnow()


async def answer(
    db: AppDbSession, access: ProgrammeAccess, session_id: uuid.UUID, decision: str
) -> PairSessionOut:
    """The member who did not propose the session accepts or declines it."""
    work = await at_work(db, access)
    session = await _find(db, work, session_id)
    if session.status != "proposed":
        raise SessionWrongState("Only a proposed session is answered.")
    if session.proposed_by == work.me.pseudonym:
        raise SessionWrongState("Your partner answers the sessions you propose.")
    _changed(session, decision)
    await db.flush()
    return await _one(work, db, session)


async def reschedule(
    db: AppDbSession, access: ProgrammeAccess, session_id: uuid.UUID, body: SessionIn
) -> PairSessionOut:
    """A new time or place for a session not yet over: it goes back to the partner to accept."""
    work = await at_work(db, access)
    session = await _find(db, work, session_id)
    if session.status not in ("proposed", "accepted") or _ends_at(session) <= utcnow():
        raise SessionWrongState("Only a planned session still to come can be moved.")
    _check(body)
    session.starts_at, session.minutes = body.starts_at, body.minutes
    session.place, session.video_url = body.place, body.video_url
    session.proposed_by = work.me.pseudonym
    _changed(session, "proposed")
    await db.flush()
    return await _one(work, db, session)


async def cancel(
    db: AppDbSession, access: ProgrammeAccess, session_id: uuid.UUID
) -> PairSessionOut:
    work = await at_work(db, access)
    session = await _find(db, work, session_id)
    if session.status not in ("proposed", "accepted") or held(session):
        raise SessionWrongState("Only a planned session still to come can be cancelled.")
    _changed(session, "cancelled")
    await db.flush()
    return await _one(work, db, session)


# Calendars


def _event(programme: Programme, session: PairSession, language: Language, host: str) -> ics.Event:
    where = session.place if session.place is not None else session.video_url
    return ics.Event(
        uid=f"mentoring-session-{session.id}@{host}",
        summary=f"{EVENT_NAME[language]}: {programme.title}",
        start=session.starts_at,
        end=_ends_at(session),
        sequence=session.sequence,
        url=session.video_url,
        description=where,
        cancelled=session.status in ("cancelled", "declined"),
    )


async def session_calendar(
    db: AppDbSession, access: ProgrammeAccess, session_id: uuid.UUID, host: str
) -> bytes:
    work = await at_work(db, access, writing=False)
    session = await _find(db, work, session_id)
    language = access.identity.session.language
    event = _event(access.programme, session, language, host)
    return ics.document([event], name=access.programme.title)


async def feed_events(
    db: AppDbSession, pseudonyms: Collection[uuid.UUID], language: Language, host: str
) -> list[ics.Event]:
    """The accepted sessions (and those since cancelled, so a subscribed calendar drops them)
    of the pairs these pseudonyms belong to: a person's private calendar feed."""
    if not pseudonyms:
        return []
    wanted = list(pseudonyms)
    rows = await db.execute(
        select(PairSession, Programme)
        .join(Pair, Pair.id == PairSession.pair_id)
        .join(Programme, Programme.id == Pair.programme_id)
        .where(
            or_(Pair.mentor.in_(wanted), Pair.mentee.in_(wanted)),
            PairSession.status.in_(("accepted", "cancelled")),
        )
        .order_by(PairSession.starts_at, PairSession.id)
    )
    return [_event(programme, session, language, host) for session, programme in rows.all()]


# Check-ins


def _check_in_view(check_in: CheckIn, me: uuid.UUID) -> CheckInOut:
    return CheckInOut(
        session_id=check_in.session_id,
        by_me=check_in.author == me,
        covered=check_in.covered,
        goal_progress=check_in.goal_progress,
        next_step=check_in.next_step,
        rating=check_in.rating,
        created_at=check_in.created_at,
    )


async def check_in(
    db: AppDbSession, access: ProgrammeAccess, session_id: uuid.UUID, body: CheckInIn
) -> CheckInOut:
    """One check-in per member per held session, about the goals the plan has now."""
    work = await at_work(db, access)
    session = await _find(db, work, session_id)
    if not held(session):
        raise SessionWrongState("Check in once an accepted session is over.")
    goals = goals_of(await repo.get_plan(db, work.pair.id))
    unknown = sorted(set(body.goal_progress) - set(goals))
    if unknown:
        raise InvalidCheckIn(
            "Progress is given on the plan's goals only.",
            errors=[
                FieldError.of(
                    f"body.goal_progress.{goal_id}", "unknown_goal", "not a goal of the plan"
                )
                for goal_id in unknown
            ],
        )
    row = CheckIn(
        session_id=session.id,
        author=work.me.pseudonym,
        covered=body.covered,
        goal_progress=body.goal_progress,
        goal_guidance={goal_id: goals[goal_id].guidance for goal_id in body.goal_progress},
        next_step=body.next_step,
        rating=body.rating,
        created_at=utcnow(),
    )
    try:
        async with db.begin_nested():
            db.add(row)
    except IntegrityError:
        raise CheckInDone() from None
    return _check_in_view(row, work.me.pseudonym)


async def check_ins(db: AppDbSession, access: ProgrammeAccess) -> list[CheckInOut]:
    """Both members' check-ins on the pair's sessions."""
    work = await at_work(db, access, writing=False)
    sessions = await repo.sessions_of(db, work.pair.id)
    rows = await repo.check_ins_of(db, [s.id for s in sessions])
    return [_check_in_view(row, work.me.pseudonym) for row in rows]
