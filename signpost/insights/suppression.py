"""Small-number suppression for published tables.

A table is published with its row totals, column totals and grand total. Each row and each
column (totals included) is an equation: the cells add up to the total. A value can be worked
out by subtraction exactly when one of those equations has a single hidden term. So:

1. primary suppression: every value below the threshold (cells and totals) is hidden;
2. secondary suppression: while some equation hides exactly one term, hide the smallest other
   visible term of that equation (preferring inner cells to totals, then cells whose other
   equation already hides something, which keeps the loss small).

At the end every equation hides none or at least two terms, so no chain of subtractions can
start, and no hidden value can be recovered from the totals or the other cells.
"""

from __future__ import annotations

from dataclasses import dataclass

THRESHOLD = 5


@dataclass
class SuppressedTable:
    """values[r][c] with the row totals in the last column and column totals in the last row."""

    values: list[list[int]]
    hidden: list[list[bool]]

    def shown(self, placeholder: str) -> list[list[int | str]]:
        return [
            [placeholder if hide else value for value, hide in zip(row, hides, strict=True)]
            for row, hides in zip(self.values, self.hidden, strict=True)
        ]


def with_totals(cells: list[list[int]]) -> list[list[int]]:
    """The cells with a total column and a total row added."""
    columns = len(cells[0]) if cells else 0
    full = [[*row, sum(row)] for row in cells]
    full.append([sum(row[c] for row in full) for c in range(columns + 1)])
    return full


def _lines(rows: int, columns: int) -> list[list[tuple[int, int]]]:
    lines = [[(r, c) for c in range(columns)] for r in range(rows)]
    lines += [[(r, c) for r in range(rows)] for c in range(columns)]
    return lines


def suppress(cells: list[list[int]], *, threshold: int = THRESHOLD) -> SuppressedTable:
    """Suppress a table of non-negative counts given without totals (they are added here)."""
    if any(value < 0 for row in cells for value in row):
        raise ValueError("Counts cannot be negative.")
    full = with_totals(cells)
    rows, columns = len(full), len(full[0])
    hidden = [[value < threshold for value in row] for row in full]
    lines = _lines(rows, columns)

    def is_total(r: int, c: int) -> bool:
        return r == rows - 1 or c == columns - 1

    def hidden_elsewhere(r: int, c: int) -> int:
        return sum(hidden[r][cc] for cc in range(columns)) + sum(
            hidden[rr][c] for rr in range(rows)
        )

    changed = True
    while changed:
        changed = False
        for line in lines:
            hidden_terms = [cell for cell in line if hidden[cell[0]][cell[1]]]
            if len(hidden_terms) != 1:
                continue
            candidates = [cell for cell in line if not hidden[cell[0]][cell[1]]]
            if not candidates:
                continue
            r, c = min(
                candidates,
                key=lambda cell: (
                    is_total(*cell),
                    full[cell[0]][cell[1]],
                    -hidden_elsewhere(*cell),
                    cell,
                ),
            )
            hidden[r][c] = True
            changed = True
    return SuppressedTable(values=full, hidden=hidden)


def recoverable(table: SuppressedTable) -> set[tuple[int, int]]:
    """What an attacker learns by subtraction: hidden cells that the equations give away.

    Used by the tests; kept here so that the rule and its check live side by side.
    """
    full, hidden = table.values, [row[:] for row in table.hidden]
    rows, columns = len(full), len(full[0])
    found: set[tuple[int, int]] = set()
    changed = True
    while changed:
        changed = False
        for line in _lines(rows, columns):
            unknown = [cell for cell in line if hidden[cell[0]][cell[1]]]
            if len(unknown) == 1:
                r, c = unknown[0]
                hidden[r][c] = False
                found.add((r, c))
                changed = True
    return found
