"""Scopes: which team or challenge a cached answer is about, so that writes elsewhere leave it.

Per table, a change count tells that *some* row changed; per (scope, table) a count tells that
a row of that team or challenge did (the triggers of migrations/change_count_triggers.py, a0018,
bump both in the write's own transaction). A cached route declares which tables it reads only
within the team or challenge its path names: `@cached_read(scoped={"team_id": ("messages",)})`
reads team <team_id>'s messages and no other team's, so its entry holds the count of
('team:<id>', 'messages') instead of the count of every message. Every other table it reads
stays counted whole. `tests/api/test_cache_scopes.py` walks every cached route and every write
and fails if a write that changes an answer leaves it in place, so a declaration that claims
too much fails there.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping

# Path parameter -> the scope it names; the tables' columns naming the same scope are the
# triggers' (a0018).
SCOPE_PARAMETERS: Mapping[str, str] = {"team_id": "team", "challenge_id": "challenge"}
# The database holding the scope counts.
SCOPED_DATABASE = "app"


def scope_of(parameter: str, value: str) -> str | None:
    """'team:<32 hex digits>' for a path's team id, as the triggers write it; None for a
    parameter that names no scope, or a value that is no id (the route will refuse it)."""
    kind = SCOPE_PARAMETERS.get(parameter)
    if kind is None:
        return None
    try:
        return f"{kind}:{uuid.UUID(value).hex}"
    except ValueError:
        return None


def scoped_key(table: str, scope: str) -> str:
    """The key of a scope's count among the versions: 'app.messages@team:<hex>'."""
    return f"{SCOPED_DATABASE}.{table}@{scope}"
