"""A provably valid upper bound on the objective.

The bound holds for every partition of the people into teams of the given sizes (with or
without ``separate`` pairs inside a team, so it also bounds what an infeasible instance's best
compromise reaches). It is the sum of independent bounds on the objective's terms
(a sum of per-term maxima bounds the maximum of the sum):

1. **Cohorts** (``generations`` and ``cross_generation_pairs`` together). For a team of size
   ``s`` with ``k_c`` members of cohort ``c`` the two terms equal
   ``X·C(s,2) + Σ_c g(k_c)`` with ``g(k) = G·[k>0] − X·C(k,2)``, which is concave in ``k``
   (increments ``G, −X, −2X, …``). Group the teams into size classes (at most two sizes:
   ``m`` teams of size ``s``). If ``u`` members of cohort ``c`` go to a class, their best
   contribution is reached by spreading them evenly over the ``m`` teams (concavity), giving a
   concave function ``h_{c,class}(u)``. Keeping only the class-level constraints
   (``Σ_class u_{c,class} = n_c`` and ``Σ_c u_{c,class} = m·s``) and dropping the per-team size
   constraint is a relaxation; its optimum is found exactly by the greedy algorithm for
   separable concave resource allocation. This captures both "a team has at most
   ``min(s, #cohorts)`` cohorts" and "cohort ``c`` reaches at most ``min(T, n_c)`` teams", and
   the best possible cohort distribution for the cross-generation pairs.
2. **Seniority bands** — the same relaxation with ``G = seniority_bands``, ``X = 0`` (unknown
   bands are worth nothing).
3. **Skill coverage.** For skill ``k`` with ``W_k`` wanters, of whom ``B_k`` also teach ``k``,
   and ``p_k ≥ 1`` teachers: wants are covered only in teams holding a teacher; there are at
   most ``min(p_k, T)`` such teams, holding at most ``cap_k`` people (the largest sizes) of whom
   ``p_k`` are teachers. So covered ``≤ B_k + min(W_k − B_k, cap_k − p_k)``; 0 if ``p_k = 0``.
4. **Same-department pairs** (subtracted, so a *lower* bound on them is used). ``C(k,2)`` is
   convex, so department ``d`` with ``n_d`` people causes at least the pairs of the even split
   over ``T`` teams: with ``n_d = qT + r``, ``r·C(q+1,2) + (T−r)·C(q,2)`` (pigeonhole).
5. **Together pairs.** A person can share a team with at most ``s_max − 1`` partners, so
   satisfied pairs ``≤ min(E, ⌊Σ_i min(deg_i, s_max − 1) / 2⌋)``.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Callable, Sequence

from app.optimiser.model import FormationInstance

__all__ = ["categorical_bound", "upper_bound"]


def _even_value(u: int, m: int, g: Callable[[int], float]) -> float:
    """Σ_t g(k_t) when ``u`` units are spread as evenly as possible over ``m`` teams."""
    q, r = divmod(u, m)
    return r * g(q + 1) + (m - r) * g(q)


def categorical_bound(
    counts: Sequence[int], values: Sequence[float], pair_penalty: float, sizes: Sequence[int]
) -> float:
    """Upper bound on ``Σ_t Σ_c (values[c]·[k_tc>0] − pair_penalty·C(k_tc, 2))``.

    ``counts[c]`` people of category ``c`` are split over teams with the given sizes
    (``sum(counts) == sum(sizes)``). See term 1 of the module docstring.
    """
    classes = sorted(Counter(sizes).items(), reverse=True)  # [(size, m), ...]
    if not classes or not counts:
        return 0.0

    def g_for(value: float) -> Callable[[int], float]:
        def g(k: int) -> float:
            return (value if k > 0 else 0.0) - pair_penalty * (k * (k - 1) // 2)

        return g

    gs = [g_for(v) for v in values]
    if len(classes) == 1:
        _s, m = classes[0]
        return sum(_even_value(n, m, g) for n, g in zip(counts, gs, strict=True))
    if len(classes) > 2:  # never produced by the team-size rule; fall back to a looser merge
        total = 0.0
        for n, g in zip(counts, gs, strict=True):
            total += _even_value(n, sum(m for _s, m in classes), g)
        return total
    (s1, m1), (s2, m2) = classes
    cap1, cap2 = s1 * m1, s2 * m2
    lo = [max(0, n - cap2) for n in counts]
    hi = [min(n, cap1) for n in counts]

    def phi(c: int, u: int) -> float:
        return _even_value(u, m1, gs[c]) + _even_value(counts[c] - u, m2, gs[c])

    u = list(lo)
    remaining = cap1 - sum(lo)
    heap: list[tuple[float, int]] = []
    for c in range(len(counts)):
        if u[c] < hi[c]:
            heapq.heappush(heap, (-(phi(c, u[c] + 1) - phi(c, u[c])), c))
    while remaining > 0 and heap:
        _gain, c = heapq.heappop(heap)
        u[c] += 1
        remaining -= 1
        if u[c] < hi[c]:
            heapq.heappush(heap, (-(phi(c, u[c] + 1) - phi(c, u[c])), c))
    return sum(phi(c, u[c]) for c in range(len(counts)))


def _skill_bound(instance: FormationInstance, sizes: Sequence[int]) -> int:
    teachers: dict[str, int] = {}
    wanters: dict[str, int] = {}
    self_taught: dict[str, int] = {}
    for p in instance.people:
        for k in p.teaches:
            teachers[k] = teachers.get(k, 0) + 1
        for k in p.wants:
            wanters[k] = wanters.get(k, 0) + 1
            if k in p.teaches:
                self_taught[k] = self_taught.get(k, 0) + 1
    largest = sorted(sizes, reverse=True)
    prefix = [0]
    for s in largest:
        prefix.append(prefix[-1] + s)
    total = 0
    for k, w in wanters.items():
        p_k = teachers.get(k, 0)
        if p_k == 0:
            continue
        b = self_taught.get(k, 0)
        cap = prefix[min(p_k, len(largest))]
        total += b + min(w - b, cap - p_k)
    return total


def _department_lower_bound(instance: FormationInstance, n_teams: int) -> int:
    depts = Counter(p.department for p in instance.people if p.department is not None)
    total = 0
    for n in depts.values():
        q, r = divmod(n, n_teams)
        total += r * (q + 1) * q // 2 + (n_teams - r) * q * (q - 1) // 2
    return total


def _together_bound(instance: FormationInstance, s_max: int) -> int:
    degree: Counter[str] = Counter()
    for a, b in instance.together:
        degree[a] += 1
        degree[b] += 1
    capped = sum(min(d, s_max - 1) for d in degree.values())
    return min(len(instance.together), capped // 2)


def upper_bound(instance: FormationInstance, sizes: Sequence[int] | None = None) -> float:
    """Valid upper bound for partitions with the given team sizes (default: the engine's)."""
    if sizes is None:
        sizes = instance.team_sizes()
    sizes = [s for s in sizes if s > 0]
    if not sizes:
        return 0.0
    w = instance.weights
    people = instance.people
    cohort_counts = Counter(p.cohort for p in people)
    bound = w.cross_generation_pairs * sum(s * (s - 1) // 2 for s in sizes)
    bound += categorical_bound(
        list(cohort_counts.values()),
        [w.generations] * len(cohort_counts),
        w.cross_generation_pairs,
        sizes,
    )
    if w.seniority_bands > 0:
        band_counts = Counter(p.seniority for p in people)
        keys = list(band_counts)
        bound += categorical_bound(
            [band_counts[k] for k in keys],
            [0.0 if k is None else w.seniority_bands for k in keys],
            0.0,
            sizes,
        )
    if w.skill_coverage > 0:
        bound += w.skill_coverage * _skill_bound(instance, sizes)
    if w.same_department_pairs > 0:
        bound -= w.same_department_pairs * _department_lower_bound(instance, len(sizes))
    if w.together > 0:
        bound += w.together * _together_bound(instance, max(sizes))
    return bound
