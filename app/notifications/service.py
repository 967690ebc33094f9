"""Your notices, gathered across your challenges through the vault's pseudonym mapping: each
is addressed to a pseudonym, so only its owner's vault mapping finds it."""

from __future__ import annotations

import uuid

from app.db import AppDbSession
from app.notifications import repository as repo
from app.notifications.errors import NotificationNotFound
from app.notifications.schemas import NotificationOut
from app.vault import Identity

SHOWN = 50


async def latest(db: AppDbSession, identity: Identity) -> list[NotificationOut]:
    mine = (await identity.pseudonyms()).values()
    return [
        NotificationOut(
            id=n.id,
            challenge_id=n.challenge_id,
            kind=n.kind,
            params=n.params,
            created_at=n.created_at,
            read=n.read_at is not None,
        )
        for n in await repo.latest_for(db, mine, SHOWN)
    ]


async def mark_read(db: AppDbSession, identity: Identity, notification_id: uuid.UUID) -> None:
    mine = (await identity.pseudonyms()).values()
    if not await repo.mark_read(db, notification_id, mine):
        raise NotificationNotFound()
