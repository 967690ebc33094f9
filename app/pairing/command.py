"""``pairs match --input FILE [--output FILE] [--time-limit S] [--seed N]``.

Reads a JSON instance, prints progress lines to stderr and writes the result JSON to
``--output`` or stdout. Exit codes: 0 success, 2 bad input or usage (one line on stderr, no
traceback). The time limit covers the whole command: reading, matching and writing. The frame
is the one `teams form` uses (app/solver_command.py).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from functools import partial

from app.pairing.engine import PairingResult, match_pairs
from app.pairing.model import PairingInputError, PairingInstance, parse_instance
from app.solver_command import SolverCommand, process_age

__all__ = ["run"]


def _summary(result: PairingResult) -> str:
    return (
        f"done: {len(result.pairs)} pairs, {len(result.unmatched)} unmatched, objective "
        f"{result.objective}, upper bound {result.upper_bound}"
    )


def _time_limit(instance: PairingInstance) -> float:
    return instance.time_limit_s


COMMAND = SolverCommand(
    prog="pairs match",
    description="Match mentors and mentees.",
    seed_help="tie-breaking seed, overrides seed",
    parse=parse_instance,
    input_error=PairingInputError,
    time_limit_of=_time_limit,
    # a flow that would miss the deadline is given up on (the command owns its process)
    solve=partial(match_pairs, flow_in_child=True),
    summary=_summary,
    progress_step=0.1,
)


def run(argv: Sequence[str], *, count_process_start: bool = False) -> int:
    """Run the command with the arguments that follow ``pairs match``; returns the exit code.
    ``count_process_start`` counts the time since the process started against the limit (for
    ``python -m app``, whose imports come first)."""
    started = time.perf_counter() - (process_age() if count_process_start else 0.0)
    return COMMAND.run(argv, started=started)
