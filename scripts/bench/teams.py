"""Benchmark of the team-formation engine against baselines and CP-SAT.

Usage::

    .venv/bin/python scripts/bench/teams.py [--sizes 20,40,60,1000,10000,50000] [--seed 0]
        [--seeds 3] [--cpsat-time 60] [--baseline-time 10] [--time-limit 10]

Prints a Markdown table. Instances come from ``generate`` below: a workforce-like cohort mix,
seniority correlated with cohort, heavy-tailed department sizes, a management tree giving
direct-manager and skip-level ``separate`` pairs, cohort-dependent skills (juniors teach digital
tools and want experience topics, seniors the other way round) and a few ``together`` pairs.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import random
import statistics
import sys
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.optimiser import (
    FormationInstance,
    evaluate,
    form_teams,
    parse_instance,
)
from app.optimiser.state import State, compile_instance

COHORTS = [("boomer", 0.05), ("gen_x", 0.30), ("millennial", 0.40), ("gen_z", 0.25)]
BANDS = ["lt3", "3to10", "10to20", "gt20"]
BAND_MIX = {
    "boomer": [0.0, 0.02, 0.18, 0.80],
    "gen_x": [0.02, 0.13, 0.45, 0.40],
    "millennial": [0.20, 0.55, 0.25, 0.0],
    "gen_z": [0.80, 0.20, 0.0, 0.0],
}
DIGITAL = ["short_video", "ai_assistants", "social_media", "data_viz", "no_code", "remote_collab"]
EXPERIENCE = [
    "negotiation",
    "mentoring",
    "conflict_resolution",
    "stakeholder_mgmt",
    "public_speaking",
    "budgeting",
]
P_DIGITAL = {"boomer": 0.1, "gen_x": 0.3, "millennial": 0.65, "gen_z": 0.9}
POPULARITY = [1.0 / (r + 1) ** 0.6 for r in range(6)]  # Zipf-ish skill popularity


def _pick_skills(rng: random.Random, count: int, p_digital: float, exclude: set[str]) -> list[str]:
    out: list[str] = []
    for _ in range(count * 4):
        if len(out) == count:
            break
        pool = DIGITAL if rng.random() < p_digital else EXPERIENCE
        k = rng.choices(pool, weights=POPULARITY)[0]
        if k not in exclude and k not in out:
            out.append(k)
    return out


PARTICIPATION = 3  # the organisation is 3x the number of participants


def generate(n_participants: int, seed: int) -> dict[str, Any]:
    """A realistic instance (JSON-shaped, ready for ``parse_instance``).

    An organisation of ``3 × n_participants`` people is generated (cohorts, seniority,
    departments, management tree, skills); a random third take part in the challenge.
    ``separate`` holds the direct-manager and skip-level pairs among participants.
    """
    n = PARTICIPATION * n_participants
    rng = random.Random(seed * 1_000_003 + n_participants)
    ids = [str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in range(n)]
    cohorts = rng.choices([c for c, _ in COHORTS], weights=[w for _, w in COHORTS], k=n)
    bands = [rng.choices(BANDS, weights=BAND_MIX[c])[0] for c in cohorts]
    # heavy-tailed department sizes (log-normal, median 8)
    dept_sizes: list[int] = []
    while sum(dept_sizes) < n:
        dept_sizes.append(max(1, round(rng.lognormvariate(math.log(8), 1.0))))
    dept_sizes[-1] -= sum(dept_sizes) - n
    dept_sizes = [s for s in dept_sizes if s > 0]
    dept_sizes.sort(reverse=True)
    tags = [f"{rng.getrandbits(48):012x}" for _ in dept_sizes]
    order = list(range(n))
    rng.shuffle(order)
    members: list[list[int]] = []
    pos = 0
    for s in dept_sizes:
        members.append(order[pos : pos + s])
        pos += s
    dept = [""] * n
    for d, group in enumerate(members):
        for i in group:
            dept[i] = tags[d]
    # management tree: seniors more likely to manage; heads report into bigger departments
    rank = {b: r for r, b in enumerate(BANDS)}
    manager: list[int | None] = [None] * n
    heads: list[int] = []
    for group in members:
        group.sort(key=lambda i: (-rank[bands[i]], rng.random()))
        heads.append(group[0])
        queue = [group[0]]
        qpos = 0
        rest = group[1:]
        rpos = 0
        while rpos < len(rest):
            boss = queue[qpos] if qpos < len(queue) else group[0]
            qpos += 1
            span = rng.randint(3, 8)
            for i in rest[rpos : rpos + span]:
                manager[i] = boss
                queue.append(i)
            rpos += span
    for d in range(1, len(heads)):
        parent = members[rng.randrange(d)]
        manager[heads[d]] = parent[min(len(parent) - 1, rng.randrange(3))]
    taking_part = sorted(rng.sample(range(n), n_participants))
    joined = set(taking_part)
    separate: set[tuple[int, int]] = set()
    for i in taking_part:
        m = manager[i]
        if m is not None:
            if m in joined:
                separate.add((min(i, m), max(i, m)))
            mm = manager[m]
            if mm is not None and mm != i and mm in joined:
                separate.add((min(i, mm), max(i, mm)))
    together: set[tuple[int, int]] = set()
    for _ in range(max(1, n_participants // 50)):
        a, b = rng.sample(taking_part, 2)
        if (min(a, b), max(a, b)) not in separate:
            together.add((min(a, b), max(a, b)))
    people = []
    for i in taking_part:
        pd = P_DIGITAL[cohorts[i]]
        teaches = _pick_skills(rng, rng.choices([1, 2, 3], weights=[3, 4, 3])[0], pd, set())
        wants = _pick_skills(rng, rng.choices([1, 2], weights=[5, 4])[0], 1 - pd, set(teaches))
        people.append(
            {
                "id": ids[i],
                "cohort": cohorts[i],
                "seniority": bands[i],
                "department": dept[i],
                "teaches": teaches,
                "wants": wants,
            }
        )
    return {
        "team_size": {"min": 4, "target": 5, "max": 6},
        "people": people,
        "separate": [[ids[a], ids[b]] for a, b in sorted(separate)],
        "together": [[ids[a], ids[b]] for a, b in sorted(together)],
        "seed": 0,
    }


# --------------------------------------------------------------------------------------------
# Baselines


def _chunks(order: Sequence[int], sizes: Sequence[int]) -> list[list[int]]:
    out: list[list[int]] = []
    pos = 0
    for s in sizes:
        out.append(list(order[pos : pos + s]))
        pos += s
    return out


def _ids(inst: FormationInstance, teams: list[list[int]]) -> list[list[str]]:
    return [[inst.people[i].id for i in t] for t in teams]


def baseline_random(inst: FormationInstance, seed: int) -> list[list[str]]:
    order = list(range(len(inst.people)))
    random.Random(seed).shuffle(order)
    return _ids(inst, _chunks(order, inst.team_sizes()))


def baseline_round_robin(inst: FormationInstance, seed: int) -> list[list[str]]:
    """Sort by cohort, deal people to teams 0, 1, …, T-1, 0, 1, …"""
    sizes = inst.team_sizes()
    t = len(sizes)
    order = sorted(range(len(inst.people)), key=lambda i: (inst.people[i].cohort, i))
    teams: list[list[int]] = [[] for _ in range(t)]
    k = 0
    for i in order:
        while len(teams[k % t]) >= sizes[k % t]:
            k += 1
        teams[k % t].append(i)
        k += 1
    return _ids(inst, teams)


def baseline_maxmin(inst: FormationInstance, seed: int, time_limit: float) -> list[list[str]]:
    """CATME-like: from a random start, first swap people out of reporting-line conflicts
    (the swap that removes most violations, then best for the objective), then repeatedly
    improve the worst team by the swap that maximises the lower of the two teams' scores
    (never adding a violation)."""
    cp = compile_instance(inst)
    rng = np.random.default_rng(seed)
    sizes = inst.team_sizes()
    t = len(sizes)
    order = rng.permutation(len(inst.people))
    team_of = np.empty(len(order), dtype=np.int64)
    for k, chunk in enumerate(_chunks(order.tolist(), sizes)):
        team_of[chunk] = k
    st = State(cp, team_of, t)
    stuck = np.zeros(t, dtype=bool)
    deadline = time.perf_counter() + time_limit
    n = cp.n
    while st.viol > 0 and t > 1 and time.perf_counter() < deadline:
        bad = np.flatnonzero(st.team_of[cp.sep_u] == st.team_of[cp.sep_v])
        k = int(bad[rng.integers(len(bad))])
        who = int(cp.sep_u[k] if rng.random() < 0.5 else cp.sep_v[k])
        others = np.arange(n)[st.team_of != st.team_of[who]]
        i = np.full(len(others), who)
        d = st.deltas(i, others)
        key = -d.dv * 1e6 + d.da + d.db
        best = int(np.argmax(key))
        if d.dv[best] >= 0:
            break
        sel = np.array([best])
        st.apply(i[sel], others[sel], type(d)(d.a[sel], d.b[sel], d.da[sel], d.db[sel], d.dv[sel]))
    while time.perf_counter() < deadline and t > 1 and not stuck.all():
        worst = int(np.argmin(np.where(stuck, np.inf, st.score)))
        mine = st.mem[worst, : st.sizes[worst]]
        others = rng.integers(n, size=min(n, 3000))
        others = others[st.team_of[others] != worst]
        i = np.repeat(mine, len(others))
        j = np.tile(others, len(mine))
        d = st.deltas(i, j)
        new_min = np.minimum(st.score[d.a] + d.da, st.score[d.b] + d.db)
        ok = (new_min > st.score[worst] + 1e-9) & (d.dv <= 0)
        if not ok.any():
            stuck[worst] = True
            continue
        k = int(np.argmax(np.where(ok, new_min, -np.inf)))
        sel = np.array([k])
        st.apply(i[sel], j[sel], type(d)(d.a[sel], d.b[sel], d.da[sel], d.db[sel], d.dv[sel]))
        stuck[:] = False
    teams: list[list[int]] = [[] for _ in range(t)]
    for i_, tt in enumerate(st.team_of.tolist()):
        teams[tt].append(i_)
    return _ids(inst, teams)


# --------------------------------------------------------------------------------------------
# CP-SAT reference (exact model of the objective)


def cpsat(
    inst: FormationInstance, time_limit: float
) -> tuple[float, float, bool, list[list[str]] | None]:
    """(best objective, best bound, proven optimal, its teams) from OR-Tools CP-SAT."""
    from ortools.sat.python import cp_model

    w = inst.weights
    for v in w.as_dict().values():
        if v != int(v):
            raise ValueError("the CP-SAT reference needs integer weights")
    people = inst.people
    n = len(people)
    sizes = inst.team_sizes()
    t_count = len(sizes)
    m = cp_model.CpModel()
    x = [[m.new_bool_var(f"x{i}_{t}") for t in range(t_count)] for i in range(n)]
    for i in range(n):
        m.add_exactly_one(x[i])
    for t in range(t_count):
        m.add(sum(x[i][t] for i in range(n)) == sizes[t])
    # symmetry: person 0 in team 0 (all teams of the largest size are interchangeable)
    m.add(x[0][0] == 1)
    idx = inst.index
    for a, b in inst.separate:
        for t in range(t_count):
            m.add_bool_or([x[idx[a]][t].Not(), x[idx[b]][t].Not()])
    terms: list[Any] = []
    smax = max(sizes)

    def group_terms(groups: dict[str, list[int]], distinct_w: int, pair_w: int) -> None:
        table = [k * (k - 1) // 2 for k in range(smax + 1)]
        for t in range(t_count):
            for key, g in groups.items():
                cnt = m.new_int_var(0, min(smax, len(g)), f"n{key}{t}")
                m.add(cnt == sum(x[i][t] for i in g))
                if distinct_w:
                    y = m.new_bool_var(f"y{key}{t}")
                    m.add(cnt >= 1).only_enforce_if(y)
                    terms.append(distinct_w * y)
                if pair_w and len(g) > 1:
                    q = m.new_int_var(0, table[-1], f"q{key}{t}")
                    m.add_element(cnt, table[: min(smax, len(g)) + 1], q)
                    terms.append(pair_w * q)

    cohorts: dict[str, list[int]] = {}
    bands: dict[str, list[int]] = {}
    depts: dict[str, list[int]] = {}
    for i, p in enumerate(people):
        cohorts.setdefault(p.cohort, []).append(i)
        if p.seniority is not None:
            bands.setdefault(p.seniority, []).append(i)
        if p.department is not None:
            depts.setdefault(p.department, []).append(i)
    constant = int(w.cross_generation_pairs) * sum(s * (s - 1) // 2 for s in sizes)
    group_terms(cohorts, int(w.generations), -int(w.cross_generation_pairs))
    if w.seniority_bands:
        group_terms(bands, int(w.seniority_bands), 0)
    if w.same_department_pairs:
        group_terms(
            {d: g for d, g in depts.items() if len(g) > 1}, 0, -int(w.same_department_pairs)
        )
    if w.skill_coverage:
        skills = sorted({k for p in people for k in p.wants})
        for k in skills:
            wanters = [i for i, p in enumerate(people) if k in p.wants]
            teachers = [i for i, p in enumerate(people) if k in p.teaches]
            if not teachers:
                continue
            for t in range(t_count):
                has = m.new_bool_var(f"h{k}{t}")
                m.add_bool_or([x[i][t] for i in teachers]).only_enforce_if(has)
                m.add_bool_and([x[i][t].Not() for i in teachers]).only_enforce_if(has.Not())
                cov = m.new_int_var(0, len(wanters), f"c{k}{t}")
                m.add(cov <= sum(x[i][t] for i in wanters))
                m.add(cov == 0).only_enforce_if(has.Not())
                terms.append(int(w.skill_coverage) * cov)
    if w.together:
        for a, b in inst.together:
            for t in range(t_count):
                z = m.new_bool_var(f"z{a}{b}{t}")
                m.add_implication(z, x[idx[a]][t])
                m.add_implication(z, x[idx[b]][t])
                terms.append(int(w.together) * z)
    m.maximize(sum(terms) + constant)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = 2
    solver.parameters.random_seed = 0
    status = solver.solve(m)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return math.nan, solver.best_objective_bound, False, None
    teams = [
        [people[i].id for i in range(n) if solver.boolean_value(x[i][t])] for t in range(t_count)
    ]
    optimal = status == cp_model.OPTIMAL
    return solver.objective_value, solver.best_objective_bound, optimal, teams


# --------------------------------------------------------------------------------------------


@dataclass
class Row:
    n: int
    method: str
    ratio_ub: float
    ratio_cp: float | None
    violations: float
    coverage: float
    three_cohorts: float
    same_dept: float
    min_score: float
    wall: float
    objective: float


def _measure(
    raw: dict[str, Any],
    fn: Callable[[FormationInstance], list[list[str]] | None],
    time_limit: float | None,
) -> tuple[dict[str, Any], float]:
    """Result and wall time. The engine (``fn`` returns None) is timed end to end from the
    parsed JSON: validation, compilation, search, evaluation and metrics."""
    t0 = time.perf_counter()
    inst = parse_instance(raw)
    teams = fn(inst)
    res = form_teams(inst, time_limit_s=time_limit) if teams is None else evaluate(inst, teams)
    out = res.to_dict()
    return out, time.perf_counter() - t0


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="20,40,60,1000,10000,50000")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--seeds", type=int, default=3, help="instances per size (medians)")
    ap.add_argument("--cpsat-time", type=float, default=60.0)
    ap.add_argument("--cpsat-max-n", type=int, default=60)
    ap.add_argument("--baseline-time", type=float, default=10.0)
    ap.add_argument("--large-seeds", type=int, default=1, help="instances per size above 1000")
    ap.add_argument(
        "--time-limit", type=float, default=None, help="engine time limit (default: 10 s)"
    )
    args = ap.parse_args(argv)
    loads: list[float] = [os.getloadavg()[0]]
    sizes = [int(s) for s in args.sizes.split(",") if s]
    rows: list[Row] = []
    proven: dict[int, int] = {}
    for n in sizes:
        n_seeds = args.seeds if n <= 1000 else args.large_seeds
        per_method: dict[str, list[Row]] = {}
        for s in range(args.seed, args.seed + n_seeds):
            raw = generate(n, s)
            inst = parse_instance(raw)
            cp_best: float | None = None
            cp_teams: list[list[str]] | None = None
            cp_wall = 0.0
            if n <= args.cpsat_max_n:
                t0 = time.perf_counter()
                best, bound, optimal, cp_teams = cpsat(inst, args.cpsat_time)
                cp_wall = time.perf_counter() - t0
                cp_best = None if math.isnan(best) else best
                proven[n] = proven.get(n, 0) + int(optimal)
                cp_note = "proven optimal" if optimal else f"bound {bound:.0f}"
                print(f"  n={n} seed={s}: CP-SAT {best:.0f} ({cp_note})", file=sys.stderr)
            methods: list[tuple[str, Callable[[FormationInstance], list[list[str]] | None]]] = [
                ("engine", lambda _i: None),
                ("random", lambda i, s=s: baseline_random(i, s)),
                ("round-robin", lambda i, s=s: baseline_round_robin(i, s)),
                ("max-min swaps", lambda i, s=s: baseline_maxmin(i, s, args.baseline_time)),
            ]
            if cp_teams is not None:
                methods.append(("CP-SAT reference", lambda _i, t=cp_teams: t))
            for name, fn in methods:
                out, wall = _measure(raw, fn, args.time_limit)
                if name == "CP-SAT reference":
                    wall = cp_wall
                m = out["metrics"]
                row = Row(
                    n=n,
                    method=name,
                    ratio_ub=out["objective"] / out["upper_bound"],
                    ratio_cp=(out["objective"] / cp_best) if cp_best else None,
                    violations=out["violations"],
                    coverage=m["skill_coverage"],
                    three_cohorts=m["teams_with_3plus_cohorts"],
                    same_dept=m["same_department_pairs"],
                    min_score=m["min_team_score"],
                    wall=wall,
                    objective=out["objective"],
                )
                per_method.setdefault(name, []).append(row)
                loads.append(os.getloadavg()[0])
                print(
                    f"  n={n} seed={s} {name}: obj {row.objective} "
                    f"ub-ratio {row.ratio_ub:.4f} viol {row.violations} {wall:.2f}s",
                    file=sys.stderr,
                )
        for name, rs in per_method.items():
            cps = [r.ratio_cp for r in rs if r.ratio_cp is not None]
            rows.append(
                Row(
                    n=n,
                    method=name,
                    ratio_ub=statistics.median(r.ratio_ub for r in rs),
                    ratio_cp=statistics.median(cps) if cps else None,
                    violations=statistics.median(r.violations for r in rs),
                    coverage=statistics.median(r.coverage for r in rs),
                    three_cohorts=statistics.median(r.three_cohorts for r in rs),
                    same_dept=statistics.median(r.same_dept for r in rs),
                    min_score=statistics.median(r.min_score for r in rs),
                    wall=statistics.median(r.wall for r in rs),
                    objective=statistics.median(r.objective for r in rs),
                )
            )
    print(
        "| N | method | obj / UB | obj / CP-SAT | violations | skill coverage "
        "| teams ≥3 cohorts | same-dept pairs | min team score | wall s |"
    )
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        cp_txt = "—" if r.ratio_cp is None else f"{r.ratio_cp:.4f}"
        print(
            f"| {r.n:,} | {r.method} | {r.ratio_ub:.4f} | {cp_txt} | {r.violations:g} "
            f"| {r.coverage:.3f} | {r.three_cohorts:.3f} | {r.same_dept:g} "
            f"| {r.min_score:g} | {r.wall:.2f} |"
        )
    print()
    for n, count in proven.items():
        print(f"CP-SAT ({args.cpsat_time:g} s) proved the optimum on {count} of the N = {n} runs.")
    print(
        f"Machine: {os.cpu_count()} CPUs, {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}, numpy {np.__version__}; 1-minute load average "
        f"during the run: {min(loads):.1f}–{max(loads):.1f} "
        f"(median {statistics.median(loads):.1f})."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
