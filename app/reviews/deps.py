"""What the signed-in review routes take from the request: the worker's review rounds, and a
viewer of the challenge (a participant or one of its facilitators)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.challenges.deps import Access
from app.challenges.errors import NotEnrolled
from app.challenges.service import ChallengeAccess
from app.reviews.service import ReviewRounds


async def review_rounds(request: Request) -> ReviewRounds:
    rounds = request.app.state.review_rounds
    assert isinstance(rounds, ReviewRounds)
    return rounds


Rounds = Annotated[ReviewRounds, Depends(review_rounds)]


async def viewer_access(access: Access) -> ChallengeAccess:
    """A participant of the challenge or one of its facilitators."""
    if access.participant is None and not access.is_facilitator:
        raise NotEnrolled()
    return access


ViewerAccess = Annotated[ChallengeAccess, Depends(viewer_access)]
