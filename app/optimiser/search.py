"""Swap-based local search.

All randomness comes from ``numpy.random.default_rng(seed)`` and every phase runs a fixed,
seed-determined amount of work; the clock is only consulted to *truncate* the run (time limit or
cancellation), so the same input and seed give the same teams whenever the work budget finishes
in time.

Phases:

1. **Seed** — people sorted by (cohort, department, random tie-break) are dealt to the teams in a
   snake order, spreading every cohort and department evenly.
2. **Search** — moves are swaps (team sizes never change). Violations of ``separate`` pairs
   are penalised lexicographically (a swap that removes a violation beats any objective gain),
   so the search first reaches a feasible assignment and then never leaves feasibility.
   *Small instances* (all pairs ≤ ``FULL_NEIGHBOURHOOD``): tabu search over the full swap
   neighbourhood with restarts from a perturbed best solution. *Large instances*: rounds of
   vectorised candidate swaps (random pairs plus pairs aimed at uncovered wants, duplicated
   cohorts, shared departments, violated ``separate`` and unmet ``together`` pairs), accepted
   with a simulated-annealing rule, of which the best team-disjoint ones are applied at once.
3. **Fairness** — swaps that leave the objective unchanged (and add no violation) but raise
   the lower of the two teams' scores, aimed at the worst teams.

The best assignment kept is the one with the fewest violations, and among those the highest
objective (compared lexicographically, never through the penalty, so no objective gain can
buy a violation).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from app.optimiser.state import BArr, Compiled, Deltas, FArr, IntArr, State

__all__ = ["SearchOutcome", "Stopper", "initial_assignment", "optimise"]

_EPS = 1e-9


class Stopper:
    """Deadline, cancellation and throttled progress reporting (≤ 10 reports per second)."""

    def __init__(
        self,
        deadline: float,
        limit_s: float,
        on_progress: Callable[[float, float], None] | None,
        should_stop: Callable[[], bool] | None,
    ) -> None:
        self.deadline = deadline
        self.start = time.perf_counter()
        self.limit_s = max(limit_s, 1e-6)
        self.on_progress = on_progress
        self.should_stop = should_stop
        self.last_report = -1.0
        self.stopped = False

    def check(self, work_fraction: float, best: float) -> bool:
        """Return True when the search must stop now."""
        now = time.perf_counter()
        if now >= self.deadline or (self.should_stop is not None and self.should_stop()):
            self.stopped = True
            return True
        if self.on_progress is not None and now - self.last_report >= 0.1:
            self.last_report = now
            frac = max(work_fraction, (now - self.start) / self.limit_s)
            self.on_progress(min(1.0, max(0.0, frac)), best)
        return False


@dataclass(slots=True)
class SearchOutcome:
    team_of: IntArr
    objective: float
    violations: int
    completed: bool


def initial_assignment(cp: Compiled, sizes: list[int], rng: np.random.Generator) -> IntArr:
    """Stratified snake deal: sort by cohort then department, deal 0..T-1, T-1..0, …"""
    n = cp.n
    t = len(sizes)
    tie = rng.permutation(n)
    dept_size = np.bincount(cp.dept[:n] - cp.dept[:n].min())[cp.dept[:n] - cp.dept[:n].min()]
    order = np.lexsort((tie, cp.dept[:n], -dept_size, cp.cohort))
    p = np.arange(n)
    rnd, idx = np.divmod(p, t)
    team_seq = np.where(rnd % 2 == 0, idx, t - 1 - idx)
    team_of = np.empty(n, dtype=np.int64)
    team_of[order] = team_seq
    # map the dealt teams onto the requested sizes (the deal yields the same multiset)
    dealt = np.bincount(team_of, minlength=t)
    by_dealt = np.argsort(-dealt, kind="stable")
    target_rank = np.empty(t, dtype=np.int64)
    target_rank[by_dealt] = np.arange(t)
    return target_rank[team_of]


def _penalty(cp: Compiled, smax: int) -> float:
    """A violation outweighs any possible change of two teams' scores by one swap."""
    # Per team, a swap changes: distinct cohorts/bands by at most one each; the pairs of the
    # person leaving and of the one arriving (≤ smax − 1 each); the wants of those two and the
    # wants their taught skills cover (≤ smax per skill).
    lists = cp.want_lists.shape[1] + cp.teach_lists.shape[1]
    per_team = (
        cp.w_gen * 2
        + float(cp.band_value.max(initial=0.0)) * 2
        + smax * (cp.w_cross + cp.w_dept + cp.w_tog) * 2
        + cp.w_skill * smax * lists * 2
    )
    return float(1.0 + 4.0 * per_team)


def _disjoint(a: IntArr, b: IntArr, prio: FArr, n_teams: int, passes: int = 3) -> IntArr:
    """Indices of a set of candidates with pairwise disjoint teams, preferring high ``prio``."""
    m = len(a)
    if m == 0:
        return np.zeros(0, dtype=np.int64)
    order = np.argsort(-prio, kind="stable")
    rank = np.empty(m, dtype=np.int64)
    rank[order] = np.arange(m)
    alive = np.ones(m, dtype=bool)
    used = np.zeros(n_teams, dtype=bool)
    chosen: list[IntArr] = []
    for _ in range(passes):
        cand = np.flatnonzero(alive & ~used[a] & ~used[b])
        if len(cand) == 0:
            break
        best = np.full(n_teams, m, dtype=np.int64)
        np.minimum.at(best, a[cand], rank[cand])
        np.minimum.at(best, b[cand], rank[cand])
        ok = cand[(best[a[cand]] == rank[cand]) & (best[b[cand]] == rank[cand])]
        if len(ok) == 0:
            break
        chosen.append(ok)
        used[a[ok]] = True
        used[b[ok]] = True
        alive[ok] = False
    if not chosen:
        return np.zeros(0, dtype=np.int64)
    return np.concatenate(chosen)


class _Search:
    def __init__(
        self,
        cp: Compiled,
        sizes: list[int],
        seed: int,
        stopper: Stopper,
        n_teams: int,
        target: float = math.inf,
    ) -> None:
        self.cp = cp
        self.rng = np.random.default_rng(seed)
        self.stopper = stopper
        self.n_teams = n_teams
        self.sizes = sizes
        self.state = State(cp, initial_assignment(cp, sizes, self.rng), n_teams)
        self.penalty = _penalty(cp, max(sizes))
        self.best_team_of = self.state.team_of.copy()
        self.best_value = self.value()
        self.best_objective = self.state.objective()
        self.best_viol = self.state.viol
        self.scale = max(cp.w_gen, cp.w_cross, cp.w_skill, cp.w_dept, cp.w_tog, cp.w_band, _EPS)
        self.work_done = 0.0
        self.work_total = 1.0
        self.target = target
        self.optimal = False
        self.check_optimal()

    # -- helpers --------------------------------------------------------------------------
    def value(self) -> float:
        return self.state.objective() - self.penalty * self.state.viol

    def remember(self) -> bool:
        """Keep the current assignment if it is better: fewer violations first (whatever the
        objective), then a higher objective."""
        st = self.state
        viol = st.viol
        if viol > self.best_viol:
            return False
        objective = st.objective()
        if viol == self.best_viol and objective <= self.best_objective + _EPS:
            return False
        self.best_viol = viol
        self.best_objective = objective
        self.best_value = objective - self.penalty * viol
        self.best_team_of = st.team_of.copy()
        self.check_optimal()
        return True

    def check_optimal(self) -> None:
        """The best assignment is feasible and reaches the upper bound: nothing left to do."""
        tol = 1e-9 * max(1.0, abs(self.target))
        self.optimal = self.best_viol == 0 and self.best_objective >= self.target - tol

    def stop(self) -> bool:
        return self.stopper.check(self.work_done / self.work_total, self.best_objective)

    def total(self, d: Deltas) -> FArr:
        return d.da + d.db - self.penalty * d.dv

    # -- tabu search over the full neighbourhood (small instances) ------------------------
    def tabu(self, max_iters: int, patience: int, max_restarts: int, work_base: float) -> bool:
        st = self.state
        st.load(self.best_team_of)
        n = self.cp.n
        pi, pj = np.triu_indices(n, 1)
        pi = pi.astype(np.int64)
        pj = pj.astype(np.int64)
        tabu_until = np.zeros(n, dtype=np.int64)
        tenure_lo = max(2, min(n // 6, 7))
        tenure_hi = tenure_lo + max(2, n // 8)
        since = 0
        restarts = 0
        for it in range(max_iters):
            self.work_done = work_base + it
            if self.optimal:
                return True
            if it % 8 == 0 and self.stop():
                return False
            mask = st.team_of[pi] != st.team_of[pj]
            i = pi[mask]
            j = pj[mask]
            if len(i) == 0:
                return True
            d = st.deltas(i, j)
            tot = self.total(d)
            cur = self.value()
            free = (tabu_until[i] <= it) & (tabu_until[j] <= it)
            allowed = free | (cur + tot > self.best_value + _EPS)
            if not allowed.any():
                allowed = np.ones(len(i), dtype=bool)
            noise = self.rng.random(len(i)) * 1e-6 * self.scale
            k = int(np.argmax(np.where(allowed, tot + noise, -np.inf)))
            sel = np.array([k])
            st.apply(i[sel], j[sel], _take(d, sel))
            tenure = int(self.rng.integers(tenure_lo, tenure_hi + 1))
            tabu_until[i[k]] = it + tenure
            tabu_until[j[k]] = it + tenure
            if self.remember():
                since = 0
                restarts = 0
            else:
                since += 1
            if since >= patience:
                restarts += 1
                if restarts > max_restarts:
                    return True
                self.perturb(strength=max(2, n // 10))
                tabu_until[:] = 0
                since = 0
        return True

    def perturb(self, strength: int) -> None:
        st = self.state
        st.load(self.best_team_of)
        n = self.cp.n
        for _ in range(strength):
            i = int(self.rng.integers(n))
            j = int(self.rng.integers(n))
            if st.team_of[i] == st.team_of[j]:
                continue
            ii = np.array([i])
            jj = np.array([j])
            d = st.deltas(ii, jj)
            if d.dv[0] > 0 and st.viol == 0:
                continue
            st.apply(ii, jj, d)

    # -- feasibility repair ---------------------------------------------------------------
    def repair(self, max_iters: int, max_candidates: int, work_base: float) -> bool:
        """Tabu search on the number of violations alone (objective only breaks ties).

        Candidates swap a person in a violated pair with anyone else. All improving swaps with
        disjoint teams are applied together; when none improves, the best non-tabu swap is
        applied even if it is sideways or uphill, and the people it moved become tabu for a
        while (unless a move reaches a new best).
        """
        st = self.state
        cp = self.cp
        n = cp.n
        rng = self.rng
        tabu_until = np.zeros(n, dtype=np.int64)
        best_viol = st.viol
        for it in range(max_iters):
            self.work_done = work_base + it
            if st.viol == 0:
                return True
            if it % 4 == 0 and self.stop():
                return False
            same = st.team_of[cp.sep_u] == st.team_of[cp.sep_v]
            bad = np.unique(np.concatenate([cp.sep_u[same], cp.sep_v[same]]))
            per = max(1, min(n, max_candidates // len(bad)))
            if per >= n:
                i = np.repeat(bad, n)
                j = np.tile(np.arange(n), len(bad))
            else:
                i = np.repeat(bad, per)
                j = rng.integers(n, size=len(i))
            keep = st.team_of[i] != st.team_of[j]
            i = i[keep]
            j = j[keep]
            if len(i) == 0:
                return True
            d = st.deltas(i, j)
            gain = d.da + d.db
            noise = rng.random(len(i)) * 1e-3 * self.scale
            improving = np.flatnonzero(d.dv < 0)
            if len(improving):
                prio = -d.dv[improving] * self.penalty + gain[improving] + noise[improving]
                sel = improving[_disjoint(d.a[improving], d.b[improving], prio, self.n_teams)]
            else:
                free = (tabu_until[i] <= it) & (tabu_until[j] <= it)
                allowed = free | (st.viol + d.dv < best_viol)
                if not allowed.any():
                    allowed[:] = True
                key = np.where(allowed, -d.dv * self.penalty + gain + noise, -np.inf)
                sel = np.array([int(np.argmax(key))])
            st.apply(i[sel], j[sel], _take(d, sel))
            tenure = int(rng.integers(5, 15)) + (6 * st.viol) // 10
            tabu_until[i[sel]] = it + tenure
            tabu_until[j[sel]] = it + tenure
            self.remember()
            best_viol = min(best_viol, st.viol)
        return True

    def repair_dense(self, max_iters: int, work_base: float) -> bool:
        """TabuCol-style repair on the dense conflict matrices (small and medium instances).

        ``C[p, t]`` counts p's separate partners in team t, so a swap's violation change is
        ``C[j,A] − C[i,A] + C[i,B] − C[j,B] − 2·V[i,j]``. Each iteration applies the best swap
        of a conflicting person that is not tabu (a person may not re-enter the team it just
        left for a while), unless it reaches a new best.
        """
        st = self.state
        conf = st.pair_sv
        sep = st.pair_v
        if conf is None or sep is None:
            return True
        n = self.cp.n
        rng = self.rng
        tabu = np.zeros((n, self.n_teams), dtype=np.int64)
        best_viol = st.viol
        everyone = np.arange(n)
        for it in range(max_iters):
            self.work_done = work_base + it
            if st.viol == 0:
                return True
            if it % 16 == 0 and self.stop():
                return False
            team = st.team_of
            bad = np.flatnonzero(conf[team, everyone] > 0)
            if len(bad) > 64:
                bad = np.sort(rng.choice(bad, size=64, replace=False))
            ta = team[bad][:, None]
            tb = team[None, :]
            bi = bad[:, None]
            dv = conf[ta, everyone[None, :]] - conf[ta, bi] + conf[tb, bi] - conf[tb, everyone]
            dv -= 2 * sep[bi, everyone[None, :]]
            allowed = (tb != ta) & (tabu[bi, tb] <= it) & (tabu[everyone[None, :], ta] <= it)
            allowed |= (tb != ta) & (st.viol + dv < best_viol)
            if not allowed.any():
                allowed = tb != ta
            key = np.where(allowed, dv + rng.random(dv.shape) * 0.5, np.inf)
            flat = int(np.argmin(key))
            r, c = divmod(flat, n)
            i = np.array([bad[r]])
            j = np.array([c])
            a_team = int(team[i[0]])
            b_team = int(team[j[0]])
            d = st.deltas(i, j)
            st.apply(i, j, d)
            tenure = int(rng.integers(3, 12)) + (6 * st.viol) // 10
            tabu[i[0], a_team] = it + tenure
            tabu[j[0], b_team] = it + tenure
            self.remember()
            best_viol = min(best_viol, st.viol)
        return True

    # -- batched annealing (large instances) ----------------------------------------------
    def candidates(self, m: int) -> tuple[IntArr, IntArr]:
        cp = self.cp
        st = self.state
        rng = self.rng
        n = cp.n
        parts_i: list[IntArr] = []
        parts_j: list[IntArr] = []
        # violated separate pairs: move one end anywhere
        if st.viol > 0:
            bad = np.flatnonzero(st.team_of[cp.sep_u] == st.team_of[cp.sep_v])
            if len(bad):
                take = bad[rng.integers(len(bad), size=min(m // 4, 4 * len(bad)))]
                ends = np.where(rng.random(len(take)) < 0.5, cp.sep_u[take], cp.sep_v[take])
                parts_i.append(ends)
                parts_j.append(rng.integers(n, size=len(ends)))
        # uncovered wants: bring in a teacher of that skill
        if cp.w_skill and len(cp.want_skill):
            wt = st.team_of[cp.want_person]
            unc = np.flatnonzero(st.tc[wt, cp.want_skill] == 0)
            cnt = cp.teachers_ptr[cp.want_skill[unc] + 1] - cp.teachers_ptr[cp.want_skill[unc]]
            unc = unc[cnt > 0]
            if len(unc):
                take = unc[rng.integers(len(unc), size=m // 4)]
                k = cp.want_skill[take]
                lo = cp.teachers_ptr[k]
                hi = cp.teachers_ptr[k + 1]
                teacher = cp.teachers_idx[lo + (rng.random(len(k)) * (hi - lo)).astype(np.int64)]
                team = wt[take]
                out = st.mem[team, (rng.random(len(k)) * st.sizes[team]).astype(np.int64)]
                parts_i.append(out)
                parts_j.append(teacher)
        # duplicated cohorts: exchange two people whose cohorts are both duplicated
        if cp.w_gen or cp.w_cross:
            dup = np.flatnonzero(st.cc[st.team_of, cp.cohort] >= 2)
            if len(dup) > 1:
                n_dup = m // 6
                parts_i.append(dup[rng.integers(len(dup), size=n_dup)])
                parts_j.append(dup[rng.integers(len(dup), size=n_dup)])
        # together pairs apart: bring v into u's team
        if cp.w_tog and len(cp.tog_u):
            apart = np.flatnonzero(st.team_of[cp.tog_u] != st.team_of[cp.tog_v])
            if len(apart):
                take = apart[rng.integers(len(apart), size=min(m // 10, 2 * len(apart)))]
                flip = rng.random(len(take)) < 0.5
                u = np.where(flip, cp.tog_u[take], cp.tog_v[take])
                v = np.where(flip, cp.tog_v[take], cp.tog_u[take])
                team = st.team_of[u]
                out = st.mem[team, (rng.random(len(u)) * st.sizes[team]).astype(np.int64)]
                parts_i.append(out)
                parts_j.append(v)
        used = sum(len(x) for x in parts_i)
        rest = max(m - used, m // 3)
        parts_i.append(rng.integers(n, size=rest))
        parts_j.append(rng.integers(n, size=rest))
        i = np.concatenate(parts_i)
        j = np.concatenate(parts_j)
        keep = st.team_of[i] != st.team_of[j]
        return i[keep], j[keep]

    def anneal(self, rounds: int, per_round: int, t0: float, t1: float, work_base: float) -> bool:
        st = self.state
        for r in range(rounds):
            self.work_done = work_base + r
            if self.optimal:
                return True
            if self.stop():
                return False
            frac = r / max(1, rounds - 1)
            temp = t0 * (t1 / t0) ** frac if t0 > 0 else 0.0
            if r >= rounds - max(3, rounds // 10):
                temp = 0.0
            i, j = self.candidates(per_round)
            if len(i) == 0:
                continue
            d = st.deltas(i, j)
            tot = self.total(d)
            if temp > 0:
                prob = np.exp(np.minimum(tot, 0.0) / temp)
                accept = (tot > _EPS) | (self.rng.random(len(tot)) < prob)
            else:
                accept = tot > _EPS
            idx = np.flatnonzero(accept)
            sel = idx[_disjoint(d.a[idx], d.b[idx], tot[idx], self.n_teams)]
            st.apply(i[sel], j[sel], _take(d, sel))
            self.remember()
        return True

    # -- fairness -------------------------------------------------------------------------
    def fairness(self, rounds: int, per_round: int, work_base: float) -> bool:
        st = self.state
        st.load(self.best_team_of)
        cp = self.cp
        n_low = max(1, self.n_teams // 10)
        for r in range(rounds):
            self.work_done = work_base + r
            if self.stop():
                return False
            low = np.argsort(st.score, kind="stable")[:n_low]
            team = low[self.rng.integers(len(low), size=per_round)]
            i = st.mem[team, (self.rng.random(per_round) * st.sizes[team]).astype(np.int64)]
            j = self.rng.integers(cp.n, size=per_round)
            keep = st.team_of[i] != st.team_of[j]
            i = i[keep]
            j = j[keep]
            if len(i) == 0:
                continue
            d = st.deltas(i, j)
            tot = self.total(d)
            sa = st.score[d.a]
            sb = st.score[d.b]
            gain = np.minimum(sa + d.da, sb + d.db) - np.minimum(sa, sb)
            ok = (np.abs(tot) <= _EPS) & (d.dv <= 0) & (gain > _EPS)
            idx = np.flatnonzero(ok)
            if len(idx) == 0:
                continue
            sel = idx[_disjoint(d.a[idx], d.b[idx], gain[idx], self.n_teams)]
            st.apply(i[sel], j[sel], _take(d, sel))
        self.best_team_of = st.team_of.copy()
        self.best_value = self.value()
        self.best_objective = st.objective()
        self.best_viol = st.viol
        return True


def _take(d: Deltas, sel: IntArr | BArr) -> Deltas:
    return Deltas(a=d.a[sel], b=d.b[sel], da=d.da[sel], db=d.db[sel], dv=d.dv[sel])


def optimise(
    cp: Compiled,
    sizes: list[int],
    *,
    seed: int,
    stopper: Stopper,
    budget_s: float,
    target: float = math.inf,
) -> SearchOutcome:
    """Search for a good assignment; returns the best one found (feasible first).

    ``budget_s`` sizes the amount of work (with fixed cost estimates, never by measuring
    time), so the result depends only on the input, the seed and ``budget_s``; the stopper can
    only cut the run short. The search ends early when it reaches ``target`` (a valid upper
    bound) with no violation: that assignment is optimal.
    """
    n_teams = len(sizes)
    search = _Search(cp, sizes, seed, stopper, n_teams, target)
    n = cp.n
    completed = True
    t0, t1 = 0.2 * search.scale, 0.01 * search.scale
    if n_teams > 1 and search.state.viol > 0:
        repair_iters = repair_plan(n, budget_s)
        search.work_total = repair_iters
        if search.state.pair_sv is not None:
            completed = search.repair_dense(repair_iters, 0.0)
        else:
            completed = search.repair(repair_iters, 40_000, 0.0)
        search.state.load(search.best_team_of)
    if n_teams > 1 and completed:
        if n <= TABU_MAX_N:
            rounds, per_round, iters, fair_rounds, fair_per_round = small_plan(n, budget_s)
            search.work_total = rounds + iters + fair_rounds
            completed = search.anneal(rounds, per_round, t0, t1, 0.0) and search.tabu(
                iters, patience=max(150, 6 * n), max_restarts=8, work_base=float(rounds)
            )
            work = float(rounds + iters)
        else:
            rounds, per_round = batch_plan(n, budget_s, int(cp.want_mask.shape[1]))
            fair_rounds = max(5, rounds // 10)
            fair_per_round = per_round
            search.work_total = rounds + fair_rounds
            completed = search.anneal(rounds, per_round, t0, t1, 0.0)
            work = float(rounds)
        if completed:
            completed = search.fairness(fair_rounds, fair_per_round, work)
    team_of = search.best_team_of
    st = search.state
    st.load(team_of)
    return SearchOutcome(
        team_of=team_of,
        objective=st.objective(),
        violations=st.viol,
        completed=completed and not stopper.stopped,
    )


# Work plans. Costs are estimates measured on a 2-core machine; they only size the work.
TABU_MAX_N = 120
_TABU_ITER_S = 2.5e-4  # + per evaluated pair
_TABU_PAIR_S = 1.5e-7
_ROUND_S = 5e-4  # + per candidate + per person
_CAND_S = 6e-7
_CAND_WORD_S = 3e-7
_PERSON_S = 4e-8


def repair_plan(n: int, budget_s: float) -> int:
    """Iterations of the feasibility repair (it usually stops far earlier)."""
    per_iter = _ROUND_S + _CAND_S * min(40_000, 64 * n)
    return int(min(100_000, max(500, 0.3 * budget_s / per_iter)))


def small_plan(n: int, budget_s: float) -> tuple[int, int, int, int, int]:
    """Annealing rounds/candidates, tabu iterations and fairness rounds/candidates."""
    rounds = min(1_000, max(50, int(0.3 * budget_s / (_ROUND_S + _CAND_S * 1_000))))
    per_iter = _TABU_ITER_S + _TABU_PAIR_S * n * (n - 1) / 2
    iters = int(min(3_000 + 60 * n, max(200, 0.6 * budget_s / per_iter)))
    return rounds, 1_000, iters, 30, max(64, 4 * n)


def batch_plan(n: int, budget_s: float, skill_words: int = 1) -> tuple[int, int]:
    """Rounds and candidates per round of the batched search.

    A candidate costs more when there are many distinct skills (``skill_words`` 64-bit words
    per skill set). Beyond about 10,000 candidate swaps per person the search has converged
    on every instance family we measured, so the plan stops there even with time left.
    """
    per_round = int(min(30_000, max(2_000, n // 2)))
    cand_s = _CAND_S + _CAND_WORD_S * max(0, skill_words - 1)
    per_round_s = _ROUND_S + cand_s * per_round + _PERSON_S * n
    rounds = int(0.9 * budget_s / per_round_s)
    cap = 10_000 * n // per_round
    return int(min(max(rounds, 20), cap, 40_000)), per_round
