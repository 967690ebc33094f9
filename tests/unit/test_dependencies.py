"""The house style for route dependencies (app/auth/deps.py): every one is `async def`.

FastAPI runs a plain `def` dependency in a worker thread, a thread hop per dependency per request
(docs/benchmarks.md); the key-status route once took the databases through such a `def`.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable, Iterator

from fastapi import APIRouter
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from app.api import api_routers


def _routes(routers: Iterable[APIRouter]) -> Iterator[APIRoute]:
    for route in (route for router in routers for route in router.routes):
        if isinstance(route, APIRoute):
            yield route
        # An included router is kept as it was given (FastAPI resolves it lazily).
        elif isinstance(included := getattr(route, "original_router", None), APIRouter):
            yield from _routes([included])


def _calls(dependant: Dependant) -> Iterator[object]:
    for dependency in dependant.dependencies:
        if dependency.call is not None:
            yield dependency.call
        yield from _calls(dependency)


def _name(call: object) -> str:
    return f"{getattr(call, '__module__', '?')}.{getattr(call, '__qualname__', call)}"


def test_no_route_depends_on_a_plain_function() -> None:
    threaded = sorted(
        {
            f"{route.path}: {_name(call)}"
            for route in _routes(api_routers)
            for call in _calls(route.dependant)
            if inspect.isfunction(call)
            and not inspect.iscoroutinefunction(call)
            and not inspect.isasyncgenfunction(call)
        }
    )
    assert threaded == []


def test_the_check_sees_every_route() -> None:
    assert any(route.path == "/admin/keys" for route in _routes(api_routers))
