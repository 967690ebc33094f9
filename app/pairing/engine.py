"""``match_pairs``: candidate edges, the min-cost flow, a repair pass, the bound, the reasons."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from app.pairing.bound import hub_bound, scanless_bound, simple_bound
from app.pairing.flow import solve
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
KEEP = (12, 12)
# The bound's flow is not waited for past this margin before the deadline (the simpler
# proven bound is given instead).
_BOUND_MARGIN_S = 0.1
# Share of the time limit the scan may use (it samples, then stops, to stay within it).
_SCAN_SHARE = 0.55


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
) -> PairingResult:
    """Pair mentors and mentees, maximising ``Σ (1000 + score)`` over the pairs.

    ``exhaustive`` forces (True) or forbids (False) putting every allowed pair into the flow;
    by default that happens up to ``EXHAUSTIVE_PAIRS`` mentor × mentee combinations. The
    deadline (``time.perf_counter()`` value; default: start + time limit) is kept by a scan
    that samples, then stops, when its share of the time runs short (the answer is then built
    from the pairs examined, with the scan-free bound and the reason ``time_limit``) and by not
    waiting for the bound's flow; the matching's flow itself is not interruptible. ``seed``
    only breaks ties between equal values. Never a disallowed pair; ``upper_bound`` is proven
    (see ``bound``).
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
    # The bound's flow runs beside the matching's (OR-Tools releases the GIL); a daemon
    # thread, so that a bound that misses the deadline is dropped, not waited for.
    relaxed: list[int] = []
    bounding = None
    if found.complete and not found.exhaustive:
        bounding = threading.Thread(
            target=lambda: relaxed.append(hub_bound(c, found, order)), daemon=True
        )
        bounding.start()
    flow = solve(capacity, c.mentees.size, found.mentee, found.mentor, found.value, order=order)
    mentee = found.mentee[flow.chosen]
    mentor = found.mentor[flow.chosen]
    value = found.value[flow.chosen]
    progress(0.8, float(value.sum()))
    flowed = len(value)
    if not found.complete:
        bound, bound_kind = scanless_bound(c), "scanless"
    else:
        mentee, mentor, value = _repair(c, found, mentee, mentor, value)
        bound, bound_kind = simple_bound(found, capacity), "simple"
        if found.exhaustive:
            bound, bound_kind = min(bound, flow.value_twice // 2), "exact"
        elif bounding is not None:
            bounding.join(timeout=max(0.0, hard - _BOUND_MARGIN_S - time.perf_counter()))
            if relaxed:
                bound, bound_kind = min(bound, relaxed[0]), "hub"
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
    # mentee and a mentor with room would have raised the flow's optimum.
    waiting = np.flatnonzero(~paired & (found.mentee_kept_min > 0).any(axis=1))
    room = np.flatnonzero((spare > 0) & (found.mentor_kept_min > 0).any(axis=1))
    if not len(waiting) or not len(room):
        return mentee, mentor, value
    added: list[tuple[int, int, int]] = []
    step = max(1, (1 << 20) // len(room))
    for begin in range(0, len(waiting), step):
        chunk = waiting[begin : begin + step]
        tile = pair_values(c, chunk, room)
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
