"""The entries of one worker: kept answers, what they were built from, the memory bound, and
the shared reads of the change counts that say whether an entry still holds."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.types import Message

from app.cache.capture import Capture, watch
from app.cache.changes import SCOPE_COUNTS, ChangeCounts
from app.cache.expiry import scoped_tables
from app.cache.scopes import SCOPE_PARAMETERS, SCOPED_DATABASE, scope_of, scoped_key
from app.cache.touch import SessionToucher, TouchSessions

# Per entry, beside its body: key, dependencies, headers, replay state (measured with
# tracemalloc: ~1.2 KB for a team page's entry; counted with some margin for the memory bound).
_ENTRY_OVERHEAD_BYTES = 1536
# Whatever its answer says, an entry is re-built at least this often: a safety net for what no
# answer can say (a phase held past its date by a guard, or by the grace before closing, starts
# when the ticker enters it, which writes).
MAX_AGE_S = 600.0


class _Poll:
    """Change counts of every database; each caller gets those of a read begun after it asked,
    with the counts of the scopes it asked for (callers sharing a read share their scopes)."""

    def __init__(self, counts: dict[str, ChangeCounts]) -> None:
        self._counts = counts
        self._waiting: list[tuple[asyncio.Future[dict[str, int]], frozenset[str]]] = []
        self._task: asyncio.Task[None] | None = None

    async def fresh(self, scopes: frozenset[str] = frozenset()) -> dict[str, int]:
        waiter: asyncio.Future[dict[str, int]] = asyncio.get_running_loop().create_future()
        self._waiting.append((waiter, scopes))
        if self._task is None:
            self._task = asyncio.create_task(self._drain())
        return await waiter

    async def _read(self, scopes: frozenset[str]) -> dict[str, int]:
        names = list(self._counts)
        results = await asyncio.gather(
            *(
                self._counts[name].read(scopes)
                if scopes and name == SCOPED_DATABASE
                else self._counts[name].read()
                for name in names
            )
        )
        return {
            f"{name}.{table}": count
            for name, counts in zip(names, results, strict=True)
            for table, count in counts.items()
        }

    async def _drain(self) -> None:
        try:
            while self._waiting:
                asked, self._waiting = self._waiting, []
                batch = [waiter for waiter, _ in asked]
                scopes = frozenset[str]().union(*(wanted for _, wanted in asked))
                try:
                    versions = await self._read(scopes)
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
class Entry:
    route: Any
    headers: list[tuple[bytes, bytes]]
    body: bytes
    versions: tuple[tuple[str, int], ...]
    expires: float
    touch: _Touch | None

    def holds(self, versions: dict[str, int], now: float) -> bool:
        # A scope no write has touched has no count row: 0, as when the entry was built.
        return now < self.expires and all(versions.get(t, 0) == v for t, v in self.versions)


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
        self._tracked: frozenset[str] = frozenset()
        self._toucher: SessionToucher | None = None
        self._touch_every = 0.0
        # Path shapes of cacheable routes seen so far: ("api", "v1", "teams", None), None
        # standing for a path parameter, with the positions of the parameters naming a scope
        # (team_id at 4). Other requests skip the check entirely.
        self._shapes: dict[tuple[str | None, ...], tuple[tuple[int, str], ...]] = {}
        self._scoped = False  # the app database keeps scope counts (a0018)
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
    ) -> None:
        """Watch what requests read on these engines; read their change counts through
        connections of the cache's own, so that checking never queues behind requests for the
        pool. Replays of an answer built for a session hand it to `touch_sessions` every
        `touch_every`, as requests that run would mark it seen."""
        if self.max_bytes <= 0:
            return
        counts = {name: ChangeCounts(engine) for name, engine in engines.items()}
        poll = _Poll(counts)
        try:
            versions = await poll.fresh()
        except Exception:  # counts not installed (a database not migrated): no cache
            for reader in counts.values():
                reader.close()
            return
        self._counts = list(counts.values())
        self._tracked = frozenset(versions)
        self._scoped = f"{SCOPED_DATABASE}.{SCOPE_COUNTS}" in versions
        for name, engine in engines.items():
            watch(engine, name)
        if touch_sessions is not None:
            self._toucher = SessionToucher(touch_sessions)
            self._touch_every = touch_every.total_seconds()
        self._poll = poll

    async def detach(self) -> None:
        self._poll = None
        self._entries.clear()
        self._bodies.clear()
        self._bytes = 0
        if self._toucher is not None:
            await self._toucher.close()
            self._toucher = None
        for reader in self._counts:
            reader.close()
        self._counts = []

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

    async def versions(self, scopes: frozenset[str] = frozenset()) -> dict[str, int] | None:
        if self._poll is None:
            return None
        try:
            return await self._poll.fresh(scopes)
        except Exception:  # a database is unreachable: the request itself will say so
            return None

    def get(self, key: bytes, versions: dict[str, int]) -> Entry | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        if not entry.holds(versions, time.time()):
            self._drop(key)
            return None
        self._entries.move_to_end(key)
        return entry

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
        self._bytes += _ENTRY_OVERHEAD_BYTES
        while self._bytes > self.max_bytes and self._entries:
            self._drop(next(iter(self._entries)))

    def _drop(self, key: bytes) -> None:
        entry = self._entries.pop(key)
        self._bytes -= _ENTRY_OVERHEAD_BYTES
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
    ) -> Entry | None:
        """The entry to keep for this answer, or None. `scopes`: the scopes the request's path
        named, whose counts were read with `versions` (`scopes_of`)."""
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
        if within.keys() & capture.tables:
            held.add(f"{SCOPED_DATABASE}.{SCOPE_COUNTS}")  # moved by a restore
        return Entry(
            route=route,
            headers=headers,
            body=body,
            versions=tuple(sorted((t, versions.get(t, 0)) for t in held)),
            expires=min(capture.expires, now + MAX_AGE_S),
            touch=touch,
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
