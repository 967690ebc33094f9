"""Loading key material, and rotating the key-encryption key without downtime."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import func, select

from app.config import Settings
from app.db import VaultDbSession
from app.vault import mail_digest, mail_queue
from app.vault.context import VaultContext
from app.vault.keys import (
    KeyFileProvider,
    KeyMaterialError,
    KeyProvider,
    LocalKeyProvider,
    new_key_document,
    write_key_file,
)
from app.vault.models import DataKey, PairKey
from app.vault.pairs import rewrap as rewrap_pair_key

logger = logging.getLogger("app.vault")
REWRAP_BATCH = 200


class KeysNotConfigured(KeyMaterialError):
    pass


def load_key_provider(settings: Settings, *, create_if_missing: bool = False) -> KeyProvider:
    """Keys from CHALLENGE_KEYS, else the key file; only development may create the file."""
    if settings.keys is not None:
        return LocalKeyProvider.from_json(settings.keys.get_secret_value())
    path = settings.key_file
    if not path.exists():
        if not (create_if_missing and settings.is_development):
            raise KeysNotConfigured(
                f"no key material: set CHALLENGE_KEYS or create the key file {path}"
            )
        write_key_file(path, new_key_document())
        logger.warning("created a development key file", extra={"path": str(path)})
    if path.stat().st_mode & 0o077:
        raise KeyMaterialError(f"{path} must be readable by its owner only (chmod 600)")
    return KeyFileProvider(path)


@dataclass
class RotationReport:
    kek_version: int
    rewrapped: int
    already_current: int


async def rewrap_data_keys(ctx: VaultContext) -> RotationReport:
    """Re-wrap every data key under the current KEK, in small transactions (no long locks).

    The service keeps running: rows not yet re-wrapped still open with their old KEK version.
    """
    rewrapped = already = 0
    last_id = None
    while True:
        async with ctx.sessions.begin() as db:
            query = select(DataKey).order_by(DataKey.account_id).limit(REWRAP_BATCH)
            if last_id is not None:
                query = query.where(DataKey.account_id > last_id)
            rows = list(await db.scalars(query.with_for_update()))
            if not rows:
                break
            for row in rows:
                if ctx.rewrap(row):
                    rewrapped += 1
                else:
                    already += 1
            last_id = rows[-1].account_id
    # Mentoring pairs' journal keys are wrapped the same way and counted with them.
    last_pair = None
    while True:
        async with ctx.sessions.begin() as db:
            pair_query = select(PairKey).order_by(PairKey.pair_id).limit(REWRAP_BATCH)
            if last_pair is not None:
                pair_query = pair_query.where(PairKey.pair_id > last_pair)
            pair_rows = list(await db.scalars(pair_query.with_for_update()))
            if not pair_rows:
                break
            for pair_row in pair_rows:
                if rewrap_pair_key(ctx, pair_row):
                    rewrapped += 1
                else:
                    already += 1
            last_pair = pair_rows[-1].pair_id
    # Messages waiting in the mail queue: sealed the same way, short-lived, not counted.
    await mail_queue.reseal(ctx)
    await mail_digest.reseal(ctx)
    return RotationReport(ctx.keys.current_kek_version(), rewrapped, already)


async def kek_versions_in_use(db: VaultDbSession) -> list[int]:
    accounts = set(await db.scalars(select(DataKey.kek_version)))
    return sorted(accounts | set(await db.scalars(select(PairKey.kek_version))))


async def data_keys_by_kek_version(db: VaultDbSession) -> dict[int, int]:
    """How many data keys (accounts' and mentoring pairs') each KEK version wraps: an erasure
    epoch destroys a KEK only once this counts nothing under it."""
    counts: dict[int, int] = {}
    for model in (DataKey, PairKey):
        rows = await db.execute(select(model.kek_version, func.count()).group_by(model.kek_version))
        for version, count in rows:
            counts[int(version)] = counts.get(int(version), 0) + int(count)
    return counts
