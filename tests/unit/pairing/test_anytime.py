"""The matcher answers with pairs whatever the clock says (issue 20): a run whose time is
used up before the scan starts still returns a valid, non-empty matching. The deadline is
injected (already past), so nothing here depends on the machine's speed."""

from __future__ import annotations

import random
import time

import pytest

from app.pairing import engine, match_pairs, parse_instance
from app.pairing.flow import PendingFlow
from tests.unit.pairing.support import check, exact_by_flow, pair_value, random_instance


@pytest.mark.parametrize("mode", ["reverse", "mutual"])
@pytest.mark.parametrize("seed", range(3))
def test_a_deadline_past_before_the_scan_still_gives_a_valid_matching(mode: str, seed: int) -> None:
    data = random_instance(random.Random(seed), 40, 90, mode=mode, separate=30)
    result = match_pairs(parse_instance(data), deadline=time.perf_counter() - 1.0).to_dict()
    stats = result["stats"]
    # the scan looked at nothing: every pair comes from the greedy pass
    assert stats["examined_pairs"] == 0
    assert not stats["scan_complete"]
    assert stats["bound"] == "scanless"
    assert result["pairs"], "an answer with no pairs where pairs exist"
    objective = check(data, result, reasons=False)  # no disallowed pair, capacities held
    assert {u["reason"] for u in result["unmatched"]} == {"time_limit"}
    # the bound is still proven: at or above the true optimum
    assert result["upper_bound"] >= exact_by_flow(data) >= objective
    # at this size the samples cover every mentor: no unpaired mentee is left beside an
    # allowed mentor with room
    load: dict[str, int] = {}
    for p in result["pairs"]:
        load[p["mentor"]] = load.get(p["mentor"], 0) + 1
    paired = {p["mentee"] for p in result["pairs"]}
    for e in data["mentees"]:
        if e["id"] not in paired:
            assert all(
                load.get(m["id"], 0) >= m.get("capacity", 1)
                for m in data["mentors"]
                if pair_value(data, m, e) is not None
            ), f"mentee {e['id']} left out beside a mentor with room"


def test_the_greedy_answer_is_the_same_for_the_same_seed() -> None:
    data = random_instance(random.Random(9), 30, 60, mode="mutual", separate=10)
    runs = [
        match_pairs(parse_instance(data), deadline=time.perf_counter() - 1.0).to_dict()["pairs"]
        for _ in range(2)
    ]
    assert runs[0] == runs[1]


@pytest.mark.parametrize("mode", ["reverse", "mutual"])
def test_a_flow_that_misses_the_deadline_leaves_a_greedy_matching_with_true_reasons(
    monkeypatch: pytest.MonkeyPatch, mode: str
) -> None:
    """The command's flow runs in a child given up on at the deadline: the answer is then the
    greedy matching of the candidates, repaired, and every reason still holds."""
    data = random_instance(random.Random(11), 40, 90, mode=mode, separate=20)
    monkeypatch.setattr(PendingFlow, "result", lambda self, timeout: None)
    result = match_pairs(parse_instance(data), flow_in_child=True).to_dict()
    assert result["stats"]["scan_complete"]
    assert not result["stats"]["flow_in_time"]
    assert result["pairs"]
    objective = check(data, result)  # reasons checked against all pairs: none is stale
    assert result["upper_bound"] >= exact_by_flow(data) >= objective


def test_the_flow_in_a_child_gives_the_inline_answer() -> None:
    data = random_instance(random.Random(12), 40, 90, mode="mutual", separate=20)
    inline = match_pairs(parse_instance(data)).to_dict()
    forked = match_pairs(parse_instance(data), flow_in_child=True).to_dict()
    assert forked["stats"]["flow_in_time"]
    assert forked["pairs"] == inline["pairs"]
    assert forked["optimal"]


@pytest.mark.parametrize("mode", ["reverse", "mutual"])
def test_a_bound_that_arrives_without_the_matching_still_proves_and_pairs(
    monkeypatch: pytest.MonkeyPatch, mode: str
) -> None:
    """With cut lists the child first hands over the bound's network (the proven bound and
    part of a matching); when the matching's flow then misses the deadline, the bound stays
    the proven one and the greedy pass completes the matching, every reason still true."""
    monkeypatch.setattr(engine, "EXHAUSTIVE_PAIRS", 0)
    monkeypatch.setattr(engine, "KEEP", (2, 2))
    monkeypatch.setattr(engine, "_HUB_FIRST_BELOW", 2.0)
    data = random_instance(random.Random(13), 40, 90, mode=mode, separate=20)
    original = PendingFlow.result
    handed: list[object] = []

    def only_the_first(self: PendingFlow, timeout: float) -> object:
        got = original(self, timeout) if not handed else None
        handed.append(got)
        return got

    monkeypatch.setattr(PendingFlow, "result", only_the_first)
    result = match_pairs(parse_instance(data), flow_in_child=True).to_dict()
    assert handed[0] is not None
    assert result["stats"]["bound"] == "hub"
    assert not result["stats"]["flow_in_time"]
    objective = check(data, result)
    assert objective <= exact_by_flow(data) <= result["upper_bound"]
    monkeypatch.setattr(PendingFlow, "result", original)
    full = match_pairs(parse_instance(data), flow_in_child=True).to_dict()
    assert full["stats"]["flow_in_time"]
    assert full["upper_bound"] == result["upper_bound"]
