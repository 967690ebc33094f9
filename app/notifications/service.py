"""Your notices, gathered across your challenges and mentoring programmes through the vault's
pseudonym mapping: each is addressed to a pseudonym, so only its owner's vault mapping finds
it.

Other domains tell people through here, and each notice is mailed as its recipient chose for
its topic (app/mail/service.py: at once, in the daily digest, or not): a programme's members
through `tell_programme_members`, a challenge's participants of its phases through
`announce_phase` (a phase entered) and `announce_reviews_closing` (the ticker, a day before a
round closes)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import timedelta
from typing import Any, Literal

from sqlalchemy.ext.asyncio import async_sessionmaker

from app.challenges.models import Challenge
from app.db import AppDbSession
from app.kit.orm import utcnow
from app.mail.service import mail_notices, mail_programme_notices
from app.notifications import repository as repo
from app.notifications.errors import NotificationNotFound
from app.notifications.models import Notification, ProgrammeNotification
from app.notifications.schemas import NotificationOut
from app.vault import BoundVault, Identity, Vault

SHOWN = 50
# A round's participants are told this long before it closes.
CLOSING_NOTICE = timedelta(hours=24)

# What a programme member is told: a stable code the UI translates.
ProgrammeNotice = Literal[
    "mentoring_reminder", "mentoring_match", "mentoring_session_proposed", "mentoring_session_soon"
]
# What entering a phase tells a challenge's participants (enrolment has none yet).
PHASE_NOTICES = {
    "teamwork": "teamwork_started",
    "review": "review_round_open",
    "closed": "results_released",
}
REVIEW_CLOSING = "review_closing_soon"


async def tell_programme_members(
    db: AppDbSession,
    vault: BoundVault,
    programme_id: uuid.UUID,
    programme_title: str,
    members: Iterable[uuid.UUID],
    kind: ProgrammeNotice,
    params: dict[str, Any],
) -> None:
    """A notice to programme members, addressed to their pseudonyms in the programme (their
    applications' keys), never to an account, and mailed as each chose for "mentoring"."""
    notices = [
        ProgrammeNotification(recipient=member, programme_id=programme_id, kind=kind, params=params)
        for member in members
    ]
    await repo.add(db, notices)
    await mail_programme_notices(db, vault, notices, programme_title=programme_title)


async def _tell_participants(
    db: AppDbSession, vault: Vault, challenge: Challenge, kind: str
) -> None:
    notices = [
        Notification(
            recipient=pseudonym,
            challenge_id=challenge.id,
            kind=kind,
            params={"challenge_title": challenge.title},
        )
        for pseudonym in await repo.participants_of(db, challenge.id)
    ]
    if not notices:
        return
    await repo.add(db, notices)
    # Outside a request's vault transaction (the ticker): one of its own, committed before the
    # app's. Should the app's roll back, the phase is entered again at the next tick and its
    # new notices' mails sent again: a repeated "news in" mail, never a missing one.
    async with vault.transaction() as bound:
        await mail_notices(db, bound, notices, topic="phases", challenge_title=challenge.title)


async def announce_phase(db: AppDbSession, vault: Vault, challenge: Challenge, phase: str) -> None:
    """Tell the participants that the challenge entered `phase` (teamwork began, the review
    round opened, results are out); called where a challenge enters a phase."""
    kind = PHASE_NOTICES.get(phase)
    if kind is not None:
        await _tell_participants(db, vault, challenge, kind)


async def announce_reviews_closing(sessions: async_sessionmaker[AppDbSession], vault: Vault) -> int:
    """Tell the participants of each review round closing within a day, once per round (the
    ticker calls this); how many rounds were announced."""
    async with sessions() as db:
        closing = [c.id for c in await repo.reviews_closing_by(db, utcnow() + CLOSING_NOTICE)]
    announced = 0
    for challenge_id in closing:
        async with sessions.begin() as db:
            challenge = await db.get(Challenge, challenge_id)
            if challenge is None or await repo.told_already(db, challenge_id, REVIEW_CLOSING):
                continue
            await _tell_participants(db, vault, challenge, REVIEW_CLOSING)
            announced += 1
    return announced


async def latest(db: AppDbSession, identity: Identity) -> list[NotificationOut]:
    mine = list((await identity.pseudonyms()).values())
    notices = [
        NotificationOut(
            id=n.id,
            challenge_id=n.challenge_id,
            kind=n.kind,
            params=n.params,
            created_at=n.created_at,
            read=n.read_at is not None,
        )
        for n in await repo.latest_for(db, Notification, mine, SHOWN)
    ] + [
        NotificationOut(
            id=n.id,
            programme_id=n.programme_id,
            kind=n.kind,
            params=n.params,
            created_at=n.created_at,
            read=n.read_at is not None,
        )
        for n in await repo.latest_for(db, ProgrammeNotification, mine, SHOWN)
    ]
    notices.sort(key=lambda n: (n.created_at, n.id.int), reverse=True)
    return notices[:SHOWN]


async def mark_read(db: AppDbSession, identity: Identity, notification_id: uuid.UUID) -> None:
    mine = (await identity.pseudonyms()).values()
    if not await repo.mark_read(db, Notification, notification_id, mine) and not (
        await repo.mark_read(db, ProgrammeNotification, notification_id, mine)
    ):
        raise NotificationNotFound()
