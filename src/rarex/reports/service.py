"""The figures for a period, computed in DuckDB over an extract cached per data version.

An extract is built once per *data version*: the newest audit event, application, licence,
shipment and price id (every change in rarex writes an audit event, and bulk loads add rows),
plus the day, since open cases' deadlines are counted to today. While the version stands,
every page, download and report reads the same DuckDB tables, so a page costs a few
milliseconds of SQL instead of a read of the whole database. The cache is derived data only:
any worker builds its own, and the database stays the one truth (DESIGN rule 12). An extract
is never kept longer than :data:`MAX_AGE`, to bound what a write that bypasses the audit log
(a bulk load reusing ids) could leave stale.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pyarrow as pa
from sqlalchemy.orm import Session

from rarex.core.authz import Principal, require
from rarex.core.errors import InvalidInput
from rarex.policy.models import Pack
from rarex.policy.service import get_pack
from rarex.reports import extract, facts
from rarex.reports.figures import BY_KEY, FIGURES, PUBLIC, Figure
from rarex.reports.suppression import TOTAL, Matrix, suppress, suppress_table

MAX_AGE = 600.0
#: Longest period a page or report may ask for (the month axis stays readable).
MAX_DAYS = 366 * 5

_FINGERPRINT = """SELECT (SELECT max(id) FROM audit_events), (SELECT max(id) FROM applications),
  (SELECT max(id) FROM licences), (SELECT max(id) FROM shipments), (SELECT max(id) FROM price_points),
  (SELECT count(*) FROM price_points)"""


@dataclass
class Extract:
    duck: duckdb.DuckDBPyConnection
    stats: extract.ExtractStats
    built: float
    today: dt.date
    lock: threading.Lock = field(default_factory=threading.Lock)
    results: dict[tuple, Any] = field(default_factory=dict)


@dataclass
class FigureData:
    """One figure's answer: rows as dicts (withheld values None on the public side), the total
    row where one is published, and why each withheld cell was withheld."""

    figure: Figure
    rows: list[dict[str, Any]]
    total: dict[str, Any] | None = None
    flags: dict[tuple[int, str], str] = field(default_factory=dict)
    #: Where work derived from this answer (a chart's SVG) is kept while the extract stands.
    memo: dict[tuple, Any] = field(default_factory=dict, repr=False)
    memo_key: tuple = ()

    @property
    def columns(self) -> list[str]:
        return ["key", *self.figure.columns]

    def arrow(self) -> pa.Table:
        """The published columns as an Arrow table (the total row last, keyed ``total``)."""
        rows = self.rows + ([{**self.total, "key": "total"}] if self.total else [])
        return pa.table({c: [r.get(c) for r in rows] for c in self.columns}) if rows else pa.table(
            {c: pa.array([], pa.string()) for c in self.columns})


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    @classmethod
    def parse(cls, start: str | dt.date | None, end: str | dt.date | None, today: dt.date) -> Period:
        """From/to dates (inclusive); by default the twelve months up to today."""
        try:
            e = dt.date.fromisoformat(end) if isinstance(end, str) and end else (end or today)
            s = dt.date.fromisoformat(start) if isinstance(start, str) and start else (
                start or (e.replace(day=1) - dt.timedelta(days=335)).replace(day=1))
        except ValueError as exc:
            raise InvalidInput(f"a date must be YYYY-MM-DD: {exc}", field="from") from None
        assert isinstance(s, dt.date) and isinstance(e, dt.date)
        if s > e:
            raise InvalidInput(f"the period starts ({s}) after it ends ({e})", field="from")
        if (e - s).days > MAX_DAYS:
            raise InvalidInput(f"a period may span at most {MAX_DAYS} days", field="to")
        return cls(s, e)


_cache: dict[str, tuple[tuple, Extract]] = {}
_cache_lock = threading.Lock()


def forget() -> None:
    """Drop every cached extract (tests that rewrite history under the same ids)."""
    with _cache_lock:
        _cache.clear()


def current_extract(session: Session, pack: Pack | None = None, *, today: dt.date | None = None) -> Extract:
    pack = pack or get_pack()
    today = today or pack.today()
    conn = session.connection()
    url = str(conn.engine.url)
    version = (*conn.exec_driver_sql(_FINGERPRINT).one(), today)
    with _cache_lock:
        held = _cache.get(url)
        if held and held[0] == version and time.monotonic() - held[1].built < MAX_AGE:
            return held[1]
    duck, stats = extract.load(conn, pack)
    facts.build(duck, pack, today)
    built = Extract(duck=duck, stats=stats, built=time.monotonic(), today=today)
    with _cache_lock:
        _cache[url] = (version, built)
    return built


def _week_end(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=6 - today.weekday())


def _query(ex: Extract, sql: str, period: Period, pack: Pack) -> list[dict[str, Any]]:
    params = {"from": period.start, "to": period.end, "today": ex.today, "week_end": _week_end(ex.today),
              "allowed": pack.deadlines.decision.working_days}
    used = {k: v for k, v in params.items() if re.search(rf"\${k}\b", sql)}
    cur = ex.duck.cursor()
    try:
        result = cur.execute(sql, used)
        names = [d[0] for d in result.description]
        return [dict(zip(names, row)) for row in result.fetchall()]
    finally:
        cur.close()


def _compute(ex: Extract, figure: Figure, period: Period, pack: Pack) -> tuple[list[dict], dict | None]:
    key = ("raw", figure.key, period)
    with ex.lock:
        done = ex.results.get(key)
    if done is None:
        rows = _query(ex, figure.sql, period, pack)
        total = _query(ex, figure.totals, period, pack)[0] if figure.totals else None
        done = (rows, total)
        with ex.lock:
            ex.results[key] = done
    return done


def _public(figure: Figure, rows: list[dict], total: dict | None, masks: dict[str, FigureData]) -> FigureData:
    """The public form of a figure: withheld cells None, exporter counts dropped."""
    if figure.crosstab:
        r, c, v = figure.crosstab
        m = suppress(Matrix({(row[r], row[c]): (row[v], int(row[f"{v}_exporters"])) for row in rows}))
        out = [{**row, v: m.value((row[r], row[c]))} for row in rows]
        flags = {(i, v): m.suppressed[(row[r], row[c])] for i, row in enumerate(rows) if (row[r], row[c]) in m.suppressed}
        return FigureData(figure, out, None, flags)
    if figure.key == "prices_by_month" and "volumes_by_month" in masks:
        # The month's shipped volume is the one volumes_by_month publishes, withheld alike.
        month_kg = {row["key"]: row["shipped_kg"] for row in masks["volumes_by_month"].rows}
        out = [{**row, "shipped_kg": month_kg.get(row["key"])} for row in rows]
        flags = {(i, "shipped_kg"): "secondary" for i, row in enumerate(out) if row["shipped_kg"] is None}
        return FigureData(figure, out, None, flags)
    out, out_total, flags = suppress_table(rows, total, figure.protected, figure.derived)
    shown = set(figure.columns) | {"key"}
    return FigureData(figure, [{k: v for k, v in r.items() if k in shown} for r in out],
                      {k: v for k, v in out_total.items() if k in shown} if out_total else None, flags)


def figures(session: Session, period: Period, *, public: bool, keys: list[str] | None = None,
            pack: Pack | None = None, today: dt.date | None = None) -> dict[str, FigureData]:
    """The figures of the period; ``public``: only the public ones, suppressed."""
    pack = pack or get_pack()
    ex = current_extract(session, pack, today=today)
    wanted = [f for f in (PUBLIC if public else FIGURES) if keys is None or f.key in keys]
    if public and keys is not None and "prices_by_month" in keys and "volumes_by_month" not in keys:
        wanted.insert(0, BY_KEY["volumes_by_month"])
    out: dict[str, FigureData] = {}
    for figure in sorted(wanted, key=lambda f: f.key == "prices_by_month"):
        rows, total = _compute(ex, figure, period, pack)
        data = _public(figure, rows, total, out) if public else FigureData(figure, rows, total)
        data.memo, data.memo_key = ex.results, (figure.key, period, public)
        out[figure.key] = data
    if keys is not None:
        out = {k: v for k, v in out.items() if k in keys}
    return out


def dashboard(session: Session, principal: Principal, period: Period, **kw) -> dict[str, FigureData]:
    """The internal dashboard: every figure, nothing withheld."""
    require(principal, "reports.read")
    return figures(session, period, public=False, **kw)


def public_statistics(session: Session, period: Period, **kw) -> dict[str, FigureData]:
    """The public page's figures: aggregates only, cells of fewer than three exporters withheld."""
    return figures(session, period, public=True, **kw)


__all__ = ["TOTAL", "FigureData", "Period", "dashboard", "figures", "forget", "public_statistics"]
