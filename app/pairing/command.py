"""``pairs match --input FILE [--output FILE] [--time-limit S] [--seed N]``.

Reads a JSON instance, prints progress lines to stderr and writes the result JSON to
``--output`` or stdout. Exit codes: 0 success, 2 bad input or usage (one line on stderr, no
traceback). The time limit covers the whole command: reading, matching and writing.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Sequence
from typing import NoReturn

from app.pairing.engine import match_pairs
from app.pairing.model import PairingInputError, parse_instance

__all__ = ["run"]


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _UsageError(message)


def _parser() -> _Parser:
    p = _Parser(prog="pairs match", description="Match mentors and mentees.", add_help=True)
    p.add_argument("--input", required=True, help="JSON instance file ('-' for stdin)")
    p.add_argument("--output", help="result file (default: stdout)")
    p.add_argument("--time-limit", type=float, help="seconds, overrides time_limit_s")
    p.add_argument("--seed", type=int, help="tie-breaking seed, overrides seed")
    return p


def _fail(message: str) -> int:
    print(f"pairs match: error: {message}", file=sys.stderr)
    return 2


def _process_age() -> float:
    """Seconds since this process started (Linux; 0 elsewhere): ``python -m app`` imports the
    whole app before ``run`` is called, and the time limit covers the whole command."""
    try:
        with open("/proc/self/stat", encoding="ascii") as fh:
            started_ticks = int(fh.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/uptime", encoding="ascii") as fh:
            uptime = float(fh.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 0.0
    return max(0.0, uptime - started_ticks / os.sysconf("SC_CLK_TCK"))


def run(argv: Sequence[str], *, count_process_start: bool = False) -> int:
    """Run the command with the arguments that follow ``pairs match``; returns the exit code.
    ``count_process_start`` counts the time since the process started against the limit (for
    ``python -m app``, whose imports come first)."""
    started = time.perf_counter() - (_process_age() if count_process_start else 0.0)
    try:
        args = _parser().parse_args(list(argv))
    except _UsageError as exc:
        return _fail(str(exc))
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    if args.time_limit is not None and not args.time_limit > 0:
        return _fail("--time-limit must be positive")
    if args.seed is not None and args.seed < 0:
        return _fail("--seed must not be negative")
    try:
        if args.input == "-":
            data = json.load(sys.stdin)
        else:
            with open(args.input, encoding="utf-8") as fh:
                data = json.load(fh)
    except OSError as exc:
        return _fail(f"cannot read {args.input}: {exc.strerror or exc}")
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        return _fail(f"{args.input} is not valid JSON: {exc}")
    try:
        instance = parse_instance(data)
    except PairingInputError as exc:
        return _fail(exc.message)
    limit = args.time_limit if args.time_limit is not None else instance.time_limit_s
    last = [-1.0]

    def progress(fraction: float, best: float) -> None:
        # at most one line per 10 % of the work, and always the last one
        if fraction >= 1.0 or fraction - last[0] >= 0.1:
            last[0] = fraction
            print(f"progress {fraction * 100:5.1f}%  objective {best:.6g}", file=sys.stderr)

    # Writing the answer is part of the limit: keep back a share for it (about a tenth of the
    # time reading took, the same JSON volume), counted from the command's start.
    reserve = 0.1 * (time.perf_counter() - started)
    result = match_pairs(
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
            return _fail(f"cannot write {args.output}: {exc.strerror or exc}")
    else:
        sys.stdout.write(text + "\n")
    print(
        f"done: {len(result.pairs)} pairs, {len(result.unmatched)} unmatched, objective "
        f"{result.objective}, upper bound {result.upper_bound}",
        file=sys.stderr,
    )
    return 0
