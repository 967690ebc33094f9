"""Administration: invitations (one, or a CSV import) and accounts."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import datetime, timedelta

from pydantic import BaseModel, ValidationError
from sqlalchemy import and_, func, or_, select

from app.db import VaultDbSession
from app.errors import AppError
from app.kit.orm import utcnow
from app.kit.pagination import decode_cursor, encode_cursor
from app.vault.accounts import (
    create_account,
    invitation_code_hash,
    load_profile,
    new_invitation_code,
)
from app.vault.audit import record_read, record_reads
from app.vault.context import VaultContext
from app.vault.errors import AccountNotFound, EmailTaken, LastAdmin, UnknownCohort
from app.vault.models import Account, AccountRole, Invitation, Session
from app.vault.schemas import (
    AccountAdminUpdate,
    AccountSummary,
    InvitationCreate,
    InvitationCreated,
    NewProfile,
)

INVITATION_LIFETIME = timedelta(days=30)
CSV_COLUMNS = ("name", "email", "birth_year", "department", "manager_email", "role")
MAX_CSV_ROWS = 5000


class CsvRowError(BaseModel):
    row: int
    field: str | None
    message: str


class CsvImportRejected(
    AppError, code="csv_rejected", title="The file has errors; nothing was imported", status=422
): ...


class ImportResult(BaseModel):
    dry_run: bool
    valid_rows: int
    errors: list[CsvRowError]
    invitations: list[InvitationCreated]


async def invite(
    ctx: VaultContext, db: VaultDbSession, invitation: InvitationCreate
) -> InvitationCreated:
    """An invited account (profile encrypted now, password set by the person) and its code."""
    profile = invitation.model_dump(exclude={"role"})
    account_id = await create_account(
        ctx,
        db,
        NewProfile.model_validate(profile),
        password=None,
        roles=[invitation.role],
        status="invited",
    )
    code = new_invitation_code()
    expires_at = utcnow() + INVITATION_LIFETIME
    db.add(
        Invitation(
            account_id=account_id, code_hash=invitation_code_hash(code), expires_at=expires_at
        )
    )
    await db.flush()
    return InvitationCreated(account_id=account_id, invitation_code=code, expires_at=expires_at)


def parse_invitation_csv(text: str) -> tuple[list[tuple[int, InvitationCreate]], list[CsvRowError]]:
    """Rows (numbered as a spreadsheet shows them: header is row 1) and every problem found."""
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip().lower() for name in (reader.fieldnames or [])]
    missing = [column for column in ("name", "email") if column not in header]
    if missing:
        return [], [
            CsvRowError(row=1, field=None, message=f"missing column(s): {', '.join(missing)}")
        ]
    unknown = [column for column in header if column not in CSV_COLUMNS]
    if unknown:
        return [], [
            CsvRowError(row=1, field=None, message=f"unknown column(s): {', '.join(unknown)}")
        ]
    rows: list[tuple[int, InvitationCreate]] = []
    errors: list[CsvRowError] = []
    for number, raw in enumerate(reader, start=2):
        if number - 1 > MAX_CSV_ROWS:
            errors.append(
                CsvRowError(row=number, field=None, message=f"more than {MAX_CSV_ROWS} rows")
            )
            break
        values = {(key or "").strip().lower(): (value or "").strip() for key, value in raw.items()}
        if None in raw:
            errors.append(CsvRowError(row=number, field=None, message="more cells than columns"))
            continue
        data: dict[str, object] = {
            "display_name": values.get("name"),
            "email": values.get("email"),
            "role": values.get("role") or "participant",
        }
        for column in ("birth_year", "department", "manager_email"):
            if values.get(column):
                data[column] = values[column]
        try:
            rows.append((number, InvitationCreate.model_validate(data)))
        except ValidationError as exc:
            for err in exc.errors():
                field = str(err["loc"][0]) if err["loc"] else None
                field = "name" if field == "display_name" else field
                errors.append(CsvRowError(row=number, field=field, message=err["msg"]))
    return rows, errors


async def import_invitations(
    ctx: VaultContext, db: VaultDbSession, text: str, *, dry_run: bool
) -> ImportResult:
    """All rows or none: any error rejects the whole file, with every error listed."""
    rows, errors = parse_invitation_csv(text)
    seen: dict[str, int] = {}
    for number, invitation in rows:
        index = ctx.email_index(invitation.email)
        if index in seen:
            errors.append(
                CsvRowError(row=number, field="email", message=f"same email as row {seen[index]}")
            )
            continue
        seen[index] = number
        if await db.scalar(select(Account.id).where(Account.email_index == index)) is not None:
            errors.append(
                CsvRowError(row=number, field="email", message="an account already exists")
            )
    if errors or dry_run:
        if errors and not dry_run:
            raise CsvImportRejected(f"{len(errors)} problem(s) found; fix them and import again.")
        return ImportResult(dry_run=dry_run, valid_rows=len(rows), errors=errors, invitations=[])
    created = []
    for number, invitation in rows:
        try:
            created.append(await invite(ctx, db, invitation))
        except (EmailTaken, UnknownCohort) as exc:  # raced with another import: reject it all
            raise CsvImportRejected(f"row {number}: {exc.detail}") from exc
    return ImportResult(dry_run=False, valid_rows=len(rows), errors=[], invitations=created)


async def list_accounts(
    ctx: VaultContext,
    db: VaultDbSession,
    *,
    admin_id: uuid.UUID,
    cursor: str | None,
    limit: int,
) -> tuple[list[AccountSummary], str | None]:
    """A page of accounts with names and emails; each identity shown is an audited read."""
    query = select(Account).order_by(Account.created_at, Account.id).limit(limit + 1)
    if cursor:
        created_raw, id_raw = decode_cursor(cursor, 2)
        created_at = datetime.fromisoformat(str(created_raw))
        last_id = uuid.UUID(str(id_raw))
        query = query.where(
            or_(
                Account.created_at > created_at,
                and_(Account.created_at == created_at, Account.id > last_id),
            )
        )
    accounts = list(await db.scalars(query))
    next_cursor = None
    if len(accounts) > limit:
        accounts = accounts[:limit]
        next_cursor = encode_cursor([accounts[-1].created_at.isoformat(), str(accounts[-1].id)])
    summaries = []
    for account in accounts:
        profile = await load_profile(ctx, db, account.id)
        summaries.append(
            AccountSummary(
                account_id=account.id,
                display_name=profile.display_name,
                email=profile.email,
                roles=profile.roles,
                status=profile.status,
                created_at=account.created_at,
            )
        )
    await record_reads(
        db,
        [account.id for account in accounts if account.id != admin_id],
        actor_id=admin_id,
        actor_role="admin",
        action="list_accounts",
        reason="Account list in administration",
    )
    return summaries, next_cursor


async def _active_admins(db: VaultDbSession) -> int:
    count = await db.scalar(
        select(func.count())
        .select_from(AccountRole)
        .join(Account, Account.id == AccountRole.account_id)
        .where(AccountRole.role == "admin", Account.status == "active")
    )
    return int(count or 0)


async def update_account(
    ctx: VaultContext,
    db: VaultDbSession,
    *,
    admin_id: uuid.UUID,
    account_id: uuid.UUID,
    update: AccountAdminUpdate,
) -> AccountSummary:
    account = await db.get(Account, account_id)
    if account is None:
        raise AccountNotFound()
    current_roles = set(
        await db.scalars(select(AccountRole.role).where(AccountRole.account_id == account_id))
    )
    loses_admin = "admin" in current_roles and (
        (update.roles is not None and "admin" not in update.roles) or update.disabled is True
    )
    if loses_admin and account.status == "active" and await _active_admins(db) <= 1:
        raise LastAdmin()
    if update.roles is not None:
        wanted = {"participant", *update.roles}
        for role in current_roles - wanted:
            row = await db.get(AccountRole, (account_id, role))
            if row is not None:
                await db.delete(row)
        for role in wanted - current_roles:
            db.add(AccountRole(account_id=account_id, role=role))
    if update.disabled is not None and account.status != "invited":
        account.status = "disabled" if update.disabled else "active"
        if update.disabled:
            sessions = await db.scalars(select(Session).where(Session.account_id == account_id))
            for session in sessions:
                await db.delete(session)
    await db.flush()
    profile = await load_profile(ctx, db, account_id)
    if account_id != admin_id:
        await record_read(
            db,
            account_id,
            actor_id=admin_id,
            actor_role="admin",
            action="update_account",
            reason="Roles or status changed in administration",
        )
    return AccountSummary(
        account_id=account_id,
        display_name=profile.display_name,
        email=profile.email,
        roles=profile.roles,
        status=profile.status,
        created_at=account.created_at,
    )
