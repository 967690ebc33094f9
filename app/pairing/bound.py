"""A proven upper bound on the best objective over ALL allowed pairs.

Write ``OPT`` for the maximum of ``Σ value`` over b-matchings of every allowed pair (each
mentee in at most one pair, each mentor in at most ``capacity``). The bound is the least of:

1. **The candidates were everything.** When no top list was cut, the candidate edges are all
   the allowed pairs and the flow's optimum *is* ``OPT`` (bipartite b-matching is totally
   unimodular, so the min-cost flow is exact).
2. **Mentee side.** At most ``F = min(#mentees, Σ capacities)`` pairs, each mentee in at most
   one, worth at most that mentee's best allowed value (the scan's exact maximum over all
   mentors): ``OPT ≤`` the sum of the ``F`` largest mentee bests.
3. **Mentor side.** Likewise with each mentor's best repeated ``capacity`` times.
4. **The hub relaxation** (when lists were cut). The scan keeps every mentee's best mentors of
   each mentor cohort and every mentor's best mentees of each mentee cohort. An allowed pair
   ``(i, j)`` outside the candidates is in neither list, so its value is at most ``A`` (the
   least value kept in ``j``'s list for ``i``'s cohort) and at most ``B`` (the least kept in
   ``i``'s list for ``j``'s cohort), hence at most ``(A + B) / 2``. Add to the candidate
   network one hub node per key (direction, qualifying skill, wanted level, mentee cohort,
   mentor cohort, language): an arc ``mentor → hub`` worth ``B / 2`` (capacity = the mentor's)
   from every cut mentor list to the hubs of the pairs it could be in, and an arc
   ``hub → mentee`` worth ``A / 2`` to every cut mentee list likewise. Take an optimal matching
   over all allowed pairs: keep its candidate pairs on their arcs and send each other pair
   along ``i → hub → j``, through the hub of its lowest qualifying skill, a shared language and
   the two cohorts: both lists were cut, so both arcs exist; capacities hold (a mentor's pairs,
   whichever way they go, all pass its source arc; a mentee still receives at most one unit);
   and each re-routed pair is worth at least its value. So this network's optimum, solved
   exactly by the same min-cost flow, is ``≥ OPT``. The keys keep the relaxation close to the
   real structure (one hub for everything lets any cut mentor take any cut mentee).

Terms 2 and 3 need a complete scan; when the time limit cut the scan short,
``scanless_bound`` replaces each best value by per-term maxima read off the applicant alone.
Costs are doubled in the flow so that half values stay integral; ``OPT`` is an integer, so
rounding the relaxation down keeps the bound valid.
"""

from __future__ import annotations

import numpy as np

from app.pairing.flow import Hub
from app.pairing.scan import BASE_VALUE, Compiled, Scan, Side, popcount

__all__ = ["hub_network", "lists_cut", "scanless_bound", "simple_bound"]


def scanless_bound(c: Compiled) -> int:
    """Terms 2 and 3 with each applicant's best value replaced by a per-term maximum that
    needs no scan (for a scan the time limit cut short): at most ``#wants`` (plus, in mutual
    mode, the skills taught at level 2 or more) qualifying skills, the largest cohort distance
    the cohort list allows, a different department when the department is known, and
    ``min(3, #slots)`` shared slots."""
    w = c.instance.weights
    last = len(c.instance.cohorts) - 1

    def ceiling(side: Side, wanting: bool) -> np.ndarray:
        skills = (side.want_level > 0).sum(axis=1) if wanting else np.zeros(side.size, int)
        if c.mutual or not wanting:
            skills = skills + (side.teach_level >= 2).sum(axis=1)
        if c.mutual:
            gap = np.maximum(side.cohort, last - side.cohort)
        else:
            gap = (last - side.cohort) if wanting else side.cohort
        slots = sum(popcount(word).astype(np.int64) for word in side.slots)
        value = (
            BASE_VALUE
            + w.skill * skills
            + w.gap * gap
            + w.department * (side.department >= 0)
            + w.availability * np.minimum(slots, 3)
        )
        return np.where(skills > 0, value, 0).astype(np.int64)

    mentees = ceiling(c.mentees, wanting=True)
    mentors = ceiling(c.mentors, wanting=c.mutual)
    return _sides(mentees, mentors, c.mentors.capacity)


def _sides(mentee_best: np.ndarray, mentor_best: np.ndarray, capacity: np.ndarray) -> int:
    supply = int(min(len(mentee_best), int(capacity.sum())))
    mentee_side = int(np.sort(mentee_best)[::-1][:supply].sum())
    mentor_side = int(np.sort(np.repeat(mentor_best, capacity))[::-1][:supply].sum())
    return min(mentee_side, mentor_side)


def simple_bound(scan: Scan, capacity: np.ndarray) -> int:
    """Terms 2 and 3 of the module docstring (the scan must be complete)."""
    return _sides(scan.mentee_best, scan.mentor_best, capacity)


def _hub_arcs(
    c: Compiled, cut_mentor_lists: np.ndarray, cut_mentee_lists: np.ndarray
) -> tuple[list[int], list[int], list[int], list[int]]:
    """Arcs ``mentor list → hub`` and ``hub → mentee list`` as parallel lists (list row, hub
    index): one hub per necessary condition of an allowed pair (direction, qualifying skill,
    wanted level, mentee cohort, mentor cohort, shared language). A list row is
    ``applicant * cohorts + cohort of the other side``. Languages in sorted order: a set's
    order follows the process's string hashing, and the hubs' numbering and the arcs' order
    would make the flow's answer among equal optima differ from one run of the command to
    the next."""
    inst = c.instance
    n_c = len(inst.cohorts)
    hubs: dict[tuple[object, ...], int] = {}
    rank = {cohort: k for k, cohort in enumerate(inst.cohorts)}
    m_row: list[int] = []
    m_hub: list[int] = []
    for row in cut_mentor_lists.tolist():
        i, mentee_cohort = divmod(row, n_c)
        p = inst.mentors[i]
        keys = [
            (1, skill, wanted)
            for skill, level in p.teaches.items()
            for wanted in range(1, min(level, 4))
        ]
        if c.mutual:
            keys += [(2, skill, wanted) for skill, wanted in p.wants.items()]
        for d, skill, wanted in keys:
            for lang in sorted(p.languages):
                key = (d, skill, wanted, mentee_cohort, rank[p.cohort], lang)
                m_row.append(row)
                m_hub.append(hubs.setdefault(key, len(hubs)))
    e_row: list[int] = []
    e_hub: list[int] = []
    for row in cut_mentee_lists.tolist():
        j, mentor_cohort = divmod(row, n_c)
        p = inst.mentees[j]
        keys = [(1, skill, wanted) for skill, wanted in p.wants.items()]
        if c.mutual:
            keys += [
                (2, skill, wanted)
                for skill, level in p.teaches.items()
                for wanted in range(1, min(level, 4))
            ]
        for d, skill, wanted in keys:
            for lang in sorted(p.languages):
                h = hubs.get((d, skill, wanted, rank[p.cohort], mentor_cohort, lang))
                if h is not None:  # no cut mentor list on that hub: the arc could carry nothing
                    e_row.append(row)
                    e_hub.append(h)
    return m_row, m_hub, e_row, e_hub


def lists_cut(scan: Scan) -> bool:
    """Whether some list was cut on both sides: else every allowed pair is a candidate (an
    allowed pair left out is in neither list), and the candidates' optimum is ``OPT``."""
    return bool((scan.mentee_kept_min > 0).any() and (scan.mentor_kept_min > 0).any())


def hub_network(c: Compiled, scan: Scan) -> Hub:
    """The hub arcs of term 4 of the module docstring, for a scan whose lists were cut
    (``lists_cut``). The bound is the optimum of ``solve`` over the candidate edges with
    these arcs."""
    n_c = scan.mentee_kept_min.shape[1]
    cut_mentee_lists = np.flatnonzero(scan.mentee_kept_min.ravel() > 0)
    cut_mentor_lists = np.flatnonzero(scan.mentor_kept_min.ravel() > 0)
    m_row, m_hub, e_row, e_hub = _hub_arcs(c, cut_mentor_lists, cut_mentee_lists)
    mentor_rows = np.asarray(m_row, dtype=np.int64)
    mentee_rows = np.asarray(e_row, dtype=np.int64)
    return Hub(
        mentors=mentor_rows // n_c,
        mentor_hubs=np.asarray(m_hub, dtype=np.int64),
        mentor_values=scan.mentor_kept_min.ravel()[mentor_rows],
        mentees=mentee_rows // n_c,
        mentee_hubs=np.asarray(e_hub, dtype=np.int64),
        mentee_values=scan.mentee_kept_min.ravel()[mentee_rows],
    )
