"""``match_pairs``: candidate edges, the min-cost flow, a repair pass, the bound, the reasons."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from app.pairing.bound import hub_network, lists_cut, scanless_bound, simple_bound
from app.pairing.flow import FlowResult, PendingFlow, solve
from app.pairing.model import PairingInputError, PairingInstance
from app.pairing.scan import BASE_VALUE, Compiled, Scan, compile_instance, pair_values, scan

__all__ = [
    "CAPACITY_TAKEN",
    "EXHAUSTIVE_PAIRS",
    "KEEP",
    "NO_ALLOWED_PARTNER",
    "OUTSCORED",
    "TIME_LIMIT",
    "PairingResult",
    "match_pairs",
]

# Unmatched reasons (stable machine codes, documented in docs/mentoring.md).
NO_ALLOWED_PARTNER = "no_allowed_partner"  # nobody on the other side may pair with them
CAPACITY_TAKEN = "capacity_taken"  # a mentee: every mentor they may pair with is full
OUTSCORED = "outscored"  # a mentor: every mentee they may pair with is paired elsewhere
TIME_LIMIT = "time_limit"  # the time limit ran out before all possible pairs were examined

# Up to this many mentor × mentee combinations every allowed pair goes into the flow, so
# the answer is the exact optimum (any split of 2,000 applicants is at most 1,000 × 1,000).
EXHAUSTIVE_PAIRS = 1_000_000
# Above it, every mentee's best KEEP[0] mentors of each mentor cohort and every mentor's best
# KEEP[1] mentees of each mentee cohort (exact top lists over all allowed pairs). Per cohort,
# because the best partners are often all of one cohort, while the pairs that let everyone be
# matched cross cohorts.
KEEP = (8, 8)
# The command's flows are not waited for past this margin (plus the tail) before the deadline
# (a greedy matching and the simpler proven bound are given instead).
_BOUND_MARGIN_S = 0.1
# Share of the time limit the scan may use (it samples, then stops, to stay within it).
_SCAN_SHARE = 0.55
# The greedy pass behind a scan cut short (``_greedy_fill``): mentors sampled per chunk of
# waiting mentees, the chunk's size, and at most this many rounds.
_GREEDY_SAMPLE = 64
_GREEDY_CHUNK = 4096
_GREEDY_ROUNDS = 20
# Share of the time limit kept after the flow for the repair or greedy pass and the answer.
_TAIL_SHARE = 0.05


@dataclass
class PairingResult:
    pairs: list[tuple[str, str, int]]  # (mentor id, mentee id, score)
    unmatched: list[tuple[str, str]]  # (id, reason)
    objective: int
    upper_bound: int
    stats: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "pairs": [{"mentor": m, "mentee": e, "score": s} for m, e, s in self.pairs],
            "unmatched": [{"id": i, "reason": r} for i, r in self.unmatched],
            "objective": self.objective,
            "upper_bound": self.upper_bound,
            "optimal": self.objective == self.upper_bound,
            "stats": self.stats,
        }


def match_pairs(
    instance: PairingInstance,
    *,
    time_limit_s: float | None = None,
    seed: int | None = None,
    on_progress: Callable[[float, float], None] | None = None,
    deadline: float | None = None,
    exhaustive: bool | None = None,
    flow_in_child: bool = False,
) -> PairingResult:
    """Pair mentors and mentees, maximising ``Σ (1000 + score)`` over the pairs.

    ``exhaustive`` forces (True) or forbids (False) putting every allowed pair into the flow;
    by default that happens up to ``EXHAUSTIVE_PAIRS`` mentor × mentee combinations. The
    deadline (``time.perf_counter()`` value; default: start + time limit) is kept by a scan
    that samples, then stops, when its share of the time runs short (the answer is then built
    from the pairs examined, with the scan-free bound and the reason ``time_limit``); the flows
    are not interruptible (but see below). ``seed`` only breaks ties between equal values.
    Never a disallowed pair; ``upper_bound`` is proven (see ``bound``). ``flow_in_child`` (the
    command) solves the flows in a forked process given up on near the deadline for a greedy
    matching of the candidates (and the simple bound); in-process callers (the job) wait for
    the flows.
    """
    start = time.perf_counter()
    limit = instance.time_limit_s if time_limit_s is None else float(time_limit_s)
    if not limit > 0:
        raise PairingInputError("time_limit_s must be positive")
    seed_value = instance.seed if seed is None else int(seed)
    if seed_value < 0:
        raise PairingInputError("seed must not be negative")
    hard = start + limit if deadline is None else deadline

    def progress(fraction: float, objective: float) -> None:
        if on_progress is not None:
            on_progress(fraction, objective)

    c = compile_instance(instance)
    capacity = c.mentors.capacity
    everything = (
        exhaustive
        if exhaustive is not None
        else c.mentors.size * c.mentees.size <= EXHAUSTIVE_PAIRS
    )
    # The scan keeps to its share of the time, leaving the rest to the flow (which cannot be
    # interrupted) and the answer.
    found = scan(
        c,
        None if everything else KEEP,
        lambda f: progress(0.7 * f, 0.0),
        seed=seed_value,
        deadline=start + _SCAN_SHARE * (hard - start),
    )
    order = np.random.default_rng(seed_value).permutation(len(found.value))
    tail = _TAIL_SHARE * (hard - start) + _BOUND_MARGIN_S
    # The parent's greedy matching of the candidates: the answer if no flow arrives in time
    # (the command), and the guess of which flow to solve first (``_plan``). When the plan
    # does not need it, it is made while the flow's child solves rather than before it.
    greedy: list[np.ndarray] = []

    def fallback() -> np.ndarray:
        if not greedy:
            greedy.append(_greedy_edges(c, found))
        return greedy[0]

    plan = _plan(c, found, fallback)

    def work(emit: Callable[[FlowResult], None]) -> None:
        _flows(plan, c, found, order, emit)

    # Anytime (``flow_in_child``, the command): the flows run in a forked child given up on
    # near the deadline (the solver holds the GIL and cannot be interrupted, and under load one
    # flow can take the whole limit: docs/benchmarks.md); each result it hands over is kept,
    # and the greedy matching stands in for a matching that did not arrive.
    results: list[FlowResult] = []
    if flow_in_child:
        pending = PendingFlow(work)
        fallback()
        while _more(plan, results):
            got = pending.result(timeout=hard - tail - time.perf_counter())
            if got is None:
                break
            results.append(got)
        pending.close()
    else:
        work(results.append)
    matching, relaxed = _read(plan, results)
    if matching is not None:
        chosen = matching
    elif relaxed is not None:  # the bound's network arrived, the matching's flow did not
        chosen = _greedy_edges(c, found, relaxed.chosen)
    else:
        chosen = fallback()
    mentee = found.mentee[chosen]
    mentor = found.mentor[chosen]
    value = found.value[chosen]
    progress(0.8, float(value.sum()))
    flowed = len(value)
    if not found.complete:
        mentee, mentor, value = _greedy_fill(c, mentee, mentor, value, seed_value, hard - tail)
        bound, bound_kind = scanless_bound(c), "scanless"
    else:
        mentee, mentor, value = _repair(c, found, mentee, mentor, value)
        bound, bound_kind = simple_bound(found, capacity), "simple"
        if not plan.cut and matching is not None:
            # every allowed pair was a candidate: the candidates' optimum is the optimum
            kind = "exact" if found.exhaustive else "hub"
            bound, bound_kind = min(bound, results[0].value_twice // 2), kind
        elif relaxed is not None and relaxed.value_twice // 2 < bound:
            bound, bound_kind = relaxed.value_twice // 2, "hub"
    objective = int(value.sum())
    progress(1.0, float(objective))
    return PairingResult(
        pairs=_pairs(instance, mentor, mentee, value),
        unmatched=_unmatched(instance, found, mentee, mentor),
        objective=objective,
        upper_bound=bound,
        stats={
            "allowed_pairs": found.allowed,
            "candidate_edges": len(found.value),
            "examined_pairs": found.examined,
            "all_allowed_pairs_in_flow": found.exhaustive,
            "scan_complete": found.complete,
            "repaired_pairs": len(value) - flowed,
            "flows": len(results),
            "flow_in_time": bool(results) and not _more(plan, results),
            "hub_first": plan.hub_first,
            "bound": bound_kind,
            "seconds": round(time.perf_counter() - start, 3),
        },
    )


def _repair(
    c: Compiled, found: Scan, mentee: np.ndarray, mentor: np.ndarray, value: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pair each unpaired mentee with its best allowed mentor that still has room, over ALL
    allowed pairs (the flow saw only candidates). Afterwards no unpaired mentee has an allowed
    mentor with room, which is what the reasons ``capacity_taken`` and ``outscored`` state."""
    spare = c.mentors.capacity - np.bincount(mentor, minlength=c.mentors.size)
    paired = np.zeros(c.mentees.size, dtype=bool)
    paired[mentee] = True
    # Only pairs left out of both sides' lists can help: a candidate pair of an unpaired
    # mentee and a mentor with room would have raised the flow's optimum. The lists are per
    # cohort of the other side, so a pair (j, i) can help only when j's list for i's cohort
    # AND i's list for j's cohort were both cut: the repair then scores only those, not every
    # waiting mentee against every mentor with room.
    added: list[tuple[int, int, int]] = []
    mentee_cut = found.mentee_kept_min > 0  # (mentees, mentor cohorts)
    mentor_cut = found.mentor_kept_min > 0  # (mentors, mentee cohorts)
    for cohort in range(mentee_cut.shape[1]):
        waiting = np.flatnonzero(~paired & (c.mentees.cohort == cohort) & mentee_cut.any(axis=1))
        if not len(waiting):
            continue
        # the mentor cohorts some waiting mentee's list was cut for
        wanted = np.asarray(mentee_cut[waiting].any(axis=0), dtype=bool)
        room = np.flatnonzero((spare > 0) & mentor_cut[:, cohort] & wanted[c.mentors.cohort])
        if not len(room):
            continue
        step = max(1, (1 << 20) // len(room))
        for begin in range(0, len(waiting), step):
            chunk = waiting[begin : begin + step]
            tile = pair_values(c, chunk, room)
            tile *= mentee_cut[chunk][:, c.mentors.cohort[room]]
            for r, j in enumerate(chunk.tolist()):
                row = np.where(spare[room] > 0, tile[r], 0)
                k = int(np.argmax(row))
                if row[k] > 0:
                    added.append((j, int(room[k]), int(row[k])))
                    spare[room[k]] -= 1
    if not added:
        return mentee, mentor, value
    extra = np.asarray(added, dtype=np.int64)
    return (
        np.concatenate([mentee, extra[:, 0]]),
        np.concatenate([mentor, extra[:, 1]]),
        np.concatenate([value, extra[:, 2]]),
    )


def _accept(to: np.ndarray, worth: np.ndarray, spare: np.ndarray) -> np.ndarray:
    """Mentees ask the mentors ``to`` (one ask each) for pairs worth ``worth``: each mentor
    takes its best askers up to its room ``spare`` (updated). Returns the asks taken."""
    order = np.lexsort((-worth, to))
    ranked = to[order]
    first = np.flatnonzero(np.concatenate(([True], ranked[1:] != ranked[:-1])))
    counts = np.diff(np.append(first, len(ranked)))
    take = np.zeros(len(to), dtype=bool)
    take[order] = np.arange(len(ranked)) - np.repeat(first, counts) < spare[ranked]
    spare -= np.bincount(to[take], minlength=len(spare))
    return take


# The target: a matching within this share of a proven bound is kept, and a further
# flow (for a tighter bound or a better matching) is solved only when one falls short of it.
_ENOUGH = 0.995
# The bound's network is solved first when the greedy matching stays below this share of the
# simple bound (``_plan``).
_HUB_FIRST_BELOW = 0.83


@dataclass(frozen=True)
class _Plan:
    """Which flows ``_flows`` solves, in which order. ``cut``: lists were cut, so the bound's
    network (``bound.hub_network``) is wanted for a tight bound; else the candidates hold every
    allowed pair, and one flow gives the optimum and the bound. ``simple``: the simple bound
    (terms 2 and 3 in ``bound``)."""

    cut: bool
    hub_first: bool
    simple: int


def _plan(c: Compiled, found: Scan, greedy: Callable[[], np.ndarray]) -> _Plan:
    """Two orders are possible when lists were cut (``_flows``): the bound's network first (a
    tight proven bound, and most of a matching that a small flow completes) or the candidates'
    optimum first (the best matching over the candidates, proven by the simple bound when
    that is within ``_ENOUGH``, else followed by the bound's network). The first costs a bit
    more than one large flow, the second one or two. The simple bound is loose where many
    mentees compete for few mentors, and nearly reached where most can be paired; the greedy
    matching (``greedy()``, made only when lists were cut) tells them apart (docs/mentoring.md,
    "Which flows")."""
    if not found.complete:
        return _Plan(False, False, 0)
    simple = simple_bound(found, c.mentors.capacity)
    # the hub arcs themselves are built only when that flow is solved (``_flows``): in mutual
    # mode the candidates' optimum usually proves enough on its own
    cut = not found.exhaustive and lists_cut(found)
    if not cut:
        return _Plan(False, False, simple)
    reached = int(found.value[greedy()].sum())
    return _Plan(True, reached < _HUB_FIRST_BELOW * simple, simple)


def _more(plan: _Plan, results: list[FlowResult]) -> bool:
    """Whether ``_flows`` hands over another result after ``results``."""
    if not plan.cut:
        return not results
    if plan.hub_first:  # the bound's network, the fill, maybe the candidates' optimum
        if len(results) < 2:
            return True
        return len(results) == 2 and results[1].value_twice < _ENOUGH * results[0].value_twice
    if not results:  # the candidates' optimum, maybe the bound's network
        return True
    return len(results) == 1 and results[0].value_twice < _ENOUGH * 2 * plan.simple


def _read(plan: _Plan, results: list[FlowResult]) -> tuple[np.ndarray | None, FlowResult | None]:
    """``(matching, relaxed)`` from the results handed over so far: the best matching (a mask
    over the candidates) and the bound's network's result, each None if not there."""
    if not plan.cut or not plan.hub_first:
        matching = results[0].chosen if results else None
        relaxed = results[1] if len(results) > 1 else None
        return matching, relaxed
    # each result after the bound's improves on the one before
    return (results[-1].chosen if len(results) > 1 else None), (results[0] if results else None)


def _flows(
    plan: _Plan,
    c: Compiled,
    found: Scan,
    order: np.ndarray,
    emit: Callable[[FlowResult], None],
) -> None:
    """The flows of ``plan``, each result handed to ``emit`` as soon as it is there.

    The candidates' optimum (over every allowed pair when the scan kept them all) comes from
    one flow. The bound's network (``bound.hub_network``: the candidates plus the hub arcs)
    gives the proven bound, and its candidate pairs are most of a good matching (each hub path
    stands for a pair outside the candidates, and frees its mentor and mentee): a second,
    smaller flow over the candidates between the mentees left unpaired and the mentors with
    room left completes it. That flow cannot move the first's pairs, so when the combined
    matching is not within ``_ENOUGH`` of the bound, the candidates' optimum follows. Each
    matching is maximal over the candidates (an unpaired mentee and a mentor with room joined
    by a candidate would have raised the flow's optimum), which ``_repair`` relies on. The
    hub arcs are built here, when that flow is solved (in the command's child)."""
    capacity = c.mentors.capacity
    n_mentees = c.mentees.size

    def candidates() -> FlowResult:
        return solve(capacity, n_mentees, found.mentee, found.mentor, found.value, order=order)

    def relaxation() -> FlowResult:
        return solve(
            capacity,
            n_mentees,
            found.mentee,
            found.mentor,
            found.value,
            hub=hub_network(c, found),
            order=order,
        )

    results: list[FlowResult] = []

    def hand(result: FlowResult) -> None:
        results.append(result)
        emit(result)

    if not plan.hub_first:
        hand(candidates())
        if _more(plan, results):
            hand(relaxation())
        return
    first = relaxation()
    hand(first)
    spare = capacity - np.bincount(found.mentor[first.chosen], minlength=len(capacity))
    paired = np.zeros(n_mentees, dtype=bool)
    paired[found.mentee[first.chosen]] = True
    rest = np.flatnonzero(~paired[found.mentee] & (spare[found.mentor] > 0))
    # the same tie-breaking order as the first flow, restricted to the rest
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    fill = solve(
        spare,
        n_mentees,
        found.mentee[rest],
        found.mentor[rest],
        found.value[rest],
        order=np.argsort(rank[rest]),
    )
    chosen = first.chosen.copy()
    chosen[rest[fill.chosen]] = True
    hand(FlowResult(chosen, 2 * int(found.value[chosen].sum())))
    if _more(plan, results):
        hand(candidates())


def _greedy_edges(c: Compiled, found: Scan, start: np.ndarray | None = None) -> np.ndarray:
    """A greedy matching of the candidate edges (a mask over them) that extends ``start`` (a
    mask of pairs already taken): in rounds, every unpaired mentee asks its best candidate
    mentor with room (``_accept``), until no ask is left. It is maximal over the candidates,
    which is what ``_repair`` needs."""
    chosen = np.zeros(len(found.value), dtype=bool) if start is None else start.copy()
    spare = c.mentors.capacity - np.bincount(found.mentor[chosen], minlength=c.mentors.size)
    paired = np.zeros(c.mentees.size, dtype=bool)
    paired[found.mentee[chosen]] = True
    by_mentee = _by_mentee_best_first(found.mentee, found.value)
    while True:
        live = by_mentee[~paired[found.mentee[by_mentee]] & (spare[found.mentor[by_mentee]] > 0)]
        if not len(live):
            return chosen
        # a paired mentee stays paired and a full mentor full: the next round need only look
        # at the edges still live
        by_mentee = live
        who = found.mentee[live]
        ask = live[np.flatnonzero(np.concatenate(([True], who[1:] != who[:-1])))]
        take = _accept(found.mentor[ask], found.value[ask], spare)
        chosen[ask[take]] = True
        paired[found.mentee[ask[take]]] = True


def _by_mentee_best_first(mentee: np.ndarray, value: np.ndarray) -> np.ndarray:
    """``np.lexsort((-value, mentee))``: the edges by mentee, best value first, ties in the
    edges' order. Mentee, value and index packed into one int64 key and sorted once, which
    is several times faster than ``lexsort``'s stable passes (the greedy matching is on the
    command's critical path, between the scan and the flow)."""
    n = len(mentee)
    if not n:
        return np.zeros(0, dtype=np.int64)
    low, high = int(value.min()), int(value.max())
    index_bits = max(1, (n - 1).bit_length())
    value_bits = max(1, (high - low).bit_length())
    if int(mentee.max()).bit_length() + value_bits + index_bits > 63:
        order: np.ndarray = np.lexsort((-value, mentee))
        return order
    key = mentee.astype(np.int64) << (value_bits + index_bits)
    key |= (high - value.astype(np.int64)) << index_bits
    key |= np.arange(n)
    key.sort()
    key &= (1 << index_bits) - 1
    return key


def _greedy_fill(
    c: Compiled,
    mentee: np.ndarray,
    mentor: np.ndarray,
    value: np.ndarray,
    seed: int,
    deadline: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The anytime answer behind a scan the time limit cut short: its candidates cover part of
    the pairs only (none at all when start-up and compiling used the time up, which at 50,000
    applicants under load once gave 0 pairs). Each mentee the flow left unpaired is offered
    its best allowed mentor with room among a random sample of ``_GREEDY_SAMPLE`` (of the
    cohorts it may pair with), in rounds while time remains. The first round always runs: a
    matching with pairs beats an empty one by far, and it costs about 0.1 CPU-s at 50,000.
    ``pair_values`` decides what is allowed, so the rules hold as in the flow's pairs."""
    rng = np.random.default_rng(seed + 2)
    spare = c.mentors.capacity - np.bincount(mentor, minlength=c.mentors.size)
    paired = np.zeros(c.mentees.size, dtype=bool)
    paired[mentee] = True
    added: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    idle = 0
    for round_ in range(_GREEDY_ROUNDS):
        if round_ and time.perf_counter() > deadline:
            break
        before = int(paired.sum())
        for cohort in rng.permutation(len(c.instance.cohorts)).tolist():
            waiting = np.flatnonzero(~paired & (c.mentees.cohort == cohort))
            # in reverse mode the mentor is the younger: a later cohort in the list
            fits = c.mentors.cohort > cohort if not c.mutual else True
            for begin in range(0, len(waiting), _GREEDY_CHUNK):
                room = np.flatnonzero((spare > 0) & fits)
                if not len(room):
                    break
                chunk = np.sort(waiting[begin : begin + _GREEDY_CHUNK])
                size = min(len(room), _GREEDY_SAMPLE)
                sample = np.sort(rng.choice(room, size, replace=False))
                tile = pair_values(c, chunk, sample)
                while True:
                    # each waiting mentee asks its best sampled mentor with room; each mentor
                    # takes its best askers up to its room; the others ask again
                    tile *= (spare[sample] > 0)[None, :]
                    tile *= ~paired[chunk][:, None]
                    best = tile.argmax(axis=1)
                    got = tile[np.arange(len(chunk)), best]
                    rows = np.flatnonzero(got > 0)
                    if not len(rows):
                        break
                    who, to = chunk[rows], sample[best[rows]]
                    worth = got[rows].astype(np.int64)
                    take = _accept(to, worth, spare)
                    paired[who[take]] = True
                    added.append((who[take], to[take], worth[take]))
        # two rounds in a row that pair nobody: the samples have stopped finding room
        idle = idle + 1 if int(paired.sum()) == before else 0
        if idle == 2:
            break
    if not added:
        return mentee, mentor, value
    return (
        np.concatenate([mentee, *(a[0] for a in added)]),
        np.concatenate([mentor, *(a[1] for a in added)]),
        np.concatenate([value, *(a[2] for a in added)]),
    )


def _pairs(
    instance: PairingInstance, mentor: np.ndarray, mentee: np.ndarray, value: np.ndarray
) -> list[tuple[str, str, int]]:
    order = np.lexsort((mentee, mentor))
    return [
        (instance.mentors[i].id, instance.mentees[j].id, v - BASE_VALUE)
        for i, j, v in zip(
            mentor[order].tolist(), mentee[order].tolist(), value[order].tolist(), strict=True
        )
    ]


def _unmatched(
    instance: PairingInstance, found: Scan, mentee: np.ndarray, mentor: np.ndarray
) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    if not found.complete:
        taken = set(mentee.tolist())
        busy_mentors = set(mentor.tolist())
        return [
            *((p.id, TIME_LIMIT) for j, p in enumerate(instance.mentees) if j not in taken),
            *((p.id, TIME_LIMIT) for i, p in enumerate(instance.mentors) if i not in busy_mentors),
        ]
    paired = np.zeros(len(instance.mentees), dtype=bool)
    paired[mentee] = True
    for j in np.flatnonzero(~paired).tolist():
        reason = CAPACITY_TAKEN if found.mentee_partners[j] else NO_ALLOWED_PARTNER
        out.append((instance.mentees[j].id, reason))
    busy = np.zeros(len(instance.mentors), dtype=bool)
    busy[mentor] = True
    for i in np.flatnonzero(~busy).tolist():
        reason = OUTSCORED if found.mentor_partners[i] else NO_ALLOWED_PARTNER
        out.append((instance.mentors[i].id, reason))
    return out
