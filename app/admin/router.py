"""Invitations, accounts and roles, key status."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, File, Query, UploadFile, status
from pydantic import BaseModel

from app.admin.keys import KINDS, sealed_by_kek_version
from app.auth.deps import AdminSession, CsrfFailed, VaultService
from app.db import AppDb, VaultDb
from app.errors import AppError, Forbidden, Unauthenticated, responses
from app.kit.pagination import InvalidCursor, Page, PageParams, page_params
from app.vault import (
    AccountAdminUpdate,
    AccountNotFound,
    AccountSummary,
    CsvImportRejected,
    EmailTaken,
    ImportResult,
    InvitationCreate,
    InvitationCreated,
    LastAdmin,
    UnknownCohort,
)

router = APIRouter(prefix="/admin", tags=["admin"])
# Under the default request body limit (CHALLENGE_MAX_BODY_BYTES, 1 MiB) with room for the
# multipart envelope; 5,000 rows (the import's row limit) of ordinary data fit in it.
MAX_CSV_BYTES = 900 * 1024


class CsvNotReadable(AppError):
    code = "csv_not_readable"
    title = "The file is not a readable UTF-8 CSV"


class KekVersionStatus(BaseModel):
    kek_version: int
    current: bool
    # Whether this worker's key document holds the key (a version that seals something but is
    # not held can no longer be opened).
    available: bool
    # How much of each kind of sealed material the version seals: account_data_key,
    # review_round_signing_key (open rounds only; a closed round's keys are destroyed).
    sealed: dict[str, int]


class ErasureEpochStatus(BaseModel):
    waiting: int
    waiting_since: datetime | None
    # False when the keys come from CHALLENGE_KEYS: their holder must rotate them.
    automatic: bool


class KeyStatus(BaseModel):
    current_kek_version: int
    kek_versions: list[KekVersionStatus]
    # Versions that seal anything, of any kind.
    kek_versions_in_use: list[int]
    # Anything is still sealed under a version other than the current one.
    rotation_needed: bool
    # Erasures and round closes whose old copies the next erasure epoch makes useless, and
    # since when the oldest waits (docs/privacy.md, "Erasure").
    erasure_epoch: ErasureEpochStatus


@router.post(
    "/invitations",
    status_code=status.HTTP_201_CREATED,
    response_model=InvitationCreated,
    responses=responses(Unauthenticated, Forbidden, CsrfFailed, EmailTaken, UnknownCohort),
)
async def invite(
    body: InvitationCreate, _: AdminSession, vault: VaultService, db: VaultDb
) -> InvitationCreated:
    """Invite one person; the code is shown once."""
    return await vault.invite(db, body)


@router.post(
    "/invitations/import",
    response_model=ImportResult,
    responses=responses(Unauthenticated, Forbidden, CsrfFailed, CsvImportRejected, CsvNotReadable),
)
async def import_invitations(
    _: AdminSession,
    vault: VaultService,
    db: VaultDb,
    file: Annotated[
        UploadFile,
        File(description="CSV: name, email, birth_year, department, manager_email, role"),
    ],
    dry_run: Annotated[
        bool, Query(description="Check only: report errors, import nothing")
    ] = False,
) -> ImportResult:
    """Invite many people from a CSV file: all rows or none, with every error per row."""
    raw = await file.read(MAX_CSV_BYTES + 1)
    if len(raw) > MAX_CSV_BYTES:
        raise CsvNotReadable(f"The file is larger than {MAX_CSV_BYTES // 1024} KiB.")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CsvNotReadable("Save the file as UTF-8 CSV and try again.") from exc
    return await vault.import_invitations(db, text, dry_run=dry_run)


@router.get(
    "/accounts",
    response_model=Page[AccountSummary],
    responses=responses(Unauthenticated, Forbidden, InvalidCursor),
)
async def list_accounts(
    session: AdminSession,
    vault: VaultService,
    db: VaultDb,
    page: Annotated[PageParams, Depends(page_params)],
) -> Page[AccountSummary]:
    """Accounts with roles and status; every identity shown is logged for its owner to see."""
    items, next_cursor = await vault.list_accounts(
        db, admin_id=session.account_id, cursor=page.cursor, limit=page.limit
    )
    return Page(items=items, next_cursor=next_cursor)


@router.patch(
    "/accounts/{account_id}",
    response_model=AccountSummary,
    responses=responses(Unauthenticated, Forbidden, CsrfFailed, AccountNotFound, LastAdmin),
)
async def update_account(
    account_id: uuid.UUID,
    body: AccountAdminUpdate,
    session: AdminSession,
    vault: VaultService,
    db: VaultDb,
) -> AccountSummary:
    """Grant or remove roles, disable or re-enable an account."""
    return await vault.update_account(
        db, admin_id=session.account_id, account_id=account_id, update=body
    )


@router.get("/keys", response_model=KeyStatus, responses=responses(Unauthenticated, Forbidden))
async def key_status(_: AdminSession, vault: VaultService, db: VaultDb, app_db: AppDb) -> KeyStatus:
    """Each key-encryption key version: current, held, and what it still seals, by kind."""
    current = vault.current_kek_version()
    held = set(vault.kek_versions())
    sealed = await sealed_by_kek_version(vault, db, app_db)
    due = await vault.pending_key_epoch(db)
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
