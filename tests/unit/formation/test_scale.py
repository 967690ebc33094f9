"""50,000 people, end to end through the command, within the time limit."""

from __future__ import annotations

import json
import random
import time
from pathlib import Path
from typing import Any

import pytest

from app.optimiser.command import run
from tests.unit.formation.support import naive_violations, untraced, workforce_instance

N = 50_000
LIMIT_S = 8.0

# Measures time: run by ./scripts/test, not by --quick (whose parallel workers share the cores).
pytestmark = [pytest.mark.slow, pytest.mark.bench]


@pytest.fixture(scope="module")
def formed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Generate, write, form once; the tests below read the same run."""
    folder = tmp_path_factory.mktemp("scale")
    data = workforce_instance(random.Random(50), N)
    source = folder / "in.json"
    target = folder / "out.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    with untraced():
        started = time.perf_counter()
        code = run(["--input", str(source), "--output", str(target), "--time-limit", str(LIMIT_S)])
        elapsed = time.perf_counter() - started
    return {
        "code": code,
        "elapsed": elapsed,
        "data": data,
        "result": json.loads(Path(target).read_text(encoding="utf-8")),
    }


def test_fifty_thousand_people_within_the_time_limit(formed: dict[str, Any]) -> None:
    assert formed["code"] == 0
    assert formed["elapsed"] <= LIMIT_S


def test_fifty_thousand_people_get_valid_teams(formed: dict[str, Any]) -> None:
    data, result = formed["data"], formed["result"]
    teams = result["teams"]
    assert len(teams) == 10_000
    assert {len(t) for t in teams} == {5}
    assert sorted(p for t in teams for p in t) == [p["id"] for p in data["people"]]
    assert result["violations"] == naive_violations(data, teams) == 0


def test_fifty_thousand_people_close_to_the_bound(formed: dict[str, Any]) -> None:
    result = formed["result"]
    assert result["objective"] >= 0.98 * result["upper_bound"]
    assert result["metrics"]["teams_with_3plus_cohorts"] >= 0.95
