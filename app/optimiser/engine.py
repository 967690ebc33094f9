"""Public entry points: ``form_teams``, ``evaluate`` and ``check_move``."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

import numpy as np

from app.optimiser.bound import upper_bound
from app.optimiser.metrics import FormationResult, build_result
from app.optimiser.model import FormationInputError, FormationInstance
from app.optimiser.objective import check_partition
from app.optimiser.search import Stopper, optimise
from app.optimiser.state import compile_instance

__all__ = ["check_move", "evaluate", "form_teams"]

# Seconds kept back from the time limit to evaluate the result and build the metrics.
_RESERVE_BASE_S = 0.1
_RESERVE_PER_PERSON_S = 25e-6
_RESERVE_PREP_FACTOR = 3.0
# Share of the time limit the search plans to use, and the estimated per-person cost of
# reading, compiling and reporting (so that 50,000 people fit in 10 s end to end).
_PLAN_SHARE = 0.6
_OVERHEAD_PER_PERSON_S = 30e-6


def form_teams(
    instance: FormationInstance,
    *,
    time_limit_s: float | None = None,
    seed: int | None = None,
    on_progress: Callable[[float, float], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    deadline: float | None = None,
) -> FormationResult:
    """Partition the people into teams (sizes fixed by the team-size rule), maximising the
    objective with no ``separate`` pair in a team whenever the search can achieve it.

    ``time_limit_s``/``seed`` override the instance's values. ``on_progress(fraction, best)``
    is called at most about ten times a second; ``should_stop()`` returning True cancels the
    search, which then returns the best assignment found so far. For a given input and seed the
    result is deterministic unless the time limit or cancellation cut the search short
    (``result.completed`` is then False).

    The amount of search work is planned from ``time_limit_s`` and the instance size only
    (about 60% of the limit on a 2-core machine); the time limit itself is enforced as a hard
    deadline. ``deadline`` (a ``time.perf_counter()`` value) replaces that deadline, e.g. for a
    caller that already spent part of the limit reading the input.
    """
    start = time.perf_counter()
    limit = instance.time_limit_s if time_limit_s is None else float(time_limit_s)
    if not limit > 0:
        raise FormationInputError("time_limit_s must be positive")
    seed_value = instance.seed if seed is None else int(seed)
    if seed_value < 0:
        raise FormationInputError("seed must not be negative")
    n = len(instance.people)
    sizes = instance.team_sizes()
    cp = compile_instance(instance)
    target = upper_bound(instance, sizes)
    # Time kept back to evaluate the result and build the metrics (and, for the command, to
    # write the JSON). Those steps cost about three times compiling the instance; measuring
    # the compilation adapts the reserve to the machine's current load.
    prepared = time.perf_counter() - start
    reserve = min(
        0.4 * limit,
        max(_RESERVE_BASE_S + _RESERVE_PER_PERSON_S * n, _RESERVE_PREP_FACTOR * prepared),
    )
    hard = (start + limit if deadline is None else deadline) - reserve
    stopper = Stopper(hard, limit, on_progress, should_stop)
    budget = max(0.05 * limit, _PLAN_SHARE * limit - _OVERHEAD_PER_PERSON_S * n)
    outcome = optimise(cp, sizes, seed=seed_value, stopper=stopper, budget_s=budget, target=target)
    teams = _groups(outcome.team_of, len(sizes))
    result = build_result(instance, teams, completed=outcome.completed, bound=target)
    if on_progress is not None:
        on_progress(1.0, result.objective)
    return result


def _groups(team_of: np.ndarray, n_teams: int) -> list[list[int]]:
    order = np.argsort(team_of, kind="stable")
    counts = np.bincount(team_of, minlength=n_teams)
    teams = [chunk.tolist() for chunk in np.split(order, np.cumsum(counts)[:-1])]
    teams = [t for t in teams if t]
    teams.sort(key=lambda t: t[0])
    return teams


def evaluate(instance: FormationInstance, teams: Sequence[Sequence[str]]) -> FormationResult:
    """Objective, violations, upper bound (for these team sizes) and metrics of any assignment.

    ``teams`` must contain every person exactly once; otherwise ``FormationInputError``.
    """
    return build_result(instance, check_partition(instance, teams))


def check_move(
    instance: FormationInstance,
    teams: Sequence[Sequence[str]],
    person_id: str,
    to_team_index: int,
) -> str | None:
    """Whether moving ``person_id`` into ``teams[to_team_index]`` is allowed.

    Returns None if allowed, else a human-readable reason (several joined by ``"; "``).
    A move is refused if it would put a ``separate`` pair in one team, or leave a team outside
    ``[min, max]`` members. ``teams`` must be a valid assignment (else ``FormationInputError``).
    """
    index_teams = check_partition(instance, teams)
    index = instance.index
    if person_id not in index:
        return f"{person_id} is not a participant of this formation"
    if (
        isinstance(to_team_index, bool)
        or not isinstance(to_team_index, int)
        or not 0 <= to_team_index < len(teams)
    ):
        return f"there is no team {to_team_index} (teams are numbered 0 to {len(teams) - 1})"
    who = index[person_id]
    source = next(t for t, members in enumerate(index_teams) if who in members)
    if source == to_team_index:
        return f"{person_id} is already in team {to_team_index}"
    reasons: list[str] = []
    target_members = {instance.people[i].id for i in index_teams[to_team_index]}
    for a, b in instance.separate:
        other = b if a == person_id else a if b == person_id else None
        if other is not None and other in target_members:
            reasons.append(f"{person_id} and {other} must not share a team (reporting line)")
    size = instance.team_size
    shrunk = len(index_teams[source]) - 1
    if shrunk < size.minimum:
        reasons.append(
            f"team {source} would shrink to {shrunk} member{'s' if shrunk != 1 else ''}, "
            f"below the minimum of {size.minimum}"
        )
    grown = len(index_teams[to_team_index]) + 1
    if grown > size.maximum:
        reasons.append(
            f"team {to_team_index} would grow to {grown} members, "
            f"above the maximum of {size.maximum}"
        )
    return "; ".join(reasons) or None
