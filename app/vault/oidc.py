"""Single sign-on, the vault's side: who an identity at the provider is here, and the
short-lived state of a sign-in in flight.

The provider's answer has been checked before it gets here (app/auth/oidc.py: signature,
issuer, audience, nonce, a verified e-mail). An identity is found first by its link, a keyed
index of (issuer, subject), so that the provider changing the person's e-mail does not lose
their account; then by the e-mail's blind index, which records the link; else, when allowed, a
new account is provisioned. Every check that can refuse runs before the first write: the
callback answers a refusal with a redirect, so the request's transaction still commits.
"""

from __future__ import annotations

import base64
import json
import secrets
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import delete, func, select, update

from app.db import VaultDbSession
from app.errors import Conflict, Forbidden
from app.kit.orm import utcnow
from app.vault.accounts import create_account
from app.vault.audit import record_read
from app.vault.context import VaultContext
from app.vault.crypto import keyed_digest
from app.vault.errors import AccountNotFound
from app.vault.models import (
    Account,
    AccountRole,
    EmailConfirmation,
    Invitation,
    OidcLink,
    Session,
)
from app.vault.schemas import Language, NewProfile, Role

LINKS = "oidc_links"
STATE_NONCE_BYTES = 12
# How long a re-authentication at the provider confirms an action of its session: long enough
# to read the confirmation and press the button once back, short enough that a session left
# open afterwards is an ordinary session again soon.
REAUTHENTICATION_VALID_FOR = timedelta(minutes=5)


class SsoAccountDisabled(
    Forbidden, code="sso_account_disabled", title="This account is disabled"
): ...


class SsoNoAccount(
    Forbidden, code="sso_no_account", title="No account uses this e-mail; ask for an invitation"
): ...


class SsoIdentityMismatch(
    Conflict,
    code="sso_identity_mismatch",
    title="This account is linked to another identity at the provider",
):
    """The e-mail leads to an account already linked to another subject: a provider that
    gave a departed person's address to someone new must not hand them the old account."""


class SsoLinkedElsewhere(
    Conflict,
    code="sso_linked_elsewhere",
    title="This identity at the provider is linked to another account",
): ...


class SsoReauthenticationMismatch(
    Forbidden,
    code="sso_reauthentication_mismatch",
    title="You signed in at the provider as someone else than this account's person",
):
    """A re-authentication must be done by the identity linked to the signed-in account:
    anyone else's sign-in at the provider confirms nothing here."""


@dataclass(frozen=True, slots=True)
class SsoIdentity:
    """What a checked ID token (and userinfo) says about the person."""

    issuer: str
    subject: str
    email: str
    display_name: str
    language: Language | None


@dataclass(frozen=True, slots=True)
class RoleGrant:
    """The roles the claim mapping manages (`managed`) and those the person's claim values
    grant now (`granted`): roles outside `managed` are never touched."""

    managed: frozenset[Role]
    granted: frozenset[Role]


@dataclass(frozen=True, slots=True)
class SsoSignIn:
    account_id: uuid.UUID
    created: bool


def _subject_index(ctx: VaultContext, issuer: str, subject: str) -> str:
    key = ctx.keys.derive_secret("blind-index:oidc-subject")
    # Length-prefixed so that no (issuer, subject) pair can be shifted into another one.
    return keyed_digest(key, f"{len(issuer)}:{issuer}{subject}")


async def _active_admins(db: VaultDbSession) -> int:
    count = await db.scalar(
        select(func.count())
        .select_from(AccountRole)
        .join(Account, Account.id == AccountRole.account_id)
        .where(AccountRole.role == "admin", Account.status == "active")
    )
    return int(count or 0)


async def _apply_roles(db: VaultDbSession, account: Account, grant: RoleGrant) -> None:
    held = set(
        await db.scalars(select(AccountRole.role).where(AccountRole.account_id == account.id))
    )
    for role in sorted(grant.managed):
        if role in grant.granted and role not in held:
            db.add(AccountRole(account_id=account.id, role=role))
        elif role not in grant.granted and role in held:
            # The provider's groups never leave the service without an administrator (the
            # rule the admin page applies, LastAdmin): the role stays until someone else has it.
            if role == "admin" and account.status == "active" and await _active_admins(db) <= 1:
                continue
            row = await db.get(AccountRole, (account.id, role))
            if row is not None:
                await db.delete(row)
    await db.flush()


async def _record_link(
    ctx: VaultContext, db: VaultDbSession, account_id: uuid.UUID, identity: SsoIdentity
) -> None:
    cipher = await ctx.cipher(db, account_id)
    if cipher is None:
        raise AccountNotFound()
    sealed = cipher.seal(LINKS, "subject", json.dumps([identity.issuer, identity.subject]))
    assert sealed is not None
    await db.execute(delete(OidcLink).where(OidcLink.account_id == account_id))
    db.add(
        OidcLink(
            account_id=account_id,
            subject_index=_subject_index(ctx, identity.issuer, identity.subject),
            subject=sealed,
        )
    )
    await db.flush()


async def _linked_account(
    ctx: VaultContext, db: VaultDbSession, identity: SsoIdentity
) -> uuid.UUID | None:
    return await _linked_account_of(ctx, db, identity.issuer, identity.subject)


async def _linked_account_of(
    ctx: VaultContext, db: VaultDbSession, issuer: str, subject: str
) -> uuid.UUID | None:
    return await db.scalar(
        select(OidcLink.account_id).where(
            OidcLink.subject_index == _subject_index(ctx, issuer, subject)
        )
    )


async def _activate_invited(db: VaultDbSession, account: Account) -> None:
    """An invited account whose address the provider has just vouched for. A password on it
    was chosen in an open sign-up that nobody confirmed from the mailbox, perhaps by someone
    else: it must not become usable now, so it goes (the person can set one later)."""
    account.status = "active"
    account.password_hash = None
    await db.execute(delete(Invitation).where(Invitation.account_id == account.id))
    await db.execute(
        delete(EmailConfirmation).where(
            EmailConfirmation.account_id == account.id, EmailConfirmation.purpose == "sign_up"
        )
    )


async def sign_in(
    ctx: VaultContext,
    db: VaultDbSession,
    identity: SsoIdentity,
    *,
    create_accounts: bool,
    roles: RoleGrant | None,
) -> SsoSignIn:
    """The account this identity signs in to (found by its link, else by its e-mail, else
    provisioned), with the mapped roles brought up to date."""
    account_id = await _linked_account(ctx, db, identity)
    has_link = account_id is not None
    if account_id is None:
        account_id = await db.scalar(
            select(Account.id).where(Account.email_index == ctx.email_index(identity.email))
        )
    account = await db.get(Account, account_id) if account_id is not None else None
    if account is not None and account.status == "disabled":
        raise SsoAccountDisabled()
    if account is not None and not has_link and await is_linked(db, account.id):
        raise SsoIdentityMismatch()
    if account is None and not create_accounts:
        raise SsoNoAccount()
    created = account is None
    if account is None:
        new_id = await create_account(
            ctx,
            db,
            NewProfile(
                display_name=identity.display_name,
                email=identity.email,
                language=identity.language or "en",
            ),
            password=None,
            roles=[],
            status="active",
        )
        account = await db.get(Account, new_id)
        assert account is not None
    if account.status == "invited":
        await _activate_invited(db, account)
    if not has_link:
        await _record_link(ctx, db, account.id, identity)
    if roles is not None:
        await _apply_roles(db, account, roles)
    await record_read(
        db,
        account.id,
        actor_id=account.id,
        actor_role="participant",
        action="sso_sign_in" if has_link else "sso_link",
        reason="Signed in with single sign-on"
        if has_link
        else "Account linked to an identity at the single sign-on provider",
    )
    return SsoSignIn(account_id=account.id, created=created)


async def link(
    ctx: VaultContext, db: VaultDbSession, account_id: uuid.UUID, identity: SsoIdentity
) -> None:
    """Link the signed-in person's account to their identity at the provider (replacing a
    previous link of theirs); the identity must not be another account's already."""
    owner = await _linked_account(ctx, db, identity)
    if owner is not None and owner != account_id:
        raise SsoLinkedElsewhere()
    if owner is None:
        await _record_link(ctx, db, account_id, identity)
    await record_read(
        db,
        account_id,
        actor_id=account_id,
        actor_role="participant",
        action="sso_link",
        reason="Account linked to an identity at the single sign-on provider",
    )


async def is_linked(db: VaultDbSession, account_id: uuid.UUID) -> bool:
    return (
        await db.scalar(select(OidcLink.account_id).where(OidcLink.account_id == account_id))
    ) is not None


async def forget_links(db: VaultDbSession, account_id: uuid.UUID) -> None:
    await db.execute(delete(OidcLink).where(OidcLink.account_id == account_id))


@dataclass(frozen=True, slots=True)
class SsoLinkRecord:
    """The account's link as kept: the provider (issuer) and the person's subject there."""

    issuer: str
    subject: str
    linked_at: datetime


async def link_of(
    ctx: VaultContext, db: VaultDbSession, account_id: uuid.UUID
) -> SsoLinkRecord | None:
    """The account's link, opened with its data key, for its own record and export."""
    row = await db.get(OidcLink, account_id)
    cipher = await ctx.cipher(db, account_id) if row is not None else None
    if row is None or cipher is None:
        return None
    opened = cipher.open(LINKS, "subject", row.subject)
    if opened is None:
        return None
    issuer, subject = json.loads(opened)
    return SsoLinkRecord(issuer=str(issuer), subject=str(subject), linked_at=row.linked_at)


async def reauthenticate(
    ctx: VaultContext,
    db: VaultDbSession,
    *,
    session_id: uuid.UUID,
    account_id: uuid.UUID,
    issuer: str,
    subject: str,
) -> None:
    """Mark the session as re-authenticated now at the provider, by the identity linked to
    its account; someone else's identity (another subject, or one linked to nobody) is
    refused."""
    if await _linked_account_of(ctx, db, issuer, subject) != account_id:
        raise SsoReauthenticationMismatch()
    result = await db.execute(
        update(Session)
        .where(Session.id == session_id, Session.account_id == account_id)
        .values(reauthenticated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if not getattr(result, "rowcount", 0):
        raise AccountNotFound()
    await record_read(
        db,
        account_id,
        actor_id=account_id,
        actor_role="participant",
        action="sso_reauthentication",
        reason="Signed in again with single sign-on to confirm an action",
    )


async def take_reauthentication(db: VaultDbSession, session_id: uuid.UUID) -> bool:
    """Whether the session was re-authenticated within REAUTHENTICATION_VALID_FOR; if so it is
    spent (one confirmed action per re-authentication, kept only if that action commits)."""
    result = await db.execute(
        update(Session)
        .where(
            Session.id == session_id,
            Session.reauthenticated_at >= utcnow() - REAUTHENTICATION_VALID_FOR,
        )
        .values(reauthenticated_at=None)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))


# The state of a sign-in in flight (state, nonce, PKCE verifier, what it is for) travels in a
# cookie of the browser that started it, sealed (AES-GCM) under a key derived in the vault like
# the CSRF key: no row is written before anyone is signed in, so starting sign-ins cannot fill
# a table, and the verifier and nonce stay unreadable to the page's scripts and to the
# provider. The expiry is inside the sealed payload, not only on the cookie.
def _state_key(ctx: VaultContext) -> bytes:
    return ctx.keys.derive_secret("oidc-state")


def seal_state(ctx: VaultContext, payload: dict[str, Any], *, ttl_s: int) -> str:
    nonce = secrets.token_bytes(STATE_NONCE_BYTES)
    body = json.dumps({**payload, "exp": int(time.time()) + ttl_s}).encode()
    sealed = AESGCM(_state_key(ctx)).encrypt(nonce, body, b"oidc-state")
    return base64.urlsafe_b64encode(nonce + sealed).decode().rstrip("=")


def open_state(ctx: VaultContext, token: str) -> dict[str, Any] | None:
    """The payload, or None if the cookie is not one we sealed or it has expired."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        body = AESGCM(_state_key(ctx)).decrypt(
            raw[:STATE_NONCE_BYTES], raw[STATE_NONCE_BYTES:], b"oidc-state"
        )
        payload = json.loads(body)
    except (ValueError, InvalidTag):
        return None
    if not isinstance(payload, dict) or int(payload.get("exp", 0)) < time.time():
        return None
    return payload
