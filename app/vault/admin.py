"""Administration: invitations (one, or a CSV import) and accounts."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from anyio import to_thread
from pydantic import BaseModel, Field, ValidationError
from sqlalchemy import ColumnElement, and_, func, or_, select

from app.db import VaultDbSession
from app.errors import AppError, ParamValue, field_error_from_pydantic
from app.kit.orm import utcnow
from app.kit.pagination import InvalidCursor, decode_cursor, encode_cursor
from app.vault.accounts import (
    PROFILES,
    create_account,
    invitation_code_hash,
    load_profile,
    new_invitation_code,
)
from app.vault.audit import record_read, record_reads
from app.vault.cohorts import cohort_for_birth_year
from app.vault.context import VaultContext
from app.vault.errors import AccountNotFound, EmailTaken, LastAdmin, UnknownCohort
from app.vault.mail_queue import enqueue as enqueue_mail
from app.vault.messages import INVITATION_PATH, compose
from app.vault.models import Account, AccountRole, DataKey, Invitation, Session
from app.vault.models import Profile as ProfileRow
from app.vault.schemas import (
    AccountAdminUpdate,
    AccountSummary,
    InvitationCreate,
    InvitationCreated,
    Language,
    NewProfile,
)

INVITATION_LIFETIME = timedelta(days=30)
CSV_COLUMNS = ("name", "email", "birth_year", "department", "manager_email", "role")
MAX_CSV_ROWS = 5000


class CsvRowError(BaseModel):
    row: int
    field: str | None
    message: str
    code: str = Field(
        description="Stable reason: missing_columns, unknown_columns, too_many_rows, "
        "extra_cells, duplicate_email, account_exists, unknown_cohort, or a field rule's "
        "code, the same as in a validation error (required, too_long, out_of_range, "
        "not_an_email, ...)"
    )
    params: dict[str, ParamValue] = Field(
        default_factory=dict, description="What the reason refers to: columns, row, limit"
    )


class CsvPreviewRow(BaseModel):
    """One data row as the administrator uploaded it (their own file, read back): what will
    be invited, so that the check shows people rather than a count."""

    row: int = Field(description="As a spreadsheet numbers it: the header is row 1")
    display_name: str
    email: str
    cohort: str | None = Field(description="The generation the birth year gives")
    department: str | None
    role: str


class ImportedInvitation(InvitationCreated):
    """An imported row's invitation: its code is shown this once, with whom it is for."""

    row: int
    display_name: str
    email: str


class CsvImportRejected(
    AppError, code="csv_rejected", title="The file has errors; nothing was imported", status=422
): ...


class ImportResult(BaseModel):
    dry_run: bool
    valid_rows: int
    errors: list[CsvRowError]
    rows: list[CsvPreviewRow] = Field(
        default_factory=list, description="Every data row of the file, for the check to show"
    )
    invitations: list[ImportedInvitation]


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
    # The invitation's link, queued in this transaction: sent once the invitation exists.
    public_url = ctx.settings.public_url
    await enqueue_mail(
        ctx,
        db,
        [
            compose(
                "invitation",
                invitation.language,
                to=invitation.email,
                public_url=public_url,
                link=public_url + INVITATION_PATH + code,
                days=INVITATION_LIFETIME.days,
            )
        ],
    )
    return InvitationCreated(account_id=account_id, invitation_code=code, expires_at=expires_at)


def _cohort_of(ctx: VaultContext, birth_year: str) -> str | None:
    try:
        year = int(birth_year)
    except ValueError:
        return None
    return cohort_for_birth_year(year, ctx.settings.cohort_boundaries)


def parse_invitation_csv(
    text: str, ctx: VaultContext | None = None
) -> tuple[list[tuple[int, InvitationCreate]], list[CsvRowError], list[CsvPreviewRow]]:
    """Rows (numbered as a spreadsheet shows them: header is row 1), every problem found, and
    every data row as uploaded (for the check to show)."""
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip().lower() for name in (reader.fieldnames or [])]
    missing = [column for column in ("name", "email") if column not in header]
    if missing:
        return (
            [],
            [
                CsvRowError(
                    row=1,
                    field=None,
                    message=f"missing column(s): {', '.join(missing)}",
                    code="missing_columns",
                    params={"columns": ", ".join(missing)},
                )
            ],
            [],
        )
    unknown = [column for column in header if column not in CSV_COLUMNS]
    if unknown:
        return (
            [],
            [
                CsvRowError(
                    row=1,
                    field=None,
                    message=f"unknown column(s): {', '.join(unknown)}",
                    code="unknown_columns",
                    params={"columns": ", ".join(unknown)},
                )
            ],
            [],
        )
    rows: list[tuple[int, InvitationCreate]] = []
    errors: list[CsvRowError] = []
    preview: list[CsvPreviewRow] = []
    for number, raw in enumerate(reader, start=2):
        if number - 1 > MAX_CSV_ROWS:
            errors.append(
                CsvRowError(
                    row=number,
                    field=None,
                    message=f"more than {MAX_CSV_ROWS} rows",
                    code="too_many_rows",
                    params={"limit": MAX_CSV_ROWS},
                )
            )
            break
        values = {(key or "").strip().lower(): (value or "").strip() for key, value in raw.items()}
        preview.append(
            CsvPreviewRow(
                row=number,
                display_name=values.get("name") or "",
                email=values.get("email") or "",
                cohort=(
                    _cohort_of(ctx, values["birth_year"])
                    if ctx is not None and values.get("birth_year")
                    else None
                ),
                department=values.get("department") or None,
                role=values.get("role") or "participant",
            )
        )
        if None in raw:
            errors.append(
                CsvRowError(
                    row=number, field=None, message="more cells than columns", code="extra_cells"
                )
            )
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
                # The same codes and bounds as the forms' field errors (app/errors.py: e.g. a
                # birth year's out_of_range {min, max}); never the submitted value.
                problem = field_error_from_pydantic(err)
                errors.append(
                    CsvRowError(
                        row=number,
                        field=field,
                        message=problem.message,
                        code=problem.code,
                        params=problem.params,
                    )
                )
    return rows, errors, preview


async def import_invitations(
    ctx: VaultContext, db: VaultDbSession, text: str, *, dry_run: bool, language: Language = "en"
) -> ImportResult:
    """All rows or none: any error rejects the whole file, with every error listed. Every
    imported account starts in `language` (its sign-up page and messages)."""
    rows, errors, preview = parse_invitation_csv(text, ctx)
    seen: dict[str, int] = {}
    for number, invitation in rows:
        index = ctx.email_index(invitation.email)
        if index in seen:
            errors.append(
                CsvRowError(
                    row=number,
                    field="email",
                    message=f"same email as row {seen[index]}",
                    code="duplicate_email",
                    params={"row": seen[index]},
                )
            )
            continue
        seen[index] = number
        if await db.scalar(select(Account.id).where(Account.email_index == index)) is not None:
            errors.append(
                CsvRowError(
                    row=number,
                    field="email",
                    message="an account already exists",
                    code="account_exists",
                )
            )
    if errors or dry_run:
        if errors and not dry_run:
            raise CsvImportRejected(f"{len(errors)} problem(s) found; fix them and import again.")
        errors.sort(key=lambda error: error.row)
        return ImportResult(
            dry_run=dry_run, valid_rows=len(rows), errors=errors, rows=preview, invitations=[]
        )
    created = []
    for number, invitation in rows:
        try:
            made = await invite(ctx, db, invitation.model_copy(update={"language": language}))
        except (EmailTaken, UnknownCohort) as exc:  # raced with another import: reject it all
            raise CsvImportRejected(f"row {number}: {exc.detail}") from exc
        created.append(
            ImportedInvitation(
                **made.model_dump(),
                row=number,
                display_name=invitation.display_name,
                email=invitation.email,
            )
        )
    return ImportResult(
        dry_run=False, valid_rows=len(rows), errors=[], rows=preview, invitations=created
    )


# Accounts read per step while searching: each step is one query and one batch of decryption
# off the event loop.
SEARCH_BATCH = 500


def _after(cursor: str | None) -> ColumnElement[bool] | None:
    if not cursor:
        return None
    created_raw, id_raw = decode_cursor(cursor, 2)
    try:
        created_at = datetime.fromisoformat(str(created_raw))
        last_id = uuid.UUID(str(id_raw))
    except ValueError as exc:
        raise InvalidCursor() from exc
    return or_(
        Account.created_at > created_at,
        and_(Account.created_at == created_at, Account.id > last_id),
    )


async def _search(
    ctx: VaultContext, db: VaultDbSession, words: str, after: ColumnElement[bool] | None, limit: int
) -> list[Account]:
    """Accounts whose name or email contains `words` (any case), in list order, at most
    `limit`. Profiles are sealed per account, so the vault opens each one to compare: nothing
    searchable about a person is ever stored in the clear. Only the accounts returned are shown,
    and so only they are audited (by the caller)."""
    needle = words.casefold()
    found: list[Account] = []
    position = after
    while len(found) < limit:
        query = (
            select(Account, DataKey, ProfileRow.display_name, ProfileRow.email)
            .join(DataKey, DataKey.account_id == Account.id)
            .join(ProfileRow, ProfileRow.account_id == Account.id)
            .order_by(Account.created_at, Account.id)
            .limit(SEARCH_BATCH)
        )
        if position is not None:
            query = query.where(position)
        batch = (await db.execute(query)).all()
        if not batch:
            break

        def matches(batch: Sequence[Any] = batch) -> list[bool]:
            results = []
            for _, data_key, sealed_name, sealed_email in batch:
                cipher = ctx.cipher_of(data_key)
                name = cipher.open(PROFILES, "display_name", sealed_name) or ""
                email = cipher.open(PROFILES, "email", sealed_email) or ""
                results.append(needle in name.casefold() or needle in email.casefold())
            return results

        for (account, *_), hit in zip(batch, await to_thread.run_sync(matches), strict=True):
            if hit:
                found.append(account)
        last = batch[-1][0]
        position = or_(
            Account.created_at > last.created_at,
            and_(Account.created_at == last.created_at, Account.id > last.id),
        )
        if len(batch) < SEARCH_BATCH:
            break
    return found[:limit]


async def list_accounts(
    ctx: VaultContext,
    db: VaultDbSession,
    *,
    admin_id: uuid.UUID,
    cursor: str | None,
    limit: int,
    search: str | None = None,
) -> tuple[list[AccountSummary], str | None]:
    """A page of accounts with names and emails (those whose name or email contains `search`,
    when given); each identity shown is an audited read."""
    after = _after(cursor)
    words = (search or "").strip()
    if words:
        accounts = await _search(ctx, db, words, after, limit + 1)
    else:
        query = select(Account).order_by(Account.created_at, Account.id).limit(limit + 1)
        if after is not None:
            query = query.where(after)
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
        action="search_accounts" if words else "list_accounts",
        reason="Account search in administration" if words else "Account list in administration",
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
