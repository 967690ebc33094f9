"""``teams form --input FILE [--output FILE] [--time-limit S] [--seed N]``.

Reads a JSON instance, prints progress lines (percent and current objective) to stderr and
writes the result JSON to ``--output`` or stdout. Exit codes: 0 success, 2 bad input or usage
(one line on stderr, no traceback).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from typing import NoReturn

from app.optimiser.engine import form_teams
from app.optimiser.model import FormationInputError, parse_instance

__all__ = ["run"]


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _UsageError(message)


def _parser() -> _Parser:
    p = _Parser(prog="teams form", description="Form mixed-generation teams.", add_help=True)
    p.add_argument("--input", required=True, help="JSON instance file ('-' for stdin)")
    p.add_argument("--output", help="result file (default: stdout)")
    p.add_argument("--time-limit", type=float, help="seconds, overrides time_limit_s")
    p.add_argument("--seed", type=int, help="random seed, overrides seed")
    return p


def _fail(message: str) -> int:
    print(f"teams form: error: {message}", file=sys.stderr)
    return 2


def run(argv: Sequence[str]) -> int:
    """Run the command with the arguments that follow ``teams form``; returns the exit code."""
    started = time.perf_counter()
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
    except FormationInputError as exc:
        return _fail(exc.message)
    limit = args.time_limit if args.time_limit is not None else instance.time_limit_s

    def progress(fraction: float, best: float) -> None:
        print(f"progress {fraction * 100:5.1f}%  objective {best:.6g}", file=sys.stderr)

    # the limit covers reading the input too: same work plan, deadline counted from the start
    result = form_teams(
        instance,
        time_limit_s=limit,
        seed=args.seed,
        on_progress=progress,
        deadline=started + limit,
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
        f"done: {len(result.teams)} teams, objective {result.objective:.6g}, "
        f"upper bound {result.upper_bound:.6g}, violations {result.violations}",
        file=sys.stderr,
    )
    return 0
