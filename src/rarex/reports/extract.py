"""Bring the operational tables the figures read into an in-memory DuckDB, once per data version.

DuckDB's sqlite and postgres scanners are extensions it downloads at first use, and the
machines rarex runs on may be offline (only the package index is reachable here), so rarex
takes the issue's other road: an *extract*. Each table is read in bulk over the ordinary
connection (one query per table, the columns the figures need, no ORM objects): on PostgreSQL
as CSV through ``COPY ... TO STDOUT`` read by Arrow's CSV reader, on SQLite by fetching the
rows; either way turned into Arrow columns and registered in DuckDB; every figure is then SQL in DuckDB. Timestamps travel
as text or timestamps (SQLite keeps text) and are cast once in DuckDB, in UTC; quantities stay
the scaled integers ExactDecimal stores, so nothing is rounded on the way.

Dimension tables come from code that already knows them: the pack's control list (code ->
element), the units of :mod:`rarex.core.units`, and the working-day calendar of
:mod:`rarex.core.calendar`, one row per day with a running count of working days so a span of
working days is a subtraction in SQL.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.csv as pacsv
from sqlalchemy import Connection

from rarex.core.calendar import calendar_for
from rarex.core.units import UNITS
from rarex.policy.models import Pack

#: name -> (SQL run on the operational database, DuckDB column types). The SQL is portable
#: between SQLite and PostgreSQL; the types say how DuckDB reads each column.
SOURCES: dict[str, tuple[str, dict[str, str]]] = {
    "src_applications": (
        """SELECT a.id, a.reference, a.org_id, a.licence_type, a.status, a.end_use_category,
                  COALESCE(euv.country, cv.country, eu.country, co.country) AS country,
                  a.submitted_at, a.withdrawn_at, a.accepted_on, a.decided_on, a.referred_on
           FROM applications a
           LEFT JOIN party_versions euv ON euv.id = a.end_user_version_id
           LEFT JOIN party_versions cv ON cv.id = a.consignee_version_id
           LEFT JOIN parties eu ON eu.id = a.end_user_id
           LEFT JOIN parties co ON co.id = a.consignee_id
           WHERE a.submitted_at IS NOT NULL""",
        {"id": "BIGINT", "reference": "VARCHAR", "org_id": "BIGINT", "licence_type": "VARCHAR", "status": "VARCHAR",
         "end_use_category": "VARCHAR", "country": "VARCHAR", "submitted_at": "TIMESTAMPTZ", "withdrawn_at": "TIMESTAMPTZ",
         "accepted_on": "DATE", "decided_on": "DATE", "referred_on": "DATE"},
    ),
    "src_application_items": (
        "SELECT application_id, control_code FROM application_items",
        {"application_id": "BIGINT", "control_code": "VARCHAR"},
    ),
    "src_clock_stops": (
        "SELECT application_id, started_on, ended_on FROM application_clock_stops",
        {"application_id": "BIGINT", "started_on": "DATE", "ended_on": "DATE"},
    ),
    "src_licences": (
        """SELECT l.id, l.number, l.org_id, l.licence_type, l.status, l.valid_from, l.valid_to, l.issued_at,
                  COALESCE(euv.country, cv.country, eu.country, co.country) AS country
           FROM licences l
           LEFT JOIN party_versions euv ON euv.id = l.end_user_version_id
           LEFT JOIN party_versions cv ON cv.id = l.consignee_version_id
           LEFT JOIN parties eu ON eu.id = l.end_user_id
           LEFT JOIN parties co ON co.id = l.consignee_id""",
        {"id": "BIGINT", "number": "VARCHAR", "org_id": "BIGINT", "licence_type": "VARCHAR", "status": "VARCHAR",
         "valid_from": "DATE", "valid_to": "DATE", "issued_at": "TIMESTAMPTZ", "country": "VARCHAR"},
    ),
    "src_licence_lines": (
        "SELECT id, licence_id, control_code, unit, licensed, drawn FROM licence_lines",
        {"id": "BIGINT", "licence_id": "BIGINT", "control_code": "VARCHAR", "unit": "VARCHAR", "licensed": "BIGINT",
         "drawn": "BIGINT"},
    ),
    "src_shipments": (
        "SELECT id, licence_id, shipped_on FROM shipments WHERE status = 'recorded'",
        {"id": "BIGINT", "licence_id": "BIGINT", "shipped_on": "DATE"},
    ),
    "src_shipment_lines": (
        "SELECT shipment_id, licence_line_id, drawn, drawn_unit FROM shipment_lines",
        {"shipment_id": "BIGINT", "licence_line_id": "BIGINT", "drawn": "BIGINT", "drawn_unit": "VARCHAR"},
    ),
    "src_organisations": (
        "SELECT id, name_zh, name_en FROM organisations",
        {"id": "BIGINT", "name_zh": "VARCHAR", "name_en": "VARCHAR"},
    ),
    "src_prices": (
        "SELECT priced_on, product, price, currency, unit, source FROM price_points",
        {"priced_on": "DATE", "product": "VARCHAR", "price": "BIGINT", "currency": "VARCHAR", "unit": "VARCHAR",
         "source": "VARCHAR"},
    ),
}

#: Quantities are stored scaled by 10**6 (ExactDecimal(6)); prices by 10**4 (price_points.price).
QUANTITY_SCALE = 1_000_000
PRICE_SCALE = 10_000


@dataclass(frozen=True)
class ExtractStats:
    rows: dict[str, int]
    seconds: float


def _arrow(rows: Sequence[Any], columns: list[str]) -> pa.Table:
    """Rows from the driver as Arrow columns (Arrow infers dates, timestamps or SQLite's text;
    a column of nothing but NULLs is text); DuckDB casts each column once afterwards."""
    cols = list(zip(*rows)) if rows else [() for _ in columns]
    arrays = []
    for values in cols:
        array = pa.array(values)
        arrays.append(array.cast(pa.string()) if pa.types.is_null(array.type) else array)
    if not rows:
        arrays = [pa.array([], type=pa.string()) for _ in columns]
    return pa.Table.from_arrays(arrays, names=columns)


def _copied(conn: Connection, sql: str, columns: list[str]) -> pa.Table:
    """PostgreSQL: the rows as CSV through COPY, parsed by Arrow's CSV reader (every column as
    text; DuckDB casts them): no Python object per row, about ten times faster than fetching."""
    raw = conn.connection.driver_connection
    buf = io.BytesIO()
    with raw.cursor() as cur, cur.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)") as out:  # type: ignore[union-attr]
        for block in out:
            buf.write(block)
    buf.seek(0)
    if not buf.getbuffer().nbytes:
        return pa.table({c: pa.array([], pa.string()) for c in columns})
    return pacsv.read_csv(buf, read_options=pacsv.ReadOptions(column_names=columns),
                          convert_options=pacsv.ConvertOptions(column_types={c: pa.string() for c in columns},
                                                               strings_can_be_null=True))


def load(conn: Connection, pack: Pack) -> tuple[duckdb.DuckDBPyConnection, ExtractStats]:
    """A fresh DuckDB connection holding the extract and the dimension tables."""
    import time

    started = time.perf_counter()
    duck = duckdb.connect()
    duck.execute("SET TimeZone = 'UTC'")
    rows: dict[str, int] = {}
    copy = conn.dialect.name == "postgresql"
    for name, (sql, types) in SOURCES.items():
        table = _copied(conn, sql, list(types)) if copy else _arrow(conn.exec_driver_sql(sql).fetchall(), list(types))
        rows[name] = table.num_rows
        duck.register(f"{name}_arrow", table)
        casts = ", ".join(f"CAST({c} AS {t}) AS {c}" for c, t in types.items())
        duck.execute(f"CREATE TABLE {name} AS SELECT {casts} FROM {name}_arrow")
        duck.unregister(f"{name}_arrow")
    _dimensions(duck, pack)
    return duck, ExtractStats(rows=rows, seconds=round(time.perf_counter() - started, 3))


def _dimensions(duck: duckdb.DuckDBPyConnection, pack: Pack) -> None:
    elements = pa.table({
        "control_code": [e.code for e in pack.entries],
        "element": [e.element or "other" for e in pack.entries],
    })
    duck.register("elements_arrow", elements)
    duck.execute("CREATE TABLE dim_elements AS SELECT DISTINCT * FROM elements_arrow")
    duck.unregister("elements_arrow")
    units = pa.table({"unit": list(UNITS), "dimension": [d for d, _ in UNITS.values()],
                      "factor": [float(f) for _, f in UNITS.values()]})
    duck.register("units_arrow", units)
    duck.execute("CREATE TABLE dim_units AS SELECT * FROM units_arrow")
    duck.unregister("units_arrow")
    _calendar(duck, pack)


def _calendar(duck: duckdb.DuckDBPyConnection, pack: Pack) -> None:
    """One row per day from the first legal date in the data to well past today: whether it is a
    working day and how many working days have passed since the first row."""
    first = duck.execute(
        "SELECT least(min(accepted_on), min(CAST(timezone($tz, submitted_at) AS DATE))) FROM src_applications",
        {"tz": pack.timezone},
    ).fetchall()[0]
    today = pack.today()
    start = (first[0] if first and first[0] else today) - dt.timedelta(days=7)
    end = today + dt.timedelta(days=366)
    cal = calendar_for(pack.calendar)
    days, working = [], []
    d = start
    while d <= end:
        days.append(d)
        working.append(cal.is_working_day(d))
        d += dt.timedelta(days=1)
    duck.register("cal_arrow", pa.table({"d": days, "working": working}))
    duck.execute("""CREATE TABLE dim_calendar AS
                    SELECT d, working, sum(CAST(working AS INTEGER)) OVER (ORDER BY d) AS wd FROM cal_arrow""")
    duck.unregister("cal_arrow")
