"""The reported objective and team scores agree with a naive re-implementation of the
issue's formula, for the engine's own teams and for any other assignment."""

from __future__ import annotations

import json
import random

import pytest

from app.optimiser import evaluate, form_teams, parse_instance
from tests.unit.formation.support import (
    naive_objective,
    naive_team_score,
    naive_violations,
    random_instance,
    random_weights,
)


def _random_teams(rng: random.Random, ids: list[str], sizes: list[int]) -> list[list[str]]:
    order = ids[:]
    rng.shuffle(order)
    teams, pos = [], 0
    for s in sizes:
        teams.append(order[pos : pos + s])
        pos += s
    return teams


@pytest.mark.parametrize("seed", range(40))
def test_evaluate_matches_the_naive_objective(seed: int) -> None:
    rng = random.Random(seed)
    n = rng.randint(1, 40)
    data = random_instance(
        rng,
        n,
        separate=rng.randint(0, n),
        together=rng.randint(0, n),
        weights=random_weights(rng),
        size=rng.choice([(2, 3, 4), (4, 5, 6), (1, 2, 9), (3, 3, 3)]),
    )
    instance = parse_instance(data)
    ids = [p["id"] for p in data["people"]]
    sizes = [rng.randint(1, 6) for _ in range(n)]
    while sum(sizes) > n:
        sizes.pop()
    if sum(sizes) < n:
        sizes.append(n - sum(sizes))
    teams = _random_teams(rng, ids, sizes)
    result = evaluate(instance, teams)
    assert result.objective == pytest.approx(naive_objective(data, teams))
    assert result.violations == naive_violations(data, teams)
    for team, metrics in zip(teams, result.metrics["teams"], strict=True):
        assert metrics["members"] == team
        assert metrics["score"] == pytest.approx(naive_team_score(data, team))


@pytest.mark.parametrize("seed", range(6))
def test_form_teams_reports_its_objective_truthfully(seed: int) -> None:
    rng = random.Random(100 + seed)
    n = rng.choice([9, 30, 150])
    data = random_instance(
        rng,
        n,
        separate=n // 3,
        together=n // 4,
        weights=random_weights(rng),
        size=rng.choice([(2, 3, 4), (4, 5, 6)]),
    )
    out = form_teams(parse_instance(data), time_limit_s=0.3).to_dict()
    json.dumps(out)  # the CLI prints exactly this
    teams = out["teams"]
    assert sorted(pid for t in teams for pid in t) == sorted(p["id"] for p in data["people"])
    assert out["objective"] == pytest.approx(naive_objective(data, teams))
    assert out["violations"] == naive_violations(data, teams)
    scores = [naive_team_score(data, t) for t in teams]
    assert [t["score"] for t in out["metrics"]["teams"]] == pytest.approx(scores)
    assert out["metrics"]["min_team_score"] == pytest.approx(min(scores))
    assert out["metrics"]["score_spread"] == pytest.approx(max(scores) - min(scores))


def test_team_metrics_tell_a_facilitator_what_each_team_has() -> None:
    data = {
        "team_size": {"min": 2, "target": 3, "max": 3},
        "people": [
            {"id": "a", "cohort": "gen_z", "seniority": "lt3", "department": "d1",
             "teaches": ["short_video"], "wants": ["negotiation"]},
            {"id": "b", "cohort": "gen_x", "seniority": "20plus", "department": "d1",
             "teaches": ["negotiation"], "wants": ["short_video", "budgeting"]},
            {"id": "c", "cohort": "gen_z", "department": "d2", "wants": ["budgeting"]},
            {"id": "d", "cohort": "millennial", "seniority": "3to9", "department": "d2"},
            {"id": "e", "cohort": "baby_boomer", "seniority": "20plus",
             "teaches": ["budgeting"]},
            {"id": "f", "cohort": "gen_x", "seniority": "10to19", "department": "d3"},
        ],
        "together": [["c", "d"]],
    }  # fmt: skip
    teams = [["a", "b", "c"], ["d", "e", "f"]]
    out = evaluate(parse_instance(data), teams).to_dict()
    first, second = out["metrics"]["teams"]
    assert first["cohorts"] == {"gen_x": 1, "gen_z": 2}
    assert first["seniority_bands"] == {"20plus": 1, "lt3": 1}
    assert first["skills_covered"] == ["negotiation", "short_video"]
    assert first["skills_uncovered"] == ["budgeting"]
    assert first["same_department_pairs"] == 1
    # 10·2 cohorts + 1·2 cross pairs + 3·2 covered wants − 2·1 same-department pair
    assert first["score"] == 26
    assert second["skills_uncovered"] == []
    assert second["together_pairs"] == 0
    assert out["objective"] == first["score"] + second["score"]
    assert out["metrics"]["min_team_score"] == min(first["score"], second["score"])
    assert out["metrics"]["score_spread"] == abs(first["score"] - second["score"])
    assert out["upper_bound"] >= out["objective"]
