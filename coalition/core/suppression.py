"""Small-count suppression for anything published as counts: a count under a threshold reads "fewer than N".

A count of 1 in "Stories by area: Northside" can point to one person in a small building, so every published
breakdown goes through `suppress()` (or `suppress_row()` for a one-row breakdown with its total).

The algorithm (cell suppression with complementary suppression):

1. The table is extended with its published margins: each row's total at its end, each column's total in a last
   row, and the grand total in the corner (only the margins actually published).
2. **Primary suppression**: every count with 0 < count < threshold is hidden, margins included. Zeros are shown
   (an empty cell points to nobody) and so are counts at or above the threshold.
3. **Complementary suppression**: a margin equals the sum of its line, so a line (row or column, margin
   included) with exactly one hidden count would give that count away by subtraction. For each such line, hide
   the smallest shown non-zero count of the line (the first one on a tie); if the line has none, hide its
   margin. Hiding a count can leave another line with exactly one hidden count, so repeat until no line has
   exactly one. The loop ends: every round hides at least one more count, and there are finitely many.

A threshold of 0 or 1 hides nothing. The result keeps the true numbers (for the organizing team's own pages,
which say so) and marks what must not be published.
"""

from dataclasses import dataclass

from coalition.core.i18n import gettext as _


@dataclass(frozen=True)
class Count:
    """A published count: its value, and whether it must be shown as "fewer than <threshold>"."""

    value: int
    suppressed: bool = False
    threshold: int = 0

    @property
    def text(self) -> str:
        """The count as published: the number, or "fewer than N"."""
        return _("fewer than %(n)d", n=self.threshold) if self.suppressed else str(self.value)

    @property
    def public_value(self) -> int | None:
        """The number, or None when it is suppressed (for charts: no bar)."""
        return None if self.suppressed else self.value

    def __str__(self) -> str:
        return self.text


@dataclass
class SuppressedTable:
    """A table of counts with its margins, each a `Count`."""

    cells: list[list[Count]]
    row_totals: list[Count] | None
    column_totals: list[Count] | None
    grand_total: Count | None


def _lines(rows: int, columns: int, row_margins: bool, column_margins: bool) -> list[list[tuple[int, int]]]:
    """Each line of the extended grid as positions, its margin last (a line without a margin constrains nothing)."""
    lines = []
    if row_margins:  # rows, the column-totals row included when it has a corner
        last = rows + (1 if column_margins else 0)
        lines += [[(r, c) for c in range(columns + 1)] for r in range(last)]
    if column_margins:
        last = columns + (1 if row_margins else 0)
        lines += [[(r, c) for r in range(rows + 1)] for c in range(last)]
    return lines


def suppress(
    table: list[list[int]],
    threshold: int,
    *,
    row_totals: list[int] | bool = True,
    column_totals: bool = True,
) -> SuppressedTable:
    """Suppress counts under `threshold` in `table`, and enough others that no published total gives one away.

    `row_totals`: True publishes each row's sum, a list publishes given totals (e.g. stories counted, when a
    story may fall in several columns), False publishes none. `column_totals`: publish each column's sum (and the
    grand total when rows have totals too).
    """
    rows, columns = len(table), max((len(row) for row in table), default=0)
    grid = [[int(v) for v in row] + [0] * (columns - len(row)) for row in table]
    row_margins = row_totals is not False
    if row_margins:
        given = row_totals if isinstance(row_totals, list) else [sum(row) for row in grid]
        for row, total in zip(grid, given, strict=True):
            row.append(int(total))
    if column_margins := bool(column_totals):
        width = columns + (1 if row_margins else 0)
        grid.append([sum(grid[r][c] for r in range(rows)) for c in range(width)])
    hidden = {(r, c) for r, row in enumerate(grid) for c, v in enumerate(row) if 0 < v < threshold}
    lines = _lines(rows, columns, row_margins, column_margins) if hidden else []
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(1 for p in line if p in hidden) != 1:
                continue
            inner = [p for p in line[:-1] if p not in hidden and grid[p[0]][p[1]] > 0]
            extra = min(inner, key=lambda p: grid[p[0]][p[1]]) if inner else line[-1]
            if extra not in hidden:  # else the hidden one is the margin of a line of zeros: nothing to derive
                hidden.add(extra)
                changed = True

    def count(r, c):
        return Count(grid[r][c], (r, c) in hidden, threshold)

    return SuppressedTable(
        cells=[[count(r, c) for c in range(columns)] for r in range(rows)],
        row_totals=[count(r, columns) for r in range(rows)] if row_margins else None,
        column_totals=[count(rows, c) for c in range(columns)] if column_margins else None,
        grand_total=count(rows, columns) if row_margins and column_margins else None,
    )


def suppress_row(counts: list[int], total: int, threshold: int) -> tuple[list[Count], Count]:
    """A one-row breakdown and its published total (e.g. stories by area, and the stories counted)."""
    result = suppress([list(counts)], threshold, row_totals=[total], column_totals=False)
    return (result.cells[0] if result.cells else []), result.row_totals[0]


def suppress_count(value: int, threshold: int) -> Count:
    """A single published count (no breakdown): hidden when under the threshold."""
    return Count(int(value or 0), 0 < (value or 0) < threshold, threshold)
