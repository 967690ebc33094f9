"""Generation cohorts and seniority bands (product.md defaults, and configurable)."""

from __future__ import annotations

import pytest

from app.config import Settings
from app.vault.cohorts import cohort_for_birth_year, seniority_band, seniority_band_labels

BOUNDARIES = Settings(_env_file=None).cohort_boundaries  # type: ignore[call-arg]


@pytest.mark.parametrize(
    ("year", "cohort"),
    [
        (1940, "baby_boomer"),
        (1946, "baby_boomer"),
        (1964, "baby_boomer"),
        (1965, "gen_x"),
        (1980, "gen_x"),
        (1981, "millennial"),
        (1996, "millennial"),
        (1997, "gen_z"),
        (2012, "gen_z"),
        (2013, "gen_alpha"),
    ],
)
def test_default_cohorts_follow_the_product_brief(year: int, cohort: str) -> None:
    assert cohort_for_birth_year(year, BOUNDARIES) == cohort


@pytest.mark.parametrize(
    ("years", "band"),
    [(0, "lt3"), (2, "lt3"), (3, "3to9"), (9, "3to9"), (10, "10to19"), (20, "20plus")],
)
def test_default_seniority_bands(years: int, band: str) -> None:
    assert seniority_band(years, [3, 10, 20]) == band


def test_band_labels_are_listed_in_order() -> None:
    assert seniority_band_labels([5, 15]) == ["lt5", "5to14", "15plus"]


def test_cohorts_are_configurable_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHALLENGE_COHORTS", "older:1900,younger:1990")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert cohort_for_birth_year(1989, settings.cohort_boundaries) == "older"
    assert cohort_for_birth_year(1990, settings.cohort_boundaries) == "younger"
