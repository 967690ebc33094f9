"""Calendars of phase dates: one challenge's, to download, and each person's private feed.

What a calendar holds: the challenge's title and its phase dates, in the person's language,
with a link to the challenge. Never a handle, a team or anything a person did: a calendar
lives in other companies' systems (the calendar provider, a phone's backup).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from app.calendars import ics
from app.calendars import repository as repo
from app.calendars.errors import FeedNotFound
from app.calendars.schemas import CalendarFeed
from app.challenges.service import ChallengeAccess
from app.config import Settings
from app.db import AppDbSession
from app.mentoring import sessions as mentoring_sessions
from app.vault import BoundVault, Identity, Language

# Each phase date, and what happens then, in each language.
MOMENTS: dict[str, dict[Language, str]] = {
    "enrolment_opens_at": {
        "en": "Enrolment opens",
        "fr": "Ouverture des inscriptions",
        "es": "Se abren las inscripciones",
    },
    "teamwork_starts_at": {
        "en": "Enrolment closes, teamwork starts",
        "fr": "Fin des inscriptions, début du travail en équipe",
        "es": "Se cierran las inscripciones, empieza el trabajo en equipo",
    },
    "review_starts_at": {
        "en": "Reviews start",
        "fr": "Début des évaluations",
        "es": "Empiezan las evaluaciones",
    },
    "closes_at": {
        "en": "Reviews close, the challenge closes",
        "fr": "Fin des évaluations, clôture du défi",
        "es": "Se cierran las evaluaciones y el reto",
    },
}
FEED_NAME: dict[Language, str] = {
    "en": "My challenges",
    "fr": "Mes défis",
    "es": "Mis retos",
}


def _host(settings: Settings) -> str:
    return settings.public_url.split("://", 1)[-1].split("/", 1)[0]


def challenge_events(
    challenge: repo.ChallengeDates, *, language: Language, settings: Settings
) -> list[ics.Event]:
    """One event per phase date that is set. The UID names the challenge and the moment, so a
    changed date replaces the event it changes (SEQUENCE: the challenge's revision)."""
    url = f"{settings.public_url}/challenges/{challenge.id}"
    events = []
    for moment, words in MOMENTS.items():
        start = getattr(challenge, moment)
        if start is None:
            continue
        events.append(
            ics.Event(
                uid=f"{challenge.id}.{moment.removesuffix('_at')}@{_host(settings)}",
                summary=f"{words[language]}: {challenge.title}",
                start=start,
                sequence=challenge.revision,
                url=url,
                description=url,
            )
        )
    return events


def _document(
    challenges: Iterable[repo.ChallengeDates], *, name: str, language: Language, settings: Settings
) -> bytes:
    return ics.document(
        (
            event
            for challenge in challenges
            for event in challenge_events(challenge, language=language, settings=settings)
        ),
        name=name,
    )


async def challenge_calendar(
    db: AppDbSession, access: ChallengeAccess, settings: Settings
) -> bytes:
    """The phase dates of one challenge the person can see, in their language."""
    language = access.identity.session.language
    (challenge,) = await repo.challenge_dates(db, [access.challenge.id])
    return _document([challenge], name=challenge.title, language=language, settings=settings)


def _feed_url(settings: Settings, token: str, language: Language) -> str:
    return f"{settings.public_url}/api/v1/calendars/{token}.ics?language={language}"


async def feed_of(identity: Identity, settings: Settings) -> CalendarFeed:
    token = await identity.vault.calendar_feed(identity.account_id)
    language = identity.session.language
    return CalendarFeed(url=_feed_url(settings, token, language) if token else None)


async def new_feed(identity: Identity, settings: Settings) -> CalendarFeed:
    token = await identity.vault.new_calendar_feed(identity.account_id)
    return CalendarFeed(url=_feed_url(settings, token, identity.session.language))


async def revoke_feed(identity: Identity) -> None:
    await identity.vault.revoke_calendar_feed(identity.account_id)


async def feed(
    db: AppDbSession, vault: BoundVault, token: str, language: Language, settings: Settings
) -> bytes:
    """The feed behind a private link: every challenge its owner has a pseudonym in (joined,
    or facilitates), whatever their phase, and the sessions of their mentoring pairs. The vault
    turns the token into those scopes and the owner's pseudonyms there without naming the
    owner; the calendar carries no trace of them either."""
    scopes: dict[uuid.UUID, uuid.UUID] | None = await vault.calendar_feed_scopes(token)
    if scopes is None:
        raise FeedNotFound()
    challenges = await repo.challenge_dates(db, list(scopes))
    events = [
        event
        for challenge in challenges
        for event in challenge_events(challenge, language=language, settings=settings)
    ]
    events += await mentoring_sessions.feed_events(
        db, list(scopes.values()), language, _host(settings)
    )
    return ics.document(events, name=FEED_NAME[language])
