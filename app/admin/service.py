"""Key status and rotation: everything sealed under each key-encryption key, across both
databases.

The vault counts its data keys; the review rounds count their signing keys (the vault does not
know the domains, so the two are put together here, for `GET /admin/keys`, `rotate-keys` and
`retire-key`). A new kind of sealed material is added to `KINDS` and to both functions.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.admin.schemas import ErasureEpochStatus, KekVersionStatus, KeyStatus
from app.db import AppDbSession, Databases, VaultDbSession
from app.ratings import sealed_keys as rating_keys
from app.reviews import sealed_keys
from app.vault import RotationReport, Vault

DATA_KEY = "account_data_key"
KINDS = (DATA_KEY, sealed_keys.KIND, rating_keys.KIND)
PLURAL = {
    DATA_KEY: "account data keys",
    sealed_keys.KIND: "review-round signing keys",
    rating_keys.KIND: "rating signing keys",
}


async def inventory(vault: Vault, dbs: Databases) -> dict[int, dict[str, int]]:
    """Per KEK version (every version held or named), how many of each kind it seals."""
    async with dbs.vault_sessions() as vault_db, dbs.app_sessions() as app_db:
        return await sealed_by_version(vault, vault_db, app_db)


async def sealed_by_version(
    vault: Vault, vault_db: VaultDbSession, app_db: AppDbSession
) -> dict[int, dict[str, int]]:
    """`inventory`, read through sessions the caller holds (a request's own)."""
    counts = {
        DATA_KEY: await vault.bind(vault_db).data_keys_by_kek_version(),
        sealed_keys.KIND: await sealed_keys.signing_keys_by_kek_version(app_db, vault),
        rating_keys.KIND: await rating_keys.rating_keys_by_kek_version(app_db, vault),
    }
    versions = set(vault.kek_versions()).union(*(by_version for by_version in counts.values()))
    return {
        version: {kind: counts[kind].get(version, 0) for kind in KINDS}
        for version in sorted(versions)
    }


def describe(sealed: dict[str, int]) -> str:
    """'2 account data keys, 1 review-round signing keys' (kinds with none left out)."""
    return ", ".join(f"{count} {PLURAL[kind]}" for kind, count in sealed.items() if count)


@dataclass
class FullRotationReport:
    kek_version: int
    rewrapped: int
    already_current: int
    resealed_signing_keys: int


async def reseal_everything(vault: Vault, dbs: Databases) -> FullRotationReport:
    """Re-wrap every data key and re-seal every open round's signing keys under the current KEK."""
    report: RotationReport = await vault.rewrap_data_keys()
    resealed = await sealed_keys.reseal_signing_keys(vault, dbs.app_sessions)
    resealed += await rating_keys.reseal_rating_keys(vault, dbs.app_sessions)
    return FullRotationReport(
        report.kek_version, report.rewrapped, report.already_current, resealed
    )


async def key_status(vault: Vault, vault_db: VaultDbSession, app_db: AppDbSession) -> KeyStatus:
    """Each KEK version: current, held, what it still seals; and the erasure epoch waiting."""
    current = vault.current_kek_version()
    held = set(vault.kek_versions())
    sealed = await sealed_by_version(vault, vault_db, app_db)
    due = await vault.bind(vault_db).pending_key_epoch()
    in_use = [version for version, kinds in sealed.items() if any(kinds.values())]
    return KeyStatus(
        current_kek_version=current,
        kek_versions=[
            KekVersionStatus(
                kek_version=version,
                current=version == current,
                available=version in held,
                sealed={kind: kinds[kind] for kind in KINDS},
            )
            for version, kinds in sealed.items()
        ],
        kek_versions_in_use=in_use,
        rotation_needed=any(version != current for version in in_use),
        erasure_epoch=ErasureEpochStatus(
            waiting=due.requests, waiting_since=due.since, automatic=vault.can_turn_keys_over()
        ),
    )
