"""The matcher against independent references: brute force and a flow over every pair."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.pairing import engine, match_pairs, parse_instance
from tests.unit.pairing.support import brute_force, check, exact_by_flow, random_instance


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10**6),
    n_mentors=st.integers(0, 3),
    n_mentees=st.integers(0, 5),
    mode=st.sampled_from(["reverse", "mutual"]),
    separate=st.integers(0, 4),
)
def test_small_instances_reach_the_brute_force_optimum(
    seed: int, n_mentors: int, n_mentees: int, mode: str, separate: int
) -> None:
    data = random_instance(random.Random(seed), n_mentors, n_mentees, mode=mode, separate=separate)
    result = match_pairs(parse_instance(data)).to_dict()
    best = brute_force(data)
    assert check(data, result) == best
    assert result["upper_bound"] == best
    assert result["optimal"]


@pytest.mark.parametrize("mode", ["reverse", "mutual"])
@pytest.mark.parametrize("seed", range(4))
def test_cut_candidate_lists_keep_every_rule_and_a_proven_bound(
    monkeypatch: pytest.MonkeyPatch, mode: str, seed: int
) -> None:
    """With tiny candidate lists (so the hub relaxation does the proving) the answer still
    breaks no rule, stays below the true optimum, and the bound stays above it."""
    monkeypatch.setattr(engine, "EXHAUSTIVE_PAIRS", 0)
    monkeypatch.setattr(engine, "KEEP", (2, 2))
    data = random_instance(random.Random(seed), 40, 90, mode=mode, separate=30)
    result = match_pairs(parse_instance(data)).to_dict()
    best = exact_by_flow(data)
    objective = check(data, result)
    assert result["stats"]["bound"] == "hub"
    assert objective <= best <= result["upper_bound"]
    # the relaxation is tight enough to be useful, not just valid
    assert result["upper_bound"] < 1.05 * best


@pytest.mark.parametrize("mode", ["reverse", "mutual"])
def test_medium_instances_are_solved_exactly_with_all_pairs(mode: str) -> None:
    data = random_instance(random.Random(7), 120, 200, mode=mode, separate=60)
    result = match_pairs(parse_instance(data)).to_dict()
    best = exact_by_flow(data)
    assert check(data, result) == best == result["upper_bound"]
    assert result["stats"]["all_allowed_pairs_in_flow"]


def test_the_seed_breaks_ties_only() -> None:
    data = random_instance(random.Random(11), 30, 60, mode="mutual", separate=10)
    inst = parse_instance(data)
    first = match_pairs(inst, seed=1).to_dict()
    second = match_pairs(inst, seed=2).to_dict()
    assert first["objective"] == second["objective"]
    assert match_pairs(inst, seed=1).to_dict()["pairs"] == first["pairs"]


@pytest.mark.parametrize(("mode", "seed"), [("reverse", 45), ("mutual", 27), ("mutual", 110)])
def test_the_repair_pairs_whom_the_cut_lists_left_out(
    monkeypatch: pytest.MonkeyPatch, mode: str, seed: int
) -> None:
    """With one-partner lists the flow leaves a mentee unpaired beside a mentor with room that
    was in neither list; the repair pairs them, so that the reasons stay true."""
    monkeypatch.setattr(engine, "EXHAUSTIVE_PAIRS", 0)
    monkeypatch.setattr(engine, "KEEP", (1, 1))
    data = random_instance(random.Random(seed), 12, 30, mode=mode, separate=5)
    result = match_pairs(parse_instance(data)).to_dict()
    assert result["stats"]["repaired_pairs"] >= 1
    check(data, result)  # every capacity_taken / outscored is a fact
    monkeypatch.setattr(engine, "_repair", lambda c, found, *arrays: arrays)
    unrepaired = match_pairs(parse_instance(data)).to_dict()
    with pytest.raises(AssertionError, match="left out beside"):
        check(data, unrepaired)
