"""Small-cell suppression for every count shown to people (k-anonymity of aggregates).

A cell under k is hidden. Because totals are shown, one hidden cell could be recovered by
subtraction, so when exactly one cell of a breakdown is hidden the next smallest one is hidden
too (complementary suppression). Two-way tables (`suppress_table`) are protected in both
directions, and running counts shown over time move only by k or more (`released_months`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

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


def suppress_table(
    table: Mapping[str, Mapping[str, int]],
    k: int,
    *,
    column_totals: bool = False,
    hide_zeros: bool = False,
) -> tuple[dict[str, dict[str, int | None]], dict[str, int | None]]:
    """A two-way table (rows x columns) with its row totals shown: every cell under k hidden,
    then complementary suppression until no hidden cell can be given back by subtraction.

    A row is safe when it hides no cell or at least two (its total is shown, so one hidden cell
    would be the total minus the others). Each unsafe row hides its smallest shown cell (zeros
    last: a hidden zero protects as well, but a non-zero one is preferred); a row total under k
    is hidden, and then nothing in its row needs protecting.

    Without `column_totals`, each row's suppression depends on that row alone: a table that
    grows by rows over time (a month each) never changes a row already shown, so two views
    taken at different times cannot be combined, one hiding a cell the other shows. When the
    column totals are published too, columns are protected the same way, repeated until
    stable (hiding a cell for a row may make a column unsafe, and back); such a table must not
    be shown growing, since a new row may then move an earlier row's complementary cell.

    With `hide_zeros`, a zero is hidden like a small count: where a column is as small as a
    department, "nobody from it" tells as much as "one person from it", and a hidden cell must
    not say that someone is behind it.
    """
    k = max(k, MIN_K)
    rows = list(table)
    columns = sorted({column for row in table.values() for column in row})
    raw = {(r, c): int(table[r].get(c, 0)) for r in rows for c in columns}
    lowest = 0 if hide_zeros else 1
    hidden = {cell for cell, value in raw.items() if lowest <= value < k}
    totals: dict[str, int | None] = {r: suppress_total(sum(table[r].values()), k) for r in rows}

    def protect(line: list[tuple[str, str]]) -> bool:
        if sum(cell in hidden for cell in line) != 1:
            return False
        shown = sorted(
            ((raw[cell] == 0, raw[cell], cell) for cell in line if cell not in hidden),
            key=lambda item: (item[0], item[1], item[2]),
        )
        if not shown:
            return False
        hidden.add(shown[0][2])
        return True

    changed = True
    while changed:
        changed = False
        for r in rows:
            if totals[r] is not None and protect([(r, c) for c in columns]):
                changed = True
        for c in columns if column_totals else []:
            if len(rows) > 1 and protect([(r, c) for r in rows]):
                changed = True
    cells = {r: {c: (None if (r, c) in hidden else raw[(r, c)]) for c in columns} for r in rows}
    return cells, totals


def complementary(
    raw: Mapping[str, int], shown: Mapping[str, int | None], k: int, *, hide_zeros: bool = False
) -> list[str]:
    """The keys of `shown` hidden only so that a small cell cannot be worked out by subtraction
    (complementary suppression), as opposed to those hidden for being small themselves: the
    reader is told which is which, since "fewer than k" is true of the second kind only. An
    exact count stays out of reach either way (the reader learns which cell is the small one,
    an interval the label "fewer than k" gives anyway)."""
    k = max(k, MIN_K)
    lowest = 0 if hide_zeros else 1
    return sorted(
        key for key, value in shown.items() if value is None and not lowest <= raw.get(key, 0) < k
    )


def released_months(batches: Sequence[Sequence[int]], k: int) -> int:
    """How many of the batches (one per ended month, oldest first) running counts may include.

    Each batch holds the month's contribution to several counts shown together (say teams with
    and without a final submission). A batch joins the shown figures only once what has
    accumulated since the last move is, in every count, either 0 or at least k. Someone who
    reads the figures before and after any event sees no change, or changes of at least k:
    never one person's contribution alone (the differencing attack over time).
    """
    k = max(k, MIN_K)
    included = 0
    pending: list[int] = []
    for index, batch in enumerate(batches):
        pending = [a + b for a, b in zip(pending or [0] * len(batch), batch, strict=True)]
        if any(pending) and all(value == 0 or value >= k for value in pending):
            included, pending = index + 1, []
    return included


def released_total(batches: Sequence[int], k: int) -> int:
    """One running count over the months `released_months` lets in: 0 or at least k."""
    return sum(batches[: released_months([(count,) for count in batches], k)])
