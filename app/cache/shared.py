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

Those counts move with anyone's row in the scope (another member joining), not only the
reader's. A route whose answer shows the reader's own part as one field per item
(`SharedCount(own=OwnPart(...))`: `enrolled`) lets a replay that finds only those counts moved
check the reader's rows instead of rebuilding: the reader's pseudonyms are read from the vault
as a request reads them, their rows in the moved scopes in one statement, and the kept body is
compared with what those rows imply (`shows_own_part`). Nothing of the check is kept: the body
is all that stays, and it shows nothing the reader was not sent (docs/privacy.md).
"""

from __future__ import annotations

import json
import re
import sys
import uuid
from collections.abc import Awaitable, Callable, Collection, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.sql import Executable

from app.cache.capture import current
from app.cache.scopes import SCOPE_PARAMETERS, scope_of, scoped_key


@dataclass(frozen=True, eq=False)
class OwnPart:
    """What each item of the answer shows its reader of their own rows of the counted table:
    `field` is whether one of the reader's pseudonyms has a row within the item's scope.
    `statement` reads where one has: scope ids ("ids") and pseudonyms ("pseudonyms"), both
    expanding bind parameters -> rows (scope id,)."""

    field: str
    statement: Executable


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
    # What the items show of the reader's own rows of `table`, checked at replay (above).
    own: OwnPart | None = None

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


def _items(body: bytes) -> list[Any] | None:
    """The items of a JSON answer (a page's `items`, or a list), or None if it has none."""
    try:
        answer = json.loads(body)
    except ValueError:
        return None
    items: Any = answer.get("items") if isinstance(answer, dict) else answer
    return items if isinstance(items, list) else None


def slots_of(body: bytes, declared: SharedCount) -> tuple[Slot, ...] | None:
    """The numbers of `declared` in a JSON body, in order, or None if the body does not show
    them where expected (then the entry is held by the table's whole count, as any other)."""
    items = _items(body)
    if items is None:
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


def shows_own_part(
    body: bytes, declared: SharedCount, scopes: Iterable[str], found: Collection[str]
) -> bool:
    """Whether `body` shows, in each of `scopes`, the reader's own part as `found` (the scopes
    where the reader has a row) says: an item of such a scope must show `declared.own.field`
    true exactly when its scope is found. A scope without an item must not be found: an answer
    listing only what its reader is part of would show it now."""
    if declared.own is None:
        return False
    items = _items(body)
    if items is None:
        return False
    shown: dict[str, Any] = {}
    for item in items:
        if isinstance(item, dict):
            scope = scope_of(declared.scope, str(item.get(declared.item_id)))
            if scope is not None:
                shown[scope] = item.get(declared.own.field)
    for scope in scopes:
        if scope not in shown:
            if scope in found:
                return False
        elif shown[scope] is not (scope in found):
            return False
    return True


def count_key(declared: SharedCount, scope: str) -> str:
    """The key of the count holding a scope's number among the versions."""
    return scoped_key(declared.table, scope)


def scope_id(scope: str) -> uuid.UUID:
    """The id a scope names ('challenge:<hex>')."""
    return uuid.UUID(scope.partition(":")[2])
