"""Opaque session tokens: the cookie holds the token, the vault holds only its SHA-256."""

from __future__ import annotations

import asyncio
import hashlib
import secrets
import sqlite3
import uuid
from collections.abc import Collection, Iterable
from datetime import timedelta
from typing import Any, cast

import asyncpg
from sqlalchemy import URL, bindparam, delete, select, update
from starlette.requests import cookie_parser

from app.db import VaultDbSession
from app.kit.direct_select import DirectSelect
from app.kit.orm import utcnow
from app.vault.context import OWN_DATA_KEY, OWN_SESSION_ROWS, OwnDataKey, VaultContext
from app.vault.crypto import keyed_digest
from app.vault.models import Account, AccountRole, DataKey, Session
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


# Every signed-in request runs this: one statement (the session, its account, the account's
# roles, a row per role, and its wrapped data key), built once. A statement object built per
# call costs more CPU than running it, and a reused one keeps its cache key
# (scripts/bench/inprocess.py).
_SESSION_WITH_ROLES = DirectSelect(
    select(
        Session.id,
        Session.account_id,
        Session.expires_at,
        Session.last_seen_at,
        Account.status,
        Account.language,
        AccountRole.role,
        DataKey.key_version,
        DataKey.kek_version,
        DataKey.wrapped_key,
    )
    .join(Account, Account.id == Session.account_id)
    .outerjoin(AccountRole, AccountRole.account_id == Account.id)
    .outerjoin(DataKey, DataKey.account_id == Account.id)
    .where(Session.token_hash == bindparam("token_hash"))
    .execution_options(**{OWN_SESSION_ROWS: True})
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
    rows = await _SESSION_WITH_ROLES.rows(db, {"token_hash": token_hash(token)})
    if not rows:
        return None
    session_id, account_id, expires_at, last_seen_at, status, language, _, *data_key = rows[0]
    idle_limit = timedelta(minutes=ctx.settings.session_idle_minutes)
    if expires_at <= now or last_seen_at + idle_limit <= now:
        # In a transaction of its own, as the touch below: the request's may only read
        # (app/db.py), and a request refused for want of a session rolls its own back.
        async with ctx.sessions.begin() as own:
            await own.execute(_DROP_SESSION, {"session_id": session_id})
        return None
    if status != "active":
        return None
    key_version, kek_version, wrapped_key = data_key
    if wrapped_key is not None:  # None: shredded (an erased account has no session left)
        db.info[OWN_DATA_KEY] = OwnDataKey(account_id, key_version, kek_version, wrapped_key)
    if now - last_seen_at >= LAST_SEEN_RESOLUTION:
        # In a transaction of its own, committed before the request writes anything: in the
        # request's, the session row (which names the account) would share a commit with what
        # the request writes, a join's owner-tagged pseudonym row for one, and a WAL would keep
        # the two side by side; and on SQLite it would hold the vault's write lock for the
        # whole request, so another vault transaction in it (mail queued) waited it out.
        await touch_sessions(ctx, [session_id])
        last_seen_at = now
    return SessionInfo(
        session_id=session_id,
        account_id=account_id,
        roles=cast(list[Role], sorted(row.role for row in rows if row.role is not None)),
        language=cast(Language, language),
        csrf_token=csrf_token_for_session(ctx, token),
        ends_at=min(expires_at, last_seen_at + idle_limit),
    )


# What `SessionDigests` reads: of the rows `OWN_SESSION_ROWS` statements read, what an answer can
# depend on (not last_seen_at, which only moves the session's end, nor the data key's wrapping,
# which a rotation changes without changing the key; the wrapped key is read to compute the
# owner tag). Raw SQL on a connection of its own, like the cache's change counts
# (app/cache/changes.py): it runs before every cacheable request, and a pooled ORM session
# costs several times the read.
_STATES_SQL = (
    "SELECT s.token_hash, s.id, s.account_id, s.expires_at, a.status, a.language, r.role, "
    "k.key_version, k.kek_version, k.wrapped_key FROM sessions s "
    "JOIN accounts a ON a.id = s.account_id LEFT JOIN account_roles r ON r.account_id = a.id "
    "LEFT JOIN data_keys k ON k.account_id = a.id WHERE s.token_hash {}"
)
_PSEUDONYMS_SQL = "SELECT owner_tag, challenge_id, pseudonym FROM pseudonyms WHERE owner_tag {}"
_POSTGRES_TIMEOUT_S = 5.0


class SessionDigests:
    """A session's key (`key_of` its request's Cookie headers: its token's hash) -> a digest of
    every row a statement marked `OWN_SESSION_ROWS` can read for it (the session, its account,
    roles, data key and the account's pseudonyms, by owner tag), for the sessions that exist.
    Read-only: two statements for any number of sessions, one key unwrap per account (the
    pseudonym rows name their owner by a tag only the data key computes). Nothing is written
    and nothing is kept: the digests live in the caller's memory, and so do the pseudonyms
    `own_pseudonyms` hands over for one session's replay.
    """

    def __init__(self, ctx: VaultContext, url: URL, cookie: str) -> None:
        self._ctx = ctx
        self._url = url
        self._cookie = cookie
        self._postgres = url.get_backend_name() == "postgresql"
        self._pg: asyncpg.Connection | None = None
        self._sqlite: sqlite3.Connection | None = None
        # One connection: a replay's read of its own pseudonyms waits for a poll's, and back.
        self._turn = asyncio.Lock()

    def key_of(self, cookie_headers: Iterable[str]) -> str | None:
        """The key of the session these Cookie headers carry, read as the request will read
        them (Starlette's parser, a later header winning; app.auth.deps' length limit)."""
        cookies: dict[str, str] = {}
        for header in cookie_headers:
            cookies.update(cookie_parser(header))
        token = cookies.get(self._cookie)
        if not token or len(token) > 200:
            return None
        return token_hash(token)

    async def __call__(self, keys: Collection[str]) -> dict[str, int]:
        if not keys:
            return {}
        digests, _ = await self._guarded(list(keys), None)
        return digests

    async def own_pseudonyms(self, key: str) -> tuple[int, list[tuple[uuid.UUID, uuid.UUID]]]:
        """One session's digest (0: no such session) and its account's pseudonyms, (scope id,
        pseudonym), read now as a request reads them: for a replay that must check the
        reader's own rows (app/cache/store.py), which holds them only while it checks."""
        digests, pseudonyms = await self._guarded([key], key)
        return digests.get(key, 0), pseudonyms

    async def _guarded(
        self, keys: list[str], reveal: str | None
    ) -> tuple[dict[str, int], list[tuple[uuid.UUID, uuid.UUID]]]:
        async with self._turn:
            try:
                return await self._read(keys, reveal)
            except BaseException:
                self.close()  # the next read connects again
                raise

    def close(self) -> None:
        pg, self._pg = self._pg, None
        lite, self._sqlite = self._sqlite, None
        if pg is not None:
            pg.terminate()
        if lite is not None:
            lite.close()

    async def _rows(self, sql: str, values: list[Any]) -> list[Any]:
        if self._postgres:
            if self._pg is None:
                self._pg = await asyncpg.connect(
                    **self._url.translate_connect_args(username="user"),
                    **dict(self._url.query),
                    timeout=_POSTGRES_TIMEOUT_S,
                    command_timeout=_POSTGRES_TIMEOUT_S,
                    server_settings={"application_name": "challenge-session-digests"},
                )
            return list(await self._pg.fetch(sql.format("= ANY($1)"), values))
        if self._sqlite is None:
            # Autocommit and no wait, as the change counts' reader: a WAL read takes no lock.
            self._sqlite = sqlite3.connect(
                self._url.database or ":memory:", timeout=0, isolation_level=None
            )
            self._sqlite.execute("PRAGMA query_only=ON")
        placeholders = "IN ({})".format(", ".join("?" * len(values)))
        return self._sqlite.execute(sql.format(placeholders), values).fetchall()

    async def _read(
        self, keys: list[str], reveal: str | None
    ) -> tuple[dict[str, int], list[tuple[uuid.UUID, uuid.UUID]]]:
        """The digests of `keys`, and the pseudonyms of the session `reveal` names."""
        states: dict[str, list[Any]] = {}
        owner_tags: dict[Any, str] = {}
        rows = await self._rows(_STATES_SQL, keys)
        for hashed, session_id, account_id, expires_at, status, language, role, *key in rows:
            state = states.setdefault(
                hashed,
                [account_id, str(session_id), str(expires_at), status, language, key[0], []],
            )
            if role is not None:
                state[6].append(role)
            if key[2] is not None and account_id not in owner_tags:
                account = account_id if self._postgres else uuid.UUID(account_id)
                owned = OwnDataKey(account, key[0], key[1], bytes(key[2]))
                owner_tags[account_id] = self._ctx.cipher_of(owned).owner_tag
        mapped: dict[str, list[tuple[str, str]]] = {tag: [] for tag in owner_tags.values()}
        if mapped:
            for tag, challenge_id, pseudonym in await self._rows(_PSEUDONYMS_SQL, list(mapped)):
                mapped[tag].append((str(challenge_id), str(pseudonym)))
        digests: dict[str, int] = {}
        for hashed, state in states.items():
            tag = owner_tags.get(state[0])
            state[6].sort()
            material = repr((str(state[0]), *state[1:], sorted(mapped[tag]) if tag else None))
            digest = int.from_bytes(hashlib.blake2b(material.encode(), digest_size=8).digest())
            # 0 stands for "no such session" among the cache's versions: never a digest.
            digests[hashed] = digest or 1
        revealed = states.get(reveal) if reveal is not None else None
        tag = owner_tags.get(revealed[0]) if revealed is not None else None
        pseudonyms = (
            [(uuid.UUID(scope), uuid.UUID(pseudonym)) for scope, pseudonym in mapped.get(tag, [])]
            if tag is not None
            else []
        )
        return digests, pseudonyms


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
