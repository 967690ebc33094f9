"""Benchmark of the mentoring pair matcher against a greedy baseline and an exact reference.

Usage::

    .venv/bin/python scripts/bench/pairs.py [--sizes 200,2000,10000,50000] [--seed 0]
        [--mode reverse] [--repeats 3] [--exact-max 10000] [--size tiny]

Prints a Markdown table. Instances come from ``generate`` below: a workforce-like cohort mix,
heavy-tailed (log-normal) departments, a management tree whose direct-manager and skip-level
pairs among applicants are ``separate`` pairs, languages (mostly one shared, some local ones),
weekly availability slots, and skills tied to cohort (juniors teach digital tools, seniors want
them; seniors teach experience topics, which juniors want in mutual mode).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.pairing import PairingInstance, match_pairs, parse_instance
from app.pairing.engine import EXHAUSTIVE_PAIRS, KEEP
from app.pairing.flow import solve
from app.pairing.scan import compile_instance, scan

COHORTS = [("boomer", 0.06), ("gen_x", 0.30), ("millennial", 0.39), ("gen_z", 0.25)]
# Share of each cohort applying as a mentor (the rest as mentees), per mode.
MENTOR_SHARE = {
    "reverse": {"boomer": 0.0, "gen_x": 0.05, "millennial": 0.45, "gen_z": 0.85},
    "mutual": {"boomer": 0.5, "gen_x": 0.45, "millennial": 0.4, "gen_z": 0.35},
}
DIGITAL = ["short_video", "ai_assistants", "social_media", "data_viz", "no_code", "remote_collab"]
EXPERIENCE = ["negotiation", "mentoring", "conflict", "stakeholders", "speaking", "budgeting"]
YOUTH = {"boomer": 0.0, "gen_x": 0.3, "millennial": 0.7, "gen_z": 1.0}
POPULARITY = [1.0 / (r + 1) ** 0.6 for r in range(6)]
LOCAL = ["fr", "de", "es", "pt", "it", "nl", "pl"]
SLOTS = [f"{d}_{h}" for d in ("mon", "tue", "wed", "thu", "fri") for h in ("am", "pm")]
PARTICIPATION = 3  # the organisation is 3x the number of applicants


def _skills(
    rng: random.Random, pool: list[str], count: int, levels: tuple[int, int]
) -> dict[str, int]:
    picked = sorted(set(rng.choices(pool, weights=POPULARITY, k=count)))
    return {s: rng.randint(*levels) for s in picked}


def generate(n: int, seed: int, mode: str = "reverse") -> dict[str, Any]:
    """A JSON-shaped instance with ``n`` applicants (mentors and mentees)."""
    size = PARTICIPATION * n
    rng = random.Random(seed * 1_000_003 + n)
    cohorts = rng.choices([c for c, _ in COHORTS], weights=[w for _, w in COHORTS], k=size)
    departments: list[int] = []
    while len(departments) < size:
        d = len(set(departments))
        departments += [d] * max(1, round(rng.lognormvariate(math.log(8), 1.0)))
    departments = departments[:size]
    rng.shuffle(departments)
    # a management tree: everyone but the root reports to someone earlier in an age order
    # (older first), so seniors manage and reporting lines run through generations
    order = sorted(
        range(size), key=lambda i: ([c for c, _ in COHORTS].index(cohorts[i]), rng.random())
    )
    manager: dict[int, int] = {}
    for pos in range(1, size):
        manager[order[pos]] = order[rng.randrange(max(1, pos // 6), pos) if pos > 1 else 0]
    applying = sorted(rng.sample(range(size), n))
    joined = set(applying)
    separate: set[tuple[int, int]] = set()
    for i in applying:
        m = manager.get(i)
        for _ in range(2):  # direct manager, then skip-level
            if m is None:
                break
            if m in joined:
                separate.add((min(i, m), max(i, m)))
            m = manager.get(m)
    mentors, mentees = [], []
    for i in applying:
        cohort = cohorts[i]
        youth = YOUTH[cohort]
        languages = ["en"] if rng.random() < 0.92 else []
        if rng.random() < 0.4 or not languages:
            languages.append(rng.choices(LOCAL, weights=[*POPULARITY, 0.3])[0])
        person: dict[str, Any] = {
            "id": f"a{i}",
            "cohort": cohort,
            "department": f"d{departments[i]}",
            "languages": languages,
            "availability": rng.sample(SLOTS, rng.randint(2, 5)),
        }
        young_teach = _skills(rng, DIGITAL, rng.randint(1, 3), (2, 4))
        old_teach = _skills(rng, EXPERIENCE, rng.randint(1, 3), (2, 4))
        teaches = young_teach if rng.random() < 0.3 + 0.6 * youth else old_teach
        wants_pool = DIGITAL if rng.random() < 1.0 - 0.7 * youth else EXPERIENCE
        wants = _skills(rng, wants_pool, rng.randint(1, 2), (1, 3))
        for s in list(wants):
            if s in teaches:
                del wants[s]
        person["teaches"] = teaches
        person["wants"] = wants
        if rng.random() < MENTOR_SHARE[mode][cohort]:
            person["capacity"] = rng.choices([1, 2, 3], weights=[5, 3, 2])[0]
            mentors.append(person)
        else:
            mentees.append(person)
    return {
        "mode": mode,
        "cohorts": [c for c, _ in COHORTS],
        "mentors": mentors,
        "mentees": mentees,
        "separate": [[f"a{a}", f"a{b}"] for a, b in sorted(separate)],
        "weights": {"skill": 10, "gap": 3, "department": 2, "availability": 1},
        "time_limit_s": 10,
        "seed": 0,
    }


# --------------------------------------------------------------------------------------------
# An independent check of every published pair, written from the definitions


def value_of(inst: PairingInstance, mentor_id: str, mentee_id: str) -> int | None:
    """1000 + score of an allowed pair, None if the pair is not allowed."""
    m = _by_id(inst)[mentor_id]
    e = _by_id(inst)[mentee_id]
    if frozenset((m.id, e.id)) in _separate(inst):
        return None
    if not (m.languages & e.languages):
        return None
    shared = len(m.availability & e.availability)
    if shared == 0:
        return None
    rank = {c: k for k, c in enumerate(inst.cohorts)}
    gap = rank[m.cohort] - rank[e.cohort]
    if inst.mode == "reverse":
        if gap < 1:
            return None
    else:
        gap = abs(gap)
    skill = sum(1 for s, w in e.wants.items() if m.teaches.get(s, 0) > w)
    if inst.mode == "mutual":
        skill += sum(1 for s, w in m.wants.items() if e.teaches.get(s, 0) > w)
    if skill < 1:
        return None
    w = inst.weights
    differ = m.department is not None and e.department is not None and m.department != e.department
    return (
        1000
        + w.skill * skill
        + w.gap * gap
        + w.department * int(differ)
        + w.availability * min(3, shared)
    )


_CACHE: dict[int, tuple[dict[str, Any], set[frozenset[str]]]] = {}


def _by_id(inst: PairingInstance) -> dict[str, Any]:
    key = id(inst)
    if key not in _CACHE:
        _CACHE.clear()
        _CACHE[key] = (
            {p.id: p for p in (*inst.mentors, *inst.mentees)},
            {frozenset(pair) for pair in inst.separate},
        )
    return _CACHE[key][0]


def _separate(inst: PairingInstance) -> set[frozenset[str]]:
    _by_id(inst)
    return _CACHE[id(inst)][1]


def check(inst: PairingInstance, pairs: Sequence[tuple[str, str]]) -> tuple[int, int]:
    """(recomputed objective, disallowed or over-capacity pairs)."""
    people = _by_id(inst)
    load: dict[str, int] = {}
    taken: set[str] = set()
    objective = bad = 0
    for m, e in pairs:
        v = value_of(inst, m, e)
        load[m] = load.get(m, 0) + 1
        if v is None or e in taken or load[m] > people[m].capacity:
            bad += 1
        else:
            objective += v
        taken.add(e)
    return objective, bad


# --------------------------------------------------------------------------------------------
# Baseline and reference


def greedy(inst: PairingInstance) -> list[tuple[str, str]]:
    """The obvious method: pairs taken best value first while both sides have room, over the
    same candidate edges as the engine (every allowed pair up to 2,000 applicants, the
    exact top lists above), so that it differs from the engine by the flow only."""
    c = compile_instance(inst)
    everything = c.mentors.size * c.mentees.size <= EXHAUSTIVE_PAIRS
    found = scan(c, None if everything else KEEP)
    room = c.mentors.capacity.copy()
    taken = np.zeros(c.mentees.size, dtype=bool)
    out = []
    order = np.argsort(-found.value, kind="stable")
    for i, j in zip(found.mentor[order].tolist(), found.mentee[order].tolist(), strict=True):
        if room[i] and not taken[j]:
            room[i] -= 1
            taken[j] = True
            out.append((inst.mentors[i].id, inst.mentees[j].id))
    return out


def exact(inst: PairingInstance) -> int:
    """OR-Tools min-cost flow on ALL allowed pairs: the optimum."""
    c = compile_instance(inst)
    found = scan(c, None)
    return (
        solve(
            c.mentors.capacity, c.mentees.size, found.mentee, found.mentor, found.value
        ).value_twice
        // 2
    )


def _children_cpu() -> float:
    # the flow's child process, once joined
    t = os.times()
    return t.children_user + t.children_system


def _input_name(n: int, mode: str) -> str:
    size = f"{n // 1000}k" if n % 1000 == 0 else str(n)
    return f"pairs_p{size}_{mode}.json"


def _write_inputs(folder: Path, args: argparse.Namespace) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    for n in [int(s) for s in args.sizes.split(",") if s]:
        path = folder / _input_name(n, args.mode)
        path.write_text(json.dumps(generate(n, args.seed, args.mode)) + "\n", encoding="utf-8")
        print(path)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("--sizes", default="200,2000,10000,50000")
    ap.add_argument(
        "--size", choices=["tiny"], help="tiny: 100 and 3,000 applicants, one run (smoke test)"
    )
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--mode", choices=["reverse", "mutual"], default="reverse")
    ap.add_argument("--repeats", type=int, default=3, help="timed runs per size (median)")
    ap.add_argument("--exact-max", type=int, default=10000, help="largest size for the reference")
    ap.add_argument(
        "--time-limit", type=float, default=None, help="engine time limit (default: 10 s)"
    )
    ap.add_argument(
        "--write-inputs",
        metavar="DIR",
        help="write each size's instance to DIR/pairs_p<size>_<mode>.json and stop (the command's "
        "input: python -m app pairs match --input ...); 50000 is named p50k",
    )
    args = ap.parse_args(argv)
    if args.write_inputs:
        return _write_inputs(Path(args.write_inputs), args)
    if args.size == "tiny":
        args.sizes, args.repeats = "100,3000", 1
    loads = [os.getloadavg()[0]]
    print(
        "| applicants | mentors / mentees | allowed pairs | candidate edges | time s (CPU s) "
        "| objective | upper bound | obj / UB | greedy / UB | exact optimum | obj / exact "
        "| disallowed |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n in [int(s) for s in args.sizes.split(",") if s]:
        raw = generate(n, args.seed, args.mode)
        times = []
        cpu = []
        out: dict[str, Any] = {}
        for _ in range(args.repeats):
            t0, c0, k0 = time.perf_counter(), time.process_time(), _children_cpu()
            inst = parse_instance(raw)
            # as the command runs it: the flow in a child process, given up on at the deadline
            out = match_pairs(inst, time_limit_s=args.time_limit, flow_in_child=True).to_dict()
            times.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0 + _children_cpu() - k0)
            loads.append(os.getloadavg()[0])
        inst = parse_instance(raw)
        published = [(p["mentor"], p["mentee"]) for p in out["pairs"]]
        recomputed, bad = check(inst, published)
        if recomputed != out["objective"] and bad == 0:
            raise SystemExit(f"n={n}: objective {out['objective']} != recomputed {recomputed}")
        greedy_value, greedy_bad = check(inst, greedy(inst))
        assert greedy_bad == 0
        best = exact(inst) if n <= args.exact_max else None
        ub = out["upper_bound"]
        best_txt = "—" if best is None else f"{best:,}"
        best_ratio = "—" if best is None else f"{out['objective'] / best:.4f}"
        print(
            f"| {n:,} | {len(inst.mentors):,} / {len(inst.mentees):,} "
            f"| {out['stats']['allowed_pairs']:,} | {out['stats']['candidate_edges']:,} "
            f"| {statistics.median(times):.2f} ({statistics.median(cpu):.2f}) "
            f"| {out['objective']:,} | {ub:,} "
            f"| {out['objective'] / ub:.4f} | {greedy_value / ub:.4f} "
            f"| {best_txt} | {best_ratio} | {bad} |"
        )
        sys.stdout.flush()
    print()
    print(
        f"Mode {args.mode}, seed {args.seed}, time limit {args.time_limit or 10:g} s; time from "
        "the parsed JSON (validation, scan, flows, repair, bound), median of "
        f"{args.repeats}, CPU = both threads and the flow's child process. Machine: "
        f"{os.cpu_count()} CPUs, "
        f"{platform.processor() or platform.machine()}, Python {platform.python_version()}, "
        f"numpy {np.__version__}; CPU: 1-minute load average during the run "
        f"{min(loads):.1f}–{max(loads):.1f} (median {statistics.median(loads):.1f})."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
