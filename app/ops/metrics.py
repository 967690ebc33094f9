"""Prometheus metrics: requests per route template and status class, latencies, memory.

Labels are a method, a route template (`/teams/{team_id}/messages`, never a raw path) and a
status class: nothing names a person, a resource or an address. The anonymous review routes
are neither counted nor timed per request: a counter scraped every few seconds next to the
issuance counter would date each review as surely as a log line. Reviews are counted by the
mix, per batch written (app/redemption/mix.py). Figures are per worker process.

The exposition is prometheus_client's, from a registry of each app's own (never the process's
default one: the tests build many apps in one process). The response cache and the mix keep
plain counters; the collectors here turn them into metric families at scrape time.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from prometheus_client import (
    CONTENT_TYPE_PLAIN_0_0_4,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric

if TYPE_CHECKING:
    from app.cache import ResponseCache
    from app.redemption.mix import MixCounters

# Neither counted nor timed (see above). Route templates as the access log reports them.
ANONYMOUS_ROUTES = frozenset(
    {
        "/reviews",
        "/reviews/comment-check",
        "/reviews/receipts",
        "/ratings",
        "/ratings/comment-check",
        "/ratings/receipts",
    }
)
BUCKETS_S = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
# The text format that `generate_latest` writes.
CONTENT_TYPE = CONTENT_TYPE_PLAIN_0_0_4

# No `*_created` series next to each counter and histogram (a switch of the whole process).
disable_created_metrics()  # type: ignore[no-untyped-call]  # unannotated, takes nothing


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self._requests = Counter(
            "http_requests_total",
            "Requests by method, route template and status class.",
            ("method", "route", "status"),
            registry=self.registry,
        )
        self._seconds = Histogram(
            "http_request_duration_seconds",
            "Time to answer, by route template.",
            ("method", "route"),
            buckets=BUCKETS_S,
            registry=self.registry,
        )
        memory = Gauge(
            "process_resident_memory_bytes",
            "Resident memory of this worker.",
            registry=self.registry,
        )
        memory.set_function(_resident_bytes)

    def record(self, method: str, route: str, status: int, seconds: float) -> None:
        if route in ANONYMOUS_ROUTES:
            return
        self._requests.labels(method, route, f"{status // 100}xx").inc()
        self._seconds.labels(method, route).observe(seconds)

    def count_cache(self, cache: ResponseCache) -> None:
        self.registry.register(_CacheCollector(cache))

    def count_mix(self, counters: Callable[[], MixCounters]) -> None:
        """`counters`: those of the running mix (one per lifespan), read at each scrape."""
        self.registry.register(_MixCollector(counters))

    def render(self) -> bytes:
        """The exposition text, in `CONTENT_TYPE`."""
        return generate_latest(self.registry)


class _CacheCollector:
    """A low hit share means answers change faster than they are read."""

    def __init__(self, cache: ResponseCache) -> None:
        self._cache = cache

    def collect(self) -> Iterator[Metric]:
        requests = CounterMetricFamily(
            "response_cache_requests_total",
            "Cacheable reads, answered from memory or not.",
            labels=("result",),
        )
        requests.add_metric(("hit",), self._cache.hits)
        requests.add_metric(("miss",), self._cache.misses)
        yield requests
        yield GaugeMetricFamily(
            "response_cache_bytes",
            "Memory held by cached answers (estimate).",
            value=self._cache.size_bytes,
        )
        yield GaugeMetricFamily("response_cache_entries", "Cached answers.", value=len(self._cache))


class _MixCollector:
    """Counted per batch written, never per review (see the module's docstring)."""

    def __init__(self, counters: Callable[[], MixCounters]) -> None:
        self._counters = counters

    def collect(self) -> Iterator[Metric]:
        counters = self._counters()
        yield CounterMetricFamily(
            "review_batches_total",
            "Batches of anonymous reviews written by this worker.",
            value=counters.batches,
        )
        yield CounterMetricFamily(
            "reviews_committed_total",
            "Anonymous reviews written by this worker's batches.",
            value=counters.reviews,
        )


def _resident_bytes() -> int:
    statm = Path("/proc/self/statm")
    if statm.is_file():
        return int(statm.read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    import resource

    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) * 1024  # peak, in KiB
