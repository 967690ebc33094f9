"""The b-matching as a min-cost flow (OR-Tools ``SimpleMinCostFlow``).

Nodes: source, sink, one per mentor, one per mentee, and the bound's hubs.
``source → mentor`` (capacity = the mentor's capacity, cost 0), ``mentor → mentee`` (capacity
1, cost ``−2·value``), ``mentee → sink`` (capacity 1, cost 0) and ``source → sink`` (cost 0),
which lets flow skip so that value is maximised rather than a full matching forced. The
source supplies ``min(#mentees, Σ capacities)``. Costs are doubled so that the bound's hub
arcs, which carry half values, stay integral. The constraint matrix of a bipartite
b-matching is totally unimodular, so the integral optimum the solver returns is the optimum
over the edges given.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from ortools.graph.python.min_cost_flow import SimpleMinCostFlow

__all__ = ["FlowResult", "Hub", "PendingFlow", "solve"]


@dataclass(frozen=True)
class Hub:
    """Arcs ``mentor → hub`` and ``hub → mentee`` with the given (doubled-unit) values; hubs
    are numbered from 0."""

    mentors: np.ndarray
    mentor_hubs: np.ndarray
    mentor_values: np.ndarray
    mentees: np.ndarray
    mentee_hubs: np.ndarray
    mentee_values: np.ndarray


@dataclass(frozen=True)
class FlowResult:
    chosen: np.ndarray  # bool per edge given: the pair is in the matching
    value_twice: int  # twice the optimum (hub paths included)


def solve(
    capacity: np.ndarray,
    n_mentees: int,
    mentee: np.ndarray,
    mentor: np.ndarray,
    value: np.ndarray,
    *,
    hub: Hub | None = None,
    order: np.ndarray | None = None,
) -> FlowResult:
    """Maximise ``Σ value`` over a b-matching of the given edges (plus hub paths, if any).

    ``order`` permutes the order the edges are given to the solver (it breaks ties between
    equal optima; the optimum's value does not depend on it).
    """
    n_mentors = len(capacity)
    supply = int(min(n_mentees, int(capacity.sum())))
    if supply == 0 or (len(value) == 0 and hub is None):
        return FlowResult(np.zeros(len(value), dtype=bool), 0)
    source, sink = 0, 1
    first_mentee = 2 + n_mentors
    first_hub = first_mentee + n_mentees
    perm = np.arange(len(value)) if order is None else order
    tails = [2 + mentor[perm], np.full(n_mentors, source), first_mentee + np.arange(n_mentees)]
    heads = [first_mentee + mentee[perm], 2 + np.arange(n_mentors), np.full(n_mentees, sink)]
    caps = [np.ones(len(value)), capacity, np.ones(n_mentees)]
    costs = [-2 * value[perm], np.zeros(n_mentors), np.zeros(n_mentees)]
    tails.append(np.array([source]))
    heads.append(np.array([sink]))
    caps.append(np.array([supply]))
    costs.append(np.array([0]))
    if hub is not None:
        tails += [2 + hub.mentors, first_hub + hub.mentee_hubs]
        heads += [first_hub + hub.mentor_hubs, first_mentee + hub.mentees]
        caps += [capacity[hub.mentors], np.ones(len(hub.mentees))]
        costs += [-hub.mentor_values, -hub.mentee_values]
    flow = SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        np.concatenate(tails).astype(np.int32),
        np.concatenate(heads).astype(np.int32),
        np.concatenate(caps).astype(np.int64),
        np.concatenate(costs).astype(np.int64),
    )
    flow.set_node_supply(source, supply)
    flow.set_node_supply(sink, -supply)
    status = flow.solve()
    if status != flow.OPTIMAL:  # the network always has a feasible flow (the skip arc)
        raise RuntimeError(f"min-cost flow failed with status {status}")
    used = np.asarray(flow.flows(np.arange(len(value), dtype=np.int32))) > 0
    chosen = np.zeros(len(value), dtype=bool)
    chosen[perm] = used
    return FlowResult(chosen, -int(flow.optimal_cost()))


class PendingFlow:
    """Flows solved in a forked child process, so that they can be given up on: the solver
    holds the GIL, so a thread running it can be neither interrupted nor even timed out (a
    ``join(timeout)`` waits for it), and it would keep a core busy after the answer. ``work``
    runs in the child and hands each result to ``emit`` as soon as it has it (the parent takes
    them in order with ``result``), so a first result is not lost to a second one that misses
    the deadline. Fork it before starting any thread (a fork copies no other thread, only the
    locks they hold). Where fork does not exist, ``work`` runs inline when the first result
    is asked for."""

    def __init__(self, work: Callable[[Callable[[FlowResult], None]], None]) -> None:
        import multiprocessing  # only the command path comes here

        self._work = work
        self._inline: deque[FlowResult] | None = None
        self._child: Any = None
        if "fork" not in multiprocessing.get_all_start_methods():
            return
        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)

        def child() -> None:
            try:
                work(send.send)
            except Exception as exc:  # handed to the parent, which raises it
                send.send(exc)

        self._child = context.Process(target=child, daemon=True)
        self._child.start()
        send.close()

    def result(self, timeout: float) -> FlowResult | None:
        """The next result, or None when it is not there within ``timeout`` seconds (the
        child is then stopped, and every later call answers None)."""
        if self._child is None:
            if self._inline is None:
                self._inline = deque()
                self._work(self._inline.append)
            return self._inline.popleft() if self._inline else None
        if self._receive.closed:
            return None
        try:
            got = self._receive.recv() if self._receive.poll(max(0.0, timeout)) else None
        except EOFError:  # the child died without an answer (killed, out of memory)
            got = None
        if got is None or isinstance(got, Exception):
            self.close()
        if isinstance(got, Exception):
            raise got
        return got if isinstance(got, FlowResult) else None

    def close(self) -> None:
        """Stop the child (it may still be solving) and free the pipe."""
        if self._child is None or self._receive.closed:
            return
        self._child.kill()
        self._child.join()
        self._receive.close()
