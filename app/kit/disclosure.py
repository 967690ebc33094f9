"""Small-cell suppression for every count shown to people (k-anonymity of aggregates).

A cell under k is hidden. Because totals are shown, one hidden cell could be recovered by
subtraction, so when exactly one cell of a breakdown is hidden the next smallest one is hidden
too (complementary suppression).
"""

from __future__ import annotations

from collections.abc import Mapping

MIN_K = 3


def suppress_small_cells(counts: Mapping[str, int], k: int) -> dict[str, int | None]:
    k = max(k, MIN_K)
    shown: dict[str, int | None] = {
        key: (value if value == 0 or value >= k else None) for key, value in counts.items()
    }
    hidden = [key for key, value in shown.items() if value is None]
    if len(hidden) == 1:
        candidates = sorted(
            (value, key) for key, value in counts.items() if key not in hidden and value > 0
        )
        if candidates:
            shown[candidates[0][1]] = None
    return shown


def suppress_total(total: int, k: int) -> int | None:
    return total if total == 0 or total >= max(k, MIN_K) else None
