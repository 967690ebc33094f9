"""The number and sizes of teams follow the issue's rule exactly."""

from __future__ import annotations

import pytest

from app.optimiser import TeamSize, form_teams, parse_instance, team_count, team_sizes
from tests.unit.formation.support import expected_team_count, random_people


@pytest.mark.parametrize(
    ("n", "size", "teams"),
    [
        (20, (4, 5, 6), 4),
        (21, (4, 5, 6), 4),  # round(4.2) = 4, 21/4 = 5.25 ≤ 6
        (23, (4, 5, 6), 5),  # round(4.6) = 5
        (1, (4, 5, 6), 1),  # fewer people than the minimum: one small team
        (3, (4, 5, 6), 1),
        (7, (4, 5, 6), 1),  # round(1.4) = 1 but 7/1 > 6 → 2, then 7/2 < 4 → back to 1
        (8, (4, 5, 6), 2),  # round(1.6) = 2
        (13, (2, 10, 12), 2),  # round(1.3) = 1, 13 > 12 → 2
        (25, (5, 5, 5), 5),
        (26, (5, 5, 5), 5),  # 26/5 = 5.2 > 5 → 6, then 26/6 < 5 → 5: the upper limit yields
        (12, (1, 1, 1), 12),
        (17, (3, 6, 6), 3),  # round(2.83) = 3
        (10, (3, 4, 8), 2),  # round(2.5) = 2 (banker's rounding)
        (14, (3, 4, 8), 4),  # round(3.5) = 4
    ],
)
def test_team_count_follows_the_rule(n: int, size: tuple[int, int, int], teams: int) -> None:
    assert team_count(n, TeamSize(*size)) == teams
    assert expected_team_count(n, *size) == teams


def test_team_count_matches_the_literal_rule_on_a_grid() -> None:
    for lo in range(1, 6):
        for target in range(lo, lo + 4):
            for hi in range(target, target + 4):
                for n in range(1, 80):
                    expected = expected_team_count(n, lo, target, hi)
                    assert team_count(n, TeamSize(lo, target, hi)) == expected, (n, lo, target, hi)


@pytest.mark.parametrize(
    ("n", "size"),
    [(1, (4, 5, 6)), (2, (4, 5, 6)), (23, (4, 5, 6)), (26, (5, 5, 5)), (97, (3, 4, 5))],
)
def test_sizes_are_floor_or_ceiling_and_add_up(n: int, size: tuple[int, int, int]) -> None:
    sizes = team_sizes(n, TeamSize(*size))
    t = expected_team_count(n, *size)
    assert len(sizes) == t
    assert sum(sizes) == n
    assert set(sizes) <= {n // t, -(-n // t)}


@pytest.mark.parametrize(
    ("n", "size", "expected"),
    [
        (1, (4, 5, 6), [1]),
        (3, (4, 5, 6), [3]),
        (7, (4, 5, 6), [7]),  # N/T > max cannot be avoided without going under min
        (23, (4, 5, 6), [5, 5, 5, 4, 4]),
        (26, (5, 5, 5), [6, 5, 5, 5, 5]),
    ],
)
def test_form_teams_uses_those_sizes(
    n: int, size: tuple[int, int, int], expected: list[int]
) -> None:
    import random

    data = {
        "team_size": dict(zip(("min", "target", "max"), size, strict=True)),
        "people": random_people(random.Random(n), n),
    }
    result = form_teams(parse_instance(data), time_limit_s=0.3)
    assert sorted((len(t) for t in result.teams), reverse=True) == expected
    assert sorted(pid for t in result.teams for pid in t) == sorted(p["id"] for p in data["people"])
