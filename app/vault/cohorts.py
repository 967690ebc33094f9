"""Coarse attributes derived inside the vault: the rest of the app never sees a birth year."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise


def cohort_for_birth_year(birth_year: int, boundaries: Sequence[tuple[str, int]]) -> str:
    """The cohort whose first birth year is the latest one not after `birth_year`."""
    cohort = boundaries[0][0]
    for name, first_year in boundaries:
        if birth_year >= first_year:
            cohort = name
    return cohort


def seniority_band(years_experience: int, bounds: Sequence[int]) -> str:
    """Band label for years of experience, e.g. bounds [3, 10, 20] -> lt3, 3to9, 10to19, 20plus."""
    if not bounds or years_experience < bounds[0]:
        return f"lt{bounds[0]}" if bounds else "all"
    for lower, upper in pairwise(bounds):
        if lower <= years_experience < upper:
            return f"{lower}to{upper - 1}"
    return f"{bounds[-1]}plus"


def seniority_band_labels(bounds: Sequence[int]) -> list[str]:
    return [seniority_band(0, bounds)] + [seniority_band(bound, bounds) for bound in bounds]
