"""Tests of the migrations; `run` executes one statement on a database by its URL."""

from __future__ import annotations

import asyncio
from typing import Any

from app.db import create_engine


def run(url: str, statement: Any, rows: list[dict[str, Any]] | None = None) -> list[Any]:
    """One statement (with rows for an executemany) in its own transaction; rows it returns."""

    async def go() -> list[Any]:
        engine = create_engine(url)
        async with engine.begin() as connection:
            result = await connection.execute(statement, rows) if rows else None
            if result is None:
                result = await connection.execute(statement)
            found = list(result.mappings().all()) if result.returns_rows else []
        await engine.dispose()
        return found

    return asyncio.run(go())
