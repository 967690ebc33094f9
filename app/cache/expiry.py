"""`@cached_read`, and how long a cached answer may live: the answer itself says.

An answer whose content changes when a date passes (a message's edit window closes, a phase
starts) carries that date, so its model can tell until when it holds: `expires_at()`. The
cache asks the answer, not the code that built it, so that no domain code knows the cache
exists and a new date-dependent field is declared where it is defined.
`tests/api/test_cache_expiry.py` walks every cached route and fails when an answer changes
with the clock before its entry expires.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Collection, Mapping
from datetime import datetime
from typing import Any, Protocol, TypeVar, overload, runtime_checkable

from app.cache.capture import current
from app.cache.scopes import SCOPE_PARAMETERS
from app.cache.shared import SharedCount
from app.kit.pagination import Page

F = TypeVar("F", bound=Callable[..., Awaitable[Any]])


@runtime_checkable
class Expiring(Protocol):
    """An answer a cached route returns: it says until when it holds without any write."""

    def expires_at(self) -> datetime | None:
        """The first moment its content may change because a date passed (None: never)."""
        ...


class Undeclared(TypeError):
    """An answer of a cached route that does not say whether it depends on the clock."""


def expiry_of(answer: Any) -> datetime | None:
    """Until when `answer` holds: its own `expires_at()`, or the earliest of its items' for a
    page or a list (None: nothing in it depends on the clock)."""
    if isinstance(answer, Expiring):
        return answer.expires_at()
    if isinstance(answer, Page):
        answer = answer.items
    if isinstance(answer, list | tuple):
        moments = [m for m in map(expiry_of, answer) if m is not None]
        return min(moments, default=None)
    raise Undeclared(f"{type(answer).__name__} does not say until when it holds (expires_at)")


@overload
def cached_read(endpoint: F) -> F: ...


@overload
def cached_read(
    *,
    scoped: Mapping[str, Collection[str]] | None = None,
    shared_counts: SharedCount | None = None,
) -> Callable[[F], F]: ...


def cached_read(
    endpoint: F | None = None,
    *,
    scoped: Mapping[str, Collection[str]] | None = None,
    shared_counts: SharedCount | None = None,
) -> Any:
    """Marks a GET endpoint whose answer the response cache may keep: an answer that depends
    only on the session, the URL and the databases, or on the clock as far as the answer says
    (`Expiring`), and whose reading writes nothing that must happen on every request.

    An answer that does not say is not kept (and the expiry test names its route).

    `scoped`: path parameter -> the app tables the endpoint reads only within the team or
    challenge it names (app/cache/scopes.py); writes to those tables elsewhere leave the answer.

    `shared_counts`: numbers the answer's items show every reader alike, written into each kept
    answer at replay rather than rebuilding it (app/cache/shared.py).
    """
    if endpoint is None:
        return functools.partial(_mark, scoped=scoped or {}, shared_counts=shared_counts)
    return _mark(endpoint, scoped or {}, shared_counts)


def _mark(
    endpoint: F, scoped: Mapping[str, Collection[str]], shared_counts: SharedCount | None = None
) -> F:
    unknown = set(scoped) - set(SCOPE_PARAMETERS)
    if unknown:
        raise ValueError(f"{sorted(unknown)} name no scope ({sorted(SCOPE_PARAMETERS)} do)")

    @functools.wraps(endpoint)
    async def answer(*args: Any, **kwargs: Any) -> Any:
        result = await endpoint(*args, **kwargs)
        capture = current()
        if capture is not None:
            try:
                capture.holds_until(expiry_of(result))
            except Undeclared:
                capture.keep = False
        return result

    answer.__cached_read__ = True  # type: ignore[attr-defined]
    answer.__cached_scopes__ = {  # type: ignore[attr-defined]
        parameter: frozenset(tables) for parameter, tables in scoped.items()
    }
    answer.__cached_shared_counts__ = shared_counts  # type: ignore[attr-defined]
    return answer  # type: ignore[return-value]


def is_cached_read(endpoint: Any) -> bool:
    return bool(getattr(endpoint, "__cached_read__", False))


def scoped_tables(endpoint: Any) -> Mapping[str, frozenset[str]]:
    """What `@cached_read(scoped=...)` declared: path parameter -> tables read within it."""
    return getattr(endpoint, "__cached_scopes__", None) or {}


def shared_counts_of(endpoint: Any) -> SharedCount | None:
    """What `@cached_read(shared_counts=...)` declared."""
    declared = getattr(endpoint, "__cached_shared_counts__", None)
    return declared if isinstance(declared, SharedCount) else None
