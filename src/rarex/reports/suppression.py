"""Statistical disclosure control for the public page: no published cell may reveal one firm.

Primary suppression: a cell built from 1 or 2 exporters is withheld (with fewer than three, one
of them could subtract its own figure and learn the other's). Secondary suppression: a line
(a row or a column) whose total is published and that holds exactly one withheld cell would
give that cell away by subtraction, so the next-smallest published cell of the line is
withheld as well; when the line has no other cell to withhold, its total is. This repeats
until no line gives a cell away, since each new suppression may expose another line.

The input is a matrix of cells, each a (value, exporters) pair, with optional row totals,
column totals and grand total under the key :data:`TOTAL`; a one-dimensional table is a matrix
with one column and a total row.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

#: Fewest exporters a published cell may be built from.
THRESHOLD = 3
#: The key of a total row or column.
TOTAL = "__total__"

PRIMARY = "primary"
SECONDARY = "secondary"

Cell = tuple[Hashable, Hashable]


@dataclass
class Matrix:
    """Cells by (row, column); a row or column key :data:`TOTAL` holds totals."""

    cells: dict[Cell, tuple[Any, int]]
    suppressed: dict[Cell, str] = field(default_factory=dict)

    def value(self, cell: Cell) -> Any:
        return None if cell in self.suppressed else self.cells[cell][0]


def _lines(m: Matrix) -> list[tuple[list[Cell], Cell]]:
    """Each row and each column whose total is present: (its inner cells, its total)."""
    rows = {r for r, _ in m.cells}
    cols = {c for _, c in m.cells}
    lines: list[tuple[list[Cell], Cell]] = []
    for r in rows:
        if (r, TOTAL) in m.cells:
            lines.append(([(r, c) for c in cols if c != TOTAL and (r, c) in m.cells], (r, TOTAL)))
    for c in cols:
        if (TOTAL, c) in m.cells:
            lines.append(([(r, c) for r in rows if r != TOTAL and (r, c) in m.cells], (TOTAL, c)))
    return lines


def suppress(m: Matrix, threshold: int = THRESHOLD) -> Matrix:
    """Mark the matrix's primary and secondary suppressions in place; returns it."""
    for cell, (_, exporters) in m.cells.items():
        if 0 < exporters < threshold:
            m.suppressed[cell] = PRIMARY
    lines = _lines(m)
    changed = True
    while changed:
        changed = False
        for members, total in lines:
            if total in m.suppressed:
                continue
            hidden = [c for c in members if c in m.suppressed]
            if len(hidden) != 1:
                continue
            # A cell with no exporter is a published zero: withholding it hides nothing.
            candidates = [c for c in members if c not in m.suppressed and m.cells[c][1] > 0]
            if candidates:
                pick = min(candidates, key=lambda c: (m.cells[c][0] or 0, str(c)))
            else:
                pick = total
            m.suppressed[pick] = SECONDARY
            changed = True
    return m


def suppress_table(rows: list[dict[str, Any]], total: dict[str, Any] | None, protected: list[str],
                   derived: dict[str, list[str]], threshold: int = THRESHOLD,
                   ) -> tuple[list[dict[str, Any]], dict[str, Any] | None, dict[tuple[int, str], str]]:
    """A one-dimensional table: each protected measure is a column with the total row as its total.

    Returns the rows and total with withheld values set to None, and why each was withheld by
    (row index, column); the total row's index is -1.
    """
    flags: dict[tuple[int, str], str] = {}
    for measure in protected:
        cells: dict[Cell, tuple[Any, int]] = {
            (i, measure): (row[measure], int(row.get(f"{measure}_exporters") or 0)) for i, row in enumerate(rows)}
        if total is not None:
            cells[(TOTAL, measure)] = (total[measure], int(total.get(f"{measure}_exporters") or 0))
        m = suppress(Matrix(cells), threshold)
        for (r, _), why in m.suppressed.items():
            flags[(-1 if r == TOTAL else int(str(r)), measure)] = why
    out = [dict(row) for row in rows]
    out_total = dict(total) if total is not None else None
    for column, sources in derived.items():
        for i in [*range(len(out)), -1]:
            found = next((flags[(i, s)] for s in sources if (i, s) in flags), None)
            if found:
                flags[(i, column)] = found
    for (i, column), _ in flags.items():
        target = out_total if i == -1 else out[i]
        if target is not None:
            target[column] = None
    return out, out_total, flags
