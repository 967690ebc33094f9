"""Two-way tables and running counts: what suppression must never let anyone work out."""

from __future__ import annotations

import itertools

from app.kit.disclosure import (
    complementary,
    released_months,
    released_total,
    suppress_small_cells,
    suppress_table,
)

K = 5


def _recoverable(
    cells: dict[str, dict[str, int | None]],
    totals: dict[str, int | None],
    *,
    column_totals: bool = True,
) -> list[tuple[str, str]]:
    """Hidden cells an attacker gets back by subtracting shown cells from a shown total (the
    row totals, and the column totals where they are published)."""
    found = []
    rows = list(cells)
    columns = list(next(iter(cells.values()))) if cells else []
    for r in rows:
        hidden = [c for c in columns if cells[r][c] is None]
        if totals[r] is not None and len(hidden) == 1:
            found.append((r, hidden[0]))
    for c in columns if column_totals else []:
        hidden = [r for r in rows if cells[r][c] is None]
        if len(rows) > 1 and len(hidden) == 1:
            found.append((hidden[0], c))
    return found


def test_small_cells_are_hidden_and_none_can_be_recovered_from_totals() -> None:
    table = {
        "2026-01": {"boomers": 2, "gen_x": 9, "millennials": 14, "gen_z": 7},
        "2026-02": {"boomers": 6, "gen_x": 8, "millennials": 11, "gen_z": 12},
        "2026-03": {"boomers": 0, "gen_x": 5, "millennials": 3, "gen_z": 20},
    }
    cells, totals = suppress_table(table, K, column_totals=True)
    assert cells["2026-01"]["boomers"] is None
    assert cells["2026-03"]["millennials"] is None
    assert cells["2026-03"]["boomers"] == 0
    assert totals == {"2026-01": 32, "2026-02": 37, "2026-03": 28}
    assert _recoverable(cells, totals) == []
    for r, row in cells.items():
        for c, value in row.items():
            assert value is None or value == 0 or value >= K
            assert value is None or value == table[r][c]


def test_no_table_of_small_values_leaves_a_recoverable_cell() -> None:
    values = [0, 1, 3, 5, 8]
    for a, b, c, d in itertools.product(values, repeat=4):
        table = {"m1": {"x": a, "y": b, "z": 9}, "m2": {"x": c, "y": d, "z": 6}}
        cells, totals = suppress_table(table, K, column_totals=True)
        assert _recoverable(cells, totals) == [], table
        cells, totals = suppress_table(table, K)
        assert _recoverable(cells, totals, column_totals=False) == [], table


def test_a_row_once_shown_never_changes_as_months_are_added() -> None:
    """Two views at different times must not disagree on which cells of a month are hidden:
    one showing the cell the other used to protect a small one gives the small one back."""
    months = {
        "2026-01": {"boomers": 2, "gen_x": 9, "millennials": 14, "gen_z": 7},
        "2026-02": {"boomers": 6, "gen_x": 3, "millennials": 5, "gen_z": 12},
        "2026-03": {"boomers": 1, "gen_x": 5, "millennials": 30, "gen_z": 6},
    }
    first, _ = suppress_table(dict(list(months.items())[:1]), K)
    second, _ = suppress_table(dict(list(months.items())[:2]), K)
    third, _ = suppress_table(months, K)
    assert first["2026-01"] == second["2026-01"] == third["2026-01"]
    assert second["2026-02"] == third["2026-02"]


def test_a_row_total_under_k_is_hidden() -> None:
    cells, totals = suppress_table({"2026-01": {"gen_x": 2, "gen_z": 1}}, K)
    assert totals == {"2026-01": None}
    assert cells == {"2026-01": {"gen_x": None, "gen_z": None}}


def test_running_counts_move_by_zero_or_at_least_k() -> None:
    months = [3, 1, 0, 2, 7, 1, 1, 1, 1, 1]
    shown = [released_total(months[: i + 1], K) for i in range(len(months))]
    assert shown == [0, 0, 0, 6, 13, 13, 13, 13, 13, 18]
    for before, after in itertools.pairwise(shown):
        assert after == before or after - before >= K


def test_counts_shown_together_move_together_by_zero_or_at_least_k() -> None:
    # (with a final submission, without): a month adding 6 and 1 waits for more of the second.
    batches = [(6, 1), (0, 2), (0, 3), (5, 0)]
    assert released_months(batches, K) == 4
    assert released_months(batches[:3], K) == 3
    assert released_months(batches[:2], K) == 0


def test_with_hidden_zeros_a_hidden_cell_does_not_say_someone_is_behind_it() -> None:
    """Departments can be a handful of people. Shown zeros would make every hidden cell mean
    "one to four took part": for a one-person department, that person took part."""
    table = {"2026-01": {"legal": 1, "sales": 9, "finance": 0, "research": 0}}

    plain, _ = suppress_table(table, K)
    assert plain["2026-01"]["legal"] is None
    assert plain["2026-01"]["finance"] == 0

    cells, totals = suppress_table(table, K, hide_zeros=True)
    assert totals == {"2026-01": 10}
    assert cells["2026-01"] == {"legal": None, "sales": 9, "finance": None, "research": None}
    assert _recoverable(cells, totals, column_totals=False) == []


def test_with_hidden_zeros_a_lone_small_cell_still_gets_a_complement() -> None:
    cells, totals = suppress_table({"m": {"a": 2, "b": 6, "c": 7}}, K, hide_zeros=True)
    assert cells["m"] == {"a": None, "b": None, "c": 7}
    assert _recoverable(cells, totals, column_totals=False) == []


def test_a_cell_hidden_as_a_complement_is_told_apart_from_a_small_one() -> None:
    counts = {"met": 2, "not_met": 10}
    shown = suppress_small_cells(counts, 5)
    assert shown == {"met": None, "not_met": None}
    assert complementary(counts, shown, 5) == ["not_met"]  # "fewer than 5" is false of it
    cells, _ = suppress_table({"m": {"a": 2, "b": 7, "c": 9}}, 5)
    assert cells["m"] == {"a": None, "b": None, "c": 9}
    assert complementary({"a": 2, "b": 7, "c": 9}, cells["m"], 5) == ["b"]
    # A zero hidden as small where zeros are hidden like small counts.
    cells, _ = suppress_table({"m": {"a": 0, "b": 1, "c": 9}}, 5, hide_zeros=True)
    assert complementary({"a": 0, "b": 1, "c": 9}, cells["m"], 5, hide_zeros=True) == []
