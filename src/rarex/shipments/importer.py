"""Bulk import of a customs file of declarations (``rarex shipments import FILE.csv``).

Layout: UTF-8 CSV (a BOM is fine) with a header row naming these columns, in any order::

    declaration,licence,date,port,item,end_user,quantity,unit

One row per declaration line; rows with the same declaration number (anywhere in the file)
form one shipment and must agree on licence, date and port. ``date`` is YYYY-MM-DD; ``port``
may be empty; ``unit`` may be empty (the licence line's unit). ``item`` and ``end_user`` are
the values ``rarex licences show NO --json`` gives on its lines. The CSV that
``GET /api/v1/licences/{number}/shipments?format=csv`` exports starts with these columns.

This is a job at the edge, like the CLI: each declaration is its own transaction (one bad
declaration never stops the others, and an interrupted run keeps what it committed), and a
re-run is safe because a declaration already recorded with the same content is reported as
such and draws nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from rarex.core.authz import Principal
from rarex.core.db import unit_of_work
from rarex.core.errors import InvalidInput, PayloadTooLarge, Problem, UnsupportedMediaType
from rarex.shipments import service
from rarex.shipments.schemas import ShipmentIn, ShipmentLineIn

COLUMNS = ("declaration", "licence", "date", "port", "item", "end_user", "quantity", "unit")
MAX_BYTES = 50 * 1024 * 1024
MAX_ROWS = 200_000


def validation_message(exc: ValidationError) -> str:
    """A pydantic error as one readable line: ``field: message; ...``."""
    return "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'value'}: {e['msg']}" for e in exc.errors()[:5])


@dataclass
class Rejection:
    row: int
    declaration: str
    reason: str
    #: What went wrong, for a reader in another language: an importer code (``bad-date``, ...)
    #: or the service's problem slug, with ``params`` to say it precisely.
    code: str = ""
    params: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"row": self.row, "declaration": self.declaration, "reason": self.reason}


@dataclass
class _Group:
    declaration: str
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)


@dataclass
class ImportResult:
    file: str
    rows: int = 0
    recorded: list[str] = field(default_factory=list)
    already_recorded: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    #: The rows (numbered as a spreadsheet does) of each declaration, for a result per row.
    rows_of: dict[str, list[int]] = field(default_factory=dict)

    @property
    def declarations(self) -> int:
        return len(self.recorded) + len(self.already_recorded) + len(self.rejected)

    def as_dict(self) -> dict:
        return {
            "file": self.file, "rows": self.rows, "declarations": self.declarations,
            "recorded": len(self.recorded), "already_recorded": len(self.already_recorded), "rejected": len(self.rejected),
            "recorded_declarations": self.recorded, "already_recorded_declarations": self.already_recorded,
            "rejected_declarations": self.rejected, "rejected_rows": [r.as_dict() for r in self.rejections],
        }


def read_groups(path: Path) -> tuple[list[_Group], int]:
    """Check the file (name, size, encoding, header) and group its rows by declaration.

    A problem with the file as a whole raises (nothing is recorded); a problem with a row is
    left for :func:`run` to report against that row.
    """
    if path.suffix.lower() != ".csv":
        raise UnsupportedMediaType(f"{path.name}: expected a .csv file", reason="not-csv")
    if not path.is_file():
        raise InvalidInput(f"{path}: no such file")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise PayloadTooLarge(f"{path.name} is {size} bytes; the limit is {MAX_BYTES}", reason="too-large")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{path.name} is not UTF-8 text (byte {exc.start})", reason="not-utf8") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        raise InvalidInput(f"{path.name} is empty; the first row must name the columns {','.join(COLUMNS)}",
                           reason="empty")
    names = [h.strip().lower() for h in header]
    missing = [c for c in COLUMNS if c not in names]
    unknown = [h for h in names if h not in COLUMNS]
    if missing or unknown or len(set(names)) != len(names):
        raise InvalidInput(
            f"{path.name}: the header must name exactly the columns {','.join(COLUMNS)}"
            + (f"; missing: {','.join(missing)}" if missing else "") + (f"; unknown: {','.join(unknown)}" if unknown else ""),
            reason="header", missing=missing, unknown=unknown,
        )
    groups: dict[str, _Group] = {}
    count = 0
    for row_no, cells in enumerate(reader, start=2):  # row 1 is the header, as a spreadsheet numbers it
        if not any(c.strip() for c in cells):
            continue
        count += 1
        if count > MAX_ROWS:
            raise PayloadTooLarge(f"{path.name} has more than {MAX_ROWS} rows; split it", reason="too-many-rows", limit=MAX_ROWS)
        values = {name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(names)}
        if len(cells) > len(names):
            values["_extra"] = "1"
        key = service.normalise_declaration(values["declaration"])
        groups.setdefault(key, _Group(key)).rows.append((row_no, values))
    return list(groups.values()), count


def _build(group: _Group) -> tuple[str, ShipmentIn] | Rejection:
    """The shipment a group of rows declares, or the first row that makes it unusable."""
    first_row, first = group.rows[0]
    if not group.declaration:
        return Rejection(first_row, "", "declaration is empty", "declaration-empty")
    for row_no, values in group.rows:
        if "_extra" in values:
            return Rejection(row_no, group.declaration, f"row has more cells than the {len(COLUMNS)} columns",
                             "extra-cells", {"columns": len(COLUMNS)})
        for col in ("licence", "date", "port"):
            if values[col] != first[col]:
                return Rejection(row_no, group.declaration,
                                 f"{col} {values[col]!r} differs from {first[col]!r} on row {first_row} of the same declaration",
                                 "rows-differ", {"column": col, "value": values[col], "first": first[col], "first_row": first_row})
    if not first["licence"]:
        return Rejection(first_row, group.declaration, "licence is empty", "licence-empty")
    try:
        date = dt.date.fromisoformat(first["date"])
    except ValueError:
        return Rejection(first_row, group.declaration, f"date {first['date']!r} is not a date (YYYY-MM-DD)", "bad-date",
                         {"value": first["date"]})
    lines = []
    for row_no, values in group.rows:
        try:
            lines.append(ShipmentLineIn(item=values["item"], end_user=values["end_user"], quantity=values["quantity"],
                                        unit=values["unit"] or None))
        except ValidationError as exc:
            return Rejection(row_no, group.declaration, validation_message(exc), "invalid", _invalid_columns(exc))
    try:
        return first["licence"], ShipmentIn(declaration=group.declaration, date=date, port=first["port"], lines=lines)
    except ValidationError as exc:
        return Rejection(first_row, group.declaration, validation_message(exc), "invalid", _invalid_columns(exc))


def _invalid_columns(exc: ValidationError) -> dict:
    """The columns a validation error is about (``lines.0.quantity`` is the row's ``quantity``)."""
    names = [str(p) for e in exc.errors() for p in e["loc"] if str(p) in COLUMNS]
    return {"columns": sorted(set(names))}


def _reject_group(result: ImportResult, group: _Group, bad: Rejection) -> None:
    """All lines or none: every row of a rejected declaration is reported, the culprit with its reason."""
    result.rejected.append(group.declaration)
    for row_no, _ in group.rows:
        if row_no == bad.row:
            result.rejections.append(bad)
        else:
            result.rejections.append(Rejection(row_no, group.declaration,
                                               f"not recorded: row {bad.row} of the same declaration was rejected",
                                               "with-rejected-row", {"row": bad.row}))


def _row_values(group: _Group, row: int) -> dict:
    """The cells of ``row`` a refusal may need to name (item, end user, licence)."""
    values = next((v for r, v in group.rows if r == row), {})
    return {k: values.get(k, "") for k in ("licence", "item", "end_user", "quantity", "unit")}


def run(path: Path, actor: Principal, progress: Callable[[int, int], None] | None = None) -> ImportResult:
    groups, rows = read_groups(path)
    result = ImportResult(file=str(path), rows=rows)
    for done, group in enumerate(groups, start=1):
        result.rows_of[group.declaration] = [row_no for row_no, _ in group.rows]
        built = _build(group)
        if isinstance(built, Rejection):
            _reject_group(result, group, built)
        else:
            licence, data = built
            try:
                with unit_of_work() as session:
                    _, created = service.record(session, actor, licence, data)
                (result.recorded if created else result.already_recorded).append(group.declaration)
            except Problem as exc:
                line = exc.extra.get("line")
                row = group.rows[line - 1][0] if isinstance(line, int) and 0 < line <= len(group.rows) else group.rows[0][0]
                _reject_group(result, group, Rejection(row, group.declaration, exc.detail, exc.slug,
                                                       {"field": str(exc.extra.get("field", "")), **_row_values(group, row),
                                                        **{k: v for k, v in exc.extra.items() if k != "field"}}))
        if progress:
            progress(done, len(groups))
    return result
