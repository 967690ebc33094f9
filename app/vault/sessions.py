"""Opaque session tokens: the cookie holds the token, the vault holds only its SHA-256."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import timedelta
from typing import cast

from sqlalchemy import delete, select

from app.db import VaultDbSession
from app.kit.orm import utcnow
from app.vault.context import VaultContext
from app.vault.crypto import keyed_digest
from app.vault.models import Account, AccountRole, Session
from app.vault.schemas import Language, Role, SessionInfo

# Writing last_seen_at on every request would turn reads into writes; a minute is precise enough.
LAST_SEEN_RESOLUTION = timedelta(minutes=1)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def csrf_token_for_session(ctx: VaultContext, token: str) -> str:
    return keyed_digest(ctx.csrf_key, "session:" + token_hash(token))


def csrf_token_for_seed(ctx: VaultContext, seed: str) -> str:
    return keyed_digest(ctx.csrf_key, "pre-session:" + seed)


async def open_session(ctx: VaultContext, db: VaultDbSession, account_id: uuid.UUID) -> str:
    token = secrets.token_urlsafe(32)
    now = utcnow()
    db.add(
        Session(
            account_id=account_id,
            token_hash=token_hash(token),
            created_at=now,
            last_seen_at=now,
            expires_at=now + timedelta(hours=ctx.settings.session_absolute_hours),
        )
    )
    await db.flush()
    return token


async def resolve_session(ctx: VaultContext, db: VaultDbSession, token: str) -> SessionInfo | None:
    """The live session for this token, or None (expired, revoked, account disabled)."""
    now = utcnow()
    row = await db.execute(
        select(Session, Account)
        .join(Account, Account.id == Session.account_id)
        .where(Session.token_hash == token_hash(token))
    )
    found = row.first()
    if found is None:
        return None
    session, account = found
    idle_limit = timedelta(minutes=ctx.settings.session_idle_minutes)
    if session.expires_at <= now or session.last_seen_at + idle_limit <= now:
        await db.delete(session)
        return None
    if account.status != "active":
        return None
    if now - session.last_seen_at >= LAST_SEEN_RESOLUTION:
        session.last_seen_at = now
    roles = await db.scalars(select(AccountRole.role).where(AccountRole.account_id == account.id))
    return SessionInfo(
        session_id=session.id,
        account_id=account.id,
        roles=cast(list[Role], sorted(roles)),
        language=cast(Language, account.language),
        csrf_token=csrf_token_for_session(ctx, token),
    )


async def close_session(db: VaultDbSession, session_id: uuid.UUID) -> None:
    await db.execute(delete(Session).where(Session.id == session_id))


async def close_all_sessions(db: VaultDbSession, account_id: uuid.UUID) -> int:
    result = await db.execute(delete(Session).where(Session.account_id == account_id))
    return int(getattr(result, "rowcount", 0) or 0)
