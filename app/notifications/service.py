"""Your notices, gathered across your challenges and mentoring programmes through the vault's
pseudonym mapping: each is addressed to a pseudonym, so only its owner's vault mapping finds
it. Other domains address a programme's members through `notify_programme_member`."""

from __future__ import annotations

import uuid
from typing import Any, Literal

from app.db import AppDbSession
from app.notifications import repository as repo
from app.notifications.errors import NotificationNotFound
from app.notifications.schemas import NotificationOut
from app.vault import Identity

SHOWN = 50


# What a programme member is told: a stable code the UI translates.
ProgrammeNotice = Literal["mentoring_reminder"]


def notify_programme_member(
    db: AppDbSession,
    member: uuid.UUID,
    programme_id: uuid.UUID,
    kind: ProgrammeNotice,
    params: dict[str, Any],
) -> None:
    """A notice to a programme member, addressed to their pseudonym in the programme (their
    application's key), never to an account."""
    repo.add_programme_notice(db, member, programme_id, kind, params)


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
        for n in await repo.latest_for(db, mine, SHOWN)
    ] + [
        NotificationOut(
            id=n.id,
            programme_id=n.programme_id,
            kind=n.kind,
            params=n.params,
            created_at=n.created_at,
            read=n.read_at is not None,
        )
        for n in await repo.latest_programme_notices_for(db, mine, SHOWN)
    ]
    notices.sort(key=lambda n: (n.created_at, n.id.int), reverse=True)
    return notices[:SHOWN]


async def mark_read(db: AppDbSession, identity: Identity, notification_id: uuid.UUID) -> None:
    mine = (await identity.pseudonyms()).values()
    if not await repo.mark_read(
        db, notification_id, mine
    ) and not await repo.mark_programme_notice_read(db, notification_id, mine):
        raise NotificationNotFound()
