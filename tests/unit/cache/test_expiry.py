"""How long a cached answer lives is read from the answer (app/cache/expiry.py)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import BaseModel

from app.cache.capture import Capture, close_capture, open_capture
from app.cache.expiry import Undeclared, cached_read, expiry_of, is_cached_read
from app.kit.pagination import Page


class _Dated(BaseModel):
    until: datetime | None

    def expires_at(self) -> datetime | None:
        return self.until


class _Undated(BaseModel):
    name: str


def test_a_page_or_a_list_holds_until_its_first_item_expires() -> None:
    soon, later = datetime.now(UTC) + timedelta(minutes=1), datetime.now(UTC) + timedelta(hours=1)
    items = [_Dated(until=later), _Dated(until=None), _Dated(until=soon)]
    assert expiry_of(Page(items=items, next_cursor=None)) == soon
    assert expiry_of(items) == soon
    assert expiry_of([_Dated(until=None)]) is None
    assert expiry_of([]) is None
    with pytest.raises(Undeclared):
        expiry_of([_Undated(name="x")])


async def test_the_marker_bounds_the_entry_by_the_answer_and_skips_undeclared_answers() -> None:
    soon = datetime.now(UTC) + timedelta(minutes=1)

    @cached_read
    async def dated() -> _Dated:
        return _Dated(until=soon)

    @cached_read
    async def undated() -> _Undated:
        return _Undated(name="x")

    assert is_cached_read(dated)
    assert dated.__name__ == "dated"  # FastAPI names the route after it
    capture = Capture()
    token = open_capture(capture)
    try:
        assert await dated() == _Dated(until=soon)
        assert capture.expires == pytest.approx(soon.timestamp())
        assert capture.keep
        await undated()
        assert not capture.keep
    finally:
        close_capture(token)


def test_a_moment_already_past_changes_nothing() -> None:
    capture = Capture()
    capture.holds_until(datetime.now(UTC) - timedelta(seconds=1))
    capture.holds_until(None)
    assert capture.expires == float("inf")
    capture.holds_until(datetime.fromtimestamp(time.time() + 30, UTC))
    assert capture.expires < float("inf")
