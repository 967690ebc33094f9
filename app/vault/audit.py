"""The append-only audit log of identity reads, readable by its subject.

Only `record_read` writes to it and nothing updates it; rows go only when their subject is
erased (the log is about them).
"""

from __future__ import annotations

import uuid

from sqlalchemy import select

from app.db import VaultDbSession
from app.vault.models import AuditEvent
from app.vault.schemas import AuditEntry


def record_read(
    db: VaultDbSession,
    subject_id: uuid.UUID,
    *,
    actor_id: uuid.UUID | None,
    actor_role: str,
    action: str,
    reason: str,
) -> None:
    db.add(
        AuditEvent(
            subject_account_id=subject_id,
            actor_account_id=actor_id,
            actor_role=actor_role,
            action=action,
            reason=reason[:200],
        )
    )


async def audit_trail(db: VaultDbSession, subject_id: uuid.UUID, limit: int) -> list[AuditEntry]:
    rows = await db.scalars(
        select(AuditEvent)
        .where(AuditEvent.subject_account_id == subject_id)
        .order_by(AuditEvent.occurred_at.desc())
        .limit(limit)
    )
    return [
        AuditEntry(
            occurred_at=row.occurred_at,
            actor_role=row.actor_role,
            action=row.action,
            reason=row.reason,
            actor_is_you=row.actor_account_id == subject_id,
        )
        for row in rows
    ]
