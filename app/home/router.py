"""Your home: what's next in each of your challenges."""

from __future__ import annotations

from fastapi import APIRouter

from app.auth.deps import CurrentIdentity
from app.challenges.deps import Effects
from app.db import AppDb
from app.errors import Unauthenticated, responses
from app.home import service
from app.home.schemas import NextActions

router = APIRouter(prefix="/me", tags=["me"])


# Not a cached read: the answer depends on the clock (deadlines, the phase the dates reached)
# and on rows of many tables at once.
@router.get("/next", response_model=NextActions, responses=responses(Unauthenticated))
async def whats_next(identity: CurrentIdentity, db: AppDb, effects: Effects) -> NextActions:
    """What's next for you, most urgent first: in each challenge you joined, the one next action
    and its deadline; the challenges open for joining; and, in those you facilitate, what needs
    you (teams to form, a proposal to publish, a round to close, a draft to publish)."""
    return await service.next_actions(db, identity, effects)
