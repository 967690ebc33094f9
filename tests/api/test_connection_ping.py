"""PostgreSQL's pooled connections (app/db.py): one used a moment ago is not pinged again (a hot
read pays for its own statements only), one that sat idle is, and a cut one is replaced before a
request sees it."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text

from app import db
from tests.conftest import BACKEND, DatabaseUrls, _postgres_admin

pytestmark = pytest.mark.skipif(BACKEND != "postgres", reason="SQLite connections are files")


async def _backend_pid(engine: Any) -> int:
    async with engine.connect() as connection:
        return int((await connection.execute(text("SELECT pg_backend_pid()"))).scalar_one())


def _count_pings(engine: Any, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    pings: list[int] = []
    ping = engine.dialect.do_ping

    def counted(dbapi_connection: Any) -> bool:
        pings.append(1)
        return bool(ping(dbapi_connection))

    monkeypatch.setattr(engine.dialect, "do_ping", counted)
    return pings


async def test_a_connection_used_a_moment_ago_is_not_pinged(
    test_databases: DatabaseUrls, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = db.create_engine(test_databases.app_url)
    try:
        first = await _backend_pid(engine)
        pings = _count_pings(engine, monkeypatch)
        assert await _backend_pid(engine) == first  # the pooled connection, as it was
        assert pings == []
    finally:
        await engine.dispose()


async def test_an_idle_connection_that_was_cut_is_replaced_before_use(
    test_databases: DatabaseUrls, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = db.create_engine(test_databases.app_url)
    try:
        cut = await _backend_pid(engine)
        await _postgres_admin(f"SELECT pg_terminate_backend({cut})")
        monkeypatch.setattr(db, "PING_AFTER_IDLE_S", 0.0)  # every pooled connection is idle
        pings = _count_pings(engine, monkeypatch)
        replacement = await _backend_pid(engine)  # no error: the ping found it cut
        assert replacement != cut
        assert pings == [1]
    finally:
        await engine.dispose()
