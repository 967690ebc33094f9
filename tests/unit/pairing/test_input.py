"""Bad instances: exit 2 and one clear line on stderr, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from app.pairing.command import run
from tests.unit.pairing.support import instance, person


def _base() -> dict[str, Any]:
    return instance(
        [person("m1", "gen_z", teaches={"data_viz": 3}, capacity=2)],
        [person("e1", "boomer", wants={"data_viz": 1})],
    )


def _with(path: str, value: Any) -> dict[str, Any]:
    """The base instance with one field replaced (``mentors.0.capacity``); ``...`` deletes."""
    data = _base()
    *parents, last = path.split(".")
    node: Any = data
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node[key]
    if value is ...:
        del node[int(last) if isinstance(node, list) else last]
    elif isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    return data


CASES = [
    (["not an object"], "the instance must be a JSON object"),
    (_with("mode", "pairs"), "mode must be 'reverse' or 'mutual' (got 'pairs')"),
    (_with("mode", ...), "mode must be 'reverse' or 'mutual' (got None)"),
    (_with("cohorts", []), "cohorts must be a non-empty list, oldest first"),
    (_with("cohorts", ["gen_z", "gen_z"]), "cohort 'gen_z' is listed twice"),
    (_with("mentors", "m1"), "mentors must be a list"),
    (_with("mentees.0", 5), "mentees[0] must be an object"),
    (_with("mentees.0.id", ...), "mentees[0] has no id"),
    (_with("mentees.0.cohort", "gen_alpha"), "cohort 'gen_alpha' of mentee e1 is not in cohorts"),
    (_with("mentees.0.id", "m1"), "duplicate applicant id m1 (ids are unique across both lists)"),
    (_with("mentors.0.capacity", 4), "capacity of mentor m1 must be between 1 and 3 (got 4)"),
    (_with("mentors.0.capacity", 0), "capacity of mentor m1 must be between 1 and 3 (got 0)"),
    (_with("mentees.0.capacity", 1), "mentee e1 has a capacity: only mentors have one"),
    (_with("mentors.0.teaches", {"data_viz": 5}),
     "teaches.data_viz of mentor m1 must be between 1 and"),
    (_with("mentees.0.wants", {"data_viz": 4}), "wants.data_viz of mentee e1 must be between 1"),
    (_with("mentees.0.wants", {"data_viz": "hi"}), "wants.data_viz of mentee e1 must be an int"),
    (_with("mentees.0.wants", ["data_viz"]), "wants of mentee e1 must be an object of skill"),
    (_with("mentees.0.languages", "en"), "languages of mentee e1 must be a list of strings"),
    (_with("mentees.0.availability", [""]), "availability[0] of mentee e1 must be a non-empty"),
    (_with("separate", [["m1", "ghost"]]), "separate[0] refers to unknown applicant 'ghost'"),
    (_with("separate", [["m1", "m1"]]), "separate[0] pairs applicant m1 with themself"),
    (_with("separate", [["m1"]]), "separate[0] must be a pair [id, id]"),
    (_with("weights", {"seniority": 1}), "unknown weight(s): seniority"),
    (_with("weights", {"skill": -1}), "weights.skill must be between 0 and 1000 (got -1)"),
    (_with("weights", {"skill": 1.5}), "weights.skill must be an integer"),
    (_with("time_limit_s", 0), "time_limit_s must be positive"),
    (_with("time_limit_s", "10"), "time_limit_s must be a number"),
    (_with("seed", -3), "seed must be between 0 and"),
]  # fmt: skip


@pytest.mark.parametrize(("data", "message"), CASES)
def test_bad_instances_exit_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], data: Any, message: str
) -> None:
    source = tmp_path / "in.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    code = run(["--input", str(source)])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("pairs match: error: ")
    assert message in lines[0]


def test_separate_pairs_may_name_any_two_applicants_and_the_sets_are_sets(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _base()
    data["mentees"].append(person("e2", "gen_x", wants={"data_viz": 2}))
    data["mentees"][0]["languages"] = ["en", "en"]
    data["mentees"][0]["availability"] = ["mon_am", "mon_am"]
    # two mentees, twice the same pair in both orders: accepted
    data["separate"] = [["e1", "e2"], ["e2", "e1"], ["m1", "e2"]]
    source = tmp_path / "in.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    assert run(["--input", str(source)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["pairs"] == [{"mentor": "m1", "mentee": "e1", "score": 10 + 9 + 1}]
