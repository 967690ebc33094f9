"""The scan's threads change nothing but the time, and the command still keeps its deadline.

The scan evaluates tiles on worker threads and merges them in order on the calling thread;
its faster index helpers must give exactly what the numpy calls they replace give. After the
scan, the flow's child is forked (the scan's threads are joined first) and given up on at the
deadline.
"""

from __future__ import annotations

import random
import time
from typing import Any

import numpy as np
import pytest

from app.pairing import engine, match_pairs, parse_instance
from app.pairing import scan as scan_module
from app.pairing.flow import solve
from tests.unit.pairing.support import check, exact_by_flow, random_instance

_FIELDS = (
    "mentee",
    "mentor",
    "value",
    "mentee_partners",
    "mentor_partners",
    "mentee_best",
    "mentor_best",
    "mentee_kept_min",
    "mentor_kept_min",
)


def _scan_with(monkeypatch: pytest.MonkeyPatch, threads: int, data: dict[str, Any]) -> Any:
    with monkeypatch.context() as patch:
        patch.setattr(scan_module, "_THREADS", threads)
        # small tiles: hundreds of them, so that the threads interleave and the lists fill
        # and prune along the way
        patch.setattr(scan_module, "TILE_PAIRS", 64)
        compiled = scan_module.compile_instance(parse_instance(data))
        return scan_module.scan(compiled, (3, 2), seed=7)


@pytest.mark.parametrize("mode", ["reverse", "mutual"])
def test_the_threaded_scan_gives_exactly_the_serial_scans_candidates(
    monkeypatch: pytest.MonkeyPatch, mode: str
) -> None:
    data = random_instance(random.Random(21), 120, 260, mode=mode, separate=40)
    serial = _scan_with(monkeypatch, 1, data)
    threaded = _scan_with(monkeypatch, 2, data)
    assert len(serial.value) > 0
    for name in _FIELDS:
        assert np.array_equal(getattr(serial, name), getattr(threaded, name)), name
    assert (serial.allowed, serial.examined, serial.complete) == (
        threaded.allowed,
        threaded.examined,
        threaded.complete,
    )


@pytest.mark.parametrize("shape", [(1, 1), (1, 9), (9, 1), (37, 53), (200, 3)])
@pytest.mark.parametrize("density", [0.0, 0.05, 0.5, 1.0])
def test_where_is_numpys_nonzero_in_the_same_order(shape: tuple[int, int], density: float) -> None:
    mask = np.random.default_rng(shape[0] * 1000 + shape[1]).random(shape) < density
    rows, cols = scan_module._where(mask)
    want_rows, want_cols = np.nonzero(mask)
    assert np.array_equal(rows, want_rows)
    assert np.array_equal(cols, want_cols)


@pytest.mark.parametrize("size", [0, 1, 2, 50, 5000])
@pytest.mark.parametrize("high", [1, 4, 10**6, 1 << 60])
def test_first_of_each_is_uniques_first_index(size: int, high: int) -> None:
    keys = np.random.default_rng(size + high % 97).integers(0, high, size, dtype=np.int64)
    got = scan_module._first_of_each(keys)
    assert np.array_equal(got, np.unique(keys, return_index=True)[1])


@pytest.mark.parametrize("size", [0, 1, 3, 400, 20000])
@pytest.mark.parametrize("levels", [1, 3, 60])
def test_mentee_order_is_lexsorts(size: int, levels: int) -> None:
    """By mentee, best value first, equal values in the edges' order (lexsort is stable)."""
    rng = np.random.default_rng(size * 7 + levels)
    mentee = rng.integers(0, max(1, size // 4), size)
    value = rng.integers(1000, 1000 + levels, size)
    got = engine._by_mentee_best_first(mentee, value)
    assert np.array_equal(got, np.lexsort((-value, mentee)))


@pytest.mark.parametrize("mode", ["reverse", "mutual"])
def test_the_command_gives_up_on_a_slow_flow_at_its_deadline(
    monkeypatch: pytest.MonkeyPatch, mode: str
) -> None:
    """A real forked child whose flow does not finish in time (it sleeps past the deadline):
    the scan's threads are gone before the fork, the parent stops waiting at the deadline, and
    the answer is the greedy matching of the candidates, valid and under a proven bound."""
    data = random_instance(random.Random(31), 40, 90, mode=mode, separate=20)

    def slow(*args: Any, **kwargs: Any) -> Any:
        time.sleep(60)
        return solve(*args, **kwargs)

    monkeypatch.setattr(engine, "solve", slow)
    limit = 2.0
    started = time.perf_counter()
    result = match_pairs(parse_instance(data), time_limit_s=limit, flow_in_child=True).to_dict()
    elapsed = time.perf_counter() - started
    # the wait is cut at the deadline less the tail kept for the answer, never past it; the
    # margin allows a loaded test machine to finish the small answer late
    assert elapsed < limit + 1.0
    stats = result["stats"]
    assert stats["scan_complete"]
    assert not stats["flow_in_time"]
    assert stats["flows"] == 0
    assert result["pairs"]
    objective = check(data, result)
    assert result["upper_bound"] >= exact_by_flow(data) >= objective
