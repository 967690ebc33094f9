"""Dependencies that load a challenge and establish who is looking at it."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, Request

from app.auth.deps import CurrentIdentity
from app.challenges import service
from app.challenges.errors import ChallengeNotFound, NotEnrolled
from app.challenges.service import ChallengeAccess, PhaseEffects
from app.db import AppDb
from app.errors import Forbidden


async def phase_effects(request: Request) -> PhaseEffects:
    effects: PhaseEffects = request.app.state.review_rounds
    return effects


Effects = Annotated[PhaseEffects, Depends(phase_effects)]


async def challenge_access(
    challenge_id: uuid.UUID,
    effects: Effects,
    identity: CurrentIdentity,
    db: AppDb,
) -> ChallengeAccess:
    """The challenge and who is looking at it (`service.challenge_access`)."""
    return await service.challenge_access(db, identity, challenge_id, effects)


Access = Annotated[ChallengeAccess, Depends(challenge_access)]


async def facilitator_access(access: Access) -> ChallengeAccess:
    """Only the challenge's own facilitators: 403 without the role, 404 for the facilitators of
    other challenges (as for a draft, nothing says that it is managed here)."""
    if not access.is_facilitator:
        if "facilitator" in access.identity.roles:
            raise ChallengeNotFound()
        raise Forbidden("This needs the facilitator role.")
    return access


async def participant_access(access: Access) -> ChallengeAccess:
    if access.participant is None:
        raise NotEnrolled()
    return access


FacilitatorAccess = Annotated[ChallengeAccess, Depends(facilitator_access)]
ParticipantAccess = Annotated[ChallengeAccess, Depends(participant_access)]
