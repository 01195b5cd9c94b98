"""Small-number suppression: no hidden value can be worked out by subtraction."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from signpost.insights.statistics import build_table
from signpost.insights.suppression import THRESHOLD, recoverable, suppress, with_totals

counts = st.integers(min_value=0, max_value=40)
tables = st.integers(min_value=1, max_value=6).flatmap(
    lambda columns: st.lists(
        st.lists(counts, min_size=columns, max_size=columns), min_size=1, max_size=7
    )
)


def attack(values: list[list[int]], hidden: list[list[bool]]) -> dict[tuple[int, int], int]:
    """An attacker who knows every shown value and that rows and columns add up to their
    totals: solve any equation with one unknown, and repeat with what was learnt."""
    rows, columns = len(values), len(values[0])
    known = {(r, c): values[r][c] for r in range(rows) for c in range(columns) if not hidden[r][c]}
    learnt: dict[tuple[int, int], int] = {}
    lines = [[(r, c) for c in range(columns)] for r in range(rows)]
    lines += [[(r, c) for r in range(rows)] for c in range(columns)]
    progress = True
    while progress:
        progress = False
        for line in lines:
            unknown = [cell for cell in line if cell not in known]
            if len(unknown) != 1:
                continue
            *inner, total = line
            cell = unknown[0]
            if cell == total:
                value = sum(known[x] for x in inner)
            else:
                value = known[total] - sum(known[x] for x in inner if x != cell)
            known[cell] = learnt[cell] = value
            progress = True
    return learnt


@settings(max_examples=300, deadline=None)
@given(tables)
def test_no_suppressed_value_can_be_recovered_by_subtraction(cells: list[list[int]]) -> None:
    table = suppress(cells)
    assert attack(table.values, table.hidden) == {}
    assert recoverable(table) == set()


@settings(max_examples=300, deadline=None)
@given(tables)
def test_every_small_number_is_hidden_and_the_rest_are_true(cells: list[list[int]]) -> None:
    table = suppress(cells)
    assert table.values == with_totals(cells)
    for row, hides in zip(table.values, table.hidden, strict=True):
        for value, hide in zip(row, hides, strict=True):
            if value < THRESHOLD:
                assert hide


@settings(max_examples=200, deadline=None)
@given(tables)
def test_published_table_shows_no_number_below_five(cells: list[list[int]]) -> None:
    columns = [(str(c), f"Column {c}") for c in range(len(cells[0]))]
    rows = [(r, f"Row {r}") for r in range(len(cells))]
    counts = {(r, str(c)): value for r, row in enumerate(cells) for c, value in enumerate(row)}
    table = build_table(title="T", row_heading="Area", rows=rows, columns=columns, counts=counts)
    shown = [cell for row in [*table["rows"], table["totals"]] for cell in row[1:]]
    assert all(cell == "fewer than 5" or cell >= THRESHOLD for cell in shown)
    # Shown numbers are never altered, only hidden.
    full = with_totals(cells)
    for r, row in enumerate([*table["rows"], table["totals"]]):
        for c, cell in enumerate(row[1:]):
            if cell != "fewer than 5":
                assert cell == full[r][c]


def test_a_lone_small_cell_takes_a_neighbour_with_it() -> None:
    table = suppress([[3, 20], [30, 40]])
    # 3 is hidden; its row and column each hide a second term so neither total gives it away.
    assert table.hidden[0][0]
    assert sum(table.hidden[0]) >= 2
    assert sum(row[0] for row in table.hidden) >= 2
    assert attack(table.values, table.hidden) == {}


def test_no_suppression_when_every_count_is_large() -> None:
    table = suppress([[10, 20], [30, 40]])
    assert not any(any(row) for row in table.hidden)


def test_independent_columns_are_each_protected() -> None:
    table = build_table(
        title="T",
        row_heading="Place",
        rows=[(1, "A"), (2, "B"), (3, "C")],
        columns=[("leaflets", "Leaflets"), ("scans", "Scans")],
        counts={
            (1, "leaflets"): 50,
            (2, "leaflets"): 60,
            (3, "leaflets"): 2,
            (1, "scans"): 9,
            (2, "scans"): 30,
            (3, "scans"): 40,
        },
        columns_independent=True,
    )
    leaflets = [row[1] for row in table["rows"]] + [table["totals"][1]]
    assert leaflets.count("fewer than 5") >= 2
    assert "Total" not in table["headers"]
