"""Invitations, accounts and roles, key status."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Depends, File, Query, UploadFile, status

from app.admin import service
from app.admin.errors import CsvNotReadable
from app.admin.schemas import KeyStatus, ScimTokenCreate
from app.auth.deps import AdminSession, CsrfFailed, MailService, RequestVault, VaultService
from app.db import AppDb, VaultDb
from app.errors import Forbidden, Unauthenticated, responses
from app.kit.mail import send_soon
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
    Language,
    LastAdmin,
    ScimTokenCreated,
    ScimTokenNotFound,
    ScimTokenSummary,
    UnknownCohort,
)

router = APIRouter(prefix="/admin", tags=["admin"])
# Under the default request body limit (CHALLENGE_MAX_BODY_BYTES, 1 MiB) with room for the
# multipart envelope; 5,000 rows (the import's row limit) of ordinary data fit in it.
MAX_CSV_BYTES = 900 * 1024


@router.post(
    "/invitations",
    status_code=status.HTTP_201_CREATED,
    response_model=InvitationCreated,
    responses=responses(Unauthenticated, Forbidden, CsrfFailed, EmailTaken, UnknownCohort),
)
async def invite(
    body: InvitationCreate,
    _: AdminSession,
    vault: RequestVault,
    background: BackgroundTasks,
    mail: MailService,
) -> InvitationCreated:
    """Invite one person; the code is shown once, and mailed to them with its link."""
    created = await vault.invite(body)
    send_soon(background, mail)
    return created


@router.post(
    "/invitations/import",
    response_model=ImportResult,
    responses=responses(Unauthenticated, Forbidden, CsrfFailed, CsvImportRejected, CsvNotReadable),
)
async def import_invitations(
    _: AdminSession,
    vault: RequestVault,
    background: BackgroundTasks,
    mail: MailService,
    file: Annotated[
        UploadFile,
        File(description="CSV: name, email, birth_year, department, manager_email, role"),
    ],
    dry_run: Annotated[
        bool, Query(description="Check only: report errors, import nothing")
    ] = False,
    language: Annotated[
        Language,
        Query(description="The language the imported people's pages and messages start in"),
    ] = "en",
) -> ImportResult:
    """Invite many people from a CSV file: all rows or none, with every error per row. Each
    invited person is mailed their invitation's link."""
    raw = await file.read(MAX_CSV_BYTES + 1)
    if len(raw) > MAX_CSV_BYTES:
        raise CsvNotReadable(f"The file is larger than {MAX_CSV_BYTES // 1024} KiB.")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CsvNotReadable("Save the file as UTF-8 CSV and try again.") from exc
    result = await vault.import_invitations(text, dry_run=dry_run, language=language)
    send_soon(background, mail)
    return result


@router.get(
    "/accounts",
    response_model=Page[AccountSummary],
    responses=responses(Unauthenticated, Forbidden, InvalidCursor),
)
async def list_accounts(
    session: AdminSession,
    vault: RequestVault,
    page: Annotated[PageParams, Depends(page_params)],
    q: Annotated[
        str | None,
        Query(max_length=100, description="Only accounts whose name or email contains this"),
    ] = None,
) -> Page[AccountSummary]:
    """Accounts with roles and status, optionally searched by name or email (the vault opens
    each sealed profile to compare); every identity shown is logged for its owner to see."""
    items, next_cursor = await vault.list_accounts(
        admin_id=session.account_id, cursor=page.cursor, limit=page.limit, search=q
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
    vault: RequestVault,
) -> AccountSummary:
    """Grant or remove roles, disable or re-enable an account."""
    return await vault.update_account(
        admin_id=session.account_id, account_id=account_id, update=body
    )


@router.get("/keys", response_model=KeyStatus, responses=responses(Unauthenticated, Forbidden))
async def key_status(
    _: AdminSession, vault: VaultService, vault_db: VaultDb, app_db: AppDb
) -> KeyStatus:
    """Each key-encryption key version: current, held, and what it still seals, by kind."""
    return await service.key_status(vault, vault_db, app_db)


@router.get(
    "/scim-tokens",
    response_model=list[ScimTokenSummary],
    responses=responses(Unauthenticated, Forbidden),
)
async def scim_tokens(_: AdminSession, vault: RequestVault) -> list[ScimTokenSummary]:
    """The identity providers' SCIM tokens, revoked ones too (never the tokens themselves)."""
    return await vault.scim_tokens()


@router.post(
    "/scim-tokens",
    status_code=status.HTTP_201_CREATED,
    response_model=ScimTokenCreated,
    responses=responses(Unauthenticated, Forbidden, CsrfFailed),
)
async def new_scim_token(
    body: ScimTokenCreate, _: AdminSession, vault: RequestVault
) -> ScimTokenCreated:
    """A bearer token for one identity provider's SCIM provisioning; shown this once."""
    return await vault.new_scim_token(body.provider)


@router.post(
    "/scim-tokens/{token_id}/revoke",
    response_model=ScimTokenSummary,
    responses=responses(Unauthenticated, Forbidden, CsrfFailed, ScimTokenNotFound),
)
async def revoke_scim_token(
    token_id: uuid.UUID, _: AdminSession, vault: RequestVault
) -> ScimTokenSummary:
    """Refuse the token from now on (its provider's next request gets 401)."""
    return await vault.revoke_scim_token(token_id)
