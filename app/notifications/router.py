"""Your notices, gathered across your challenges through the vault's pseudonym mapping."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response, status
from sqlalchemy import select, update

from app.auth.deps import CsrfFailed, CurrentSession, VaultService
from app.db import AppDb, VaultDb
from app.errors import NotFound, Unauthenticated, responses
from app.kit.orm import utcnow
from app.notifications.models import Notification
from app.notifications.schemas import NotificationOut

router = APIRouter(prefix="/me/notifications", tags=["me"])
SHOWN = 50


class NotificationNotFound(NotFound):
    code = "notification_not_found"
    title = "Notification not found"


async def _mine(session: CurrentSession, vault: VaultService, vault_db: VaultDb) -> list[uuid.UUID]:
    return list((await vault.challenges_of(vault_db, session.account_id)).values())


@router.get("", response_model=list[NotificationOut], responses=responses(Unauthenticated))
async def list_notifications(
    session: CurrentSession, vault: VaultService, vault_db: VaultDb, db: AppDb
) -> list[NotificationOut]:
    """Your latest notices (for example, the team you were placed in), newest first."""
    rows = await db.scalars(
        select(Notification)
        .where(Notification.recipient.in_(await _mine(session, vault, vault_db)))
        .order_by(Notification.created_at.desc(), Notification.id)
        .limit(SHOWN)
    )
    return [
        NotificationOut(
            id=n.id,
            challenge_id=n.challenge_id,
            kind=n.kind,
            params=n.params,
            created_at=n.created_at,
            read=n.read_at is not None,
        )
        for n in rows
    ]


@router.post(
    "/{notification_id}/read",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(Unauthenticated, CsrfFailed, NotificationNotFound),
)
async def mark_read(
    notification_id: uuid.UUID,
    session: CurrentSession,
    vault: VaultService,
    vault_db: VaultDb,
    db: AppDb,
) -> Response:
    """Mark one of your notices as read."""
    done = await db.execute(
        update(Notification)
        .where(
            Notification.id == notification_id,
            Notification.recipient.in_(await _mine(session, vault, vault_db)),
        )
        .values(read_at=utcnow())
    )
    if done.rowcount == 0:  # type: ignore[attr-defined]
        raise NotificationNotFound()
    return Response(status_code=status.HTTP_204_NO_CONTENT)
