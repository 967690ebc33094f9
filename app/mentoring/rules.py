"""The pair rules and a pair's score, for one pair at a time: the lead's swaps and the parts of
a score shown next to each proposed pair.

The definitions are the matching engine's (docs/mentoring.md, "Matching"; app/pairing checks
them in bulk over candidate edges and says only whether a pair is allowed). Here each refusal
names its rule, so that the lead is told why a swap is refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

# Refusals, as field codes. `kept_apart` (a reporting line) is checked apart from the others
# and answered alike for every pair: see matching._check_swap.
NO_COMMON_LANGUAGE = "no_common_language"
NO_COMMON_SLOT = "no_common_slot"
MENTOR_NOT_YOUNGER = "mentor_not_younger"
NO_SKILL_TO_TEACH = "no_skill_to_teach"
MENTOR_FULL = "mentor_full"
KEPT_APART = "kept_apart"


@dataclass(frozen=True)
class Side:
    """One member as the rules see them."""

    cohort: str
    department: str | None
    languages: frozenset[str]
    teaches: Mapping[str, int]
    wants: Mapping[str, int]
    availability: frozenset[str]


@dataclass(frozen=True)
class Scoring:
    mode: str
    cohorts: tuple[str, ...]  # oldest first
    weights: Mapping[str, int]


@dataclass(frozen=True)
class Taught:
    skill: str
    taught_by: str  # "mentor" | "mentee"
    teacher_level: int
    learner_level: int


def taught_across(scoring: Scoring, mentor: Side, mentee: Side) -> list[Taught]:
    """What one member teaches the other: a wanted skill the other masters above the want."""
    found = [
        Taught(skill, "mentor", mentor.teaches.get(skill, 0), level)
        for skill, level in sorted(mentee.wants.items())
        if mentor.teaches.get(skill, 0) > level
    ]
    if scoring.mode == "mutual":
        found += [
            Taught(skill, "mentee", mentee.teaches.get(skill, 0), level)
            for skill, level in sorted(mentor.wants.items())
            if mentee.teaches.get(skill, 0) > level
        ]
    return found


def public_refusal(scoring: Scoring, mentor: Side, mentee: Side) -> str | None:
    """The first rule the pair breaks among those the lead can see on the applications."""
    if not mentor.languages & mentee.languages:
        return NO_COMMON_LANGUAGE
    if not mentor.availability & mentee.availability:
        return NO_COMMON_SLOT
    if scoring.mode == "reverse" and scoring.cohorts.index(mentor.cohort) <= scoring.cohorts.index(
        mentee.cohort
    ):
        return MENTOR_NOT_YOUNGER
    if not taught_across(scoring, mentor, mentee):
        return NO_SKILL_TO_TEACH
    return None


@dataclass(frozen=True)
class Parts:
    skills: int
    gap: int
    departments_differ: bool
    shared_slots: int
    score: int


def score_parts(scoring: Scoring, mentor: Side, mentee: Side) -> Parts:
    """The parts of an allowed pair's score (the engine maximises Σ 1000 + score)."""
    skills = len(taught_across(scoring, mentor, mentee))
    distance = scoring.cohorts.index(mentor.cohort) - scoring.cohorts.index(mentee.cohort)
    gap = distance if scoring.mode == "reverse" else abs(distance)
    # An unknown department never counts as a different one.
    differ = (
        mentor.department is not None
        and mentee.department is not None
        and mentor.department != mentee.department
    )
    shared = len(mentor.availability & mentee.availability)
    weights = scoring.weights
    score = (
        weights["skill"] * skills
        + weights["gap"] * gap
        + weights["department"] * int(differ)
        + weights["availability"] * min(3, shared)
    )
    return Parts(skills, gap, differ, shared, score)
