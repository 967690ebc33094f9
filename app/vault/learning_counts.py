"""How many people took each lesson, passed its quiz, completed each collection: counts only.

Each person's learning records are sealed under their own data key, indexed by a keyed digest
only that key computes (app/vault/learning.py), so nothing stored can be counted by lesson.
Nor is anything stored for the purpose: a counter bumped when someone passes would date, for
whoever holds a copy of the database or its write-ahead log, each pass next to the request that
made it (tests/privacy/test_learning_counts.py shows the attack). Instead the counts are
computed on demand here: every account's records are opened with that account's data key,
in memory, reduced to when each person first took and first passed each lesson (translation
group), and then to counts. The per-person figures never leave `_tally`.

What comes out moves only by whole ended months, and by at least k at a time
(`app.kit.disclosure.released_months`, as the insights and the mentoring progress do): reading
before and after someone takes a quiz shows no change, and no month's single newcomer is ever
visible by subtraction. A shredded account (erasure) has no data key: its records open for
nobody and count no more.
"""

from __future__ import annotations

import json
import time
import uuid
import weakref
from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from anyio import to_thread
from sqlalchemy import func, select

from app.db import VaultDbSession
from app.kit.disclosure import released_months
from app.vault.context import AccountCipher, VaultContext
from app.vault.learning import LEARNING, NOTES_ENTRY
from app.vault.models import DataKey
from app.vault.models import LearningRecord as LearningRow


@dataclass(frozen=True)
class LearningCounts:
    """Counts over the released months only: every figure is 0, at least k, or None."""

    # translation group -> (people who took it, people who passed its quiz), in any language;
    # None: some, but too few yet to show
    lessons: dict[uuid.UUID, tuple[int | None, int | None]]
    # collection id -> people who passed every lesson it requires (None: some, too few)
    collections: dict[uuid.UUID, int | None]


def _month(moment: datetime) -> str:
    return f"{moment.year:04d}-{moment.month:02d}"


@dataclass
class _Firsts:
    taken: str | None = None
    passed: str | None = None


def _earliest(current: str | None, month: str) -> str:
    return month if current is None or month < current else current


def _person_firsts(cipher: AccountCipher, payloads: list[tuple[int, bytes]]) -> dict[str, _Firsts]:
    """One person's first month of taking and of passing, per translation group (as text:
    parsing thousands of ids costs more than comparing them)."""
    firsts: dict[str, _Firsts] = defaultdict(_Firsts)
    for entry, sealed in payloads:
        opened = cipher.open(LEARNING, "payload", sealed)
        if opened is None:
            continue
        payload = json.loads(opened)
        group = payload["translation_group"]
        if entry == NOTES_ENTRY:
            if not payload.get("text"):
                continue  # emptied notes: not taken, as for the person's own progress
            # When the notes were first written (saving them again must not move the month).
            moment = payload.get("first_written_at") or payload["updated_at"]
            firsts[group].taken = _earliest(firsts[group].taken, moment[:7])
            continue
        month = payload["submitted_at"][:7]
        firsts[group].taken = _earliest(firsts[group].taken, month)
        if payload.get("passed"):
            firsts[group].passed = _earliest(firsts[group].passed, month)
    return firsts


def _released(batches: Mapping[str, tuple[int, ...]], width: int, k: int) -> tuple[int | None, ...]:
    """Each running count over the months released so far; None where none is released yet
    but some are waiting (a count of 1 to k - 1, shown as "fewer than k")."""
    months = sorted(batches)
    included = released_months([batches[month] for month in months], k)
    totals = [0] * width
    waiting = [False] * width
    for position, month in enumerate(months):
        for column, value in enumerate(batches[month]):
            if position < included:
                totals[column] += value
            elif value:
                waiting[column] = True
    return tuple(
        None if total == 0 and wait else total for total, wait in zip(totals, waiting, strict=True)
    )


def _tally(
    ctx: VaultContext,
    keys: list[DataKey],
    rows: Mapping[str, list[tuple[int, bytes]]],
    collections: Mapping[uuid.UUID, Collection[uuid.UUID]],
    before: str,
    k: int,
) -> LearningCounts:
    # group -> month -> [first takers, first passers]; collection -> month -> completions
    lessons: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    completions: dict[uuid.UUID, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    required = {c: [str(group) for group in groups] for c, groups in collections.items()}
    for key in keys:
        cipher = ctx.cipher_of(key)
        payloads = rows.get(cipher.owner_tag)
        if not payloads:
            continue
        firsts = _person_firsts(cipher, payloads)
        for group, first in firsts.items():
            # Only what happened in ended months: this month's activity shows next month.
            if first.taken is not None and first.taken < before:
                lessons[group][first.taken][0] += 1
            if first.passed is not None and first.passed < before:
                lessons[group][first.passed][1] += 1
        for collection_id, groups in required.items():
            passed = [firsts[group].passed if group in firsts else None for group in groups]
            if groups and all(month is not None for month in passed):
                completed = max(month for month in passed if month is not None)
                if completed < before:
                    completions[collection_id][completed] += 1
    shown_lessons = {
        group: _released({m: tuple(v) for m, v in months.items()}, 2, k)
        for group, months in lessons.items()
    }
    return LearningCounts(
        lessons={
            uuid.UUID(group): (totals[0], totals[1]) for group, totals in shown_lessons.items()
        },
        collections={
            collection_id: _released({m: (v,) for m, v in months.items()}, 1, k)[0]
            for collection_id, months in completions.items()
        },
    )


# Counts only change when a month ends (this month's activity is not counted), when an account
# is erased, or when a collection's lessons change (and when someone empties notes they wrote
# before this month: at most CACHE_SECONDS late); opening every record takes seconds at a few
# thousand accounts (docs/benchmarks.md), so each worker keeps the last answers a few minutes,
# keyed by what moves them. Only counts are kept, never a person's figure.
CACHE_SECONDS = 300.0
_CACHE_SIZE = 8


@dataclass(frozen=True)
class _Cached:
    context: weakref.ref[VaultContext]
    key: tuple[object, ...]
    until: float
    counts: LearningCounts


_cache: list[_Cached] = []


async def learning_counts(
    ctx: VaultContext,
    db: VaultDbSession,
    *,
    collections: Mapping[uuid.UUID, Collection[uuid.UUID]],
    now: datetime,
    k: int,
) -> LearningCounts:
    """Per translation group, how many people took it and passed its quiz; per collection
    (id -> the translation groups it requires now), how many passed all of them. Months before
    `now`'s only, released by at least k at a time. Reads the vault, writes nothing."""
    # An erasure deletes a data key. Not keyed by the number of learning records: whether an
    # answer comes from memory (fast) or not would then tell an editor, by its speed, that
    # someone somewhere just wrote notes or took a quiz; and this month's records count next
    # month only, when the month in the key changes anyway.
    accounts = await db.scalar(select(func.count()).select_from(DataKey))
    key = (
        _month(now),
        k,
        tuple(sorted((c, tuple(groups)) for c, groups in collections.items())),
        accounts,
    )
    moment = time.monotonic()
    for cached in _cache:
        if cached.context() is ctx and cached.key == key and cached.until > moment:
            return cached.counts
    counts = await compute_learning_counts(ctx, db, collections=collections, now=now, k=k)
    _cache[:] = [c for c in _cache if c.context() is not ctx and c.until > moment][
        -(_CACHE_SIZE - 1) :
    ]
    _cache.append(_Cached(weakref.ref(ctx), key, moment + CACHE_SECONDS, counts))
    return counts


async def compute_learning_counts(
    ctx: VaultContext,
    db: VaultDbSession,
    *,
    collections: Mapping[uuid.UUID, Collection[uuid.UUID]],
    now: datetime,
    k: int,
) -> LearningCounts:
    """`learning_counts` without the cache."""
    # Columns, not ORM objects: a few thousand of those cost more than the decryption.
    keys = [
        cast(DataKey, row)
        for row in await db.execute(
            select(
                DataKey.account_id, DataKey.key_version, DataKey.kek_version, DataKey.wrapped_key
            )
        )
    ]
    rows: dict[str, list[tuple[int, bytes]]] = defaultdict(list)
    for owner_tag, entry, payload in await db.execute(
        select(LearningRow.owner_tag, LearningRow.entry, LearningRow.payload)
    ):
        rows[owner_tag].append((entry, payload))
    # Opening every record is CPU work (a key unwrap per person, a decryption per record):
    # off the event loop.
    return await to_thread.run_sync(_tally, ctx, keys, rows, collections, _month(now), k)
