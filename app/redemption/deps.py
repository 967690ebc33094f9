"""What the anonymous routes take from the request: no credentials, and the worker's mix,
limiter, failure counting and department names (handed in at start-up: this package imports
nothing of the vault)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.db import databases
from app.kit import ratelimit
from app.redemption.errors import CredentialsNotAllowed
from app.redemption.mix import ReviewMix
from app.redemption.rating_mix import RatingMix
from app.redemption.service import DepartmentNames, FailedRedemptions


async def refuse_credentials(request: Request) -> None:
    """Anonymity first: a request that could identify its sender is refused, not ignored."""
    if "cookie" in request.headers or "authorization" in request.headers:
        raise CredentialsNotAllowed(
            "Your browser sent a cookie or an Authorization header; send the review without them."
        )


NoCredentials = Annotated[None, Depends(refuse_credentials)]


async def review_mix(request: Request) -> ReviewMix:
    mix = request.app.state.review_mix
    assert isinstance(mix, ReviewMix)
    return mix


Mix = Annotated[ReviewMix, Depends(review_mix)]


async def rating_mix(request: Request) -> RatingMix:
    mix = request.app.state.rating_mix
    assert isinstance(mix, RatingMix)
    return mix


RatingsMix = Annotated[RatingMix, Depends(rating_mix)]


async def failed_redemptions(request: Request) -> FailedRedemptions:
    return FailedRedemptions(
        sessions=databases(request).app_beside_sessions,
        per_minute=request.app.state.settings.failed_redemptions_per_minute,
    )


FailureCounting = Annotated[FailedRedemptions, Depends(failed_redemptions)]


async def comment_checks(request: Request) -> ratelimit.PerWorkerWindow:
    limiter = request.app.state.comment_checks
    assert isinstance(limiter, ratelimit.PerWorkerWindow)
    return limiter


CommentChecks = Annotated[ratelimit.PerWorkerWindow, Depends(comment_checks)]


async def department_names(request: Request) -> DepartmentNames | None:
    """The organisation's department names, from whoever knows them (None: none known)."""
    provider: DepartmentNames | None = getattr(request.app.state, "department_names", None)
    return provider


Departments = Annotated[DepartmentNames | None, Depends(department_names)]
