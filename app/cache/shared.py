"""Shared counts: numbers an answer shows every reader alike, kept once per worker and written
into each reader's kept answer when it is replayed.

Why: the challenge list shows every challenge's number of participants. Held by the count of
every participant row, each reader's kept list was dropped by any join anywhere and rebuilt by a
whole request on its next read, although only one number of it had changed. A route declares
such numbers (`@cached_read(shared_counts=SharedCount(...))`): which field of its answer's items
holds one, which app table it counts within the scope (challenge or team) the item's id names,
and the statement that reads them for a set of ids. Its entries are then held without that
table's count; at replay each number is taken from a per-worker map {(declaration, scope):
(scope count, number)}, used only if its scope count equals the one just read with the other
counts (read after the request arrived), else read again for every changed scope of the answer
in one statement, shared by every reader waiting for it.

What else an answer reads of that table, for its reader only (whether they joined), the route
declares while answering (`reads_within`): those scopes' counts hold the entry, as a scoped
route's do. The walk of every cached route and write (tests/api/test_cache_scopes.py) fails if
either declaration claims too much.
"""

from __future__ import annotations

import json
import re
import sys
import uuid
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.sql import Executable

from app.cache.capture import current
from app.cache.scopes import SCOPE_PARAMETERS, scope_of, scoped_key


@dataclass(frozen=True, eq=False)
class SharedCount:
    """`field` of each item of the answer (a page's `items`, or a list) is the number of rows
    of the app table `table` within the scope its `item_id` names (`scope`: a path parameter
    of app/cache/scopes.py, e.g. "challenge_id"); `statement` reads them: ids (an expanding
    bind parameter "ids") -> rows (id, number), absent ids counting 0."""

    field: str
    table: str
    scope: str
    statement: Executable
    item_id: str = "id"

    def __post_init__(self) -> None:
        if self.scope not in SCOPE_PARAMETERS:
            raise ValueError(f"{self.scope!r} names no scope ({sorted(SCOPE_PARAMETERS)} do)")


@dataclass(frozen=True, slots=True)
class Slot:
    """Where one number stands in a kept body, and the scope it counts in."""

    start: int
    end: int
    scope: str
    shown: int


async def reads_within(
    parameter: str, table: str, ids: Callable[[], Awaitable[Iterable[uuid.UUID]]]
) -> None:
    """Declares, while answering, that besides its shared counts the answer reads rows of the
    app table `table` only within the scopes `ids()` names (`parameter`: "challenge_id" or
    "team_id"): its entry is held by their counts. `ids` is awaited only when the answer may be
    kept."""
    capture = current()
    if capture is None:
        return
    for value in await ids():
        scope = scope_of(parameter, str(value))
        if scope is not None:
            capture.within.add((table, scope))


def slots_of(body: bytes, declared: SharedCount) -> tuple[Slot, ...] | None:
    """The numbers of `declared` in a JSON body, in order, or None if the body does not show
    them where expected (then the entry is held by the table's whole count, as any other)."""
    try:
        answer = json.loads(body)
    except ValueError:
        return None
    items: Any = answer.get("items") if isinstance(answer, dict) else answer
    if not isinstance(items, list):
        return None
    # A key's closing quote is never escaped and a quote inside a string always is: this finds
    # the field's values only, never text inside a string.
    pattern = re.compile(rb'"' + re.escape(declared.field.encode()) + rb'"\s*:\s*(\d+)')
    found = list(pattern.finditer(body))
    if len(found) != len(items):
        return None
    slots = []
    for match, item in zip(found, items, strict=True):
        if not isinstance(item, dict) or item.get(declared.field) != int(match.group(1)):
            return None
        scope = scope_of(declared.scope, str(item.get(declared.item_id)))
        if scope is None:
            return None
        # Interned: every reader's entry names the same few scopes.
        slots.append(Slot(match.start(1), match.end(1), sys.intern(scope), int(match.group(1))))
    return tuple(slots)


def spliced(body: bytes, slots: tuple[Slot, ...], numbers: dict[str, int]) -> bytes:
    """`body` with each slot's number replaced by its scope's in `numbers`."""
    if all(numbers[slot.scope] == slot.shown for slot in slots):
        return body
    parts: list[bytes] = []
    at = 0
    for slot in slots:
        parts += (body[at : slot.start], str(numbers[slot.scope]).encode())
        at = slot.end
    parts.append(body[at:])
    return b"".join(parts)


def count_key(declared: SharedCount, scope: str) -> str:
    """The key of the count holding a scope's number among the versions."""
    return scoped_key(declared.table, scope)


def scope_id(scope: str) -> uuid.UUID:
    """The id a scope names ('challenge:<hex>')."""
    return uuid.UUID(scope.partition(":")[2])
