"""What makes a pair allowed, what it is worth, and why someone stays unmatched.

Each rule has a hand-built instance in which breaking that rule would change the answer: the
better-looking pair is the one the rule forbids.
"""

from __future__ import annotations

from typing import Any

import pytest

from app.pairing import match_pairs, parse_instance
from tests.unit.pairing.support import check, instance, person


def _match(data: dict[str, Any]) -> dict[str, Any]:
    result = match_pairs(parse_instance(data)).to_dict()
    check(data, result)
    return result


def _pairs(result: dict[str, Any]) -> set[tuple[str, str]]:
    return {(p["mentor"], p["mentee"]) for p in result["pairs"]}


def _reasons(result: dict[str, Any]) -> dict[str, str]:
    return {u["id"]: u["reason"] for u in result["unmatched"]}


def _senior(pid: str = "senior", **kw: Any) -> dict[str, Any]:
    return person(pid, "boomer", wants={"ai_assistants": 1}, **kw)


def _junior(pid: str, **kw: Any) -> dict[str, Any]:
    kw.setdefault("teaches", {"ai_assistants": 3})
    return person(pid, kw.pop("cohort", "gen_z"), capacity=1, **kw)


def test_a_shared_language_is_required() -> None:
    # "far" would score more (a different department), but shares no language
    data = instance(
        [_junior("near"), _junior("far", languages=["fr"], department="d9")],
        [_senior(languages=["en", "de"])],
    )
    assert _pairs(_match(data)) == {("near", "senior")}


def test_a_shared_slot_is_required() -> None:
    data = instance(
        [_junior("near"), _junior("far", availability=["fri_pm"], department="d9")],
        [_senior()],
    )
    assert _pairs(_match(data)) == {("near", "senior")}


def test_a_separate_pair_is_never_published_in_either_order() -> None:
    for pair in (["boss", "senior"], ["senior", "boss"]):
        data = instance(
            [_junior("boss", department="d9"), _junior("other")], [_senior()], separate=[pair]
        )
        assert _pairs(_match(data)) == {("other", "senior")}


def test_in_reverse_mode_the_mentor_is_the_younger() -> None:
    # the gen_x mentor is older than the millennial mentee: the gap would be negative
    data = instance(
        [_junior("older", cohort="gen_x", department="d9"), _junior("younger")],
        [person("mentee", "millennial", wants={"ai_assistants": 1})],
    )
    assert _pairs(_match(data)) == {("younger", "mentee")}
    same = instance([_junior("twin", cohort="millennial")], [data["mentees"][0]])
    assert _reasons(_match(same)) == {"twin": "no_allowed_partner", "mentee": "no_allowed_partner"}


def test_the_mentor_must_teach_above_the_wanted_level() -> None:
    data = instance(
        [_junior("equal", teaches={"ai_assistants": 2}, department="d9"), _junior("above")],
        [person("senior", "boomer", wants={"ai_assistants": 2})],
    )
    assert _pairs(_match(data)) == {("above", "senior")}


def test_reverse_mode_ignores_mentors_wants_and_mentees_teaches() -> None:
    mentor = _junior("m", teaches={"data_viz": 3}, wants={"negotiation": 1})
    mentee = person("e", "boomer", teaches={"negotiation": 4}, wants={"data_viz": 1})
    reverse = _match(instance([mentor], [mentee]))
    mutual = _match(instance([mentor], [mentee], mode="mutual"))
    # gap 3: 1000 + 10·skill + 3·3 + 0 (same department) + 1·1 shared slot
    assert reverse["pairs"][0]["score"] == 10 * 1 + 9 + 1
    assert mutual["pairs"][0]["score"] == 10 * 2 + 9 + 1


def test_mutual_mode_allows_any_cohort_order_and_counts_both_directions() -> None:
    older = person("older", "gen_x", teaches={"negotiation": 4}, wants={"short_video": 1})
    younger = person("younger", "gen_z", teaches={"short_video": 2}, wants={"negotiation": 3})
    mentors = [{**older, "capacity": 1}]
    # reverse: an older mentor is never allowed
    assert _match(instance(mentors, [younger]))["pairs"] == []
    result = _match(instance(mentors, [younger], mode="mutual"))
    # |gap| 2, both directions qualify: 10·2 + 3·2 + 1 slot
    assert result["pairs"] == [{"mentor": "older", "mentee": "younger", "score": 27}]
    same_cohort = person("peer", "gen_x", wants={"negotiation": 1})
    assert _match(instance(mentors, [same_cohort], mode="mutual"))["pairs"][0]["score"] == 11


def test_score_terms_and_weights() -> None:
    mentor = _junior(
        "m",
        teaches={"ai_assistants": 4, "data_viz": 4},
        availability=["mon_am", "tue_am", "wed_pm", "thu_am"],
        department="d2",
    )
    mentee = person(
        "e",
        "gen_x",
        wants={"ai_assistants": 3, "data_viz": 1},
        availability=["mon_am", "tue_am", "wed_pm", "thu_am"],
        department="d1",
    )
    weights = {"skill": 7, "gap": 5, "department": 11, "availability": 2}
    result = _match(instance([mentor], [mentee], weights=weights))
    # 2 skills, gap 2 (gen_x -> gen_z), departments differ, 4 shared slots counted as 3
    assert result["pairs"][0]["score"] == 7 * 2 + 5 * 2 + 11 + 2 * 3
    assert result["objective"] == 1000 + 7 * 2 + 5 * 2 + 11 + 2 * 3


def test_an_unknown_department_never_counts_as_different() -> None:
    result = _match(instance([_junior("m", department=None)], [_senior()]))
    assert result["pairs"][0]["score"] == 10 + 9 + 1


def test_more_pairs_beat_better_pairs() -> None:
    """One pair worth a lot less than two: the mentor with room for one takes the mentee that
    has no other choice."""
    star = _junior("star", teaches={"ai_assistants": 4, "data_viz": 4}, department="d9")
    plain = _junior("plain", teaches={"ai_assistants": 2})
    picky = person("picky", "boomer", wants={"ai_assistants": 1, "data_viz": 1})
    only_star = person("only_star", "boomer", wants={"data_viz": 2})
    result = _match(instance([star, plain], [picky, only_star]))
    assert _pairs(result) == {("star", "only_star"), ("plain", "picky")}


def test_mentor_capacity_is_respected_and_used() -> None:
    mentor = {**_junior("m"), "capacity": 2}
    mentees = [_senior(f"s{k}") for k in range(3)]
    result = _match(instance([mentor], mentees))
    assert len(result["pairs"]) == 2
    assert list(_reasons(result).values()) == ["capacity_taken"]


def test_unmatched_reasons() -> None:
    data = instance(
        [
            _junior("busy", availability=["mon_am", "tue_am"]),
            _junior("spare", availability=["tue_am"]),
            _junior("solo", teaches={"data_viz": 4}, availability=["fri_pm"]),
            _junior("lonely", teaches={"budgeting": 4}),
        ],
        [
            # both busy and spare may take "first"; busy shares two slots, so scores more
            _senior("first", availability=["mon_am", "tue_am"]),
            # two mentees for solo, who has room for one
            person("x", "boomer", wants={"data_viz": 1}, availability=["fri_pm"]),
            person("y", "boomer", wants={"data_viz": 1}, availability=["fri_pm"]),
            person("nobody_teaches_it", "boomer", wants={"negotiation": 1}),
        ],
    )
    result = _match(data)
    reasons = _reasons(result)
    left_out = "y" if ("solo", "x") in _pairs(result) else "x"
    assert _pairs(result) == {("busy", "first"), ("solo", "x" if left_out == "y" else "y")}
    assert reasons == {
        left_out: "capacity_taken",  # its only possible mentor is full
        "nobody_teaches_it": "no_allowed_partner",
        "spare": "outscored",  # its only possible mentee is paired with busy
        "lonely": "no_allowed_partner",
    }


@pytest.mark.parametrize("mode", ["reverse", "mutual"])
def test_nobody_at_all(mode: str) -> None:
    result = _match(instance([], [], mode=mode))
    assert result == {
        "pairs": [],
        "unmatched": [],
        "objective": 0,
        "upper_bound": 0,
        "optimal": True,
        "stats": result["stats"],
    }
