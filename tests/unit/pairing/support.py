"""Instance builders and independent reference computations for the pairing tests.

Nothing here imports the engine: the rule for an allowed pair, its value and the brute-force
optimum are written again from the issue's definitions, in plain Python, so that the tests
compare two implementations.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterable, Sequence
from typing import Any

COHORTS = ["boomer", "gen_x", "millennial", "gen_z"]
SKILLS = ["short_video", "ai_assistants", "data_viz", "negotiation", "budgeting"]
LANGUAGES = ["en", "fr", "de"]
SLOTS = ["mon_am", "mon_pm", "tue_am", "wed_pm", "thu_am", "fri_pm"]
DEFAULT_WEIGHTS = {"skill": 10, "gap": 3, "department": 2, "availability": 1}

Instance = dict[str, Any]


def person(
    pid: str,
    cohort: str,
    *,
    teaches: dict[str, int] | None = None,
    wants: dict[str, int] | None = None,
    languages: Sequence[str] = ("en",),
    availability: Sequence[str] = ("mon_am",),
    department: str | None = "d1",
    capacity: int | None = None,
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": pid,
        "cohort": cohort,
        "languages": list(languages),
        "availability": list(availability),
        "teaches": dict(teaches or {}),
        "wants": dict(wants or {}),
    }
    if department is not None:
        out["department"] = department
    if capacity is not None:
        out["capacity"] = capacity
    return out


def instance(
    mentors: list[dict[str, Any]],
    mentees: list[dict[str, Any]],
    *,
    mode: str = "reverse",
    separate: Iterable[Sequence[str]] = (),
    weights: dict[str, int] | None = None,
) -> Instance:
    return {
        "mode": mode,
        "cohorts": list(COHORTS),
        "mentors": mentors,
        "mentees": mentees,
        "separate": [list(p) for p in separate],
        "weights": dict(weights or DEFAULT_WEIGHTS),
        # Far above what these instances need: on a loaded machine the scan's pace rule (a
        # quarter of its share gone) cut a 12 x 30 instance short within 10 s, and the
        # reasons became `time_limit`. Tests of the limit set their own.
        "time_limit_s": 120,
        "seed": 0,
    }


def random_people(
    rng: random.Random, count: int, prefix: str, *, mentor: bool
) -> list[dict[str, Any]]:
    out = []
    for k in range(count):
        out.append(
            person(
                f"{prefix}{k}",
                rng.choice(COHORTS),
                teaches={s: rng.randint(1, 4) for s in rng.sample(SKILLS, rng.randint(0, 3))},
                wants={s: rng.randint(1, 3) for s in rng.sample(SKILLS, rng.randint(0, 2))},
                languages=rng.sample(LANGUAGES, rng.randint(1, 2)),
                availability=rng.sample(SLOTS, rng.randint(1, 3)),
                department=rng.choice(["d1", "d2", "d3", None]),
                capacity=rng.randint(1, 3) if mentor else None,
            )
        )
    return out


def random_instance(
    rng: random.Random, n_mentors: int, n_mentees: int, *, mode: str, separate: int = 0
) -> Instance:
    mentors = random_people(rng, n_mentors, "m", mentor=True)
    mentees = random_people(rng, n_mentees, "e", mentor=False)
    ids = [p["id"] for p in (*mentors, *mentees)]
    pairs = [rng.sample(ids, 2) for _ in range(separate)] if len(ids) > 1 else []
    weights = {k: rng.randint(0, 12) for k in DEFAULT_WEIGHTS}
    return instance(mentors, mentees, mode=mode, separate=pairs, weights=weights)


# --------------------------------------------------------------------------------------------
# The definitions, again


def separate_pairs(data: Instance) -> set[frozenset[str]]:
    return {frozenset(p) for p in data.get("separate", [])}


def pair_value(
    data: Instance,
    mentor: dict[str, Any],
    mentee: dict[str, Any],
    separate: set[frozenset[str]] | None = None,
) -> int | None:
    """1000 + score when the pair is allowed, else None (``separate``: the instance's separate
    pairs, computed once by a caller that asks many times)."""
    forbidden = separate_pairs(data) if separate is None else separate
    if frozenset((mentor["id"], mentee["id"])) in forbidden:
        return None
    if not set(mentor.get("languages", [])) & set(mentee.get("languages", [])):
        return None
    shared = len(set(mentor.get("availability", [])) & set(mentee.get("availability", [])))
    if not shared:
        return None
    cohorts = data["cohorts"]
    gap = cohorts.index(mentor["cohort"]) - cohorts.index(mentee["cohort"])
    mutual = data["mode"] == "mutual"
    if mutual:
        gap = abs(gap)
    elif gap < 1:
        return None
    taught = mentor.get("teaches", {})
    skill = sum(1 for s, w in mentee.get("wants", {}).items() if taught.get(s, 0) > w)
    if mutual:
        back = mentee.get("teaches", {})
        skill += sum(1 for s, w in mentor.get("wants", {}).items() if back.get(s, 0) > w)
    if skill < 1:
        return None
    w = {**DEFAULT_WEIGHTS, **data.get("weights", {})}
    a, b = mentor.get("department"), mentee.get("department")
    differ = a is not None and b is not None and a != b
    value: int = (
        1000
        + w["skill"] * skill
        + w["gap"] * gap
        + w["department"] * differ
        + w["availability"] * min(3, shared)
    )
    return value


def check(data: Instance, result: dict[str, Any], *, reasons: bool = True) -> int:
    """Recompute the objective of a published result; fail on any broken rule. ``reasons``
    also checks every unmatched applicant's reason against all pairs (quadratic)."""
    separate = separate_pairs(data)
    mentors = {p["id"]: p for p in data["mentors"]}
    mentees = {p["id"]: p for p in data["mentees"]}
    load: dict[str, int] = {}
    seen: set[str] = set()
    total = 0
    for pair in result["pairs"]:
        m, e = pair["mentor"], pair["mentee"]
        value = pair_value(data, mentors[m], mentees[e], separate)
        assert value is not None, f"disallowed pair {m}–{e}"
        assert pair["score"] == value - 1000
        assert e not in seen, f"mentee {e} in two pairs"
        seen.add(e)
        load[m] = load.get(m, 0) + 1
        assert load[m] <= mentors[m].get("capacity", 1), f"mentor {m} over capacity"
        total += value
    given = {u["id"]: u["reason"] for u in result["unmatched"]}
    assert set(given) == (set(mentees) - seen) | (set(mentors) - set(load))
    for who, reason in given.items() if reasons else ():
        if who in mentees:
            able = [m for m in mentors.values() if pair_value(data, m, mentees[who], separate)]
            full = all(load.get(m["id"], 0) == m.get("capacity", 1) for m in able)
            expected = "capacity_taken" if able and full else "no_allowed_partner"
            assert able == [] or full, f"mentee {who} left out beside a mentor with room"
        else:
            able = [e for e in mentees.values() if pair_value(data, mentors[who], e, separate)]
            expected = "outscored" if able else "no_allowed_partner"
            assert all(e["id"] in seen for e in able), f"mentor {who} left out beside a mentee"
        assert reason == expected, f"{who}: {reason}, expected {expected}"
    assert total == result["objective"]
    assert result["upper_bound"] >= result["objective"]
    return total


def brute_force(data: Instance) -> int:
    """The optimum by trying every assignment of each mentee to a mentor or to nobody."""
    mentors = data["mentors"]
    separate = separate_pairs(data)
    values = [[pair_value(data, m, e, separate) for m in mentors] for e in data["mentees"]]
    best = 0
    for choice in itertools.product(range(-1, len(mentors)), repeat=len(values)):
        load = [0] * len(mentors)
        total = 0
        for e, m in enumerate(choice):
            if m < 0:
                continue
            v = values[e][m]
            load[m] += 1
            if v is None or load[m] > mentors[m].get("capacity", 1):
                break
            total += v
        else:
            best = max(best, total)
    return best


def exact_by_flow(data: Instance) -> int:
    """The optimum from OR-Tools min-cost flow on every allowed pair, the pairs computed here."""
    from ortools.graph.python.min_cost_flow import SimpleMinCostFlow

    mentors, mentees = data["mentors"], data["mentees"]
    separate = separate_pairs(data)
    flow = SimpleMinCostFlow()
    source, sink = 0, 1
    for i, m in enumerate(mentors):
        flow.add_arc_with_capacity_and_unit_cost(source, 2 + i, m.get("capacity", 1), 0)
        for j, e in enumerate(mentees):
            v = pair_value(data, m, e, separate)
            if v is not None:
                flow.add_arc_with_capacity_and_unit_cost(2 + i, 2 + len(mentors) + j, 1, -v)
    for j in range(len(mentees)):
        flow.add_arc_with_capacity_and_unit_cost(2 + len(mentors) + j, sink, 1, 0)
    supply = min(len(mentees), sum(m.get("capacity", 1) for m in mentors))
    flow.add_arc_with_capacity_and_unit_cost(source, sink, supply, 0)
    flow.set_node_supply(source, supply)
    flow.set_node_supply(sink, -supply)
    assert flow.solve() == flow.OPTIMAL
    return -int(flow.optimal_cost())


def org_chart(rng: random.Random, size: int) -> dict[int, int]:
    """A random management tree: person k > 0 reports to someone before them."""
    return {k: rng.randrange(k) for k in range(1, size)}


def reporting_pairs(manager: dict[int, int], ids: dict[int, str]) -> list[list[str]]:
    """Direct-manager and skip-level pairs among the people in ``ids``, as the vault gives
    them to the team optimiser."""
    out = []
    for k, boss in manager.items():
        for above in (boss, manager.get(boss)):
            if above is not None and k in ids and above in ids:
                out.append([ids[k], ids[above]])
    return out
