"""The scan's candidate lists against top lists computed from the definitions.

The scan prunes: a pair is ranked only when its value can still enter one of its two lists
(above the list's current K-th), and loose pairs are merged per owner. Whatever it skips, its
lists must be the exact top lists over every allowed pair, per applicant and cohort of the
other side; ties may be broken either way, so the lists are compared by their values.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.pairing import parse_instance
from app.pairing import scan as scan_module
from tests.unit.pairing.support import pair_value, random_instance, separate_pairs


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10**6),
    mode=st.sampled_from(["reverse", "mutual"]),
    keep=st.sampled_from([(1, 1), (2, 3), (3, 2)]),
    tile_pairs=st.sampled_from([4, 32, 1 << 20]),
    dense=st.sampled_from([0, scan_module._DENSE, 10**9]),
    noise_bits=st.sampled_from([scan_module._NOISE_BITS, 1]),
)
def test_the_candidate_lists_are_the_top_lists_of_every_allowed_pair(
    seed: int, mode: str, keep: tuple[int, int], tile_pairs: int, dense: int, noise_bits: int
) -> None:
    rng = random.Random(seed)
    data = random_instance(rng, rng.randint(5, 30), rng.randint(5, 40), mode=mode, separate=25)
    with pytest.MonkeyPatch.context() as patch:
        # small tiles: many of them meet each list, so the lists fill and prune on the way
        patch.setattr(scan_module, "TILE_PAIRS", tile_pairs)
        # either way of ranking a tile's pairs: always loose pairs, the scan's mix, always
        # whole-tile lists
        patch.setattr(scan_module, "_DENSE", dense)
        # one bit of tie-breaking noise: many partners of a list share a key, as a few do at
        # 50,000 applicants, and a list must still keep every key above its K-th
        patch.setattr(scan_module, "_NOISE_BITS", noise_bits)
        patch.setattr(scan_module, "_EMPTY", (1 << noise_bits) - 1)
        compiled = scan_module.compile_instance(parse_instance(data))
        found = scan_module.scan(compiled, keep, seed=seed)

    _assert_top_lists(data, found, keep)


@pytest.mark.parametrize("seed", range(12))
def test_lists_keep_every_key_above_their_kth_when_many_partners_share_a_key(seed: int) -> None:
    """Whole-tile top lists with many equal keys (one bit of tie-breaking noise and weights
    with few distinct values): a list keeps every key above its K-th before any equal one."""
    rng = random.Random(seed)
    data = random_instance(rng, rng.randint(30, 60), rng.randint(40, 80), mode="mutual")
    data["weights"] = {"skill": 1, "gap": 1, "department": 0, "availability": 0}
    keep = (3, 3)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(scan_module, "_DENSE", 10**9)  # always whole-tile lists
        patch.setattr(scan_module, "_NOISE_BITS", 1)
        patch.setattr(scan_module, "_EMPTY", 1)
        compiled = scan_module.compile_instance(parse_instance(data))
        found = scan_module.scan(compiled, keep, seed=seed)
    _assert_top_lists(data, found, keep)


def _assert_top_lists(data: dict[str, Any], found: scan_module.Scan, keep: tuple[int, int]) -> None:
    cohorts = data["cohorts"]
    forbidden = separate_pairs(data)
    mentors, mentees = data["mentors"], data["mentees"]
    allowed: dict[tuple[int, int], int] = {}
    for i, mentor in enumerate(mentors):
        for j, mentee in enumerate(mentees):
            value = pair_value(data, mentor, mentee, forbidden)
            if value is not None:
                allowed[(j, i)] = value
    candidates = {
        (int(j), int(i)): int(v)
        for j, i, v in zip(found.mentee, found.mentor, found.value, strict=True)
    }
    assert len(candidates) == len(found.value)  # each pair once
    for pair, value in candidates.items():
        assert allowed.get(pair) == value

    # per (applicant, cohort of the other side): every allowed value, and the candidates' values
    mentee_all: dict[tuple[int, int], list[int]] = defaultdict(list)
    mentor_all: dict[tuple[int, int], list[int]] = defaultdict(list)
    for (j, i), value in allowed.items():
        mentee_all[(j, cohorts.index(mentors[i]["cohort"]))].append(value)
        mentor_all[(i, cohorts.index(mentees[j]["cohort"]))].append(value)
    mentee_got: dict[tuple[int, int], list[int]] = defaultdict(list)
    mentor_got: dict[tuple[int, int], list[int]] = defaultdict(list)
    for (j, i), value in candidates.items():
        mentee_got[(j, cohorts.index(mentors[i]["cohort"]))].append(value)
        mentor_got[(i, cohorts.index(mentees[j]["cohort"]))].append(value)
    for every, got, k, kept_min in (
        (mentee_all, mentee_got, keep[0], found.mentee_kept_min),
        (mentor_all, mentor_got, keep[1], found.mentor_kept_min),
    ):
        for owner, values in every.items():
            best = sorted(values, reverse=True)[:k]
            assert sorted(got[owner], reverse=True)[:k] == best, owner
            assert kept_min[owner] == (best[-1] if len(values) > k else 0), owner

    assert found.allowed == len(allowed)
    assert found.complete
    for j in range(len(mentees)):
        mine = [v for (e, _), v in allowed.items() if e == j]
        assert found.mentee_partners[j] == len(mine)
        assert found.mentee_best[j] == max(mine, default=0)
    for i in range(len(mentors)):
        mine = [v for (_, m), v in allowed.items() if m == i]
        assert found.mentor_partners[i] == len(mine)
        assert found.mentor_best[i] == max(mine, default=0)


@pytest.mark.parametrize(("late_at", "complete"), [(0.985, True), (0.5, False)])
def test_a_scan_at_its_last_tiles_when_the_deadline_passes_finishes(
    late_at: float, complete: bool
) -> None:
    """Only a complete scan proves the tight bound: past the deadline the last tiles (within
    `_FINISH_WITHIN` of the end) still run, while a scan further from its end stops there."""
    data = random_instance(random.Random(7), 60, 80, mode="mutual")
    clock = {"now": 0.0}

    def on_tile(fraction: float) -> None:
        if fraction >= late_at:
            clock["now"] = 100.0  # the deadline (50) has passed

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(scan_module, "TILE_PAIRS", 4)  # a thousand tiles or so
        patch.setattr(time, "perf_counter", lambda: clock["now"])
        compiled = scan_module.compile_instance(parse_instance(data))
        found = scan_module.scan(compiled, (2, 2), on_tile, seed=1, deadline=50.0)
    assert clock["now"] == 100.0  # the clock did jump
    assert found.complete is complete


@pytest.mark.parametrize("seed", range(8))
def test_whole_tile_lists_over_int32_keys_are_the_int64_ones(seed: int) -> None:
    """A tile whose values span few levels is ranked on int32 keys (``_tile_keys``); its
    lists must be the ones int64 keys give, disallowed pairs (value 0) and ties included."""
    rng = np.random.default_rng(seed)
    rows, cols, keep = int(rng.integers(1, 40)), int(rng.integers(1, 60)), int(rng.integers(1, 9))
    base = scan_module.BASE_VALUE
    values = rng.integers(base, base + 12, (rows, cols)).astype(np.int32)
    values *= rng.random((rows, cols)) < 0.6  # disallowed pairs are worth 0
    row_noise = rng.integers(0, 4, rows, dtype=np.int64)  # few noise values: many equal keys
    col_noise = rng.integers(0, 4, cols, dtype=np.int64)
    partners = np.arange(cols, dtype=np.int64) * 7
    high = int(values.max())
    narrow, offset = scan_module._tile_keys(values, high, row_noise, col_noise)
    assert narrow.dtype == np.int32
    assert offset
    wide, no_offset = scan_module._tile_keys(values, 1 << 40, row_noise, col_noise)
    assert wide.dtype == np.int64
    assert no_offset == 0
    expected = (values.astype(np.int64) << scan_module._NOISE_BITS) | (
        row_noise[:, None] ^ col_noise[None, :]
    )
    assert np.array_equal(wide, expected)
    got_keys, got_partners = scan_module._tile_lists(narrow, keep, partners, offset)
    want_keys, want_partners = scan_module._tile_lists(wide, keep, partners, 0)
    assert np.array_equal(got_keys, want_keys)
    assert np.array_equal(got_partners, want_partners)
    # and they are each row's best keys of the tile (padded when the row is shorter)
    for r in range(rows):
        best = sorted(expected[r].tolist(), reverse=True)[:keep]
        best += [scan_module._EMPTY] * (keep - len(best))
        assert sorted(got_keys[r].tolist()) == sorted(best)
