"""Numeric form of an instance and the incremental swap evaluator used by the search.

``Compiled`` holds integer-coded attributes; ``State`` holds an assignment with per-team count
matrices (team × cohort, team × band, team × skill want/teach counts) and evaluates the change
of every team's score for a whole batch of candidate swaps at once (numpy, no Python loop per
candidate). Department pairs are counted from the member matrix (team × slot), so no
team × department array is ever allocated; ``separate``/``together`` use CSR adjacency.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from app.optimiser.model import FormationInstance

__all__ = ["Compiled", "Deltas", "State", "compile_instance"]

IntArr = npt.NDArray[np.int64]
I32 = npt.NDArray[np.int32]
FArr = npt.NDArray[np.float64]
BArr = npt.NDArray[np.bool_]
UArr = npt.NDArray[np.uint64]


def _csr(n: int, u: IntArr, v: IntArr, kind: IntArr) -> tuple[IntArr, IntArr, IntArr]:
    """Symmetric adjacency in CSR form (``ptr`` of length n+1, ``idx``, edge ``kind``)."""
    src = np.concatenate([u, v])
    dst = np.concatenate([v, u])
    kinds = np.concatenate([kind, kind])
    order = np.argsort(src, kind="stable")
    ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(src, minlength=n), out=ptr[1:])
    return ptr, dst[order].astype(np.int64), kinds[order].astype(np.int64)


def _padded(lists: list[list[int]], pad: int) -> IntArr:
    width = max(1, max((len(x) for x in lists), default=0))
    out = np.full((len(lists), width), pad, dtype=np.int64)
    for i, x in enumerate(lists):
        if x:
            out[i, : len(x)] = x
    return out


def _masks(lists: list[list[int]], words: int) -> UArr:
    out = np.zeros((len(lists), words), dtype=np.uint64)
    rows = np.repeat(np.arange(len(lists)), [len(x) for x in lists])
    flat = np.fromiter((k for x in lists for k in x), dtype=np.int64, count=len(rows))
    if len(flat):
        np.bitwise_or.at(
            out,
            (rows, flat >> 6),
            np.left_shift(np.uint64(1), (flat & 63).astype(np.uint64)),
        )
    return out


_BYTE_POPCOUNT = np.array([bin(b).count("1") for b in range(256)], dtype=np.int64)


def _popcount_rows(x: UArr) -> IntArr:
    """Number of set bits in each row of a 2-D uint64 array.

    ``numpy.bitwise_count`` exists from numpy 2.0 on; the project supports numpy 1.26 too, where
    a byte lookup table does the same.
    """
    count = getattr(np, "bitwise_count", None)
    if count is not None:
        return np.asarray(count(x).sum(1, dtype=np.int64), dtype=np.int64)
    as_bytes = np.ascontiguousarray(x).view(np.uint8).reshape(x.shape[0], -1)
    return np.asarray(_BYTE_POPCOUNT[as_bytes].sum(1), dtype=np.int64)


PAIR_MODE_MAX_N = 1_500  # up to this many people, pairwise terms use dense N × N matrices


def _pair_matrices(cp: Compiled) -> tuple[FArr, I32 | None]:
    """W[x, u]: pairwise part of the objective (cross-generation, department, together);
    V[x, u]: 1 for separate pairs (None if there are none)."""
    n = cp.n
    w = np.zeros((n, n), dtype=np.float64)
    if cp.w_cross:
        w += cp.w_cross * (cp.cohort[:, None] != cp.cohort[None, :])
    if cp.w_dept:
        dept = cp.dept[:n]
        w -= cp.w_dept * (dept[:, None] == dept[None, :])
    if cp.w_tog and len(cp.tog_u):
        w[cp.tog_u, cp.tog_v] += cp.w_tog
        w[cp.tog_v, cp.tog_u] += cp.w_tog
    np.fill_diagonal(w, 0.0)
    v: I32 | None = None
    if len(cp.sep_u):
        v = np.zeros((n, n), dtype=np.int32)
        v[cp.sep_u, cp.sep_v] = 1
        v[cp.sep_v, cp.sep_u] = 1
    return w, v


def _pack(bits: BArr, words: int) -> UArr:
    """Pack a boolean (m, k) matrix into (m, words) uint64 bitsets (bit c of word w = 64w+c)."""
    m, k = bits.shape
    out = np.zeros((m, words), dtype=np.uint64)
    for w in range(words):
        chunk = bits[:, 64 * w : min(k, 64 * w + 64)]
        if chunk.shape[1]:
            shifts = np.arange(chunk.shape[1], dtype=np.uint64)
            out[:, w] = (chunk.astype(np.uint64) << shifts).sum(1, dtype=np.uint64)
    return out


@dataclass(frozen=True, slots=True)
class Compiled:
    n: int
    n_cohorts: int
    n_bands: int  # real bands; index n_bands means "unknown"
    n_skills: int  # index n_skills is the padding skill
    cohort: IntArr
    band: IntArr
    dept: I32  # length n + 1; unknown departments get unique codes; dept[n] = -1 (padding)
    want_lists: IntArr  # (n, Lw) padded with n_skills
    teach_lists: IntArr  # (n, Lt)
    want_mask: UArr  # (n, words): bit k set if the person wants skill k
    teach_mask: UArr
    want_person: IntArr  # flattened (person, skill) wants
    want_skill: IntArr
    teach_person: IntArr
    teach_skill: IntArr
    teachers_ptr: IntArr  # CSR: people teaching skill k
    teachers_idx: IntArr
    sep_u: IntArr
    sep_v: IntArr
    tog_u: IntArr
    tog_v: IntArr
    adj_ptr: IntArr  # CSR over separate ∪ together pairs (both directions)
    adj_idx: IntArr
    adj_kind: IntArr  # 0 = separate, 1 = together
    w_gen: float
    w_cross: float
    w_skill: float
    w_dept: float
    w_tog: float
    w_band: float
    band_value: FArr  # (n_bands + 1,): w_band for real bands, 0 for unknown


def compile_instance(instance: FormationInstance) -> Compiled:
    people = instance.people
    n = len(people)
    index = instance.index
    cohort_codes: dict[str, int] = {}
    band_codes: dict[str, int] = {}
    dept_codes: dict[str, int] = {}
    skill_codes: dict[str, int] = {}
    cohort = np.empty(n, dtype=np.int64)
    band_raw: list[str | None] = []
    dept_raw: list[str | None] = []
    wants: list[list[int]] = []
    teaches: list[list[int]] = []
    for i, p in enumerate(people):
        cohort[i] = cohort_codes.setdefault(p.cohort, len(cohort_codes))
        band_raw.append(p.seniority)
        if p.seniority is not None:
            band_codes.setdefault(p.seniority, len(band_codes))
        dept_raw.append(p.department)
        if p.department is not None:
            dept_codes.setdefault(p.department, len(dept_codes))
        wants.append([skill_codes.setdefault(k, len(skill_codes)) for k in p.wants])
        teaches.append([skill_codes.setdefault(k, len(skill_codes)) for k in p.teaches])
    n_bands = len(band_codes)
    band = np.array([n_bands if b is None else band_codes[b] for b in band_raw], dtype=np.int64)
    n_depts = len(dept_codes)
    dept = np.empty(n + 1, dtype=np.int32)
    for i, d in enumerate(dept_raw):
        dept[i] = n_depts + i if d is None else dept_codes[d]
    dept[n] = -1
    k = len(skill_codes)
    words = max(1, (k + 63) // 64)
    want_person = np.repeat(np.arange(n, dtype=np.int64), [len(x) for x in wants])
    want_skill = np.fromiter((s for x in wants for s in x), dtype=np.int64, count=len(want_person))
    teach_person = np.repeat(np.arange(n, dtype=np.int64), [len(x) for x in teaches])
    teach_skill = np.fromiter(
        (s for x in teaches for s in x), dtype=np.int64, count=len(teach_person)
    )
    order = np.argsort(teach_skill, kind="stable")
    teachers_ptr = np.zeros(k + 1, dtype=np.int64)
    np.cumsum(np.bincount(teach_skill, minlength=k), out=teachers_ptr[1:])
    teachers_idx = teach_person[order]

    def pairs(raw: tuple[tuple[str, str], ...]) -> tuple[IntArr, IntArr]:
        u = np.fromiter((index[a] for a, _ in raw), dtype=np.int64, count=len(raw))
        v = np.fromiter((index[b] for _, b in raw), dtype=np.int64, count=len(raw))
        return u, v

    sep_u, sep_v = pairs(instance.separate)
    tog_u, tog_v = pairs(instance.together)
    adj_ptr, adj_idx, adj_kind = _csr(
        n,
        np.concatenate([sep_u, tog_u]),
        np.concatenate([sep_v, tog_v]),
        np.concatenate([np.zeros(len(sep_u), np.int64), np.ones(len(tog_u), np.int64)]),
    )
    w = instance.weights
    band_value = np.full(n_bands + 1, w.seniority_bands, dtype=np.float64)
    band_value[n_bands] = 0.0
    return Compiled(
        n=n,
        n_cohorts=len(cohort_codes),
        n_bands=n_bands,
        n_skills=k,
        cohort=cohort,
        band=band,
        dept=dept,
        want_lists=_padded(wants, k),
        teach_lists=_padded(teaches, k),
        want_mask=_masks(wants, words),
        teach_mask=_masks(teaches, words),
        want_person=want_person,
        want_skill=want_skill,
        teach_person=teach_person,
        teach_skill=teach_skill,
        teachers_ptr=teachers_ptr,
        teachers_idx=teachers_idx,
        sep_u=sep_u,
        sep_v=sep_v,
        tog_u=tog_u,
        tog_v=tog_v,
        adj_ptr=adj_ptr,
        adj_idx=adj_idx,
        adj_kind=adj_kind,
        w_gen=w.generations,
        w_cross=w.cross_generation_pairs,
        w_skill=w.skill_coverage,
        w_dept=w.same_department_pairs,
        w_tog=w.together,
        w_band=w.seniority_bands,
        band_value=band_value,
    )


@dataclass(slots=True)
class Deltas:
    """Effect of candidate swaps ``(I[m], J[m])``: team scores ``dA``/``dB``, violations ``dv``."""

    a: IntArr
    b: IntArr
    da: FArr
    db: FArr
    dv: IntArr


def _pair_changes(
    cp: Compiled, team_of: IntArr, i: IntArr, j: IntArr, a: IntArr, b: IntArr
) -> tuple[FArr, FArr, FArr]:
    """Change of violations, and of together pairs in A and in B, for swaps (i in A, j in B).

    Walks the adjacency lists of i and j once. For an edge (p, u): ``x`` is p's team, ``y``
    the other team and ``q`` the swap partner. Separate edges contribute
    ``[u in y] − [u in x] − [u = q]`` to the violation change; together edges of i contribute
    ``−[u in A] − [u = j]`` to A and ``[u in B] − [u = j]`` to B, those of j ``[u in A]`` to A
    and ``−[u in B]`` to B.
    """
    m = len(i)
    p = np.concatenate([i, j])
    ptr = cp.adj_ptr
    start = ptr[p]
    deg = ptr[p + 1] - start
    total = int(deg.sum())
    if total == 0:
        z = np.zeros(m, dtype=np.float64)
        return z, z, z
    rep = np.repeat(np.arange(2 * m), deg)
    offs = np.arange(total) + (start - (np.cumsum(deg) - deg))[rep]
    nb = cp.adj_idx[offs]
    kind = cp.adj_kind[offs]
    cand = rep % m
    tn = team_of[nb]
    fx = (tn == np.concatenate([a, b])[rep]).view(np.int8)
    fy = (tn == np.concatenate([b, a])[rep]).view(np.int8)
    fq = (nb == np.concatenate([j, i])[rep]).view(np.int8)
    sep = kind == 0
    dv = np.asarray(np.bincount(cand, weights=(fy - fx - fq) * sep, minlength=m), np.float64)
    if sep.all():
        z = np.zeros(m, dtype=np.float64)
        return dv, z, z
    tog = ~sep
    first = rep < m
    w_a = np.where(first, -fx - fq, fy) * tog
    w_b = np.where(first, fy - fq, -fx) * tog
    return (
        dv,
        np.asarray(np.bincount(cand, weights=w_a, minlength=m), np.float64),
        np.asarray(np.bincount(cand, weights=w_b, minlength=m), np.float64),
    )


class State:
    """An assignment with incremental bookkeeping. Team sizes never change (swaps only)."""

    def __init__(self, cp: Compiled, team_of: IntArr, n_teams: int) -> None:
        self.cp = cp
        self.n_teams = n_teams
        self.pair_w: FArr | None = None
        self.pair_v: I32 | None = None
        self.pair_s: FArr | None = None
        self.pair_sv: IntArr | None = None
        if cp.n <= PAIR_MODE_MAX_N:
            self.pair_w, self.pair_v = _pair_matrices(cp)
        self.load(team_of)

    # -- (re)building ---------------------------------------------------------------------
    def load(self, team_of: IntArr) -> None:
        cp = self.cp
        n, t_count = cp.n, self.n_teams
        self.team_of = team_of.astype(np.int64).copy()
        sizes = np.bincount(self.team_of, minlength=t_count)
        self.sizes = sizes
        smax = int(sizes.max())
        order = np.argsort(self.team_of, kind="stable")
        starts = np.cumsum(sizes) - sizes
        slot = np.arange(n) - np.repeat(starts, sizes)
        self.mem = np.full((t_count, smax), n, dtype=np.int64)
        self.mem[self.team_of[order], slot] = order
        self.mem_dept = cp.dept[self.mem].astype(np.int32)
        self.pos = np.empty(n, dtype=np.int64)
        self.pos[order] = slot
        self.cc = np.zeros((t_count, cp.n_cohorts), dtype=np.int64)
        np.add.at(self.cc, (self.team_of, cp.cohort), 1)
        self.bc = np.zeros((t_count, cp.n_bands + 1), dtype=np.int64)
        np.add.at(self.bc, (self.team_of, cp.band), 1)
        k1 = cp.n_skills + 1
        self.wc = np.zeros((t_count, k1), dtype=np.int32)
        self.tc = np.zeros((t_count, k1), dtype=np.int32)
        np.add.at(self.wc, (self.team_of[cp.want_person], cp.want_skill), 1)
        np.add.at(self.tc, (self.team_of[cp.teach_person], cp.teach_skill), 1)
        self.words = cp.want_mask.shape[1]
        n_planes = max(1, int(smax).bit_length())
        self.taught1 = np.zeros((t_count, self.words), dtype=np.uint64)
        self.taught2 = np.zeros((t_count, self.words), dtype=np.uint64)
        self.planes = np.zeros((n_planes, t_count, self.words), dtype=np.uint64)
        self.cov = np.zeros(t_count, dtype=np.int64)
        self._refresh_skills(np.arange(t_count))
        self.score, viol_team = self.recompute()
        self.viol = int(viol_team.sum())
        if self.pair_w is not None:
            # S[t, x] = Σ_{u in t} W[u, x] (team-major, so that a swap updates whole rows)
            onehot = np.zeros((t_count, n), dtype=np.float64)
            onehot[self.team_of, np.arange(n)] = 1.0
            self.pair_s = onehot @ self.pair_w
            if self.pair_v is not None:
                self.pair_sv = np.rint(onehot @ self.pair_v.astype(np.float64)).astype(np.int64)

    def recompute(self) -> tuple[FArr, IntArr]:
        """Per-team scores and violation counts from the count matrices (no incremental data)."""
        cp = self.cp
        t_count = self.n_teams
        sizes = self.sizes.astype(np.float64)
        cc = self.cc
        score = cp.w_gen * (cc > 0).sum(1).astype(np.float64)
        same = (cc * (cc - 1) // 2).sum(1)
        score += cp.w_cross * (sizes * (sizes - 1) / 2 - same)
        score += ((self.bc > 0) * cp.band_value[None, :]).sum(1)
        score += cp.w_skill * self._coverage(np.arange(t_count))
        stride = int(cp.dept[: cp.n].max()) + 2
        key = self.team_of * stride + cp.dept[: cp.n]
        uniq, counts = np.unique(key, return_counts=True)
        team_of_key = uniq // stride
        pairs = np.bincount(team_of_key, weights=counts * (counts - 1) / 2, minlength=t_count)
        score -= cp.w_dept * pairs
        tin = self.team_of[cp.tog_u] == self.team_of[cp.tog_v]
        score += cp.w_tog * np.bincount(self.team_of[cp.tog_u][tin], minlength=t_count)
        sin = self.team_of[cp.sep_u] == self.team_of[cp.sep_v]
        viol = np.bincount(self.team_of[cp.sep_u][sin], minlength=t_count).astype(np.int64)
        return score, viol

    def _coverage(self, teams: IntArr) -> IntArr:
        k = self.cp.n_skills
        wc = self.wc[teams, :k]
        tc = self.tc[teams, :k]
        return np.asarray((wc * (tc > 0)).sum(1), dtype=np.int64)

    def objective(self) -> float:
        return float(self.score.sum())

    # -- evaluation -----------------------------------------------------------------------
    def deltas(self, i: IntArr, j: IntArr) -> Deltas:
        """Score changes of swapping person i[m] with j[m] (must be in different teams)."""
        cp = self.cp
        team_of = self.team_of
        a = team_of[i]
        b = team_of[j]
        m = len(i)
        da = np.zeros(m, dtype=np.float64)
        db = np.zeros(m, dtype=np.float64)
        pair_mode = self.pair_w is not None
        # cohorts: distinct count (and cross-generation pairs unless in pair mode)
        ci = cp.cohort[i]
        cj = cp.cohort[j]
        if cp.w_gen or (cp.w_cross and not pair_mode):
            diff = ci != cj
            cc = self.cc
            a_ci = cc[a, ci]
            a_cj = cc[a, cj]
            b_cj = cc[b, cj]
            b_ci = cc[b, ci]
            ga = cp.w_gen * ((a_cj == 0).astype(np.float64) - (a_ci == 1))
            gb = cp.w_gen * ((b_ci == 0).astype(np.float64) - (b_cj == 1))
            if not pair_mode:
                ga += cp.w_cross * (a_ci - 1 - a_cj)
                gb += cp.w_cross * (b_cj - 1 - b_ci)
            da += np.where(diff, ga, 0.0)
            db += np.where(diff, gb, 0.0)
        if cp.w_band:
            bi = cp.band[i]
            bj = cp.band[j]
            bv = cp.band_value
            bc = self.bc
            bdiff = bi != bj
            da += np.where(bdiff, bv[bj] * (bc[a, bj] == 0) - bv[bi] * (bc[a, bi] == 1), 0.0)
            db += np.where(bdiff, bv[bi] * (bc[b, bi] == 0) - bv[bj] * (bc[b, bj] == 1), 0.0)
        if cp.w_skill and len(cp.want_skill):
            self._skill_deltas(i, j, a, b, da, db)
        if self.pair_w is not None and self.pair_s is not None:
            # all pairwise terms at once: Δ_A = S[A,j] − S[A,i] − W[i,j]
            s = self.pair_s
            wij = self.pair_w[i, j]
            da += s[a, j] - s[a, i] - wij
            db += s[b, i] - s[b, j] - wij
            if self.pair_v is not None and self.pair_sv is not None:
                sv = self.pair_sv
                vij = 2 * self.pair_v[i, j].astype(np.int64)
                dv = (sv[a, j] - sv[a, i]) + (sv[b, i] - sv[b, j]) - vij
            else:
                dv = np.zeros(m, dtype=np.int64)
            return Deltas(a=a, b=b, da=da, db=db, dv=dv.astype(np.int64))
        if cp.w_dept:
            di = cp.dept[i]
            dj = cp.dept[j]
            dep_a = self.mem_dept[a]
            dep_b = self.mem_dept[b]
            # same-department pairs gained in A: |A∩dj| − (|A∩di| − 1); symmetric for B
            ga = np.ones(m, dtype=np.int32)
            gb = np.ones(m, dtype=np.int32)
            for c in range(dep_a.shape[1]):
                col = dep_a[:, c]
                ga += col == dj
                ga -= col == di
                col = dep_b[:, c]
                gb += col == di
                gb -= col == dj
            ddiff = di != dj
            da -= cp.w_dept * np.where(ddiff, ga, 0)
            db -= cp.w_dept * np.where(ddiff, gb, 0)
        dv = np.zeros(m, dtype=np.int64)
        if len(cp.adj_idx):
            dvf, ta, tb = _pair_changes(cp, team_of, i, j, a, b)
            dv = np.rint(dvf).astype(np.int64)
            if cp.w_tog:
                da += cp.w_tog * ta
                db += cp.w_tog * tb
        return Deltas(a=a, b=b, da=da, db=db, dv=dv)

    def _skill_deltas(self, i: IntArr, j: IntArr, a: IntArr, b: IntArr, da: FArr, db: FArr) -> None:
        """Coverage change with bitsets: for team A losing i and gaining j, the skills taught
        afterwards are ``T' = taught≥2 | (taught≥1 & ~T_i) | T_j`` and the covered wants are
        ``Σ_b 2^b·|P_b ∩ T'| − |W_i ∩ T'| + |W_j ∩ T'|`` where ``P_b`` is bit-plane ``b`` of the
        team's per-skill want counts."""
        cp = self.cp
        m = len(i)
        team = np.concatenate([a, b])
        t_out = cp.teach_mask[np.concatenate([i, j])]
        t_in = cp.teach_mask[np.concatenate([j, i])]
        w_out = cp.want_mask[np.concatenate([i, j])]
        w_in = cp.want_mask[np.concatenate([j, i])]
        taught = self.taught2[team] | (self.taught1[team] & ~t_out) | t_in
        after = _popcount_rows(w_in & taught) - _popcount_rows(w_out & taught)
        n_planes, _t, words = self.planes.shape
        planes = (self.planes[:, team] & taught[None]).reshape(n_planes * 2 * m, words)
        per_plane = _popcount_rows(planes).reshape(n_planes, 2 * m)
        after += (per_plane << np.arange(n_planes, dtype=np.int64)[:, None]).sum(0)
        change = cp.w_skill * (after - self.cov[team])
        da += change[:m]
        db += change[m:]

    def _refresh_skills(self, teams: IntArr) -> None:
        """Recompute the bitsets and coverage of the given teams from the count matrices."""
        k = self.cp.n_skills
        wc = self.wc[teams, :k]
        tc = self.tc[teams, :k]
        self.taught1[teams] = _pack(tc >= 1, self.words)
        self.taught2[teams] = _pack(tc >= 2, self.words)
        for bit in range(self.planes.shape[0]):
            self.planes[bit][teams] = _pack(((wc >> bit) & 1).astype(bool), self.words)
        self.cov[teams] = (wc * (tc > 0)).sum(1, dtype=np.int64)

    # -- mutation -------------------------------------------------------------------------
    def apply(self, i: IntArr, j: IntArr, d: Deltas) -> None:
        """Apply swaps whose teams are pairwise disjoint (no team twice in ``a ∪ b``)."""
        if len(i) == 0:
            return
        cp = self.cp
        a, b = d.a, d.b
        pi = self.pos[i]
        pj = self.pos[j]
        self.mem[a, pi] = j
        self.mem[b, pj] = i
        self.mem_dept[a, pi] = cp.dept[j]
        self.mem_dept[b, pj] = cp.dept[i]
        self.pos[i] = pj
        self.pos[j] = pi
        self.team_of[i] = b
        self.team_of[j] = a
        ci = cp.cohort[i]
        cj = cp.cohort[j]
        self.cc[a, ci] -= 1
        self.cc[a, cj] += 1
        self.cc[b, cj] -= 1
        self.cc[b, ci] += 1
        bi = cp.band[i]
        bj = cp.band[j]
        self.bc[a, bi] -= 1
        self.bc[a, bj] += 1
        self.bc[b, bj] -= 1
        self.bc[b, bi] += 1
        if len(cp.want_skill):
            for counts, lists in ((self.wc, cp.want_lists), (self.tc, cp.teach_lists)):
                li = lists[i]
                lj = lists[j]
                counts[a[:, None], li] -= 1
                counts[a[:, None], lj] += 1
                counts[b[:, None], lj] -= 1
                counts[b[:, None], li] += 1
            self._refresh_skills(np.concatenate([a, b]))
        if self.pair_w is not None and self.pair_s is not None:
            # W and V are symmetric: row gathers instead of column gathers
            delta_w = self.pair_w[j] - self.pair_w[i]
            self.pair_s[a] += delta_w
            self.pair_s[b] -= delta_w
            if self.pair_v is not None and self.pair_sv is not None:
                delta_v = self.pair_v[j].astype(np.int64) - self.pair_v[i]
                self.pair_sv[a] += delta_v
                self.pair_sv[b] -= delta_v
        self.score[a] += d.da
        self.score[b] += d.db
        self.viol += int(d.dv.sum())
