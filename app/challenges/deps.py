"""Dependencies that load a challenge and establish who is looking at it."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, Request

from app.auth.deps import CurrentSession, VaultService
from app.challenges import repository as repo
from app.challenges.errors import ChallengeNotFound, NotEnrolled
from app.challenges.service import ChallengeAccess, PhaseEffects, show_due_phase
from app.db import AppDb, VaultDb
from app.errors import Forbidden


async def phase_effects(request: Request) -> PhaseEffects:
    effects: PhaseEffects = request.app.state.review_rounds
    return effects


Effects = Annotated[PhaseEffects, Depends(phase_effects)]


async def challenge_access(
    challenge_id: uuid.UUID,
    effects: Effects,
    session: CurrentSession,
    db: AppDb,
    vault_db: VaultDb,
    vault: VaultService,
) -> ChallengeAccess:
    """The challenge, if this person may see it (drafts: its own facilitators only; else 404).

    `is_facilitator` says whether the viewer facilitates *this* challenge: its creator or a
    co-facilitator, holding the facilitator role. Facilitators of other challenges see it as
    anyone else does.
    """
    challenge = await repo.get_challenge(db, challenge_id)
    if challenge is None:
        raise ChallengeNotFound()
    pseudonym = await vault.find_pseudonym(vault_db, session.account_id, challenge.id)
    is_facilitator = "facilitator" in session.roles and await repo.facilitates(
        db, challenge, pseudonym
    )
    if not (challenge.published or is_facilitator):
        raise ChallengeNotFound()
    access = ChallengeAccess(
        challenge=challenge,
        session=session,
        pseudonym=pseudonym,
        participant=await repo.find_participant(db, challenge.id, pseudonym),
        is_facilitator=is_facilitator,
    )
    access.waiting_reason = await show_due_phase(db, challenge, effects)
    return access


Access = Annotated[ChallengeAccess, Depends(challenge_access)]


async def facilitator_access(access: Access) -> ChallengeAccess:
    """Only the challenge's own facilitators: 403 without the role, 404 for the facilitators of
    other challenges (as for a draft, nothing says that it is managed here)."""
    if not access.is_facilitator:
        if "facilitator" in access.session.roles:
            raise ChallengeNotFound()
        raise Forbidden("This needs the facilitator role.")
    return access


async def participant_access(access: Access) -> ChallengeAccess:
    if access.participant is None:
        raise NotEnrolled()
    return access


FacilitatorAccess = Annotated[ChallengeAccess, Depends(facilitator_access)]
ParticipantAccess = Annotated[ChallengeAccess, Depends(participant_access)]
