"""The entries of one worker: kept answers, what they were built from, the memory bound, and
the shared reads of the change counts that say whether an entry still holds."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import OrderedDict
from collections.abc import Awaitable, Collection, Iterable
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.types import Message

from app.cache.capture import Capture, watch
from app.cache.changes import SCOPE_COUNTS, ChangeCounts
from app.cache.expiry import scoped_tables, shared_counts_of
from app.cache.scopes import SCOPE_PARAMETERS, SCOPED_DATABASE, scope_of, scoped_key
from app.cache.shared import (
    SharedCount,
    Slot,
    count_key,
    scope_id,
    shows_own_part,
    slots_of,
    spliced,
)
from app.cache.touch import SessionToucher, TouchSessions
from app.db import reading_engine

# Per entry, beside its body: key, dependencies, headers, replay state (a team page's entry
# measured with tracemalloc, rounded up with a margin for the memory bound).
_ENTRY_OVERHEAD_BYTES = 1536
# Per place of a shared count in an entry's body (app/cache/shared.py), counted with margin.
_SLOT_OVERHEAD_BYTES = 160
# Whatever its answer says, an entry is re-built at least this often: a safety net for what no
# answer can say (a phase held past its date by a guard, or by the grace before closing, starts
# when the ticker enters it, which writes).
MAX_AGE_S = 600.0


class SessionDigests(Protocol):
    """Sessions' keys -> a digest of each existing one's own vault rows (`Vault.session_digests`),
    through a connection of its own, closed by `close`; `key_of` a request's Cookie headers."""

    def key_of(self, cookie_headers: Iterable[str]) -> str | None: ...

    def __call__(self, keys: Collection[str]) -> Awaitable[dict[str, int]]: ...

    def own_pseudonyms(
        self, key: str
    ) -> Awaitable[tuple[int, list[tuple[uuid.UUID, uuid.UUID]]]]: ...

    def close(self) -> None: ...


_DIGEST_PREFIX = "vault.session:"
# Which databases' counts a poll reads: these, or None for every one.
Databases = frozenset[str] | None


def session_key(session: str) -> str:
    """The key of a session's digest among the versions."""
    return _DIGEST_PREFIX + session


class _Poll:
    """Change counts of every database; each caller gets those of a read begun after it asked,
    with the counts of the scopes and the digests of the sessions it asked for (callers sharing
    a read share their scopes and sessions)."""

    def __init__(
        self, counts: dict[str, ChangeCounts], digests: SessionDigests | None = None
    ) -> None:
        self._counts = counts
        self._digests = digests
        self._waiting: list[
            tuple[asyncio.Future[dict[str, int]], frozenset[str], str | None, Databases]
        ] = []
        self._task: asyncio.Task[None] | None = None

    async def fresh(
        self,
        scopes: frozenset[str] = frozenset(),
        session: str | None = None,
        databases: Databases = None,
    ) -> dict[str, int]:
        """`databases`: whose counts the caller needs (None: every database's)."""
        waiter: asyncio.Future[dict[str, int]] = asyncio.get_running_loop().create_future()
        self._waiting.append((waiter, scopes, session, databases))
        if self._task is None:
            self._task = asyncio.create_task(self._drain())
        return await waiter

    async def _read(
        self, scopes: frozenset[str], sessions: set[str], databases: Databases
    ) -> dict[str, int]:
        names = [name for name in self._counts if databases is None or name in databases]
        reads: list[Awaitable[dict[Any, int]]] = [
            self._counts[name].read(scopes)
            if scopes and name == SCOPED_DATABASE
            else self._counts[name].read()
            for name in names
        ]
        if sessions and self._digests is not None:
            reads.append(self._digests(sessions))
        results = await asyncio.gather(*reads)
        versions = {
            f"{name}.{table}": count
            for name, counts in zip(names, results, strict=False)
            for table, count in counts.items()
        }
        if len(results) > len(names):
            versions.update((session_key(s), digest) for s, digest in results[-1].items())
        return versions

    async def _drain(self) -> None:
        try:
            while self._waiting:
                asked, self._waiting = self._waiting, []
                batch = [waiter for waiter, *_ in asked]
                scopes = frozenset[str]().union(*(wanted for _, wanted, _, _ in asked))
                sessions = {session for _, _, session, _ in asked if session is not None}
                named = [databases for *_, databases in asked if databases is not None]
                # One caller that needs every database's counts, and all are read.
                databases = frozenset[str]().union(*named) if len(named) == len(asked) else None
                try:
                    versions = await self._read(scopes, sessions, databases)
                except Exception as exc:  # the requests run uncached and report the fault
                    for waiter in batch:
                        if not waiter.done():
                            waiter.set_exception(exc)
                    continue
                for waiter in batch:
                    if not waiter.done():
                        waiter.set_result(versions)
        finally:
            self._task = None


@dataclass
class _Touch:
    """The session an answer was built for, whose last-seen time its replays keep current."""

    session_id: uuid.UUID
    every: float
    due: float


@dataclass(frozen=True)
class _Shared:
    """An entry's shared counts (app/cache/shared.py): where they stand in its body, and the
    scopes whose counts a replay reads (theirs and those the answer read for its reader only).
    Until `precise`, the entry is held by the table's whole count, as if nothing were shared:
    the request that built it ran before those scopes were known, so their counts were not
    read before it; a read of the counts that finds the whole count unchanged (right after it
    is kept, or at a replay) makes it precise."""

    declared: SharedCount
    slots: tuple[Slot, ...]
    polled: frozenset[str]
    # The scope counts holding the reader's own part once precise ('app.participants@...').
    own_keys: tuple[str, ...]
    precise: bool


@dataclass(frozen=True)
class Entry:
    route: Any
    headers: list[tuple[bytes, bytes]]
    body: bytes
    versions: tuple[tuple[str, int], ...]
    expires: float
    touch: _Touch | None
    shared: _Shared | None = None
    # On the copy `get` hands out only: the counts of the reader's own part that moved, which
    # the replay checks against the reader's rows (`body_of`) before it may use the entry.
    moved: tuple[str, ...] = ()

    def holds(self, versions: dict[str, int], now: float) -> bool:
        # A scope no write has touched has no count row: 0, as when the entry was built.
        return now < self.expires and all(versions.get(t, 0) == v for t, v in self.versions)


def _scope(declared: SharedCount, value: Any) -> str | None:
    """The scope a row's id names in a declaration's kind of scope."""
    return scope_of(declared.scope, str(value))


def _overhead(entry: Entry) -> int:
    return _ENTRY_OVERHEAD_BYTES + (
        len(entry.shared.slots) * _SLOT_OVERHEAD_BYTES if entry.shared is not None else 0
    )


class ResponseCache:
    """The entries of one worker; `attach` starts it with the databases, `detach` clears it."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[bytes, Entry] = OrderedDict()
        # Identical bodies (many people's copy of the same page) are kept once.
        self._bodies: dict[bytes, list[Any]] = {}  # body -> [the kept copy, entries using it]
        self._bytes = 0
        self._poll: _Poll | None = None
        self._counts: list[ChangeCounts] = []
        self._digests: SessionDigests | None = None
        self._tracked: frozenset[str] = frozenset()
        self._toucher: SessionToucher | None = None
        self._touch_every = 0.0
        # Path shapes of cacheable routes seen so far: ("api", "v1", "teams", None), None
        # standing for a path parameter, with the positions of the parameters naming a scope
        # (team_id at 4). Other requests skip the check entirely.
        self._shapes: dict[tuple[str | None, ...], tuple[tuple[int, str], ...]] = {}
        self._scoped = False  # the app database keeps scope counts (a0018)
        self._own_rows = False  # entries may be held by their session's digest
        # Shared counts (app/cache/shared.py): (declaration, scope) -> (scope count, number),
        # and the reads in flight, (declaration, scope) -> (scope count, numbers read).
        self._app_engine: AsyncEngine | None = None
        self._shared: dict[tuple[SharedCount, str], tuple[int, int]] = {}
        self._reading: dict[
            tuple[SharedCount, str], tuple[int, asyncio.Future[dict[str, int]]]
        ] = {}
        # Counted for /metrics (app.ops.metrics), with `size_bytes` and `len()`.
        self.hits = 0
        self.misses = 0

    @property
    def enabled(self) -> bool:
        return self.max_bytes > 0 and self._poll is not None

    async def attach(
        self,
        engines: dict[str, AsyncEngine],
        *,
        touch_sessions: TouchSessions | None = None,
        touch_every: timedelta = timedelta(0),
        session_digests: SessionDigests | None = None,
        own_rows: str | None = None,
    ) -> None:
        """Watch what requests read on these engines; read their change counts through
        connections of the cache's own, so that checking never queues behind requests for the
        pool. Replays of an answer built for a session hand it to `touch_sessions` every
        `touch_every`, as requests that run would mark it seen. Statements with the execution
        option `own_rows` read only the signed-in session's own rows: an answer built from
        them is held by the session's digest (`session_digests`), not the tables' counts."""
        if self.max_bytes <= 0:
            return
        counts = {name: ChangeCounts(engine) for name, engine in engines.items()}
        own_rows = own_rows if session_digests is not None else None
        poll = _Poll(counts, session_digests)
        try:
            versions = await poll.fresh()
        except Exception:  # counts not installed (a database not migrated): no cache
            for reader in counts.values():
                reader.close()
            if session_digests is not None:
                session_digests.close()
            return
        self._counts = list(counts.values())
        self._tracked = frozenset(versions)
        self._scoped = f"{SCOPED_DATABASE}.{SCOPE_COUNTS}" in versions
        self._digests = session_digests
        for name, engine in engines.items():
            watch(engine, name, own_rows)
        self._own_rows = own_rows is not None
        app_engine = engines.get(SCOPED_DATABASE)
        # Its own reads (a replay's shared counts, the reader's own part) each one statement.
        self._app_engine = reading_engine(app_engine) if app_engine is not None else None
        if touch_sessions is not None:
            self._toucher = SessionToucher(touch_sessions)
            self._touch_every = touch_every.total_seconds()
        self._poll = poll

    async def detach(self) -> None:
        self._poll = None
        self._entries.clear()
        self._bodies.clear()
        self._shared.clear()
        self._bytes = 0
        if self._toucher is not None:
            await self._toucher.close()
            self._toucher = None
        for reader in self._counts:
            reader.close()
        self._counts = []
        if self._digests is not None:
            self._digests.close()
            self._digests = None

    @property
    def size_bytes(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._entries)

    def may_cache(self, path: str) -> bool:
        return self.scopes_of(path) is not None

    def scopes_of(self, path: str) -> dict[str, str] | None:
        """None if no cacheable route has this path's shape; else the scopes the path names,
        by path parameter ({"team_id": "team:<hex>"})."""
        parts = path.split("/")
        found: dict[str, str] | None = None
        for shape, scope_parameters in self._shapes.items():
            if len(shape) == len(parts) and all(
                s is None or s == p for s, p in zip(shape, parts, strict=True)
            ):
                found = {} if found is None else found
                if self._scoped:
                    for position, parameter in scope_parameters:
                        scope = scope_of(parameter, parts[position])
                        if scope is not None:
                            found.setdefault(parameter, scope)
        return found

    def learn(self, path: str, path_params: dict[str, Any]) -> None:
        by_value = {str(v): name for name, v in path_params.items()}
        parts = path.split("/")
        shape = tuple(None if p in by_value else p for p in parts)
        self._shapes[shape] = tuple(
            (position, by_value[p])
            for position, p in enumerate(parts)
            if p in by_value and by_value[p] in SCOPE_PARAMETERS
        )

    async def versions(
        self,
        scopes: frozenset[str] = frozenset(),
        session: str | None = None,
        databases: Databases = None,
    ) -> dict[str, int] | None:
        """The counts of both databases (with those of `scopes`), and the digest of the own
        rows of `session` (`session_of`), from a read begun now. `databases`: only these
        databases' counts (`databases_wanted`; None: both)."""
        if self._poll is None:
            return None
        try:
            return await self._poll.fresh(scopes, session, databases)
        except Exception:  # a database is unreachable: the request itself will say so
            return None

    def session_of(self, cookie_headers: Iterable[str]) -> str | None:
        """The key of the session a request's Cookie headers carry, if answers may be held by
        its digest."""
        if not self._own_rows or self._digests is None:
            return None
        return self._digests.key_of(cookie_headers)

    def scopes_wanted(self, key: bytes) -> frozenset[str]:
        """The scopes whose counts a replay of the entry under `key` needs beyond its path's
        (those of its shared counts)."""
        entry = self._entries.get(key)
        if entry is None or entry.shared is None:
            return frozenset()
        return entry.shared.polled

    def databases_wanted(self, key: bytes) -> Databases:
        """The databases whose counts hold the entry under `key` (its session's digest is read
        apart), or None when there is no entry: the request will run, and what it reads is
        not known before."""
        entry = self._entries.get(key)
        if entry is None:
            return None
        return frozenset(
            held.partition(".")[0]
            for held, _ in entry.versions
            if not held.startswith(_DIGEST_PREFIX)
        )

    def get(
        self, key: bytes, versions: dict[str, int], polled: frozenset[str] = frozenset()
    ) -> Entry | None:
        """The entry under `key` if it holds at `versions` (read with the counts of the scopes
        `polled`)."""
        entry = self._entries.get(key)
        if entry is None:
            return None
        now = time.time()
        if not entry.holds(versions, now):
            moved = self._own_part_moved(entry, versions, now)
            if not moved:
                self._drop(key)
                return None
            self._entries.move_to_end(key)
            return replace(entry, moved=moved)
        shared = entry.shared
        if shared is not None and not shared.precise and shared.polled <= polled:
            # Held by the table's whole count: no row of it changed since before the request
            # that built it, so the scope counts read now are the ones it was built at.
            table = f"{SCOPED_DATABASE}.{shared.declared.table}"
            held = dict(entry.versions)
            held.pop(table, None)
            held.update((k, versions.get(k, 0)) for k in shared.own_keys)
            held[f"{SCOPED_DATABASE}.{SCOPE_COUNTS}"] = versions.get(
                f"{SCOPED_DATABASE}.{SCOPE_COUNTS}", 0
            )
            self._remember(shared, versions)
            entry = replace(
                entry,
                versions=tuple(sorted(held.items())),
                shared=replace(shared, precise=True),
            )
            self._entries[key] = entry
        self._entries.move_to_end(key)
        return entry

    def _own_part_moved(
        self, entry: Entry, versions: dict[str, int], now: float
    ) -> tuple[str, ...]:
        """The counts that no longer hold `entry`, if they are all counts of its reader's own
        part that a replay may check instead (`SharedCount.own`); else ()."""
        shared = entry.shared
        if (
            shared is None
            or not shared.precise
            or shared.declared.own is None
            or self._digests is None
            or now >= entry.expires
        ):
            return ()
        moved = tuple(k for k, v in entry.versions if versions.get(k, 0) != v)
        if not set(moved) <= set(shared.own_keys):
            return ()
        return moved

    async def _own_part_holds(self, entry: Entry, session: str | None) -> bool:
        """Whether the reader's own rows in the scopes whose counts moved are still what the
        kept body shows. The reader's pseudonyms are read from the vault now, used for one
        statement and dropped with this call: nothing of them is kept (docs/privacy.md)."""
        shared, digests, engine = entry.shared, self._digests, self._app_engine
        if shared is None or shared.declared.own is None or digests is None or engine is None:
            return False
        held = dict(entry.versions)
        if session is None or session_key(session) not in held:
            return False
        declared, own = shared.declared, shared.declared.own
        digest, pseudonyms = await digests.own_pseudonyms(session)
        # Other vault rows than at build time (a join or withdrawal of the reader's): rebuild.
        if digest != held[session_key(session)]:
            return False
        scopes = [k.partition("@")[2] for k in entry.moved]
        ids = {scope_id(scope) for scope in scopes}
        theirs = [pseudonym for scope, pseudonym in pseudonyms if scope in ids]
        found: set[str] = set()
        if theirs:
            async with engine.connect() as connection:
                rows = await connection.execute(
                    own.statement, {"ids": list(ids), "pseudonyms": theirs}
                )
                found = {scoped for row in rows if (scoped := _scope(declared, row[0]))}
        return shows_own_part(entry.body, declared, scopes, found)

    async def body_of(
        self,
        key: bytes,
        entry: Entry,
        versions: dict[str, int],
        session: str | None = None,
    ) -> bytes | None:
        """The body to replay: the kept one, with its shared counts as of `versions` (None:
        they could not be read, or the reader's own part changed; the request then runs).
        `session`: the key of the session the request carries (`session_of`)."""
        if entry.moved:
            try:
                holds = await self._own_part_holds(entry, session)
            except Exception:  # the request itself will meet the database's trouble
                return None
            stored = self._entries.get(key)
            if stored is not None and stored.versions == entry.versions:
                if not holds:
                    self._drop(key)
                else:
                    # The rows were read after `versions`: held by those counts from now on.
                    self._entries[key] = replace(
                        stored,
                        versions=tuple(
                            (k, versions.get(k, 0) if k in entry.moved else v)
                            for k, v in stored.versions
                        ),
                    )
            if not holds:
                return None
        shared = entry.shared
        if shared is None or not shared.precise:
            return entry.body
        declared = shared.declared
        numbers: dict[str, int] = {}
        missing: dict[str, int] = {}
        waits: list[tuple[str, asyncio.Future[dict[str, int]]]] = []
        for slot in shared.slots:
            if slot.scope in numbers or slot.scope in missing:
                continue
            version = versions.get(count_key(declared, slot.scope), 0)
            known = self._shared.get((declared, slot.scope))
            if known is not None and known[0] == version:
                numbers[slot.scope] = known[1]
                continue
            flying = self._reading.get((declared, slot.scope))
            if flying is not None and flying[0] == version:
                waits.append((slot.scope, flying[1]))
            else:
                missing[slot.scope] = version
        try:
            if missing:
                numbers.update(await self._read_numbers(declared, missing))
            for scope, read in waits:
                numbers[scope] = (await read)[scope]
        except Exception:  # the request itself will meet the database's trouble
            return None
        return spliced(entry.body, shared.slots, numbers)

    async def _read_numbers(self, declared: SharedCount, missing: dict[str, int]) -> dict[str, int]:
        """One statement for all of them; replays needing the same ones at the same counts
        meanwhile wait for it. Each number is kept under the count read before it was: a later
        read finding that count finds no change since."""
        read: asyncio.Future[dict[str, int]] = asyncio.get_running_loop().create_future()
        for scope, version in missing.items():
            self._reading[(declared, scope)] = (version, read)
        try:
            if self._app_engine is None:
                raise RuntimeError("the cache is detached")
            async with self._app_engine.connect() as connection:
                rows = await connection.execute(
                    declared.statement, {"ids": [scope_id(scope) for scope in missing]}
                )
                by_id = {uuid.UUID(str(row[0])): int(row[1]) for row in rows}
            numbers = {scope: by_id.get(scope_id(scope), 0) for scope in missing}
            read.set_result(numbers)
        except BaseException as exc:
            # The waiters, if any, run their requests (this one may have been cancelled with
            # its client: they were not).
            read.set_exception(exc if isinstance(exc, Exception) else RuntimeError("cancelled"))
            read.exception()  # retrieved, whether anyone waits or not
            raise
        finally:
            for scope in missing:
                if self._reading.get((declared, scope), (0, None))[1] is read:
                    del self._reading[(declared, scope)]
        for scope, version in missing.items():
            self._keep_number(declared, scope, version, numbers[scope])
        return numbers

    def _keep_number(self, declared: SharedCount, scope: str, version: int, number: int) -> None:
        known = self._shared.get((declared, scope))
        if known is None or known[0] <= version:
            self._shared[(declared, scope)] = (version, number)

    def _remember(self, shared: _Shared, versions: dict[str, int]) -> None:
        """The numbers a body shows, read after `versions` were: current at those counts."""
        for slot in shared.slots:
            version = versions.get(count_key(shared.declared, slot.scope), 0)
            self._keep_number(shared.declared, slot.scope, version, slot.shown)

    def put(self, key: bytes, entry: Entry) -> None:
        if key in self._entries:
            self._drop(key)
        shared = self._bodies.get(entry.body)
        if shared is None:
            self._bodies[entry.body] = [entry.body, 1]
            self._bytes += len(entry.body)
        else:
            shared[1] += 1
            entry = replace(entry, body=shared[0])  # one copy of identical bodies
        self._entries[key] = entry
        self._bytes += _overhead(entry)
        while self._bytes > self.max_bytes and self._entries:
            self._drop(next(iter(self._entries)))

    def _drop(self, key: bytes) -> None:
        entry = self._entries.pop(key)
        self._bytes -= _overhead(entry)
        shared = self._bodies[entry.body]
        shared[1] -= 1
        if not shared[1]:
            del self._bodies[entry.body]
            self._bytes -= len(entry.body)

    def entry_for(
        self,
        route: Any,
        start: Message,
        body: bytes,
        capture: Capture,
        versions: dict[str, int],
        session_id: uuid.UUID | None = None,
        scopes: dict[str, str] | None = None,
        session: str | None = None,
        polled: frozenset[str] = frozenset(),
    ) -> Entry | None:
        """The entry to keep for this answer, or None. `scopes`: the scopes the request's path
        named, whose counts were read with `versions` (`scopes_of`); `session`: the key of the
        session its cookie carries, whose digest was read with them (`session_of`); `polled`:
        every scope whose counts were read with them."""
        headers = [(bytes(k), bytes(v)) for k, v in start.get("headers", [])]
        now = time.time()
        if (
            start["status"] != 200
            or not capture.keep
            or not capture.tables
            or not capture.tables <= self._tracked  # e.g. the anonymous-review tables
            or any(k.lower() == b"set-cookie" for k, _ in headers)
            or capture.expires <= now
        ):
            return None
        touch = None
        if session_id is not None and self._toucher is not None:
            touch = _Touch(session_id, self._touch_every, due=now + self._touch_every)
        # A table the route reads only within the team or challenge of its path is held by
        # that scope's count; every other one by its whole count.
        within: dict[str, str] = {}
        for parameter, tables in scoped_tables(getattr(route, "endpoint", None)).items():
            scope = (scopes or {}).get(parameter)
            if scope is not None:
                for table in tables:
                    within.setdefault(f"{SCOPED_DATABASE}.{table}", scoped_key(table, scope))
        held = {within.get(t, t) for t in capture.tables}
        if not (held & self._tracked) <= versions.keys():
            # A database's counts were not read: the request was polled as a replay's, and
            # the entry it expected had gone by the time it looked.
            return None
        if capture.own:
            # Its own session's rows were read: held by their digest, read before the request
            # ran (absent: no such session, e.g. expired; such an answer is not kept).
            own = session_key(session) if session is not None else None
            if own is None or own not in versions:
                return None
            held.add(own)
        if within.keys() & capture.tables:
            held.add(f"{SCOPED_DATABASE}.{SCOPE_COUNTS}")  # moved by a restore
        shared = self._shared_of(route, body, capture)
        if shared is not None and shared.polled <= polled:
            # Every scope it needs was read before the request ran: held by those.
            held.discard(f"{SCOPED_DATABASE}.{shared.declared.table}")
            held.update(shared.own_keys)
            held.add(f"{SCOPED_DATABASE}.{SCOPE_COUNTS}")  # moved by a restore
            shared = replace(shared, precise=True)
            self._remember(shared, versions)
        return Entry(
            route=route,
            headers=headers,
            body=body,
            versions=tuple(sorted((t, versions.get(t, 0)) for t in held)),
            expires=min(capture.expires, now + MAX_AGE_S),
            touch=touch,
            shared=shared,
        )

    def _shared_of(self, route: Any, body: bytes, capture: Capture) -> _Shared | None:
        declared = shared_counts_of(getattr(route, "endpoint", None))
        if (
            declared is None
            or not self._scoped
            or f"{SCOPED_DATABASE}.{declared.table}" not in capture.tables
        ):
            return None
        slots = slots_of(body, declared)
        if slots is None:
            return None
        own = {scope for table, scope in capture.within if table == declared.table}
        return _Shared(
            declared=declared,
            slots=slots,
            polled=frozenset({slot.scope for slot in slots} | own),
            own_keys=tuple(sorted(scoped_key(declared.table, scope) for scope in own)),
            precise=False,
        )

    def replayed(self, entry: Entry) -> None:
        """An answer is being replayed: mark its session seen when that is due, as the request
        that runs would (one replay does it, not every concurrent one)."""
        touch = entry.touch
        if touch is None or self._toucher is None:
            return
        now = time.time()
        if now >= touch.due:
            touch.due = now + touch.every
            self._toucher.later(touch.session_id)
