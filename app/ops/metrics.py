"""Prometheus metrics: requests per route template and status class, latencies, memory.

Labels are a method, a route template (`/teams/{team_id}/messages`, never a raw path) and a
status class: nothing names a person, a resource or an address. The anonymous review routes
are neither counted nor timed per request: a counter scraped every few seconds next to the
issuance counter would date each review as surely as a log line. Reviews are counted by the
mix, per batch written (app/reviews/mix.py). Figures are per worker process.
"""

from __future__ import annotations

import os
import threading
from collections import defaultdict
from pathlib import Path

# Neither counted nor timed (see above). Route templates as the access log reports them.
ANONYMOUS_ROUTES = frozenset({"/reviews", "/reviews/comment-check", "/reviews/receipts"})
BUCKETS_S = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)


class Metrics:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._requests: dict[tuple[str, str, str], int] = defaultdict(int)
        self._buckets: dict[tuple[str, str], list[int]] = {}
        self._sums: dict[tuple[str, str], float] = defaultdict(float)

    def record(self, method: str, route: str, status: int, seconds: float) -> None:
        if route in ANONYMOUS_ROUTES:
            return
        with self._lock:
            self._requests[(method, route, f"{status // 100}xx")] += 1
            key = (method, route)
            counts = self._buckets.setdefault(key, [0] * (len(BUCKETS_S) + 1))
            for index, bound in enumerate(BUCKETS_S):
                if seconds <= bound:
                    counts[index] += 1
            counts[-1] += 1  # +Inf
            self._sums[key] += seconds

    def render(self, more: list[str] | None = None) -> str:
        """The exposition text; `more`: lines of other components (the response cache)."""
        lines = [
            "# HELP http_requests_total Requests by method, route template and status class.",
            "# TYPE http_requests_total counter",
        ]
        with self._lock:
            for (method, route, klass), count in sorted(self._requests.items()):
                labels = f'method="{method}",route="{_escape(route)}",status="{klass}"'
                lines.append(f"http_requests_total{{{labels}}} {count}")
            lines += [
                "# HELP http_request_duration_seconds Time to answer, by route template.",
                "# TYPE http_request_duration_seconds histogram",
            ]
            for (method, route), counts in sorted(self._buckets.items()):
                labels = f'method="{method}",route="{_escape(route)}"'
                for bound, count in zip((*map(str, BUCKETS_S), "+Inf"), counts, strict=True):
                    lines.append(
                        f'http_request_duration_seconds_bucket{{{labels},le="{bound}"}} {count}'
                    )
                total = self._sums[(method, route)]
                lines.append(f"http_request_duration_seconds_sum{{{labels}}} {total:.6f}")
                lines.append(f"http_request_duration_seconds_count{{{labels}}} {counts[-1]}")
        lines += [
            "# HELP process_resident_memory_bytes Resident memory of this worker.",
            "# TYPE process_resident_memory_bytes gauge",
            f"process_resident_memory_bytes {_resident_bytes()}",
            *(more or []),
        ]
        return "\n".join(lines) + "\n"


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


def _resident_bytes() -> int:
    statm = Path("/proc/self/statm")
    if statm.is_file():
        return int(statm.read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    import resource

    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) * 1024  # peak, in KiB
