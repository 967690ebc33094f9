"""The sessions' last-seen times, kept current for answers replayed from memory.

A request that runs marks its session seen (at most once a minute: the vault's resolution);
an answer replayed from the cache must too, or a person reading only cached pages would be
signed out for idleness. The replay hands the session to this writer and goes on: one task
writes the sessions due in batches, through the vault (`Vault.touch_sessions`), so a replay
neither waits for the write nor pays a transaction of its own. A write lost with the process
only makes a last-seen time a minute older.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable, Collection

logger = logging.getLogger(__name__)

TouchSessions = Callable[[Collection[uuid.UUID]], Awaitable[None]]


class SessionToucher:
    def __init__(self, touch_sessions: TouchSessions) -> None:
        self._touch_sessions = touch_sessions
        self._due: set[uuid.UUID] = set()
        self._task: asyncio.Task[None] | None = None

    def later(self, session_id: uuid.UUID) -> None:
        self._due.add(session_id)
        if self._task is None:
            self._task = asyncio.create_task(self._write())

    async def _write(self) -> None:
        try:
            while self._due:
                batch, self._due = list(self._due), set()
                try:
                    await self._touch_sessions(batch)
                except Exception:  # the next replay a minute later tries again
                    logger.warning("could not write last-seen times of %d sessions", len(batch))
        finally:
            self._task = None

    async def close(self) -> None:
        """Finish the writes already handed over (before the databases close)."""
        if self._task is not None:
            await asyncio.gather(self._task, return_exceptions=True)
