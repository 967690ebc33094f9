"""The router map (app/api.py): FastAPI tries the routes in order on every request, so the
routers of the cached reads come first; that is safe only while no router's path is another
router's too."""

from __future__ import annotations

import itertools
import re
import uuid

from fastapi.routing import APIRoute

from app.api import api_routers
from app.cache import is_cached_read

# What a path parameter looks like in a request: the same text for every parameter, so that a
# literal segment of one route ("/me/next") is told apart from a parameter of another.
_PARAMETER = re.compile(r"\{[^}]+\}")


def _routers() -> list[list[APIRoute]]:
    return [
        [route for route in router.routes if isinstance(route, APIRoute)] for router in api_routers
    ]


def _request_path(route: APIRoute) -> str:
    return _PARAMETER.sub(str(uuid.UUID(int=7)), route.path)


def test_no_request_matches_routes_of_two_routers() -> None:
    routes = [(index, route) for index, routes in enumerate(_routers()) for route in routes]
    shared = [
        (first.path, second.path)
        for (i, first), (j, second) in itertools.permutations(routes, 2)
        if i != j
        and (first.methods or set()) & (second.methods or set())
        and second.path_regex.match(_request_path(first))
    ]
    assert shared == []


def test_cached_reads_are_tried_before_every_other_router() -> None:
    routers = _routers()
    holding_cached_reads = [
        index
        for index, routes in enumerate(routers)
        if any(is_cached_read(route.endpoint) for route in routes)
    ]
    assert holding_cached_reads, "no @cached_read route found"
    # Only the health and readiness checks come before them (load balancers call them most).
    assert holding_cached_reads == list(range(1, len(holding_cached_reads) + 1))
    assert [route.path for route in routers[0]] == ["/health", "/ready"]
