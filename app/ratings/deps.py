"""What the signed-in rating routes take from the request: the worker's rating keys."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.ratings.service import Ratings


async def ratings(request: Request) -> Ratings:
    found = request.app.state.ratings
    assert isinstance(found, Ratings)
    return found


WorkerRatings = Annotated[Ratings, Depends(ratings)]
