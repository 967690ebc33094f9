"""The response cache's counts (per table, and per team or challenge: app/cache/changes.py) tell
no more than the rows they guard: a review redemption, whose moment must not be recorded, moves
no count and writes no page of the count tables (SQLite: the write-ahead log), and no count is
kept per person."""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.engine import make_url

from tests.conftest import BACKEND, client_for
from tests.reviewing import get_tokens, review_phase_over_http

_COUNT_TABLES = ("table_changes", "scope_changes")


async def _everything_counted(app: FastAPI) -> dict[str, Any]:
    """Every count and log row the app database holds, as someone with its files would read."""
    found: dict[str, Any] = {}
    async with app.state.databases.app_engine.connect() as connection:
        for table in (
            *_COUNT_TABLES,
            *(("table_change_log", "scope_change_log") if BACKEND == "postgres" else ()),
        ):
            rows = await connection.execute(text(f"SELECT * FROM {table}"))
            found[table] = sorted(tuple(str(v) for v in row) for row in rows)
    return found


def _wal_pages(database: Path, since: int) -> set[int]:
    """Page numbers of the frames written to `database`'s WAL from byte `since` on (all of
    them if the log was restarted meanwhile)."""
    wal = database.with_name(database.name + "-wal")
    if not wal.is_file():
        return set()
    data = wal.read_bytes()
    if len(data) < 32:
        return set()
    page_size = struct.unpack(">I", data[8:12])[0]
    frame = 24 + page_size
    start = since if 32 <= since <= len(data) else 32
    start = 32 + ((start - 32) // frame) * frame
    return {
        struct.unpack(">I", data[offset : offset + 4])[0]
        for offset in range(start, len(data) - frame + 1, frame)
    }


async def test_a_review_redemption_moves_no_count_and_writes_no_count_page(
    app: FastAPI, make_client: Any
) -> None:
    review = await review_phase_over_http(app, make_client, teams=3, size=1)
    wallet = await get_tokens(review["groups"][0][0], review["cid"])
    before = await _everything_counted(app)
    database = Path(make_url(str(app.state.databases.app_engine.url)).database or "")
    wal = database.with_name(database.name + "-wal")
    wal_before = wal.stat().st_size if BACKEND == "sqlite" and wal.is_file() else 0

    async with client_for(app) as anonymous:
        target = next(iter(wallet.tokens))
        redeemed = await anonymous.post("/api/v1/reviews", json=wallet.review(target))
    assert redeemed.status_code == 202, redeemed.text

    assert await _everything_counted(app) == before
    if BACKEND == "sqlite":
        async with app.state.databases.app_engine.connect() as connection:
            roots = {
                row[0]
                for row in await connection.execute(
                    text(
                        "SELECT rootpage FROM sqlite_master WHERE tbl_name IN "
                        "('table_changes', 'scope_changes')"
                    )
                )
            }
        assert not _wal_pages(database, wal_before) & roots


async def test_no_count_is_kept_per_person(app: FastAPI, make_client: Any) -> None:
    review = await review_phase_over_http(app, make_client, teams=2, size=1)
    async with app.state.databases.app_engine.connect() as connection:
        kept = "SELECT scope FROM scope_changes"
        if BACKEND == "postgres":  # most are still in the log, not yet folded into the counts
            kept += " UNION SELECT scope FROM scope_change_log"
        scopes = {row[0] for row in await connection.execute(text(kept))}
        people = {
            row[0].hex if hasattr(row[0], "hex") else str(row[0]).replace("-", "")
            for row in await connection.execute(text("SELECT pseudonym FROM participants"))
        }
    assert scopes, "the world's writes were counted per scope"
    assert all(scope.split(":")[0] in {"team", "challenge"} for scope in scopes)
    assert not {scope.split(":")[1] for scope in scopes} & people
    assert review["cid"].replace("-", "") in {scope.split(":")[1] for scope in scopes}
