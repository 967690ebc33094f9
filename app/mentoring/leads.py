"""A programme's leads: its creator and the co-leads they add, as a challenge's facilitators.

Kept as pseudonyms for the programme (`mentoring_programmes.created_by`, `mentoring_leads`);
the vault names them, to their fellow leads only (`name_facilitators`, which names only
accounts holding the facilitator role). A lead cannot apply to the programme they lead.
"""

from __future__ import annotations

import uuid

from app.db import AppDbSession
from app.mentoring import repository as repo
from app.mentoring.errors import LeadStays
from app.mentoring.schemas import Lead, LeadAdd
from app.mentoring.service import ProgrammeAccess
from app.vault import AccountNotFound

NOT_ADDABLE = (
    "No account that can lead this programme has this e-mail or id "
    "(it needs the facilitator role, and people who applied to the programme cannot lead it)."
)


async def _named(access: ProgrammeAccess, pseudonyms: list[uuid.UUID]) -> list[Lead]:
    programme = access.programme
    reader = access.identity.account_id
    return [
        Lead(
            account_id=found.account_id,
            display_name=found.display_name,
            email=found.email,
            creator=found.pseudonym == programme.created_by,
            you=found.account_id == reader,
        )
        for found in await access.identity.vault.name_facilitators(
            programme.id, pseudonyms, reader_id=reader
        )
    ]


async def list_leads(db: AppDbSession, access: ProgrammeAccess) -> list[Lead]:
    programme = access.programme
    return await _named(access, [programme.created_by, *await repo.co_leads(db, programme.id)])


async def add_lead(db: AppDbSession, access: ProgrammeAccess, body: LeadAdd) -> Lead:
    programme, vault = access.programme, access.identity.vault
    account_id = await vault.facilitator_account(
        email=str(body.email) if body.email else None, account_id=body.account_id
    )
    if account_id is None:
        raise AccountNotFound(NOT_ADDABLE)
    existing = await vault.find_pseudonym(account_id, programme.id)
    if await repo.find_application(db, programme.id, existing) is not None:
        raise AccountNotFound(NOT_ADDABLE)
    pseudonym = existing or await vault.pseudonym_for(account_id, programme.id)
    if not await repo.leads(db, programme, pseudonym):
        await repo.add_co_lead(db, programme.id, pseudonym)
    named = await _named(access, [pseudonym])
    if not named:  # pragma: no cover - the account was erased meanwhile
        raise AccountNotFound(NOT_ADDABLE)
    return named[0]


async def remove_lead(db: AppDbSession, access: ProgrammeAccess, account_id: uuid.UUID) -> None:
    """Remove a co-lead (oneself included); the creator stays. Their pseudonym is forgotten,
    so that if they apply later they do so under a fresh one their fellow leads never saw."""
    programme, vault = access.programme, access.identity.vault
    pseudonym = await vault.find_pseudonym(account_id, programme.id)
    if pseudonym is not None and pseudonym == programme.created_by:
        raise LeadStays()
    if pseudonym is None or not await repo.remove_co_lead(db, programme.id, pseudonym):
        raise AccountNotFound("This person is not a co-lead of this programme.")
    await vault.forget_pseudonym(account_id, programme.id)
