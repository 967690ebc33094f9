"""Calendars: a challenge's phase dates to download, and each person's private feed."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response, status

from app.auth.deps import AppSettings, CsrfFailed, CurrentIdentity, RequestVault
from app.calendars import service
from app.calendars.errors import FeedNotFound
from app.calendars.ics import MEDIA_TYPE
from app.calendars.schemas import CalendarFeed
from app.challenges.deps import Access
from app.challenges.errors import ChallengeNotFound
from app.db import AppDb
from app.errors import Unauthenticated, responses
from app.vault import Language

router = APIRouter(tags=["calendars"])
ICS: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {"text/calendar": {"schema": {"type": "string", "format": "binary"}}},
        "description": "An iCalendar file",
    }
}
# secrets.token_urlsafe(32): 43 characters of the URL-safe base64 alphabet.
Token = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{43}$")]


def _calendar(body: bytes, filename: str) -> Response:
    return Response(
        body,
        media_type=MEDIA_TYPE,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            # A calendar names the challenges someone joined: no shared cache keeps it.
            "Cache-Control": "private, no-store",
        },
    )


@router.get(
    "/challenges/{challenge_id}/calendar.ics",
    response_class=Response,
    responses={**ICS, **responses(Unauthenticated, ChallengeNotFound)},
)
async def challenge_calendar(access: Access, db: AppDb, settings: AppSettings) -> Response:
    """The challenge's phase dates as an iCalendar file, in your language. Importing it again
    after a date changed updates the events instead of adding new ones."""
    body = await service.challenge_calendar(db, access, settings)
    return _calendar(body, "challenge.ics")


@router.get("/me/calendar", response_model=CalendarFeed, responses=responses(Unauthenticated))
async def my_calendar(identity: CurrentIdentity, settings: AppSettings) -> CalendarFeed:
    """Your private calendar link, if you made one."""
    return await service.feed_of(identity, settings)


@router.post(
    "/me/calendar",
    response_model=CalendarFeed,
    status_code=status.HTTP_201_CREATED,
    responses=responses(Unauthenticated, CsrfFailed),
)
async def new_calendar(identity: CurrentIdentity, settings: AppSettings) -> CalendarFeed:
    """Make a private link to subscribe to from any calendar: the dates of every challenge you
    join. A previous link stops working."""
    return await service.new_feed(identity, settings)


@router.delete(
    "/me/calendar",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(Unauthenticated, CsrfFailed),
)
async def revoke_calendar(identity: CurrentIdentity) -> Response:
    """Revoke your private link: calendars subscribed to it stop getting dates."""
    await service.revoke_feed(identity)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/calendars/{token}.ics",
    response_class=Response,
    responses={**ICS, **responses(FeedNotFound)},
)
async def calendar_feed(
    token: Token,
    db: AppDb,
    vault: RequestVault,
    settings: AppSettings,
    language: Annotated[Language, Query()] = "en",
) -> Response:
    """A private feed, fetched by calendar clients with the link alone (no session)."""
    body = await service.feed(db, vault, token, language, settings)
    return _calendar(body, "challenges.ics")
