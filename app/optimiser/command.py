"""``teams form --input FILE [--output FILE] [--time-limit S] [--seed N]``.

Reads a JSON instance, prints progress lines (percent and current objective) to stderr and
writes the result JSON to ``--output`` or stdout. Exit codes: 0 success, 2 bad input or usage
(one line on stderr, no traceback). The frame is the one `pairs match` uses
(app/solver_command.py).
"""

from __future__ import annotations

from collections.abc import Sequence

from app.optimiser.engine import form_teams
from app.optimiser.metrics import FormationResult
from app.optimiser.model import FormationInputError, FormationInstance, parse_instance
from app.solver_command import SolverCommand

__all__ = ["run"]


def _summary(result: FormationResult) -> str:
    return (
        f"done: {len(result.teams)} teams, objective {result.objective:.6g}, "
        f"upper bound {result.upper_bound:.6g}, violations {result.violations}"
    )


def _time_limit(instance: FormationInstance) -> float:
    return instance.time_limit_s


COMMAND = SolverCommand(
    prog="teams form",
    description="Form mixed-generation teams.",
    seed_help="random seed, overrides seed",
    parse=parse_instance,
    input_error=FormationInputError,
    time_limit_of=_time_limit,
    solve=form_teams,
    summary=_summary,
)


def run(argv: Sequence[str]) -> int:
    """Run the command with the arguments that follow ``teams form``; returns the exit code."""
    return COMMAND.run(argv)
