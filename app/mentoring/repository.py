"""All SQL of the mentoring domain."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Select, delete, func, or_, select
from sqlalchemy.exc import IntegrityError

from app.db import AppDbSession
from app.kit.orm import utcnow
from app.mentoring.models import (
    Application,
    CheckIn,
    JournalEntry,
    MatchRun,
    Pair,
    PairSession,
    PairState,
    Plan,
    Programme,
    ProgrammeLead,
)


async def get_programme(db: AppDbSession, programme_id: uuid.UUID) -> Programme | None:
    return await db.get(Programme, programme_id)


def open_programme_ids() -> Select[uuid.UUID]:
    """The programmes the ticker looks at."""
    return select(Programme.id).where(Programme.phase != "closed")


async def co_leads(db: AppDbSession, programme_id: uuid.UUID) -> list[uuid.UUID]:
    rows = await db.scalars(
        select(ProgrammeLead.pseudonym).where(ProgrammeLead.programme_id == programme_id)
    )
    return list(rows)


async def leads(db: AppDbSession, programme: Programme, pseudonym: uuid.UUID | None) -> bool:
    if pseudonym is None:
        return False
    if pseudonym == programme.created_by:
        return True
    return await db.get(ProgrammeLead, (programme.id, pseudonym)) is not None


async def add_co_lead(db: AppDbSession, programme_id: uuid.UUID, pseudonym: uuid.UUID) -> None:
    db.add(ProgrammeLead(programme_id=programme_id, pseudonym=pseudonym))
    await db.flush()


async def remove_co_lead(db: AppDbSession, programme_id: uuid.UUID, pseudonym: uuid.UUID) -> bool:
    found = await db.get(ProgrammeLead, (programme_id, pseudonym))
    if found is None:
        return False
    await db.delete(found)
    await db.flush()
    return True


async def led_by(db: AppDbSession, pseudonyms: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    """The programmes these pseudonyms lead (created or co-lead)."""
    wanted = list(pseudonyms)
    if not wanted:
        return set()
    created = await db.scalars(select(Programme.id).where(Programme.created_by.in_(wanted)))
    co = await db.scalars(
        select(ProgrammeLead.programme_id).where(ProgrammeLead.pseudonym.in_(wanted))
    )
    return set(created) | set(co)


async def list_programmes(db: AppDbSession, *, including: set[uuid.UUID]) -> list[Programme]:
    """Every programme past its draft, and the drafts in `including`, newest first."""
    rows = await db.scalars(
        select(Programme)
        .where(or_(Programme.phase != "draft", Programme.id.in_(list(including))))
        .order_by(Programme.created_at.desc(), Programme.id)
    )
    return list(rows)


async def find_application(
    db: AppDbSession, programme_id: uuid.UUID, pseudonym: uuid.UUID | None
) -> Application | None:
    if pseudonym is None:
        return None
    found = await db.get(Application, pseudonym)
    return found if found is not None and found.programme_id == programme_id else None


async def applications_of(
    db: AppDbSession, pseudonyms: Iterable[uuid.UUID]
) -> list[tuple[Application, Programme]]:
    """One person's applications (their pseudonyms across scopes) with their programmes."""
    rows = await db.execute(
        select(Application, Programme)
        .join(Programme, Programme.id == Application.programme_id)
        .where(Application.pseudonym.in_(list(pseudonyms)))
        .order_by(Application.created_at, Application.pseudonym)
    )
    return [(application, programme) for application, programme in rows]


async def applications(db: AppDbSession, programme_id: uuid.UUID) -> list[Application]:
    rows = await db.scalars(
        select(Application)
        .where(Application.programme_id == programme_id)
        .order_by(Application.handle)
    )
    return list(rows)


async def handles_in(db: AppDbSession, programme_id: uuid.UUID) -> set[str]:
    rows = await db.scalars(
        select(Application.handle).where(Application.programme_id == programme_id)
    )
    return set(rows)


async def role_counts(db: AppDbSession, programme_id: uuid.UUID) -> dict[str, int]:
    rows = await db.execute(
        select(Application.role, func.count())
        .where(Application.programme_id == programme_id)
        .group_by(Application.role)
    )
    return {role: count for role, count in rows.all()}  # noqa: C416


async def accepted_mentor_count(db: AppDbSession, programme_id: uuid.UUID) -> int:
    return int(
        await db.scalar(
            select(func.count()).where(
                Application.programme_id == programme_id,
                Application.role != "mentee",
                Application.selection == "accepted",
            )
        )
        or 0
    )


async def pairs_of(db: AppDbSession, programme_id: uuid.UUID) -> list[Pair]:
    rows = await db.scalars(
        select(Pair).where(Pair.programme_id == programme_id).order_by(Pair.created_at, Pair.id)
    )
    return list(rows)


async def pair_count(db: AppDbSession, programme_id: uuid.UUID) -> int:
    return int(await db.scalar(select(func.count()).where(Pair.programme_id == programme_id)) or 0)


async def pairs_with(db: AppDbSession, pseudonym: uuid.UUID) -> list[Pair]:
    rows = await db.scalars(
        select(Pair)
        .where(or_(Pair.mentor == pseudonym, Pair.mentee == pseudonym))
        .order_by(Pair.created_at.desc(), Pair.id)
    )
    return list(rows)


async def add_pairs(db: AppDbSession, pairs: Iterable[Pair]) -> None:
    db.add_all(list(pairs))
    await db.flush()


async def running_silent_since(
    db: AppDbSession, programme_id: uuid.UUID, since: datetime
) -> list[MatchRun]:
    rows = await db.scalars(
        select(MatchRun).where(
            MatchRun.programme_id == programme_id,
            MatchRun.status == "running",
            MatchRun.heartbeat_at < since,
        )
    )
    return list(rows)


async def add_running(db: AppDbSession, run: MatchRun) -> bool:
    """Add a running run; False when one is already running (the partial unique index)."""
    try:
        async with db.begin_nested():
            db.add(run)
    except IntegrityError:
        return False
    return True


async def get_run(db: AppDbSession, run_id: uuid.UUID) -> MatchRun | None:
    return await db.get(MatchRun, run_id)


async def runs_of(db: AppDbSession, programme_id: uuid.UUID) -> list[MatchRun]:
    rows = await db.scalars(
        select(MatchRun)
        .where(MatchRun.programme_id == programme_id)
        .order_by(MatchRun.created_at.desc(), MatchRun.id)
    )
    return list(rows)


async def record_progress(db: AppDbSession, run_id: uuid.UUID, **values: Any) -> None:
    """Set `values` and the heartbeat on a run still running (one already marked failed as
    stale stays failed)."""
    run = await db.get(MatchRun, run_id)
    if run is None or run.status != "running":
        return
    for name, value in values.items():
        setattr(run, name, value)
    run.heartbeat_at = utcnow()


# Pairs at work: plans, sessions, check-ins, the journal, reminders


async def pair_state(
    db: AppDbSession, pair_id: uuid.UUID, *, create: bool = False
) -> PairState | None:
    state = await db.get(PairState, pair_id)
    if state is None and create:
        state = PairState(pair_id=pair_id)
        db.add(state)
        await db.flush()
    return state


async def reminded_at(db: AppDbSession, pair_id: uuid.UUID) -> datetime | None:
    state = await db.get(PairState, pair_id)
    return state.reminded_at if state is not None else None


async def get_plan(db: AppDbSession, pair_id: uuid.UUID) -> Plan | None:
    return await db.get(Plan, pair_id)


async def sessions_of(db: AppDbSession, pair_id: uuid.UUID) -> list[PairSession]:
    rows = await db.scalars(
        select(PairSession)
        .where(PairSession.pair_id == pair_id)
        .order_by(PairSession.starts_at, PairSession.id)
    )
    return list(rows)


async def get_session(
    db: AppDbSession, pair_id: uuid.UUID, session_id: uuid.UUID
) -> PairSession | None:
    found = await db.get(PairSession, session_id)
    return found if found is not None and found.pair_id == pair_id else None


async def check_ins_of(db: AppDbSession, session_ids: Iterable[uuid.UUID]) -> list[CheckIn]:
    wanted = list(session_ids)
    if not wanted:
        return []
    rows = await db.scalars(
        select(CheckIn)
        .where(CheckIn.session_id.in_(wanted))
        .order_by(CheckIn.created_at, CheckIn.session_id)
    )
    return list(rows)


async def journal_of(db: AppDbSession, pair_id: uuid.UUID) -> list[JournalEntry]:
    rows = await db.scalars(
        select(JournalEntry)
        .where(JournalEntry.pair_id == pair_id)
        .order_by(JournalEntry.created_at, JournalEntry.id)
    )
    return list(rows)


async def delete_journal(db: AppDbSession, pair_id: uuid.UUID) -> None:
    await db.execute(delete(JournalEntry).where(JournalEntry.pair_id == pair_id))


async def journal_dates(
    db: AppDbSession, programme_id: uuid.UUID
) -> list[tuple[uuid.UUID, datetime]]:
    """(pair, written at) of every journal entry of a programme: never a word of it."""
    rows = await db.execute(
        select(JournalEntry.pair_id, JournalEntry.created_at)
        .join(Pair, Pair.id == JournalEntry.pair_id)
        .where(Pair.programme_id == programme_id)
    )
    return [(pair_id, created_at) for pair_id, created_at in rows.all()]


async def programme_sessions(db: AppDbSession, programme_id: uuid.UUID) -> list[PairSession]:
    rows = await db.scalars(
        select(PairSession)
        .join(Pair, Pair.id == PairSession.pair_id)
        .where(Pair.programme_id == programme_id)
    )
    return list(rows)


async def programme_check_ins(db: AppDbSession, programme_id: uuid.UUID) -> list[CheckIn]:
    rows = await db.scalars(
        select(CheckIn)
        .join(PairSession, PairSession.id == CheckIn.session_id)
        .join(Pair, Pair.id == PairSession.pair_id)
        .where(Pair.programme_id == programme_id)
    )
    return list(rows)


async def accepted_pairs(db: AppDbSession, programme_id: uuid.UUID) -> list[Pair]:
    rows = await db.scalars(
        select(Pair)
        .where(
            Pair.programme_id == programme_id,
            Pair.mentor_answer == "accepted",
            Pair.mentee_answer == "accepted",
        )
        .order_by(Pair.created_at, Pair.id)
    )
    return list(rows)


def running_programme_ids() -> Select[uuid.UUID]:
    return select(Programme.id).where(Programme.phase == "running")
