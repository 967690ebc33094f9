"""Moves a facilitator makes by hand, and the messages bad input gets."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from app.optimiser import (
    FormationInputError,
    check_move,
    evaluate,
    parse_instance,
)


def _people(ids: str) -> list[dict[str, Any]]:
    return [{"id": x, "cohort": "gen_z" if k % 2 else "gen_x"} for k, x in enumerate(ids)]


BASE: dict[str, Any] = {
    "team_size": {"min": 2, "target": 3, "max": 3},
    "people": _people("abcdefg"),
    "separate": [["a", "d"], ["e", "b"]],
}
TEAMS = [["a", "b"], ["c", "d", "e"], ["f", "g"]]


def test_an_allowed_move_returns_none_and_rescoring_follows() -> None:
    instance = parse_instance(BASE)
    assert check_move(instance, TEAMS, "c", 0) is None
    moved = [["a", "b", "c"], ["d", "e"], ["f", "g"]]
    assert evaluate(instance, moved).violations == 0


def test_a_move_next_to_a_separate_partner_is_refused_with_the_reason() -> None:
    instance = parse_instance(BASE)
    reason = check_move(instance, TEAMS, "d", 0)
    assert reason is not None
    assert "d and a must not share a team" in reason
    # the pair is unordered: moving the other end is refused too
    assert "a must not share a team" not in (check_move(instance, TEAMS, "c", 2) or "")
    reason = check_move(instance, [["a", "c"], ["b", "d", "e"], ["f", "g"]], "a", 1)
    assert reason is not None
    assert "a and d must not share a team" in reason


def test_size_bounds_are_enforced_with_the_numbers() -> None:
    instance = parse_instance(BASE)
    shrink = check_move(instance, TEAMS, "f", 0)  # team 2 would drop to 1, team 0 grow to 3
    assert shrink is not None
    assert "team 2 would shrink to 1 member" in shrink
    assert "minimum of 2" in shrink
    grow = check_move(instance, TEAMS, "a", 1)  # team 1 would have 4 > max 3 (and a, d)
    assert grow is not None
    assert "team 1 would grow to 4 members" in grow
    assert "maximum of 3" in grow
    assert "a and d must not share a team" in grow  # every reason is given


def test_unknown_person_and_bad_team_index() -> None:
    instance = parse_instance(BASE)
    assert "zz is not a participant" in (check_move(instance, TEAMS, "zz", 0) or "")
    for index in (3, -1):
        reason = check_move(instance, TEAMS, "a", index)
        assert reason is not None
        assert f"no team {index}" in reason
    assert "already in team 0" in (check_move(instance, TEAMS, "a", 0) or "")


def test_check_move_rejects_a_broken_assignment() -> None:
    instance = parse_instance(BASE)
    with pytest.raises(FormationInputError, match="is in no team"):
        check_move(instance, [["a", "b"], ["c", "d", "e"], ["f"]], "a", 1)
    with pytest.raises(FormationInputError, match="more than one place"):
        evaluate(instance, [["a", "b", "a"], ["c", "d", "e"], ["f", "g"]])
    with pytest.raises(FormationInputError, match="unknown person 'x'"):
        evaluate(instance, [["a", "b", "x"], ["c", "d", "e"], ["f", "g"]])


def _with(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "must be a JSON object"),
        ({"people": _people("ab")}, "team_size is required"),
        (_with(team_size={"min": 4, "max": 6}), "team_size is missing target"),
        (_with(team_size={"min": 5, "target": 4, "max": 6}), "must not exceed team_size.target"),
        (_with(team_size={"min": 0, "target": 4, "max": 6}), "team_size.min must be at least 1"),
        (
            _with(team_size={"min": 2, "target": "x", "max": 6}),
            "team_size.target must be an integer",
        ),
        (_with(people=[]), "people is empty"),
        (_with(people={"a": 1}), "people must be a list"),
        (_with(people=[*_people("ab"), {"id": "a", "cohort": "gen_x"}]), "duplicate person id a"),
        (_with(people=[{"cohort": "gen_x"}]), "people[0] has no id"),
        (_with(people=[{"id": "a"}]), "person a has no cohort"),
        (_with(people=[{"id": "a", "cohort": "x", "teaches": "ai"}]), "teaches of person a"),
        (_with(separate=[["a", "zz"]]), "separate[0] refers to unknown person 'zz'"),
        (_with(together=[["a", "b"], ["c"]]), "together[1] must be a pair"),
        (_with(separate=[["a", "a"]]), "with themself"),
        (_with(weights={"generations": 1, "beauty": 2}), "unknown weight(s): beauty"),
        (_with(weights={"together": -1}), "weights.together must not be negative"),
        (_with(weights={"together": "high"}), "weights.together must be a number"),
        (_with(time_limit_s=0), "time_limit_s must be positive"),
        (_with(seed=-3), "seed must be at least 0"),
        (_with(seed=1.5), "seed must be an integer"),
    ],
)
def test_bad_input_gets_a_clear_message(data: Any, message: str) -> None:
    with pytest.raises(FormationInputError) as caught:
        parse_instance(data)
    assert message in caught.value.message
    assert "\n" not in caught.value.message


def test_a_team_index_that_is_not_a_number_is_refused() -> None:
    reason = check_move(parse_instance(BASE), TEAMS, "a", "1")  # type: ignore[arg-type]
    assert reason is not None
    assert "no team 1" in reason
