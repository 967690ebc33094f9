"""Your notices (for example, the team you were placed in)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response, status

from app.auth.deps import CsrfFailed, CurrentIdentity
from app.db import AppDb
from app.errors import Unauthenticated, responses
from app.notifications import service
from app.notifications.errors import NotificationNotFound
from app.notifications.schemas import NotificationOut

router = APIRouter(prefix="/me/notifications", tags=["me"])


@router.get("", response_model=list[NotificationOut], responses=responses(Unauthenticated))
async def list_notifications(identity: CurrentIdentity, db: AppDb) -> list[NotificationOut]:
    """Your latest notices (for example, the team you were placed in), newest first."""
    return await service.latest(db, identity)


@router.post(
    "/{notification_id}/read",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(Unauthenticated, CsrfFailed, NotificationNotFound),
)
async def mark_read(notification_id: uuid.UUID, identity: CurrentIdentity, db: AppDb) -> Response:
    """Mark one of your notices as read."""
    await service.mark_read(db, identity, notification_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
