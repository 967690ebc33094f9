"""The matcher against independent references: brute force and a flow over every pair."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.pairing import bound, engine, match_pairs, parse_instance
from app.pairing.flow import Hub
from app.pairing.scan import Compiled, Scan
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
@pytest.mark.parametrize("hub_first", [True, False])
def test_cut_candidate_lists_keep_every_rule_and_a_proven_bound(
    monkeypatch: pytest.MonkeyPatch, mode: str, seed: int, hub_first: bool
) -> None:
    """With tiny candidate lists (so the hub relaxation does the proving) the answer still
    breaks no rule, stays below the true optimum, and the bound stays above it, whichever
    flow is solved first."""
    monkeypatch.setattr(engine, "EXHAUSTIVE_PAIRS", 0)
    monkeypatch.setattr(engine, "KEEP", (2, 2))
    monkeypatch.setattr(engine, "_HUB_FIRST_BELOW", 2.0 if hub_first else 0.0)
    data = random_instance(random.Random(seed), 40, 90, mode=mode, separate=30)
    result = match_pairs(parse_instance(data)).to_dict()
    best = exact_by_flow(data)
    objective = check(data, result)
    assert result["stats"]["hub_first"] is hub_first
    assert objective <= best <= result["upper_bound"]
    if hub_first:
        assert result["stats"]["bound"] == "hub"
    # either the relaxation proves the answer, or the simple bound already did well enough
    assert result["stats"]["bound"] == "hub" or objective >= engine._ENOUGH * best
    # the relaxation is tight enough to be useful, not just valid
    assert result["upper_bound"] < 1.05 * best


@pytest.mark.parametrize("mode", ["reverse", "mutual"])
@pytest.mark.parametrize("seed", range(3))
def test_a_further_flow_is_solved_only_when_the_first_falls_short(
    monkeypatch: pytest.MonkeyPatch, mode: str, seed: int
) -> None:
    """Bound's network first: a fill completes its matching, and the candidates' optimum
    follows only when the fill is not within ``_ENOUGH`` of the bound. Candidates first: the
    bound's network follows only when the simple bound does not prove ``_ENOUGH``. Every
    order breaks no rule and proves its bound; more flows never do worse. The hub arcs are
    built only for a run that solves the bound's network (they cost a CPU-second at 50,000)."""
    built: list[Scan] = []

    def hub_network(c: Compiled, found: Scan) -> Hub:
        built.append(found)
        return bound.hub_network(c, found)

    monkeypatch.setattr(engine, "hub_network", hub_network)
    monkeypatch.setattr(engine, "EXHAUSTIVE_PAIRS", 0)
    monkeypatch.setattr(engine, "KEEP", (2, 2))
    monkeypatch.setattr(engine, "_repair", lambda c, found, *arrays: arrays)
    data = random_instance(random.Random(100 + seed), 40, 90, mode=mode, separate=30)
    best = exact_by_flow(data)
    runs = {}
    hubs_built = {}
    for hub_first in (True, False):
        monkeypatch.setattr(engine, "_HUB_FIRST_BELOW", 2.0 if hub_first else 0.0)
        for enough in (0.0, 2.0):  # a further flow never, always
            monkeypatch.setattr(engine, "_ENOUGH", enough)
            built.clear()
            result = match_pairs(parse_instance(data)).to_dict()
            hubs_built[hub_first, enough] = len(built)
            assert check(data, result, reasons=False) <= best <= result["upper_bound"]
            runs[hub_first, enough] = result
    flows = {key: run["stats"]["flows"] for key, run in runs.items()}
    assert flows == {(True, 0.0): 2, (True, 2.0): 3, (False, 0.0): 1, (False, 2.0): 2}
    assert runs[False, 0.0]["stats"]["bound"] == "simple"
    assert hubs_built == {(True, 0.0): 1, (True, 2.0): 1, (False, 0.0): 0, (False, 2.0): 1}
    hub = runs[True, 0.0]["upper_bound"]
    assert runs[True, 2.0]["upper_bound"] == runs[False, 2.0]["upper_bound"] == hub
    assert runs[True, 2.0]["objective"] >= runs[True, 0.0]["objective"]
    # the candidates' optimum, whichever way it is reached
    assert runs[True, 2.0]["objective"] == runs[False, 0.0]["objective"]


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
