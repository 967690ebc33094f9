"""SCIM provisioning's side of the vault: identity providers' bearer tokens, the id a provider
knows a person by, and the people it creates, changes and deactivates (app/scim speaks the
protocol; this module holds what it reads and writes).

A provider's token is kept as its SHA-256 only (a token is 256 random bits, so an unkeyed hash
cannot be guessed back). The id a provider sees is a random UUID of its own (`ScimLink`), drawn
the first time SCIM shows the account, never the account id. Every answer that shows a person
to a provider is an audited read of their identity, like an administrator's.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import datetime
from typing import cast

from anyio import to_thread
from pydantic import BaseModel, Field
from sqlalchemy import delete, func, select

from app.db import VaultDbSession
from app.errors import NotFound
from app.kit.orm import utcnow
from app.vault.accounts import apply_profile_update, create_account, load_profile
from app.vault.admin import _active_admins
from app.vault.audit import record_read, record_reads
from app.vault.context import VaultContext
from app.vault.errors import AccountNotFound, LastAdmin
from app.vault.models import Account, AccountRole, DataKey, Pseudonym, ScimLink, ScimToken, Session
from app.vault.models import Profile as ProfileRow
from app.vault.schemas import Language, NewProfile, ProfileUpdate

TOKEN_PREFIX = "scim_"  # noqa: S105 (a marker, not a secret)
# How an identity provider shows in its subjects' audit trail ("who looked at my identity").
PROVIDER_ROLE = "provisioning"


class ScimTokenNotFound(NotFound, code="scim_token_not_found", title="No such SCIM token"): ...


class ScimTokenSummary(BaseModel):
    id: uuid.UUID
    provider: str = Field(description="The administrator's name for the identity provider")
    created_at: datetime
    revoked_at: datetime | None


class ScimTokenCreated(ScimTokenSummary):
    token: str = Field(description="The bearer token, shown this once: only its hash is kept")


class ScimUser(BaseModel):
    """A person as SCIM shows them to an identity provider."""

    scim_id: uuid.UUID
    email: str
    display_name: str
    given_name: str | None
    family_name: str | None
    department: str | None
    active: bool
    created_at: datetime
    updated_at: datetime


class ScimUserChange(BaseModel):
    """What a provider sets on a person (create, replace, or a patch already applied)."""

    email: str
    display_name: str
    given_name: str | None = None
    family_name: str | None = None
    department: str | None = None
    active: bool = True
    language: Language = "en"


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _summary(row: ScimToken) -> ScimTokenSummary:
    return ScimTokenSummary(
        id=row.id, provider=row.provider, created_at=row.created_at, revoked_at=row.revoked_at
    )


async def new_token(db: VaultDbSession, provider: str) -> ScimTokenCreated:
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ScimToken(provider=provider, token_hash=_token_hash(token), created_at=utcnow())
    db.add(row)
    await db.flush()
    return ScimTokenCreated(**_summary(row).model_dump(), token=token)


async def tokens(db: VaultDbSession) -> list[ScimTokenSummary]:
    rows = await db.scalars(select(ScimToken).order_by(ScimToken.created_at, ScimToken.id))
    return [_summary(row) for row in rows]


async def revoke_token(db: VaultDbSession, token_id: uuid.UUID) -> ScimTokenSummary:
    row = await db.get(ScimToken, token_id)
    if row is None:
        raise ScimTokenNotFound()
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        await db.flush()
    return _summary(row)


async def token_provider(db: VaultDbSession, token: str) -> ScimTokenSummary | None:
    """The provider this bearer token belongs to, or None (unknown or revoked)."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 100:
        return None
    row = await db.scalar(select(ScimToken).where(ScimToken.token_hash == _token_hash(token)))
    if row is None or row.revoked_at is not None:
        return None
    return _summary(row)


async def _link(db: VaultDbSession, account_id: uuid.UUID) -> ScimLink:
    """The account's SCIM id, drawn the first time SCIM shows the account."""
    link = await db.get(ScimLink, account_id)
    if link is None:
        link = ScimLink(account_id=account_id, scim_id=uuid.uuid4())
        db.add(link)
        await db.flush()
    return link


async def _user(ctx: VaultContext, db: VaultDbSession, account: Account) -> ScimUser:
    link = await _link(db, account.id)
    profile = await load_profile(ctx, db, account.id)
    cipher = await ctx.cipher(db, account.id)
    assert cipher is not None  # load_profile found it
    return ScimUser(
        scim_id=link.scim_id,
        email=profile.email,
        display_name=profile.display_name,
        given_name=cipher.open("scim_links", "given_name", link.given_name),
        family_name=cipher.open("scim_links", "family_name", link.family_name),
        department=profile.department,
        active=account.status != "disabled",
        created_at=account.created_at,
        updated_at=await _updated_at(db, account.id),
    )


async def _updated_at(db: VaultDbSession, account_id: uuid.UUID) -> datetime:
    updated: datetime | None = await db.scalar(
        select(ProfileRow.updated_at).where(ProfileRow.account_id == account_id)
    )
    return updated or utcnow()


async def _audited(
    db: VaultDbSession, provider: ScimTokenSummary, account_ids: list[uuid.UUID], action: str
) -> None:
    await record_reads(
        db,
        account_ids,
        actor_id=None,
        actor_role=PROVIDER_ROLE,
        action=action,
        reason=f"Identity provider {provider.provider} (SCIM provisioning)",
    )


async def _account_of(db: VaultDbSession, scim_id: uuid.UUID) -> Account:
    account = await db.scalar(
        select(Account)
        .join(ScimLink, ScimLink.account_id == Account.id)
        .where(ScimLink.scim_id == scim_id)
    )
    if account is None:
        raise AccountNotFound()
    return account


async def get_user(
    ctx: VaultContext, db: VaultDbSession, provider: ScimTokenSummary, scim_id: uuid.UUID
) -> ScimUser:
    account = await _account_of(db, scim_id)
    await _audited(db, provider, [account.id], "scim_read")
    return await _user(ctx, db, account)


async def find_by_user_name(
    ctx: VaultContext, db: VaultDbSession, provider: ScimTokenSummary, email: str
) -> ScimUser | None:
    account = await db.scalar(select(Account).where(Account.email_index == ctx.email_index(email)))
    if account is None:
        return None
    await _audited(db, provider, [account.id], "scim_read")
    return await _user(ctx, db, account)


async def list_users(
    ctx: VaultContext,
    db: VaultDbSession,
    provider: ScimTokenSummary,
    *,
    offset: int,
    limit: int,
) -> tuple[int, list[ScimUser]]:
    """Every account (an invited one too: its provider may manage it), in creation order."""
    total = int(await db.scalar(select(func.count()).select_from(Account)) or 0)
    accounts = list(
        await db.scalars(
            select(Account).order_by(Account.created_at, Account.id).offset(offset).limit(limit)
        )
    )
    await _audited(db, provider, [account.id for account in accounts], "scim_read")
    return total, [await _user(ctx, db, account) for account in accounts]


async def _seal_names(
    ctx: VaultContext, db: VaultDbSession, account_id: uuid.UUID, change: ScimUserChange
) -> None:
    link = await _link(db, account_id)
    cipher = await ctx.cipher(db, account_id)
    if cipher is None:
        raise AccountNotFound()
    link.given_name = cipher.seal("scim_links", "given_name", change.given_name)
    link.family_name = cipher.seal("scim_links", "family_name", change.family_name)


async def set_active(db: VaultDbSession, account: Account, active: bool) -> None:
    """Deactivate (every session ends at once; nothing the person did is touched) or
    reactivate. The last active administrator cannot be deactivated. An invitation not yet
    accepted stays one when it is "activated" (the person still has to accept it or sign in
    with single sign-on)."""
    if active:
        if account.status == "disabled":
            account.status = "active"
        return
    if account.status == "disabled":
        return
    is_admin = await db.scalar(
        select(AccountRole.role).where(
            AccountRole.account_id == account.id, AccountRole.role == "admin"
        )
    )
    if is_admin is not None and account.status == "active" and await _active_admins(db) <= 1:
        raise LastAdmin()
    account.status = "disabled"
    await db.execute(delete(Session).where(Session.account_id == account.id))


async def create_user(
    ctx: VaultContext, db: VaultDbSession, provider: ScimTokenSummary, change: ScimUserChange
) -> ScimUser:
    """A new account from the provider: active (it signs in with single sign-on, having no
    password) or already deactivated."""
    profile = NewProfile(
        display_name=change.display_name,
        email=change.email,
        department=change.department,
        language=change.language,
    )
    account_id = await create_account(
        ctx,
        db,
        profile,
        password=None,
        roles=[],
        status="active" if change.active else "disabled",
    )
    await _seal_names(ctx, db, account_id, change)
    await _audited(db, provider, [account_id], "scim_create")
    account = await db.get(Account, account_id)
    assert account is not None
    return await _user(ctx, db, account)


async def replace_user(
    ctx: VaultContext,
    db: VaultDbSession,
    provider: ScimTokenSummary,
    scim_id: uuid.UUID,
    change: ScimUserChange,
) -> ScimUser:
    account = await _account_of(db, scim_id)
    update = ProfileUpdate(
        display_name=change.display_name, email=change.email, department=change.department
    )
    await apply_profile_update(ctx, db, account, update)
    await _seal_names(ctx, db, account.id, change)
    await set_active(db, account, change.active)
    await db.flush()
    await record_read(
        db,
        account.id,
        actor_id=None,
        actor_role=PROVIDER_ROLE,
        action="scim_update",
        reason=f"Identity provider {provider.provider} (SCIM provisioning)",
    )
    return await _user(ctx, db, account)


async def deactivated_pseudonyms(
    ctx: VaultContext,
    db: VaultDbSession,
    scope_id: uuid.UUID,
    pseudonyms: list[uuid.UUID],
) -> set[uuid.UUID]:
    """Which of these pseudonyms (of one challenge or programme) belong to a deactivated
    account: what a new formation leaves out. Only deactivated accounts' owner tags are
    computed (one key unwrap each, off the event loop), and only pseudonyms leave."""
    if not pseudonyms:
        return set()
    rows = await db.execute(
        select(Pseudonym.owner_tag, Pseudonym.pseudonym).where(
            Pseudonym.challenge_id == scope_id, Pseudonym.pseudonym.in_(pseudonyms)
        )
    )
    pseudonym_of = {tag: pseudonym for tag, pseudonym in rows.all()}  # noqa: C416
    if not pseudonym_of:
        return set()
    data_keys = list(
        await db.scalars(
            select(DataKey)
            .join(Account, Account.id == DataKey.account_id)
            .where(Account.status == "disabled")
        )
    )

    def match() -> set[uuid.UUID]:
        found = set()
        for row in data_keys:
            tag = ctx.cipher_of(row).owner_tag
            if tag in pseudonym_of:
                found.add(pseudonym_of[tag])
        return found

    return cast(set[uuid.UUID], await to_thread.run_sync(match))


async def forget_link(db: VaultDbSession, account_id: uuid.UUID) -> None:
    """Erasure: the id the provider knew the account by goes with it."""
    await db.execute(delete(ScimLink).where(ScimLink.account_id == account_id))
