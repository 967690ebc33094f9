"""Mentoring on record: what a person's applications and pairs hold about them, for "What's on
record" and the export (app/me). Built in the person's own request, from their own pseudonyms
(the vault's mapping), through the same views the pair's pages use, so that it shows no more
than they can see: their partner's handle and generation label, the names only once both
agreed, their own check-ins and journal entries and never their partner's, and nothing of
their partner's application.
"""

from __future__ import annotations

import contextlib

from app.db import AppDbSession
from app.errors import AppError
from app.mentoring import journal, pairs, plans, sessions
from app.mentoring import repository as repo
from app.mentoring.errors import NamesNotRevealed
from app.mentoring.schemas import (
    MyPair,
    PairExport,
    PairRecord,
    ProgrammeExport,
    ProgrammeRecord,
)
from app.mentoring.service import ProgrammeAccess, _application_view, programme_access
from app.vault import Identity


async def _accesses(db: AppDbSession, identity: Identity) -> list[ProgrammeAccess]:
    mine = (await identity.pseudonyms()).values()
    return [
        await programme_access(db, identity, programme.id)
        for _, programme in await repo.applications_of(db, mine)
    ]


async def _pair(db: AppDbSession, access: ProgrammeAccess) -> MyPair | None:
    try:
        return await pairs.my_pair(db, access)
    except AppError:  # no pair yet, or none any more
        return None


async def _pair_record(db: AppDbSession, access: ProgrammeAccess, pair: MyPair) -> PairRecord:
    record = PairRecord(
        my_role=pair.my_role,
        partner_handle=pair.partner_handle,
        my_answer=pair.my_answer,
        partner_answer=pair.partner_answer,
        you_reveal=pair.reveal.you,
        names_shown=pair.reveal.both,
        plan_goals=0,
        sessions=0,
        held_sessions=0,
        my_check_ins=0,
        journal_entries=0,
        journal_shredded=False,
    )
    with contextlib.suppress(AppError):  # the pair's work needs both members' acceptance
        plan = await plans.show(db, access)
        held = await sessions.list_sessions(db, access)
        check_ins = await sessions.check_ins(db, access)
        state = await repo.pair_state(db, pair.pair_id)
        record.plan_goals = len(plan.mentor.goals) + len(plan.mentee.goals)
        record.sessions = len(held)
        record.held_sessions = sum(s.held for s in held)
        record.my_check_ins = sum(c.by_me for c in check_ins)
        record.journal_entries = len(await repo.journal_of(db, pair.pair_id))
        record.journal_shredded = state is not None and state.journal_shredded_at is not None
    return record


async def _record(db: AppDbSession, access: ProgrammeAccess) -> ProgrammeRecord:
    application = access.application
    assert application is not None  # found through the person's own applications
    pair = await _pair(db, access)
    return ProgrammeRecord(
        programme_id=access.programme.id,
        programme_title=access.programme.title,
        programme_phase=access.programme.phase,
        handle=application.handle,
        role=application.role,
        selection=application.selection,
        training_passed=application.training_passed,
        pair=None if pair is None else await _pair_record(db, access, pair),
    )


async def on_record(db: AppDbSession, identity: Identity) -> list[ProgrammeRecord]:
    """Each programme the person applied to, with their pair in it, as counts."""
    return [await _record(db, access) for access in await _accesses(db, identity)]


async def _pair_export(db: AppDbSession, access: ProgrammeAccess) -> PairExport:
    name = None
    with contextlib.suppress(NamesNotRevealed):
        name = (await pairs.partner_name(db, access)).display_name
    export = PairExport(
        partner_name=name, plan=None, sessions=[], my_check_ins=[], my_journal_entries=[]
    )
    with contextlib.suppress(AppError):  # the pair's work needs both members' acceptance
        export.plan = await plans.show(db, access)
        export.sessions = await sessions.list_sessions(db, access)
        export.my_check_ins = [c for c in await sessions.check_ins(db, access) if c.by_me]
        entries = (await journal.read(db, access)).entries
        export.my_journal_entries = [e for e in entries if e.by_me]
    return export


async def export(db: AppDbSession, identity: Identity) -> list[ProgrammeExport]:
    """The record, with the texts: the application, the pair's plan and sessions, and the
    person's own check-ins and journal entries."""
    exported = []
    for access in await _accesses(db, identity):
        assert access.application is not None
        record = await _record(db, access)
        exported.append(
            ProgrammeExport(
                record=record,
                application=_application_view(access.application),
                pair=None if record.pair is None else await _pair_export(db, access),
            )
        )
    return exported
