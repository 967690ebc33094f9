"""Fixtures of the API tests beyond tests/conftest.py's."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import pytest
from fastapi import FastAPI

from app import db as db_module
from app.config import Settings
from app.main import create_app


@pytest.fixture
async def uncached_worker(settings: Settings) -> AsyncIterator[FastAPI]:
    """A second worker on the same databases, without a response cache: writes there reach
    `app` only through the databases, and its answers are what a fresh request answers."""
    other = create_app(settings.model_copy(update={"response_cache_mb": 0}))
    async with other.router.lifespan_context(other):
        yield other


@pytest.fixture
def postgres_begins(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """'BEGIN', once for every transaction asyncpg opens from now on (a BEGIN round trip to
    PostgreSQL); idle connections are not pinged meanwhile, since a ping begins one too."""
    begun: list[str] = []
    start = asyncpg.transaction.Transaction.start

    async def counted(transaction: Any) -> None:
        begun.append("BEGIN")
        await start(transaction)

    monkeypatch.setattr(asyncpg.transaction.Transaction, "start", counted)
    monkeypatch.setattr(db_module, "PING_AFTER_IDLE_S", 3600.0)
    return begun
