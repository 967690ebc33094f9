"""A challenge's facilitators: its creator and the co-facilitators they add.

The app database keeps them as pseudonyms (`challenges.created_by`, `challenge_facilitators`);
the vault names them, to their fellow facilitators only. Only they manage the challenge, and
none of them can join it (`own_challenge`), so a facilitator pseudonym never acts as a
participant and naming it tells nothing about what anyone did.
"""

from __future__ import annotations

import uuid

from app.challenges import repository as repo
from app.challenges.errors import CreatorStays
from app.challenges.schemas import Facilitator, FacilitatorAdd
from app.challenges.service import ChallengeAccess
from app.db import AppDbSession
from app.vault import AccountNotFound

# One answer for an unknown e-mail, an account without the facilitator role, and someone who
# joined the challenge: the refusal must not tell a facilitator who joined.
NOT_ADDABLE = (
    "No account that can facilitate this challenge has this e-mail or id "
    "(it needs the facilitator role, and people who joined the challenge cannot facilitate it)."
)


async def _named(access: ChallengeAccess, pseudonyms: list[uuid.UUID]) -> list[Facilitator]:
    challenge = access.challenge
    reader = access.identity.account_id
    return [
        Facilitator(
            account_id=found.account_id,
            display_name=found.display_name,
            email=found.email,
            creator=found.pseudonym == challenge.created_by,
            you=found.account_id == reader,
        )
        for found in await access.identity.vault.name_facilitators(
            challenge.id, pseudonyms, reader_id=reader
        )
    ]


async def list_facilitators(db: AppDbSession, access: ChallengeAccess) -> list[Facilitator]:
    """The creator first, then the co-facilitators (erased accounts are left out)."""
    challenge = access.challenge
    pseudonyms = [challenge.created_by, *await repo.co_facilitators(db, challenge.id)]
    return await _named(access, pseudonyms)


async def add_facilitator(
    db: AppDbSession, access: ChallengeAccess, body: FacilitatorAdd
) -> Facilitator:
    """Add a co-facilitator (again: nothing changes)."""
    challenge, vault = access.challenge, access.identity.vault
    account_id = await vault.facilitator_account(
        email=str(body.email) if body.email else None, account_id=body.account_id
    )
    if account_id is None:
        raise AccountNotFound(NOT_ADDABLE)
    existing = await vault.find_pseudonym(account_id, challenge.id)
    if await repo.find_participant(db, challenge.id, existing) is not None:
        raise AccountNotFound(NOT_ADDABLE)
    pseudonym = existing or await vault.pseudonym_for(account_id, challenge.id)
    if not await repo.facilitates(db, challenge, pseudonym):
        await repo.add_co_facilitator(db, challenge.id, pseudonym)
    named = await _named(access, [pseudonym])
    if not named:  # pragma: no cover - the account was erased meanwhile
        raise AccountNotFound(NOT_ADDABLE)
    return named[0]


async def remove_facilitator(
    db: AppDbSession, access: ChallengeAccess, account_id: uuid.UUID
) -> None:
    """Remove a co-facilitator (oneself included); the creator stays.

    Their pseudonym for the challenge is forgotten: their fellow facilitators saw it named, so
    if they join the challenge later they do so under a fresh one.
    """
    challenge, vault = access.challenge, access.identity.vault
    pseudonym = await vault.find_pseudonym(account_id, challenge.id)
    if pseudonym is not None and pseudonym == challenge.created_by:
        raise CreatorStays()
    if pseudonym is None or not await repo.remove_co_facilitator(db, challenge.id, pseudonym):
        raise AccountNotFound("This person is not a co-facilitator of this challenge.")
    if await repo.find_participant(db, challenge.id, pseudonym) is None:
        await vault.forget_pseudonym(account_id, challenge.id)
