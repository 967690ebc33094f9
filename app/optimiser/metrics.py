"""Results and metrics of an assignment."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from app.optimiser.bound import upper_bound
from app.optimiser.model import FormationInstance
from app.optimiser.objective import TeamBreakdown, breakdown

__all__ = ["FormationResult", "TeamMetrics", "build_result"]


def _num(x: float) -> float | int:
    """JSON-friendly number: integral values as int, others rounded to 9 decimals."""
    r = round(x, 9)
    return int(r) if float(r).is_integer() else r


# A team's metrics are the objective's breakdown of it (one definition of each quantity).
TeamMetrics = TeamBreakdown


def team_metrics_dict(team: TeamMetrics) -> dict[str, Any]:
    """JSON-friendly metrics of one team."""
    return {
        "members": list(team.members),
        "size": len(team.members),
        "cohorts": dict(team.cohorts),
        "seniority_bands": dict(team.seniority_bands),
        "skills_covered": list(team.skills_covered),
        "skills_uncovered": list(team.skills_uncovered),
        "wants": team.wants,
        "covered_wants": team.covered_wants,
        "departments": team.departments,
        "same_department_pairs": team.same_department_pairs,
        "together_pairs": team.together_pairs,
        "separate_violations": team.separate_violations,
        "score": _num(team.score),
    }


@dataclass(frozen=True, slots=True)
class FormationResult:
    """Teams with their objective, a valid upper bound, violation count and metrics.

    ``completed`` is False when the search was cut short by the time limit or cancellation.
    """

    teams: tuple[tuple[str, ...], ...]
    objective: float
    upper_bound: float
    violations: int
    team_metrics: tuple[TeamMetrics, ...]
    completed: bool = True
    overall: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        return self.objective / self.upper_bound if self.upper_bound > 0 else None

    @property
    def metrics(self) -> dict[str, Any]:
        return {**self.overall, "teams": [team_metrics_dict(t) for t in self.team_metrics]}

    def to_dict(self) -> dict[str, Any]:
        return {
            "teams": [list(t) for t in self.teams],
            "objective": _num(self.objective),
            "upper_bound": _num(self.upper_bound),
            "violations": self.violations,
            "metrics": self.metrics,
        }


def build_result(
    instance: FormationInstance,
    teams: Sequence[Sequence[int]],
    *,
    completed: bool = True,
    bound: float | None = None,
) -> FormationResult:
    """Evaluate index teams from scratch and assemble the result with all metrics.

    ``bound`` is the upper bound for these team sizes if the caller already computed it.
    """
    parts = breakdown(instance, teams)
    objective = sum(b.score for b in parts)
    violations = sum(b.separate_violations for b in parts)
    ub = upper_bound(instance, [len(t) for t in teams]) if bound is None else bound
    scores = [b.score for b in parts]
    wants = sum(b.wants for b in parts)
    covered = sum(b.covered_wants for b in parts)
    ratio = objective / ub if ub > 0 else None
    overall: dict[str, Any] = {
        "objective": _num(objective),
        "upper_bound": _num(ub),
        "ratio": None if ratio is None else round(ratio, 6),
        "violations": violations,
        "teams_count": len(parts),
        "min_team_score": _num(min(scores)) if scores else 0,
        "max_team_score": _num(max(scores)) if scores else 0,
        "score_spread": _num(max(scores) - min(scores)) if scores else 0,
        "skill_coverage": round(covered / wants, 6) if wants else 1.0,
        "covered_wants": covered,
        "wants": wants,
        "teams_with_3plus_cohorts": (
            round(sum(1 for b in parts if len(b.cohorts) >= 3) / len(parts), 6) if parts else 0.0
        ),
        "same_department_pairs": sum(b.same_department_pairs for b in parts),
        "together_pairs_satisfied": sum(b.together_pairs for b in parts),
        "together_pairs": len(instance.together),
        "completed": completed,
    }
    return FormationResult(
        teams=tuple(b.members for b in parts),
        objective=objective,
        upper_bound=ub,
        violations=violations,
        team_metrics=tuple(parts),
        completed=completed,
        overall=overall,
    )
