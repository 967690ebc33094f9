"""The audit log of identity reads, readable by its subject.

One entry per subject, reader, kind of read and day (UTC), with a count: a read that repeats
one already logged that day adds one to its count (and moves its latest time forward) rather
than adding an entry, so that six visits of the admin page are one line that says "six
times", not six lines that hide what else happened. Append-only in spirit: only
`record_reads` writes, an entry's count only grows, and rows go only when their subject is
erased (the log is about them).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any, cast

from sqlalchemy import Table, func, select
from sqlalchemy.dialects import postgresql, sqlite

from app.db import VaultDbSession
from app.kit.orm import new_id, utcnow
from app.vault.models import AuditEvent
from app.vault.schemas import AuditEntry

# The entry a read belongs to (the table's unique key).
_ENTRY_KEY = ("subject_account_id", "day", "actor_account_id", "actor_role", "action")


async def record_reads(
    db: VaultDbSession,
    subject_ids: Iterable[uuid.UUID],
    *,
    actor_id: uuid.UUID | None,
    actor_role: str,
    action: str,
    reason: str,
) -> None:
    """Log one read of each subject's identity by `actor_id`, in one statement.

    Concurrent requests (other workers) counting the same entry meet in the database's unique
    key: `INSERT ... ON CONFLICT DO UPDATE` adds to the count instead of failing.
    """
    now = utcnow()
    rows = [
        {
            "id": new_id(),
            "subject_account_id": subject_id,
            "actor_account_id": actor_id,
            "actor_role": actor_role,
            "action": action,
            "reason": reason[:200],
            "occurred_at": now,
            "last_occurred_at": now,
            "day": now.date(),
            "count": 1,
        }
        for subject_id in dict.fromkeys(subject_ids)
    ]
    if not rows:
        return
    table = cast(Table, AuditEvent.__table__)
    if db.get_bind().dialect.name == "postgresql":
        statement: Any = postgresql.insert(table)
        latest = func.greatest(table.c.last_occurred_at, statement.excluded.last_occurred_at)
    else:
        statement = sqlite.insert(table)
        latest = func.max(table.c.last_occurred_at, statement.excluded.last_occurred_at)
    await db.execute(
        statement.on_conflict_do_update(
            index_elements=list(_ENTRY_KEY),
            set_={"count": table.c.count + 1, "last_occurred_at": latest},
        ),
        rows,
    )


async def record_read(
    db: VaultDbSession,
    subject_id: uuid.UUID,
    *,
    actor_id: uuid.UUID | None,
    actor_role: str,
    action: str,
    reason: str,
) -> None:
    """Log one read of `subject_id`'s identity (see `record_reads`)."""
    await record_reads(
        db, [subject_id], actor_id=actor_id, actor_role=actor_role, action=action, reason=reason
    )


async def audit_trail(db: VaultDbSession, subject_id: uuid.UUID, limit: int) -> list[AuditEntry]:
    rows = await db.scalars(
        select(AuditEvent)
        .where(AuditEvent.subject_account_id == subject_id)
        .order_by(AuditEvent.day.desc(), AuditEvent.last_occurred_at.desc(), AuditEvent.id)
        .limit(limit)
    )
    return [
        AuditEntry(
            occurred_at=row.occurred_at,
            last_occurred_at=row.last_occurred_at,
            day=row.day,
            count=row.count,
            actor_role=row.actor_role,
            action=row.action,
            reason=row.reason,
            actor_is_you=row.actor_account_id == subject_id,
        )
        for row in rows
    ]
