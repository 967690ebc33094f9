"""A per-worker cache of whole answers to a few hot reads, checked against the databases on
every request, so that no worker ever serves an answer older than the last committed write.

Why: a signed-in read costs the worker 5–10 ms of CPU (authentication, authorisation, five
statements on two databases, serialisation), while the answers people poll (their team page,
its messages, the challenge list, the submissions to review) change far less often than they
are read. docs/architecture.md ("The response cache") gives the design; in short:

- Only GET routes marked `@cached_read` are kept, only 200 answers, only for a request that
  carries a cookie, keyed by (the whole Cookie header, path, query): an answer is only ever
  replayed to the same browser session that received it, for the same URL.
- On a miss the request runs normally while every statement it executes is watched: an entry
  remembers the tables it read (on both databases) and their change counts
  (`app/kit/changes.py`) read *before* the request ran. Code whose answer depends on the clock
  says until when it holds (`valid_until`): the session's expiry and idle limit, a message's
  edit window, a phase date. What a read must keep doing even when answered from memory says
  so too (`on_replay_every`): the session's once-a-minute `last_seen_at` touch.
- Before any cacheable request is answered, the worker reads the change counts of both
  databases afresh, in a read that began after the request arrived: a write committed by any
  worker or command before the request was sent is seen, so people always read their own
  writes. Requests arriving while a read is in flight share the next one, so under load the
  check costs a fraction of a statement per request.
- Answers are kept in memory only, never written anywhere; identical bodies are stored once;
  the total is bounded (`CHALLENGE_RESPONSE_CACHE_MB`, 0 turns the cache off) and the least
  recently used entries go first.
"""

from __future__ import annotations

import asyncio
import hashlib
import sys
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.sql.util import find_tables
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.kit.changes import ChangeCounts

F = TypeVar("F", bound=Callable[..., Any])

# Per entry, beside its body: key, dependencies, headers, replay state (measured with
# tracemalloc: ~1.2 KB for a team page's entry; counted with some margin for the memory bound).
_ENTRY_OVERHEAD_BYTES = 1536
# Whatever the clock dependencies say, an entry is re-built at least this often (a safety net:
# the phase ticker also writes when a phase date passes).
MAX_AGE_S = 600.0


def cached_read(endpoint: F) -> F:
    """Marks a GET endpoint whose answer depends only on the session, the URL, the databases
    and the clock (through `valid_until`): not on other headers, and it writes nothing that
    must happen on every request."""
    endpoint.__cached_read__ = True  # type: ignore[attr-defined]
    return endpoint


@dataclass
class _Capture:
    """What a request being answered for the first time has read."""

    tables: set[str] = field(default_factory=set)
    valid_until: float = float("inf")
    keep: bool = True
    # (every how many seconds, what): work a replay of this answer must still do.
    on_replay: tuple[float, Callable[[], Awaitable[None]]] | None = None


_capture: ContextVar[_Capture | None] = ContextVar("response_cache_capture", default=None)


def valid_until(moment: datetime) -> None:
    """The answer being built may change at `moment` without any write (a date passes). A
    moment already past changes nothing: the answer was built after it."""
    capture = _capture.get()
    at = moment.timestamp()
    if capture is not None and at > time.time():
        capture.valid_until = min(capture.valid_until, at)


def on_replay_every(every: timedelta, action: Callable[[], Awaitable[None]]) -> None:
    """When the answer being built is replayed from memory, `every` or more after it was built
    or last replayed with this, run `action` first (the session's last-seen touch)."""
    capture = _capture.get()
    if capture is not None:
        capture.on_replay = (every.total_seconds(), action)


def _watch(engine: AsyncEngine, database: str) -> None:
    @event.listens_for(engine.sync_engine, "before_cursor_execute")
    def _statement(
        _conn: Any, _cursor: Any, _sql: str, _params: Any, context: Any, _many: bool
    ) -> None:
        capture = _capture.get()
        if capture is None:
            return
        compiled = getattr(context, "compiled", None)
        tables = find_tables(compiled.statement, include_aliases=True) if compiled else []
        if not tables:  # raw SQL, or nothing we can name: no entry can depend on it safely
            capture.keep = False
        # Interned: every entry's dependencies name the same few strings.
        capture.tables.update(sys.intern(f"{database}.{table.name}") for table in tables)


class _Poll:
    """Change counts of every database; each caller gets those of a read begun after it asked."""

    def __init__(self, counts: dict[str, ChangeCounts]) -> None:
        self._counts = counts
        self._waiting: list[asyncio.Future[dict[str, int]]] = []
        self._task: asyncio.Task[None] | None = None

    async def fresh(self) -> dict[str, int]:
        waiter: asyncio.Future[dict[str, int]] = asyncio.get_running_loop().create_future()
        self._waiting.append(waiter)
        if self._task is None:
            self._task = asyncio.create_task(self._drain())
        return await waiter

    async def _read(self) -> dict[str, int]:
        names = list(self._counts)
        results = await asyncio.gather(*(self._counts[name].read() for name in names))
        return {
            f"{name}.{table}": count
            for name, counts in zip(names, results, strict=True)
            for table, count in counts.items()
        }

    async def _drain(self) -> None:
        try:
            while self._waiting:
                batch, self._waiting = self._waiting, []
                try:
                    versions = await self._read()
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
class _Replay:
    every: float
    action: Callable[[], Awaitable[None]]
    due: float


@dataclass(frozen=True)
class _Entry:
    route: Any
    headers: list[tuple[bytes, bytes]]
    body: bytes
    versions: tuple[tuple[str, int], ...]
    valid_until: float
    replay: _Replay | None

    def holds(self, versions: dict[str, int], now: float) -> bool:
        return now < self.valid_until and all(versions.get(t) == v for t, v in self.versions)


class ResponseCache:
    """The entries of one worker; `attach` starts it with the databases, `detach` clears it."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[bytes, _Entry] = OrderedDict()
        # Identical bodies (many people's copy of the same page) are kept once.
        self._bodies: dict[bytes, list[Any]] = {}  # body -> [the kept copy, entries using it]
        self._bytes = 0
        self._poll: _Poll | None = None
        self._counts: list[ChangeCounts] = []
        self._tracked: frozenset[str] = frozenset()
        # Path shapes of cacheable routes seen so far: ("api", "v1", "teams", None), None
        # standing for a path parameter. Other requests skip the check entirely.
        self._shapes: set[tuple[str | None, ...]] = set()
        self.hits = 0
        self.misses = 0

    @property
    def enabled(self) -> bool:
        return self.max_bytes > 0 and self._poll is not None

    async def attach(self, engines: dict[str, AsyncEngine]) -> None:
        """Watch what requests read on these engines; read their change counts through
        connections of the cache's own, so that checking never queues behind requests for the
        pool."""
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
        for name, engine in engines.items():
            _watch(engine, name)
        self._poll = poll

    async def detach(self) -> None:
        self._poll = None
        self._entries.clear()
        self._bodies.clear()
        self._bytes = 0
        for reader in self._counts:
            reader.close()
        self._counts = []

    @property
    def size_bytes(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._entries)

    def metric_lines(self) -> list[str]:
        """For /metrics: a low hit share means answers change faster than they are read."""
        return [
            "# HELP response_cache_requests_total Cacheable reads, answered from memory or not.",
            "# TYPE response_cache_requests_total counter",
            f'response_cache_requests_total{{result="hit"}} {self.hits}',
            f'response_cache_requests_total{{result="miss"}} {self.misses}',
            "# HELP response_cache_bytes Memory held by cached answers (estimate).",
            "# TYPE response_cache_bytes gauge",
            f"response_cache_bytes {self._bytes}",
            "# HELP response_cache_entries Cached answers.",
            "# TYPE response_cache_entries gauge",
            f"response_cache_entries {len(self._entries)}",
        ]

    def may_cache(self, path: str) -> bool:
        parts = path.split("/")
        return any(
            len(shape) == len(parts)
            and all(s is None or s == p for s, p in zip(shape, parts, strict=True))
            for shape in self._shapes
        )

    def learn(self, path: str, path_params: dict[str, Any]) -> None:
        values = {str(v) for v in path_params.values()}
        self._shapes.add(tuple(None if p in values else p for p in path.split("/")))

    async def versions(self) -> dict[str, int] | None:
        if self._poll is None:
            return None
        try:
            return await self._poll.fresh()
        except Exception:  # a database is unreachable: the request itself will say so
            return None

    def get(self, key: bytes, versions: dict[str, int]) -> _Entry | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        if not entry.holds(versions, time.time()):
            self._drop(key)
            return None
        self._entries.move_to_end(key)
        return entry

    def put(self, key: bytes, entry: _Entry) -> None:
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
        self, route: Any, start: Message, body: bytes, capture: _Capture, versions: dict[str, int]
    ) -> _Entry | None:
        headers = [(bytes(k), bytes(v)) for k, v in start.get("headers", [])]
        if (
            start["status"] != 200
            or not capture.keep
            or not capture.tables
            or not capture.tables <= self._tracked  # e.g. the anonymous-review tables
            or any(k.lower() == b"set-cookie" for k, _ in headers)
            or capture.valid_until <= time.time()
        ):
            return None
        return _Entry(
            route=route,
            headers=headers,
            body=body,
            versions=tuple(sorted((t, versions[t]) for t in capture.tables)),
            valid_until=min(capture.valid_until, time.time() + MAX_AGE_S),
            replay=None
            if capture.on_replay is None
            else _Replay(*capture.on_replay, due=time.time() + capture.on_replay[0]),
        )


def _cache_key(scope: Scope) -> bytes | None:
    # The whole Cookie header, as the app will read it (Starlette reads the first one): an
    # entry is replayed only to a request the app would have authenticated identically.
    for name, value in scope["headers"]:
        if name == b"cookie":
            digest = hashlib.sha256(bytes(value))
            digest.update(b"\0" + scope["path"].encode() + b"?" + scope["query_string"])
            return digest.digest()
    return None


async def _replayable(entry: _Entry) -> bool:
    """Runs what a replay of `entry` must still do, when it is due; False if that failed (the
    request is then answered as if nothing were cached, and reports the fault itself)."""
    replay = entry.replay
    if replay is None or time.time() < replay.due:
        return True
    replay.due = time.time() + replay.every  # one replay does it, not every concurrent one
    try:
        await replay.action()
    except Exception:
        replay.due = 0.0
        return False
    return True


class ResponseCacheMiddleware:
    """Answers cacheable GETs from the cache; innermost, so that security headers, request
    ids, logs and metrics apply to cached answers exactly as to others."""

    def __init__(self, app: ASGIApp, *, cache: ResponseCache) -> None:
        self.app = app
        self.cache = cache

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        cache = self.cache
        if scope["type"] != "http" or scope["method"] != "GET" or not cache.enabled:
            await self.app(scope, receive, send)
            return
        key = _cache_key(scope)
        if key is None:
            await self.app(scope, receive, send)
            return
        if not cache.may_cache(scope["path"]):
            await self.app(scope, receive, send)
            route = scope.get("route")
            if getattr(getattr(route, "endpoint", None), "__cached_read__", False):
                cache.learn(scope["path"], scope.get("path_params", {}))
            return
        versions = await cache.versions()
        if versions is None:
            await self.app(scope, receive, send)
            return
        entry = cache.get(key, versions)
        if entry is not None and not await _replayable(entry):
            entry = None
        if entry is not None:
            cache.hits += 1
            scope["response_cache"] = "hit"
            scope["route"] = entry.route
            await send({"type": "http.response.start", "status": 200, "headers": entry.headers})
            await send({"type": "http.response.body", "body": entry.body})
            return
        await self._answer_and_keep(scope, receive, send, key, versions)

    async def _answer_and_keep(
        self, scope: Scope, receive: Receive, send: Send, key: bytes, versions: dict[str, int]
    ) -> None:
        capture = _Capture()
        start: Message | None = None
        chunks: list[bytes] = []

        async def keep(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                # Copied now: the outer middleware adds its headers to this same message.
                start = {**message, "headers": list(message.get("headers", []))}
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        token = _capture.set(capture)
        try:
            await self.app(scope, receive, keep)
        finally:
            _capture.reset(token)
        route = scope.get("route")
        if not getattr(getattr(route, "endpoint", None), "__cached_read__", False):
            return  # another route of the same shape as a cacheable one
        self.cache.misses += 1
        scope["response_cache"] = "miss"
        if start is None:
            return
        entry = self.cache.entry_for(route, start, b"".join(chunks), capture, versions)
        if entry is not None:
            self.cache.put(key, entry)
