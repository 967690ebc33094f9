"""The response cache's memory bound and its shared reads of the change counts."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from app.cache import store
from app.cache.capture import Capture
from app.cache.store import ResponseCache, _Poll


def _entry(cache: ResponseCache, body: bytes, versions: dict[str, int] | None = None) -> Any:
    capture = Capture(tables={"app.teams"})
    start = {"type": "http.response.start", "status": 200, "headers": []}
    return cache.entry_for("route", start, body, capture, versions or {"app.teams": 1})


def test_the_least_recently_used_answers_go_first_when_memory_is_full() -> None:
    cache = ResponseCache(max_bytes=3 * (1000 + store._ENTRY_OVERHEAD_BYTES))
    cache._tracked = frozenset({"app.teams"})
    for key in (b"a", b"b", b"c"):
        cache.put(key, _entry(cache, key * 1000))
    assert cache.get(b"a", {"app.teams": 1}) is not None  # "a" is now the most recent
    cache.put(b"d", _entry(cache, b"d" * 1000))
    assert cache.get(b"b", {"app.teams": 1}) is None
    assert all(cache.get(k, {"app.teams": 1}) is not None for k in (b"a", b"c", b"d"))
    assert cache.size_bytes <= cache.max_bytes


def test_identical_answers_are_kept_once() -> None:
    cache = ResponseCache(max_bytes=1 << 20)
    cache._tracked = frozenset({"app.teams"})
    page = b"x" * 10_000
    for key in range(50):
        cache.put(bytes([key]), _entry(cache, bytes(page)))  # equal bodies, distinct objects
    assert len(cache) == 50
    assert cache.size_bytes == 10_000 + 50 * store._ENTRY_OVERHEAD_BYTES
    bodies = {id(cache.get(bytes([key]), {"app.teams": 1}).body) for key in range(50)}  # type: ignore[union-attr]
    assert len(bodies) == 1


def test_an_answer_is_dropped_when_a_table_it_read_changed_or_its_time_is_up() -> None:
    cache = ResponseCache(max_bytes=1 << 20)
    cache._tracked = frozenset({"app.teams", "app.messages"})
    cache.put(b"k", _entry(cache, b"{}", {"app.teams": 1, "app.messages": 7}))
    assert cache.get(b"k", {"app.teams": 1, "app.messages": 8}) is not None  # not read: kept
    assert cache.get(b"k", {"app.teams": 2, "app.messages": 8}) is None
    assert len(cache) == 0

    capture = Capture(tables={"app.teams"}, expires=time.time() - 1)
    start = {"type": "http.response.start", "status": 200, "headers": []}
    assert cache.entry_for("route", start, b"{}", capture, {"app.teams": 1}) is None


def test_answers_that_read_review_or_untracked_tables_or_set_a_cookie_are_not_kept() -> None:
    cache = ResponseCache(max_bytes=1 << 20)
    cache._tracked = frozenset({"app.teams"})
    start = {"type": "http.response.start", "status": 200, "headers": []}
    untracked = Capture(tables={"app.teams", "app.rate_buckets"})
    assert cache.entry_for("route", start, b"{}", untracked, {"app.teams": 1}) is None
    reviews = Capture(tables={"app.teams", "app.spent_tokens"})
    assert cache.entry_for("route", start, b"{}", reviews, {"app.teams": 1}) is None
    assert cache.entry_for("route", start, b"{}", Capture(tables={"app.teams"}), {"app.teams": 1})
    cookie = {**start, "headers": [(b"set-cookie", b"a=b")]}
    assert cache.entry_for("route", cookie, b"{}", Capture(tables={"app.teams"}), {}) is None


def test_an_answer_is_kept_only_under_counts_read_for_every_database_it_read() -> None:
    """A replay polls only the databases its entry names; when that entry is gone by the time
    it looks, the request runs on those counts alone, and an answer that read another
    database's tables is not kept under counts never read."""
    cache = ResponseCache(max_bytes=1 << 20)
    cache._tracked = frozenset({"app.teams", "vault.accounts"})
    start = {"type": "http.response.start", "status": 200, "headers": []}
    both = Capture(tables={"app.teams", "vault.accounts"})
    assert cache.entry_for("route", start, b"{}", both, {"app.teams": 1}) is None
    kept = cache.entry_for("route", start, b"{}", both, {"app.teams": 1, "vault.accounts": 4})
    assert kept is not None
    cache.put(b"k", kept)
    assert cache.databases_wanted(b"k") == {"app", "vault"}
    cache.put(b"a", _entry(cache, b"[]"))
    assert cache.databases_wanted(b"a") == {"app"}
    assert cache.databases_wanted(b"none") is None  # to be built: every database is read


async def _settle() -> None:
    """Let every task that can run, run (the poll hands work through a few tasks)."""
    for _ in range(10):
        await asyncio.sleep(0)


class _Counts:
    """A database whose change-count read takes as long as the test says."""

    def __init__(self) -> None:
        self.reads = 0
        self.release = asyncio.Event()

    async def read(self) -> dict[str, int]:
        self.reads += 1
        started = self.reads
        await self.release.wait()
        self.release.clear()
        return {"teams": started}


async def test_every_caller_gets_counts_read_after_it_asked_and_callers_share_reads() -> None:
    counts = _Counts()
    poll = _Poll({"app": counts})  # type: ignore[dict-item]
    first = asyncio.create_task(poll.fresh())
    await _settle()
    assert counts.reads == 1
    # Arrive while the first read is in flight: it may predate a write they saw, so they wait
    # for the next read, which the three of them share.
    late = [asyncio.create_task(poll.fresh()) for _ in range(3)]
    await _settle()
    counts.release.set()
    assert await first == {"app.teams": 1}
    await _settle()
    assert counts.reads == 2
    counts.release.set()
    assert [await task for task in late] == [{"app.teams": 2}] * 3
    assert counts.reads == 2
