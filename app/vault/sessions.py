"""Opaque session tokens: the cookie holds the token, the vault holds only its SHA-256."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Collection
from datetime import timedelta
from typing import cast

from sqlalchemy import bindparam, delete, select, update

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


# Every signed-in request runs this: one statement (the session, its account and the account's
# roles, a row per role), built once. A statement object built per call costs more CPU than
# running it, and a reused one keeps its cache key (scripts/bench/inprocess.py).
_SESSION_WITH_ROLES = (
    select(
        Session.id,
        Session.account_id,
        Session.expires_at,
        Session.last_seen_at,
        Account.status,
        Account.language,
        AccountRole.role,
    )
    .join(Account, Account.id == Session.account_id)
    .outerjoin(AccountRole, AccountRole.account_id == Account.id)
    .where(Session.token_hash == bindparam("token_hash"))
)
# One statement for a request's own touch and for `touch_sessions`' batches.
_TOUCH_SESSIONS = (
    update(Session)
    .where(Session.id.in_(bindparam("session_ids", expanding=True)))
    .values(last_seen_at=bindparam("now"))
    .execution_options(synchronize_session=False)
)
_DROP_SESSION = delete(Session).where(Session.id == bindparam("session_id"))


async def resolve_session(ctx: VaultContext, db: VaultDbSession, token: str) -> SessionInfo | None:
    """The live session for this token, or None (expired, revoked, account disabled)."""
    now = utcnow()
    rows = (await db.execute(_SESSION_WITH_ROLES, {"token_hash": token_hash(token)})).all()
    if not rows:
        return None
    session_id, account_id, expires_at, last_seen_at, status, language, _ = rows[0]
    idle_limit = timedelta(minutes=ctx.settings.session_idle_minutes)
    if expires_at <= now or last_seen_at + idle_limit <= now:
        await db.execute(_DROP_SESSION, {"session_id": session_id})
        return None
    if status != "active":
        return None
    if now - last_seen_at >= LAST_SEEN_RESOLUTION:
        await db.execute(_TOUCH_SESSIONS, {"session_ids": [session_id], "now": now})
        last_seen_at = now
    return SessionInfo(
        session_id=session_id,
        account_id=account_id,
        roles=cast(list[Role], sorted(row.role for row in rows if row.role is not None)),
        language=cast(Language, language),
        csrf_token=csrf_token_for_session(ctx, token),
        ends_at=min(expires_at, last_seen_at + idle_limit),
    )


async def touch_sessions(ctx: VaultContext, session_ids: Collection[uuid.UUID]) -> None:
    """Mark these sessions seen now, in a transaction of its own: for reads answered without
    resolving their session again (replayed from the response cache), which would otherwise
    let it lapse for idleness."""
    if not session_ids:
        return
    async with ctx.sessions.begin() as db:
        await db.execute(_TOUCH_SESSIONS, {"session_ids": list(session_ids), "now": utcnow()})


async def close_session(db: VaultDbSession, session_id: uuid.UUID) -> None:
    await db.execute(delete(Session).where(Session.id == session_id))


async def close_all_sessions(db: VaultDbSession, account_id: uuid.UUID) -> int:
    result = await db.execute(delete(Session).where(Session.account_id == account_id))
    return int(getattr(result, "rowcount", 0) or 0)
