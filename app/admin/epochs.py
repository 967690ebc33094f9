"""Erasure epochs across both databases: the KEK turned over after an erasure or a round's close.

Destroying a data key (an erasure) or a round's signing keys (its close) removes the current
rows, but old copies of them (SQLite write-ahead-log frames, PostgreSQL's WAL and its archive,
backups) still hold them, wrapped under the KEK of the time, and that KEK still opens them. An
epoch makes every such copy useless:

1. a new KEK becomes current in the key document (every worker reloads it before it wraps);
2. everything still live is re-sealed under it (account data keys, open rounds' signing keys);
3. after a grace period, longer than any request, in which a request that wrapped a key under
   the old KEK just before it changed can commit, what it wrote is re-sealed too;
4. the old KEK, which now seals nothing live, is removed from the key document: destroyed;
5. SQLite's write-ahead logs are checkpointed and truncated.

Requests for an epoch are rows in the vault (`app/vault/epochs.py`): a crash anywhere before
step 4 leaves them, and the next run starts over. One worker runs an epoch at a time (a lock
on the key file). Keys from `CHALLENGE_KEYS` cannot be rewritten by the service: the epoch
then waits for their holder to rotate them, and `GET /admin/keys` says so.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from dataclasses import dataclass, field

from app.admin.service import describe, inventory, reseal_everything
from app.db import Databases, truncate_sqlite_wal
from app.kit.orm import utcnow
from app.vault import Vault

logger = logging.getLogger("app.admin.epochs")


@dataclass
class EpochReport:
    kek_version: int
    destroyed: list[int] = field(default_factory=list)
    # Old versions that still sealed something after the grace period (kept for the next run).
    kept: dict[int, str] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return not self.kept


class ErasureEpochs:
    """Runs the epochs that erasures and round closes ask for, in the background of a worker."""

    def __init__(self, vault: Vault, dbs: Databases, *, grace_seconds: float, tick_seconds: float):
        self._vault = vault
        self._dbs = dbs
        self._grace = grace_seconds
        self._tick = tick_seconds
        self._wake = asyncio.Event()
        self._waiting_for_holder = False

    def wake(self) -> None:
        """An erasure was just committed here: run the epoch now rather than at the next tick."""
        self._wake.set()

    async def run(self) -> None:
        while True:
            # Jittered, so that the workers of a host do not all try at once.
            delay = self._tick * random.uniform(0.8, 1.2)  # noqa: S311 - not a secret
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=delay)
            try:
                if self._wake.is_set():
                    self._wake.clear()
                    # The erased rows leave the write-ahead log at once; the epoch, after its
                    # grace period, makes the copies taken before useless.
                    await truncate_sqlite_wal(self._dbs.vault_engine)
                await self.run_once()
            except Exception:  # a failed epoch is retried at the next tick
                logger.exception("the erasure epoch failed; it is retried")

    async def run_once(self) -> EpochReport | None:
        """One epoch if one is due and this worker can run it; None otherwise."""
        async with self._dbs.vault_sessions() as db:
            due = await self._vault.bind(db).pending_key_epoch()
        if not due.requests:
            return None
        if not self._vault.can_turn_keys_over():
            if not self._waiting_for_holder:
                logger.warning(
                    "an erasure epoch is due but the keys come from CHALLENGE_KEYS: add a new "
                    "KEK there, restart the workers, run `python -m app rotate-keys "
                    "--no-new-key`, then remove the old KEK (docs/security.md)"
                )
                self._waiting_for_holder = True
            return None
        with self._vault.key_turnover() as keys:
            if keys is None:
                return None  # another worker is running it
            async with self._dbs.vault_sessions() as db:
                if not (await self._vault.bind(db).pending_key_epoch()).requests:
                    return None  # another worker ran it between our look and the lock
            # Every request made before the new KEK exists is met by this epoch.
            started_at = utcnow()
            report = EpochReport(kek_version=keys.add_version())
            await reseal_everything(self._vault, self._dbs)
            if self._grace:
                await asyncio.sleep(self._grace)
            await reseal_everything(self._vault, self._dbs)
            sealed = await inventory(self._vault, self._dbs)
            current = keys.current_kek_version()
            for version in keys.kek_versions():
                if version in (current, report.kek_version):
                    continue
                left = describe(sealed.get(version, {}))
                if left:
                    report.kept[version] = left
                    continue
                keys.destroy_version(version)
                report.destroyed.append(version)
            if report.complete:  # settled under the lock: the next worker finds nothing due
                await self._vault.settle_key_epoch(started_at)
                logger.info(
                    "erasure epoch complete",
                    extra={"kek_version": report.kek_version, "destroyed": report.destroyed},
                )
            else:
                logger.error(
                    "the erasure epoch could not destroy every old KEK; it is retried",
                    extra={"kept": report.kept},
                )
        for engine in (self._dbs.vault_engine, self._dbs.app_engine):
            await truncate_sqlite_wal(engine)
        return report
