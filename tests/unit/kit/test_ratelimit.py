"""The per-worker in-memory window: its answer over the limit, its window's end and its
bounded memory."""

from __future__ import annotations

import pytest

from app.kit.ratelimit import PerWorkerWindow


def test_over_the_limit_answers_the_seconds_to_wait() -> None:
    window = PerWorkerWindow(limit=3, window_s=60.0)
    assert [window.count("a", now=100.0) for _ in range(3)] == [None, None, None]
    assert window.count("a", now=110.0) == pytest.approx(50.0)
    assert window.count("a", now=159.0) == pytest.approx(1.0)
    assert window.count("b", now=110.0) is None  # each key has its own window


def test_a_new_window_starts_once_the_last_has_ended() -> None:
    window = PerWorkerWindow(limit=1, window_s=60.0)
    assert window.count("a", now=0.0) is None
    assert window.count("a", now=59.9) == pytest.approx(0.1)
    assert window.count("a", now=60.0) is None
    assert window.count("a", now=61.0) == pytest.approx(59.0)


def test_memory_is_bounded_forgetting_the_oldest_key() -> None:
    window = PerWorkerWindow(limit=1, window_s=60.0, remember=2)
    assert window.count("a", now=0.0) is None
    assert window.count("b", now=1.0) is None
    assert window.count("a", now=2.0) is not None  # "a" is now the most recent
    assert window.count("c", now=3.0) is None  # forgets "b", the oldest
    assert len(window._windows) == 2
    assert window.count("b", now=4.0) is None  # forgotten: counted afresh
    assert window.count("a", now=5.0) is None  # forgotten when "b" came back
