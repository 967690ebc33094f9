"""Fixtures of the API tests beyond tests/conftest.py's."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from fastapi import FastAPI

from app.config import Settings
from app.main import create_app


@pytest.fixture
async def uncached_worker(settings: Settings) -> AsyncIterator[FastAPI]:
    """A second worker on the same databases, without a response cache: writes there reach
    `app` only through the databases, and its answers are what a fresh request answers."""
    other = create_app(settings.model_copy(update={"response_cache_mb": 0}))
    async with other.router.lifespan_context(other):
        yield other
