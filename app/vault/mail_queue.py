"""The mail queue: messages wait in the vault database until a worker has sent them.

A request queues its messages in its own vault transaction (`enqueue`): they exist exactly
when what they announce was committed, and a crash after the commit loses none of them. Every
worker then sends what is due (`MailSender`): right after the request that queued a message
(a background task of its response) and every `mail_tick_seconds`, so a message queued by a
worker that died is still sent by another.

- **Claiming.** One `UPDATE ... WHERE id IN (SELECT ... FOR UPDATE SKIP LOCKED) RETURNING`
  gives a batch of due rows a lease (`claimed_by`, `claimed_until`): on PostgreSQL two workers
  skip each other's rows instead of waiting for them; on SQLite the statement takes the
  single writer's lock before it reads, so two workers never claim one row. A worker that dies
  holding a lease leaves its rows to be claimed again once the lease has expired.
- **Sending.** A sent message's row is deleted. A failed one is retried after a delay that
  doubles at each attempt, and given up after `mail_max_attempts` (deleted, logged by kind).
  A worker that dies between the server's answer and the delete would send the message again
  after the lease: the `Message-ID` is the row's, the same at every attempt, so that the
  receiving side can tell. Logs say the kind and the error's type, never an address.
- **What is kept.** The address, subject, text and HTML part are sealed under the current KEK
  (like the service secrets), so an old copy of a row (a write-ahead-log frame, a backup) opens with
  nothing once an erasure epoch has destroyed that KEK; on SQLite `secure_delete` overwrites a
  deleted row's bytes. The dedupe key is a keyed digest of a name the caller chose.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, Table, delete, or_, select, update
from sqlalchemy.ext.asyncio import async_sessionmaker

from app.db import VaultDbSession
from app.kit.mail import Mailer, Message
from app.kit.orm import insert_on_conflict, utcnow
from app.vault.context import VaultContext
from app.vault.crypto import keyed_digest
from app.vault.keys import KeyMaterialError
from app.vault.models import MailDigestItem, QueuedMail

logger = logging.getLogger("app.mail")

# How many due messages one worker claims at a time: a lease covers a batch sent one by one.
CLAIM_BATCH = 20
# A retry never waits longer than this, however many attempts failed.
LONGEST_RETRY = timedelta(hours=6)


def _seal_context(row_id: uuid.UUID) -> bytes:
    return f"mail_queue|sealed|{row_id}".encode()


def _dedupe_key(ctx: VaultContext, message: Message) -> str:
    if message.dedupe_key is None:
        return secrets.token_hex(32)
    return keyed_digest(ctx.keys.derive_secret("mail-queue:dedupe"), message.dedupe_key)


async def enqueue(ctx: VaultContext, db: VaultDbSession, messages: Sequence[Message]) -> None:
    """Queue the messages in the caller's transaction; one whose dedupe key is already
    queued is left out (queueing a notice twice sends it once)."""
    rows: list[dict[str, Any]] = []
    now = utcnow()
    for message in messages:
        row_id = uuid.uuid4()
        payload = json.dumps(
            {
                "to": message.to,
                "subject": message.subject,
                "text": message.text,
                "html": message.html,
                "headers": [list(header) for header in message.headers],
            }
        ).encode()
        kek_version, sealed = ctx.keys.wrap(payload, context=_seal_context(row_id))
        rows.append(
            {
                "id": row_id,
                "dedupe_key": _dedupe_key(ctx, message),
                "kind": message.kind,
                "kek_version": kek_version,
                "sealed": sealed,
                "attempts": 0,
                "next_attempt_at": now,
            }
        )
    if not rows:
        return
    table = cast(Table, QueuedMail.__table__)
    statement = insert_on_conflict(db, table)
    await db.execute(statement.on_conflict_do_nothing(index_elements=["dedupe_key"]), rows)


# Rows re-sealed per transaction when the KEK turns over (no long locks).
RESEAL_BATCH = 200


async def reseal_rows(
    ctx: VaultContext,
    model: type[QueuedMail] | type[MailDigestItem],
    seal_context: Callable[[uuid.UUID], bytes],
    lost: Callable[[Any], None] = lambda row: None,
) -> int:
    """Re-seal every row of `model` (a `kek_version` and a `sealed` payload) under the current
    KEK; a row whose KEK is gone opens for nobody and is deleted (after `lost(row)`). How many
    were re-sealed or deleted.

    Each row is written by its id and the version it was read with, not through the unit of
    work: a worker may send (and delete) a message between this read and this write, since on
    SQLite the read takes no lock, and a row gone meanwhile is simply not counted."""
    current = ctx.keys.current_kek_version()
    resealed = 0
    while True:
        async with ctx.sessions.begin() as db:
            rows = (
                await db.execute(
                    select(cast(Table, model.__table__))
                    .where(model.kek_version != current)
                    .limit(RESEAL_BATCH)
                    .with_for_update(skip_locked=True)
                )
            ).all()
            for row in rows:
                as_read = (model.id == row.id) & (model.kek_version == row.kek_version)
                context = seal_context(row.id)
                try:
                    payload = ctx.keys.unwrap(
                        row.sealed, kek_version=row.kek_version, context=context
                    )
                except KeyMaterialError:
                    lost(row)
                    written = await db.execute(delete(model).where(as_read))
                else:
                    kek_version, sealed = ctx.keys.wrap(payload, context=context)
                    written = await db.execute(
                        update(model).where(as_read).values(kek_version=kek_version, sealed=sealed)
                    )
                resealed += cast(CursorResult[Any], written).rowcount
        if len(rows) < RESEAL_BATCH:
            return resealed


def _dropped(row: QueuedMail) -> None:
    logger.warning("mail dropped: its seal no longer opens", extra={"mail_kind": row.kind})


async def reseal(ctx: VaultContext) -> int:
    """Re-seal every queued message under the current KEK (key rotation, erasure epochs): a
    message waiting for a mail server that is down must not be lost with the KEK it was
    sealed under. How many were re-sealed."""
    return await reseal_rows(ctx, QueuedMail, _seal_context, _dropped)


@dataclass(frozen=True)
class MailPolicy:
    lease: timedelta
    first_retry: timedelta
    max_attempts: int
    tick_seconds: float

    def retry_delay(self, attempts: int) -> timedelta:
        """The wait before the next attempt, `attempts` having failed (1, 2, ...)."""
        delay: timedelta = self.first_retry * 2 ** (attempts - 1)
        return min(delay, LONGEST_RETRY)


@dataclass(frozen=True)
class Claimed:
    id: uuid.UUID
    kind: str
    kek_version: int
    sealed: bytes
    attempts: int


class MailSender:
    """Sends what is due from the queue; one per worker, every worker has one."""

    def __init__(
        self,
        ctx: VaultContext,
        sessions: async_sessionmaker[VaultDbSession],
        mailer_of: Callable[[], Mailer],
        policy: MailPolicy,
    ) -> None:
        self._ctx = ctx
        self._sessions = sessions
        # Read at each send, so the mailer can be swapped while the worker runs (tests).
        self._mailer_of = mailer_of
        self.policy = policy
        # Names this worker's leases; random, so that it says nothing about the host.
        self.worker = secrets.token_hex(8)

    async def claim(self, now: datetime | None = None, limit: int = CLAIM_BATCH) -> list[Claimed]:
        """Lease up to `limit` due messages to this worker, in their own transaction."""
        now = now or utcnow()
        due = (
            select(QueuedMail.id)
            .where(
                QueuedMail.next_attempt_at <= now,
                or_(QueuedMail.claimed_until.is_(None), QueuedMail.claimed_until <= now),
            )
            .order_by(QueuedMail.next_attempt_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        statement = (
            update(QueuedMail)
            .where(
                QueuedMail.id.in_(due.scalar_subquery()),
                # Checked again on the row itself: PostgreSQL re-reads a row it waited for.
                or_(QueuedMail.claimed_until.is_(None), QueuedMail.claimed_until <= now),
            )
            .values(claimed_by=self.worker, claimed_until=now + self.policy.lease)
            .returning(
                QueuedMail.id,
                QueuedMail.kind,
                QueuedMail.kek_version,
                QueuedMail.sealed,
                QueuedMail.attempts,
            )
            .execution_options(synchronize_session=False)
        )
        async with self._sessions.begin() as db:
            rows = (await db.execute(statement)).all()
        return [Claimed(*row) for row in rows]

    def _open(self, claimed: Claimed) -> Message:
        payload = json.loads(
            self._ctx.keys.unwrap(
                claimed.sealed,
                kek_version=claimed.kek_version,
                context=_seal_context(claimed.id),
            )
        )
        return Message(
            to=payload["to"],
            subject=payload["subject"],
            text=payload["text"],
            kind=claimed.kind,
            message_id=claimed.id.hex,
            # Queued before messages had an HTML part: text only.
            html=payload.get("html"),
            headers=tuple((name, value) for name, value in payload.get("headers", [])),
        )

    async def send_claimed(self, claimed: Sequence[Claimed], now: datetime | None = None) -> int:
        """Send the claimed messages one by one; how many were sent."""
        sent = 0
        for item in claimed:
            try:
                message = self._open(item)
            except KeyMaterialError:
                # Sealed under a KEK an erasure epoch destroyed since: nobody can read it.
                logger.warning(
                    "mail dropped: its seal no longer opens", extra={"mail_kind": item.kind}
                )
                await self._forget(item)
                continue
            try:
                await self._mailer_of().send(message)
            except Exception as exc:
                await self._failed(item, type(exc).__name__, now)
                continue
            await self._forget(item)
            sent += 1
        return sent

    async def send_due(self, now: datetime | None = None) -> int:
        """Claim and send what is due until nothing is; how many were sent. Never raises for
        one message: a failure is counted on its row and logged by kind."""
        sent = 0
        while claimed := await self.claim(now):
            sent += await self.send_claimed(claimed, now)
            if len(claimed) < CLAIM_BATCH:
                break
        return sent

    async def _forget(self, item: Claimed) -> None:
        async with self._sessions.begin() as db:
            await db.execute(
                delete(QueuedMail).where(
                    QueuedMail.id == item.id, QueuedMail.claimed_by == self.worker
                )
            )

    async def _failed(self, item: Claimed, error_type: str, now: datetime | None) -> None:
        attempts = item.attempts + 1
        if attempts >= self.policy.max_attempts:
            logger.warning(
                "mail given up", extra={"mail_kind": item.kind, "error_type": error_type}
            )
            await self._forget(item)
            return
        logger.warning("mail not sent", extra={"mail_kind": item.kind, "error_type": error_type})
        retry_at = (now or utcnow()) + self.policy.retry_delay(attempts)
        async with self._sessions.begin() as db:
            await db.execute(
                update(QueuedMail)
                .where(QueuedMail.id == item.id, QueuedMail.claimed_by == self.worker)
                .values(
                    attempts=attempts,
                    next_attempt_at=retry_at,
                    claimed_by=None,
                    claimed_until=None,
                )
            )

    async def run(self) -> None:
        """Every `tick_seconds`: send what is due (a message whose first try failed, one a
        worker that died had queued or claimed)."""
        while True:
            await asyncio.sleep(self.policy.tick_seconds)
            try:
                await self.send_due()
            except Exception as exc:  # a failed tick (the database away) must not stop the next
                logger.warning("mail queue tick failed", extra={"error_type": type(exc).__name__})
