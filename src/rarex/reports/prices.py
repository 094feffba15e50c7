"""Importing a price series (CSV or XLSX) to chart beside shipped volumes.

A file has one row per price: ``date, product, price, currency, unit, source`` (the header
names them; other columns are refused so a misplaced column is never read as another). The
whole file is checked first: every bad row is reported with its row number, column and why,
and then nothing is written. A good file is written in one transaction: a price already held
for the same day, product, currency, unit and source is left as it is (or corrected, when the
file says otherwise), so importing the same file twice changes nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rarex.core import audit
from rarex.core.authz import Principal, require
from rarex.core.errors import InvalidInput
from rarex.core.units import check_currency
from rarex.reports.models import PRICE_PLACES, PricePoint

COLUMNS = ("date", "product", "price", "currency", "unit", "source")
#: Most rows one file may hold (a daily series of decades for a handful of products).
MAX_ROWS = 100_000
_LIMITS = {"product": 80, "unit": 16, "source": 200}


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass(frozen=True)
class Price:
    priced_on: dt.date
    product: str
    price: Decimal
    currency: str
    unit: str
    source: str

    @property
    def key(self) -> tuple:
        return (self.priced_on, self.product, self.currency, self.unit, self.source)


@dataclass
class ImportResult:
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"rows": self.rows, "inserted": self.inserted, "updated": self.updated, "unchanged": self.unchanged}


class PriceFileInvalid(InvalidInput):
    slug, title = "invalid-price-file", "The price file has errors"


def _cells(name: str, content: bytes) -> list[list[Any]]:
    """The file's rows as lists of cells, header first."""
    if name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
            raise PriceFileInvalid(f"not a readable XLSX workbook: {exc}", reason="not-xlsx") from None
        ws = wb.worksheets[0]
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        wb.close()
        return [r for r in rows if any(c not in (None, "") for c in r)]
    if name.lower().endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise PriceFileInvalid("the file is not UTF-8 text; save it as \"CSV UTF-8\"", reason="not-utf8") from None
        return [r for r in csv.reader(io.StringIO(text)) if any(c.strip() for c in r)]
    raise PriceFileInvalid("a price file ends in .csv or .xlsx", reason="type")


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value).strip())


def parse(name: str, content: bytes) -> tuple[list[Price], list[RowError]]:
    """Every price of the file, and every error (row numbers as a spreadsheet shows them)."""
    rows = _cells(name, content)
    if not rows:
        raise PriceFileInvalid(f"the file is empty: its first row must name the columns {', '.join(COLUMNS)}",
                               reason="empty")
    header = [str(c or "").strip().lower() for c in rows[0]]
    missing = [c for c in COLUMNS if c not in header]
    unknown = [c for c in header if c not in COLUMNS]
    if missing or unknown:
        raise PriceFileInvalid(f"the first row must name exactly the columns {', '.join(COLUMNS)} "
                               f"(missing: {', '.join(missing) or '-'}; unknown: {', '.join(unknown) or '-'})",
                               reason="header", missing=missing, unknown=unknown)
    if len(rows) - 1 > MAX_ROWS:
        raise PriceFileInvalid(f"the file has more than {MAX_ROWS} rows: split it", reason="too-many-rows")
    at = {c: header.index(c) for c in COLUMNS}
    prices: list[Price] = []
    errors: list[RowError] = []
    seen: dict[tuple, tuple[int, Decimal]] = {}
    for n, raw in enumerate(rows[1:], start=2):
        cell = {c: (raw[i] if i < len(raw) else None) for c, i in at.items()}
        bad = len(errors)
        values: dict[str, Any] = {}
        try:
            values["priced_on"] = _date(cell["date"])
        except (TypeError, ValueError):
            errors.append(RowError(n, "date", f"{cell['date']!r} is not a date (YYYY-MM-DD)"))
        try:
            price = Decimal(str(cell["price"]).strip())
            if not price.is_finite() or price <= 0:
                raise InvalidOperation
            if -price.as_tuple().exponent > PRICE_PLACES:  # type: ignore[operator]
                errors.append(RowError(n, "price", f"{cell['price']} has more than {PRICE_PLACES} decimal places"))
            values["price"] = price
        except (InvalidOperation, ValueError):
            errors.append(RowError(n, "price", f"{cell['price']!r} is not a positive number"))
        try:
            values["currency"] = check_currency(str(cell["currency"] or ""))
        except InvalidInput as exc:
            errors.append(RowError(n, "currency", exc.detail))
        for c, limit in _LIMITS.items():
            text = str(cell[c] or "").strip()
            if not text:
                errors.append(RowError(n, c, f"{c} is empty"))
            elif len(text) > limit:
                errors.append(RowError(n, c, f"{c} is longer than {limit} characters"))
            values[c] = text
        if len(errors) > bad:
            continue
        p = Price(**values)
        if p.key in seen:
            first, price = seen[p.key]
            if price != p.price:
                errors.append(RowError(n, "price", f"row {first} gives another price for the same day, product, "
                                                   "currency, unit and source"))
            continue
        seen[p.key] = (n, p.price)
        prices.append(p)
    return prices, errors


def import_file(session: Session, principal: Principal, name: str, content: bytes) -> ImportResult:
    """Check the whole file, then write it in the caller's transaction (nothing when it has errors)."""
    require(principal, "prices.import")
    prices, errors = parse(name, content)
    if errors:
        raise PriceFileInvalid(f"{len(errors)} row(s) have errors; nothing was imported",
                               errors=[{"row": e.row, "column": e.column, "message": e.message} for e in errors])
    result = ImportResult(rows=len(prices))
    held: dict[tuple, PricePoint] = {}
    if prices:
        first, last = min(p.priced_on for p in prices), max(p.priced_on for p in prices)
        for point in session.scalars(select(PricePoint).where(PricePoint.priced_on.between(first, last))):
            held[(point.priced_on, point.product, point.currency, point.unit, point.source)] = point
    for p in prices:
        row = held.get(p.key)
        if row is None:
            session.add(PricePoint(priced_on=p.priced_on, product=p.product, price=p.price, currency=p.currency,
                                   unit=p.unit, source=p.source, imported_by=principal.username))
            result.inserted += 1
        elif row.price != p.price:
            row.price, row.imported_by = p.price, principal.username
            result.updated += 1
        else:
            result.unchanged += 1
    if result.inserted or result.updated:
        audit.record(session, type="prices.imported", actor=principal, subject_type="price_series", subject_id="all",
                     after=result.as_dict(), reason=f"price file {name}")
    return result


def import_path(session: Session, principal: Principal, path: Path) -> ImportResult:
    return import_file(session, principal, path.name, path.read_bytes())
