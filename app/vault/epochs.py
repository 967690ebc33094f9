"""Erasure epochs, the vault's part: what is waiting for the next one, and its KEK turnover.

An erasure shreds an account's data key, and a round's close destroys its signing keys, but
old copies of those rows (write-ahead-log frames, backups, a PostgreSQL WAL archive) still hold
them, wrapped under the KEK of the time. An erasure epoch makes every such copy useless: a new
KEK, everything still live re-wrapped under it, then the old KEK destroyed in the key document
(`app/admin/epochs.py` runs it across both databases). A request row remembers that an epoch is
due, so a crash between the erasure and the epoch loses nothing.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import delete, func, select

from app.db import VaultDbSession
from app.kit.orm import utcnow
from app.vault.keys import KeyFileProvider, KeyProvider
from app.vault.models import KeyEpochRequest

# What asks for an epoch (the request table's check lists the same): an account erased, a
# review round's or a survey's signing keys destroyed at its close.
EpochReason = Literal["erasure", "round_closed", "survey_closed"]


@dataclass(frozen=True)
class PendingEpoch:
    requests: int
    since: datetime | None


def request_epoch(db: VaultDbSession, reason: EpochReason) -> None:
    db.add(KeyEpochRequest(reason=reason, requested_at=utcnow()))


async def pending(db: VaultDbSession) -> PendingEpoch:
    count, since = (
        await db.execute(select(func.count(), func.min(KeyEpochRequest.requested_at)))
    ).one()
    return PendingEpoch(int(count), since)


async def settle(db: VaultDbSession, started_at: datetime) -> None:
    """An epoch that began at `started_at` is complete: the requests made before it are met."""
    await db.execute(delete(KeyEpochRequest).where(KeyEpochRequest.requested_at <= started_at))


def can_turn_over(keys: KeyProvider) -> bool:
    """Only a key document the service can rewrite can destroy a KEK (`CHALLENGE_KEYS` comes
    from the environment: its holder rotates it, docs/security.md)."""
    return isinstance(keys, KeyFileProvider)


@contextlib.contextmanager
def turnover(keys: KeyProvider) -> Iterator[KeyFileProvider | None]:
    """The key file, held for one epoch; None if it cannot turn over or another worker is."""
    if not isinstance(keys, KeyFileProvider):
        yield None
        return
    with keys.turnover() as held:
        yield keys if held else None
