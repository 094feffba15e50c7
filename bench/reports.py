"""Statistics benchmark: the dashboard's figures through rarex against the same SQL run on DuckDB
directly, and the response times of the dashboard and the public page, in one run.

    .venv/bin/python bench/reports.py [--database-url URL] [--applications 100000] [--shipments 1000000]

The history is written by ``rarex demo generate`` (rarex.demo.generate): ``--applications``
cases and one shipment per approved individual licence that has had time to ship. That gives
far fewer shipments than licences' worth of applications would allow a customs file, so the
rest up to ``--shipments`` are added here as extra declarations of 1 unit each on the licence
lines already issued, dated inside each licence's validity (marked ``BENCH-`` and leaving the
lines' drawn totals as they were: they load the shipment tables, which is what the figures scan).

Measured, in one run on the same data:

- ``raw``: every figure's SQL (and its totals) executed with DuckDB's own Python API on the
  extract's tables, no rarex code around it: the baseline;
- ``rarex_queries``: the same figures through ``rarex.reports.service.figures`` on the cached
  extract (results dropped first, so every query runs): rarex's overhead is the ratio to raw;
- ``rarex_cold``: the same, extract included (one bulk read of the operational tables into
  DuckDB and the fact tables), what the first request after a change pays;
- the dashboard (``GET /reports`` as an officer) and the public page (``GET /statistics``)
  served by uvicorn in a subprocess: the first request (cold: extract, queries, charts), then
  ``--requests`` more, p50 and p99. Pages are cached per data version (see service.py), so the
  warm figures are what a reader sees while nothing changes.

The database is the benchmark's own (``rx_stats_bench`` on the default PostgreSQL server, or
the URL given); it is emptied and migrated first. ``--reuse`` keeps the data of the previous run.
Numbers are printed, never judged; the last line is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from bench.drawdown import prepare_database  # noqa: E402
from bench.server import Server  # noqa: E402

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/rx_stats_bench"
CHUNK = 5000


def _progress(label: str):
    def tick(done: int, total: int) -> None:
        if total and (done == total or done % max(1, total // 20) == 0):
            print(f"  {label}: {done}/{total}", file=sys.stderr, flush=True)
    return tick


def generate(applications: int, shipments: int) -> dict:
    from sqlalchemy import func, insert, select

    from rarex.core.db import unit_of_work
    from rarex.demo.generate import generate as demo_generate
    from rarex.licences.models import Licence, LicenceLine
    from rarex.shipments.models import Shipment, ShipmentLine

    started = time.perf_counter()
    with unit_of_work() as session:
        result = demo_generate(session, applications, shipments, progress=_progress("demo generate"))
    made = result.shipments
    extra = max(0, shipments - made)
    if extra:
        with unit_of_work() as session:
            lines = session.execute(select(LicenceLine.id, LicenceLine.licence_id, LicenceLine.control_code,
                                           LicenceLine.unit, Licence.valid_from, Licence.valid_to)
                                    .join(Licence, Licence.id == LicenceLine.licence_id)).all()
            today = dt.date.today()
            rng = random.Random(7)
            next_id = (session.scalar(select(func.max(Shipment.id))) or 0) + 1
            for start in range(0, extra, CHUNK):
                n = min(CHUNK, extra - start)
                ships, items = [], []
                for i in range(n):
                    line = lines[rng.randrange(len(lines))]
                    last = min(line.valid_to, today)
                    span = max(0, (last - line.valid_from).days)
                    day = line.valid_from + dt.timedelta(days=rng.randint(0, span))
                    sid = next_id + start + i
                    ships.append(dict(id=sid, declaration=f"BENCH-{sid:09d}", licence_id=line.licence_id, status="recorded",
                                      shipped_on=day, port="CNTSN", content_hash="0" * 64,
                                      recorded_at=dt.datetime(day.year, day.month, day.day, 2, tzinfo=dt.UTC),
                                      recorded_by_name="bench"))
                    items.append(dict(shipment_id=sid, line_no=1, licence_line_id=line.id, item=line.control_code,
                                      end_user="", quantity=1, unit=line.unit, drawn=1, drawn_unit=line.unit))
                session.execute(insert(Shipment), ships)
                session.execute(insert(ShipmentLine), items)
                _progress("extra shipments")(start + n, extra)
            if session.get_bind().dialect.name == "postgresql":
                from sqlalchemy import text

                session.execute(text("SELECT setval(pg_get_serial_sequence('shipments', 'id'), (SELECT max(id) FROM shipments))"))
    return {"applications": result.applications, "demo_shipments": made, "extra_shipments": extra,
            "seconds": round(time.perf_counter() - started, 1)}


def _raw(duck, period, today, pack) -> float:
    """Every dashboard figure's SQL and totals on DuckDB directly: seconds."""
    import re

    from rarex.reports.figures import FIGURES
    from rarex.reports.service import _week_end

    params = {"from": period.start, "to": period.end, "today": today, "week_end": _week_end(today),
              "allowed": pack.deadlines.decision.working_days}
    started = time.perf_counter()
    for f in FIGURES:
        for sql in filter(None, (f.sql, f.totals)):
            duck.execute(sql, {k: v for k, v in params.items() if re.search(rf"\${k}\b", sql)}).fetchall()
    return time.perf_counter() - started


def queries(repeats: int) -> dict:
    from rarex.core.db import unit_of_work
    from rarex.policy.service import get_pack
    from rarex.reports import service

    pack = get_pack()
    today = pack.today()
    period = service.Period.parse(None, None, today)
    cold = []
    with unit_of_work(readonly=True) as session:
        for _ in range(2):
            service.forget()
            t = time.perf_counter()
            service.figures(session, period, public=False)
            cold.append(time.perf_counter() - t)
        ex = service.current_extract(session, pack)
    raw, through = [], []
    with unit_of_work(readonly=True) as session:
        for _ in range(repeats):
            raw.append(_raw(ex.duck, period, today, pack))
            with ex.lock:
                ex.results.clear()
            t = time.perf_counter()
            service.figures(session, period, public=False)
            through.append(time.perf_counter() - t)
    raw_ms, through_ms = statistics.median(raw) * 1000, statistics.median(through) * 1000
    return {"rows": ex.stats.rows, "extract_seconds": ex.stats.seconds, "rarex_cold_ms": round(min(cold) * 1000, 1),
            "raw_duckdb_ms": round(raw_ms, 1), "rarex_queries_ms": round(through_ms, 1),
            "ratio_rarex_to_raw": round(through_ms / raw_ms, 2), "ratio_cold_to_raw": round(min(cold) * 1000 / raw_ms, 2)}


def pages(url: str, requests: int) -> dict:
    from rarex.core.authz import Role
    from rarex.core.db import unit_of_work
    from rarex.users.models import User
    from rarex.users.service import issue_token

    with unit_of_work() as session:
        user = User(username=f"bench-officer-{time.time_ns()}", display_name="Bench officer", role=Role.officer,
                    password_hash="x", active=True)
        session.add(user)
        session.flush()
        token, _ = issue_token(session, user)
    out: dict = {}
    with Server(env=None) as server:
        for name, path, headers in (("public", "/statistics", {}),
                                    ("dashboard", "/reports", {"Cookie": f"rarex_session={token}"})):
            times = []
            for i in range(requests + 1):
                c = http.client.HTTPConnection("127.0.0.1", server.port, timeout=600)
                t = time.perf_counter()
                c.request("GET", path, headers=headers)
                r = c.getresponse()
                r.read()
                times.append((time.perf_counter() - t) * 1000)
                c.close()
                if r.status != 200:
                    raise RuntimeError(f"GET {path}: {r.status} {server.log_tail()}")
                if i == 0:
                    out[f"{name}_first_ms"] = round(times[0], 1)
            warm = sorted(times[1:])
            out[f"{name}_p50_ms"] = round(statistics.median(warm), 1)
            out[f"{name}_p99_ms"] = round(warm[min(len(warm) - 1, int(len(warm) * 0.99))], 1)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--database-url", default=DEFAULT_URL)
    ap.add_argument("--applications", type=int, default=100_000)
    ap.add_argument("--shipments", type=int, default=1_000_000)
    ap.add_argument("--requests", type=int, default=100, help="page requests after the first, per page")
    ap.add_argument("--repeats", type=int, default=5, help="runs of the full set of queries, each way")
    ap.add_argument("--reuse", action="store_true", help="keep the data of the previous run")
    args = ap.parse_args()
    import os

    if args.reuse:
        os.environ["RAREX_DATABASE_URL"] = args.database_url
        data = {"reused": True}
    else:
        prepare_database(args.database_url)
        data = generate(args.applications, args.shipments)
    print(f"data: {data}", file=sys.stderr)
    q = queries(args.repeats)
    print(f"dashboard queries: raw DuckDB {q['raw_duckdb_ms']} ms, through rarex {q['rarex_queries_ms']} ms "
          f"({q['ratio_rarex_to_raw']}x), cold with extract {q['rarex_cold_ms']} ms ({q['ratio_cold_to_raw']}x); rows {q['rows']}")
    p = pages(args.database_url, args.requests)
    print(f"pages: public first {p['public_first_ms']} ms, p50 {p['public_p50_ms']} ms, p99 {p['public_p99_ms']} ms; "
          f"dashboard first {p['dashboard_first_ms']} ms, p50 {p['dashboard_p50_ms']} ms, p99 {p['dashboard_p99_ms']} ms")
    print(json.dumps({"database": args.database_url.split("@")[-1], "applications": args.applications,
                      "shipments": args.shipments, "data": data, **q, **p}))


if __name__ == "__main__":
    main()
