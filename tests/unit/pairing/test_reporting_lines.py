"""No published pair joins a person and their manager or skip-level (generated org charts)."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.pairing import match_pairs, parse_instance
from tests.unit.pairing.support import (
    check,
    instance,
    org_chart,
    random_people,
    reporting_pairs,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10**6),
    size=st.integers(2, 120),
    mode=st.sampled_from(["reverse", "mutual"]),
)
def test_no_pair_crosses_a_reporting_line(seed: int, size: int, mode: str) -> None:
    rng = random.Random(seed)
    manager = org_chart(rng, size)
    applying = rng.sample(range(size), rng.randint(2, size))
    split = rng.randint(1, len(applying) - 1)
    mentors = random_people(rng, split, "m", mentor=True)
    mentees = random_people(rng, len(applying) - split, "e", mentor=False)
    ids = {k: p["id"] for k, p in zip(applying, [*mentors, *mentees], strict=True)}
    separate = reporting_pairs(manager, ids)
    data = instance(mentors, mentees, mode=mode, separate=separate)
    result = match_pairs(parse_instance(data)).to_dict()
    check(data, result)  # also recomputes every published pair's value
    forbidden = {frozenset(p) for p in separate}
    assert all(frozenset((p["mentor"], p["mentee"])) not in forbidden for p in result["pairs"])
