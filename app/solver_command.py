"""The command-line frame the two engines share (`teams form`, `pairs match`): read the input
JSON, parse it into an instance, solve within the time limit, write the result JSON; a bad
input or usage exits with code 2 and one line on stderr (no traceback).

Standard library only, and the bottom layer: the engines stay pure (pyproject's import
contracts), each command module passes its parser and solver in.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, NoReturn, Protocol

__all__ = ["EXIT_MARGIN_S", "Solved", "SolverCommand", "process_age"]

# Kept back from a command's time limit for the process's exit after the answer is written.
EXIT_MARGIN_S = 0.1


class Solved(Protocol):
    def to_dict(self) -> dict[str, Any]: ...


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _UsageError(message)


def process_age() -> float:
    """Seconds since this process started (Linux; 0 elsewhere): ``python -m app`` imports the
    whole app before a command runs, and a time limit covers the whole command."""
    try:
        with open("/proc/self/stat", encoding="ascii") as fh:
            started_ticks = int(fh.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/uptime", encoding="ascii") as fh:
            uptime = float(fh.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 0.0
    return max(0.0, uptime - started_ticks / os.sysconf("SC_CLK_TCK"))


@dataclass(frozen=True)
class SolverCommand:
    """One engine's command. ``parse`` turns the JSON into an instance (raising
    ``input_error``, which carries ``message``); ``solve(instance, time_limit_s, seed,
    on_progress, deadline)`` returns the result; ``summary`` is the last stderr line.
    ``progress_step`` prints at most one progress line per that fraction of the work."""

    prog: str
    description: str
    seed_help: str
    parse: Callable[[Any], Any]
    input_error: type[Exception]
    time_limit_of: Callable[[Any], float]
    solve: Callable[..., Solved]
    summary: Callable[[Any], str]
    progress_step: float = 0.0

    def _fail(self, message: str) -> int:
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        return 2

    def run(self, argv: Sequence[str], *, started: float | None = None) -> int:
        """Run with the arguments that follow the command's name; returns the exit code.
        ``started`` (a ``time.perf_counter()`` value, default now) is when the limit began."""
        started = time.perf_counter() if started is None else started
        p = _Parser(prog=self.prog, description=self.description, add_help=True)
        p.add_argument("--input", required=True, help="JSON instance file ('-' for stdin)")
        p.add_argument("--output", help="result file (default: stdout)")
        p.add_argument("--time-limit", type=float, help="seconds, overrides time_limit_s")
        p.add_argument("--seed", type=int, help=self.seed_help)
        try:
            args = p.parse_args(list(argv))
        except _UsageError as exc:
            return self._fail(str(exc))
        except SystemExit as exc:  # --help
            return int(exc.code or 0)
        if args.time_limit is not None and not args.time_limit > 0:
            return self._fail("--time-limit must be positive")
        if args.seed is not None and args.seed < 0:
            return self._fail("--seed must not be negative")
        # Reading and parsing build several objects per applicant, none of them in a cycle: the
        # collector's passes over them were half the parse time at 50,000 applicants (0.7 of
        # 1.4 CPU-s), time the limit then lacked. Off for the command, as it was found.
        collecting = gc.isenabled()
        gc.disable()
        try:
            return self._solve(args, started)
        finally:
            if collecting:
                gc.enable()

    def _solve(self, args: argparse.Namespace, started: float) -> int:
        try:
            if args.input == "-":
                data = json.load(sys.stdin)
            else:
                with open(args.input, encoding="utf-8") as fh:
                    data = json.load(fh)
        except OSError as exc:
            return self._fail(f"cannot read {args.input}: {exc.strerror or exc}")
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            return self._fail(f"{args.input} is not valid JSON: {exc}")
        try:
            instance = self.parse(data)
        except self.input_error as exc:
            return self._fail(str(getattr(exc, "message", exc)))
        limit = args.time_limit if args.time_limit is not None else self.time_limit_of(instance)
        last = [-1.0]

        def progress(fraction: float, best: float) -> None:
            # at most one line per `progress_step` of the work, and always the last one
            if fraction >= 1.0 or fraction - last[0] >= self.progress_step:
                last[0] = fraction
                print(f"progress {fraction * 100:5.1f}%  objective {best:.6g}", file=sys.stderr)

        # Writing the answer and leaving are part of the limit: keep back a share for writing
        # (about a tenth of the time reading took, the same JSON volume), counted from the
        # command's start, and a fixed margin for the exit (the interpreter frees the engine's
        # arrays and waits for a flow's child): without it, runs that used their whole limit
        # ended a few hundredths of a second past it.
        reserve = 0.1 * (time.perf_counter() - started) + EXIT_MARGIN_S
        result = self.solve(
            instance,
            time_limit_s=limit,
            seed=args.seed,
            on_progress=progress,
            deadline=started + limit - reserve,
        )
        text = json.dumps(result.to_dict(), ensure_ascii=False)
        if args.output:
            try:
                with open(args.output, "w", encoding="utf-8") as fh:
                    fh.write(text + "\n")
            except OSError as exc:
                return self._fail(f"cannot write {args.output}: {exc.strerror or exc}")
        else:
            sys.stdout.write(text + "\n")
        print(self.summary(result), file=sys.stderr)
        return 0
