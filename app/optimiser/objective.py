"""The objective, evaluated from scratch in plain Python (the reference definition).

For a partition into teams, the objective (maximised) is the sum over teams ``t`` of::

    generations            · (distinct cohorts in t)
  + cross_generation_pairs · (pairs of members of t with different cohorts)
  + skill_coverage         · Σ_k (members of t wanting k) · [some member of t teaches k]
  − same_department_pairs  · (pairs of members of t sharing a (known) department)
  + together               · (``together`` pairs with both members in t)
  + seniority_bands        · (distinct known seniority bands in t)

A person who both wants and teaches skill ``k`` counts as wanting ``k``; that want is covered
whenever some member of the team teaches ``k`` — possibly the person themself. ``separate``
pairs inside a team are *violations* (a hard constraint); they do not enter the objective.

The search (``search``/``state``) evaluates the same quantities incrementally with numpy; the
tests check both against an independent re-implementation.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from app.optimiser.model import FormationInputError, FormationInstance

__all__ = ["TeamBreakdown", "breakdown", "check_partition"]


@dataclass(frozen=True, slots=True)
class TeamBreakdown:
    """Everything the objective and the per-team metrics need about one team."""

    members: tuple[str, ...]
    cohorts: dict[str, int]
    seniority_bands: dict[str, int]
    skills_covered: tuple[str, ...]
    skills_uncovered: tuple[str, ...]
    wants: int
    covered_wants: int
    departments: int
    same_department_pairs: int
    together_pairs: int
    separate_violations: int
    score: float


def check_partition(instance: FormationInstance, teams: Sequence[Sequence[str]]) -> list[list[int]]:
    """Map id teams to index teams; every person must appear exactly once.

    Raises :class:`FormationInputError` for unknown, repeated or missing ids, or an empty team.
    """
    index = instance.index
    seen = [False] * len(instance.people)
    out: list[list[int]] = []
    for t, team in enumerate(teams):
        if isinstance(team, str):
            raise FormationInputError(f"team {t} must be a list of ids")
        if len(team) == 0:
            raise FormationInputError(f"team {t} is empty")
        members: list[int] = []
        for pid in team:
            i = index.get(pid) if isinstance(pid, str) else None
            if i is None:
                raise FormationInputError(f"team {t} contains unknown person {pid!r}")
            if seen[i]:
                raise FormationInputError(f"person {pid} appears in more than one place")
            seen[i] = True
            members.append(i)
        out.append(members)
    missing = [instance.people[i].id for i, s in enumerate(seen) if not s]
    if missing:
        more = f" (and {len(missing) - 3} more)" if len(missing) > 3 else ""
        raise FormationInputError(f"person {', '.join(missing[:3])}{more} is in no team")
    return out


def _pairs(counts: Counter[str]) -> int:
    return sum(c * (c - 1) // 2 for c in counts.values())


def breakdown(instance: FormationInstance, teams: Sequence[Sequence[int]]) -> list[TeamBreakdown]:
    """Per-team terms of the objective for teams given as lists of person indices."""
    people = instance.people
    w = instance.weights
    team_of = [0] * len(people)
    for t, team in enumerate(teams):
        for i in team:
            team_of[i] = t
    index = instance.index
    together = [0] * len(teams)
    for a, b in instance.together:
        ta = team_of[index[a]]
        if ta == team_of[index[b]]:
            together[ta] += 1
    separate = [0] * len(teams)
    for a, b in instance.separate:
        ta = team_of[index[a]]
        if ta == team_of[index[b]]:
            separate[ta] += 1
    out: list[TeamBreakdown] = []
    for t, team in enumerate(teams):
        members = [people[i] for i in team]
        cohorts = Counter(p.cohort for p in members)
        bands = Counter(p.seniority for p in members if p.seniority is not None)
        depts = Counter(p.department for p in members if p.department is not None)
        taught = {k for p in members for k in p.teaches}
        wanted = Counter(k for p in members for k in p.wants)
        covered = sorted(k for k in wanted if k in taught)
        uncovered = sorted(k for k in wanted if k not in taught)
        covered_wants = sum(wanted[k] for k in covered)
        n = len(members)
        cross = n * (n - 1) // 2 - _pairs(cohorts)
        same_dept = _pairs(depts)
        score = (
            w.generations * len(cohorts)
            + w.cross_generation_pairs * cross
            + w.skill_coverage * covered_wants
            - w.same_department_pairs * same_dept
            + w.together * together[t]
            + w.seniority_bands * len(bands)
        )
        out.append(
            TeamBreakdown(
                members=tuple(p.id for p in members),
                cohorts=dict(sorted(cohorts.items())),
                seniority_bands=dict(sorted(bands.items())),
                skills_covered=tuple(covered),
                skills_uncovered=tuple(uncovered),
                wants=sum(wanted.values()),
                covered_wants=covered_wants,
                departments=len(depts) + sum(1 for p in members if p.department is None),
                same_department_pairs=same_dept,
                together_pairs=together[t],
                separate_violations=separate[t],
                score=score,
            )
        )
    return out
