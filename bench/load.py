"""Load benchmark: a crowd of clients on a real rarex server, then a count of what survived.

    .venv/bin/python bench/load.py [--db sqlite|postgresql] [--clients 200] [--seconds 60]

Starts uvicorn on a free loopback port (bench/server.py) against the benchmark's own database
(emptied and migrated first, as bench/drawdown.py does), and lets ``--clients`` keep-alive
clients, one thread each, loop for ``--seconds`` over a mix a working day sees:

- reads: ``GET /api/v1/me``, a licence, the exporter's applications;
- case actions: the exporter drafts an application (``POST /api/v1/applications``);
- shipments: customs records a 1 kg declaration on one of a few licences (contended lines);
- the baseline: ``GET /healthz`` (one ``SELECT 1``, no session), measured in the same run.

A client that gets 503 waits up to its ``Retry-After`` before its next request, as a polite
client does. Afterwards, straight from the database: every acknowledged write (2xx) is there,
no line is drawn beyond its cap and each line's drawn quantity equals its recorded shipments,
and the audit chain verifies. Printed: p50/p99 per endpoint and its ratio to the baseline's
p50, statuses, any 5xx other than 503 (there should be none). Numbers are printed, never
judged; the last line is one JSON object with every figure.

tests/load uses the same pieces (:func:`arrange_world`, :class:`Crowd`, :func:`check_writes`)
in short bounded runs.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import statistics
import sys
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from bench.drawdown import ITEM, arrange, prepare_database  # noqa: E402  (after the path is set)
from bench.server import Server  # noqa: E402

DEFAULT_URLS = {
    "postgresql": "postgresql+psycopg://postgres@127.0.0.1:5432/rarex_load",
    "sqlite": f"sqlite:///{ROOT / 'var' / 'bench' / 'load.db'}",
}
BASELINE = "GET /healthz"


@dataclass
class World:
    """What the clients act on: licences to draw on, their end user, and two signed-in users."""

    numbers: list[str]
    end_user: int
    customs: str
    exporter: str


def arrange_world(n_licences: int = 4) -> World:
    """drawdown's customs user and licences, plus a signed-in user of the exporting organisation."""
    from rarex.applications import service as applications
    from rarex.applications.schemas import ApplicationIn
    from rarex.core.authz import Role
    from rarex.core.db import unit_of_work
    from rarex.parties.models import Party
    from rarex.users.models import User
    from rarex.users.service import issue_token, principal_for

    numbers, _, end_user, customs = arrange(n_licences)
    with unit_of_work() as s:
        org_id = s.get(Party, end_user).org_id
        user = User(username="load-exporter", display_name="Load exporter", role=Role.exporter, org_id=org_id,
                    password_hash="!", active=True)
        s.add(user)
        s.flush()
        exporter, _ = issue_token(s, user)
        # The year's first application creates its reference counter; until core/ids.py claims
        # it with insert-on-conflict (issue 10), two first drafts at once collide there (500).
        applications.create(s, principal_for(user), ApplicationIn(end_use="warm-up draft"))
    return World(numbers=numbers, end_user=end_user, customs=customs, exporter=exporter)


@dataclass
class Tally:
    """Everything the clients saw, shared between their threads (under ``lock``)."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    busy_without_retry_after: int = 0
    connection_errors: int = 0
    shipments: dict[str, str] = field(default_factory=dict)  # acknowledged declaration -> licence number
    drafts: list[int] = field(default_factory=list)  # acknowledged application ids

    def record(self, label: str, status: int, ms: float, retry_after: str | None) -> None:
        with self.lock:
            self.latencies[label].append(ms)
            self.statuses[label][status] += 1
            if status == 503 and not retry_after:
                self.busy_without_retry_after += 1

    def server_errors(self) -> int:
        """5xx answers other than 503 (busy): each one is a bug."""
        return sum(n for c in self.statuses.values() for s, n in c.items() if s >= 500 and s != 503)


class Crowd:
    """``clients`` threads with one keep-alive connection each, looping over the mix until stopped."""

    def __init__(self, port: int, world: World, clients: int, tally: Tally, seed: int = 1):
        self.port, self.world, self.clients, self.tally = port, world, clients, tally
        self.stop = threading.Event()
        self.seed = seed
        self.today = None

    def run(self, seconds: float) -> float:
        """Run for ``seconds`` (or until :attr:`stop` is set); returns the seconds it ran."""
        from rarex.policy.service import get_pack

        self.today = get_pack().today().isoformat()
        threads = [threading.Thread(target=self._client, args=(w,), daemon=True) for w in range(self.clients)]
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        self.stop.wait(seconds)
        self.stop.set()
        for t in threads:
            t.join(timeout=120)
        return time.perf_counter() - t0

    def _client(self, w: int) -> None:
        rng = random.Random(self.seed * 100_003 + w)
        conn = None
        seq = 0
        ops = [self._healthz, self._me, self._me, self._licence, self._licence, self._applications,
               self._draft, self._shipment, self._shipment]
        while not self.stop.is_set():
            if conn is None:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            label, method, path, token, body, on_ok = rng.choice(ops)(w, seq, rng)
            seq += 1
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            if body is not None:
                headers["Content-Type"] = "application/json"
            t0 = time.perf_counter()
            try:
                conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
                resp = conn.getresponse()
                data = resp.read()
            except (OSError, http.client.HTTPException):
                with self.tally.lock:
                    self.tally.connection_errors += 1
                conn.close()
                conn = None
                self.stop.wait(0.05)
                continue
            ms = (time.perf_counter() - t0) * 1000
            retry_after = resp.getheader("Retry-After")
            self.tally.record(label, resp.status, ms, retry_after)
            if 200 <= resp.status < 300 and on_ok:
                on_ok(json.loads(data))
            if resp.status == 503:
                self.stop.wait(rng.uniform(0, float(retry_after or 1)))
            if resp.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = None

    # --- the mix: each returns (label, method, path, token, body, what to note on 2xx) ---

    def _healthz(self, w, seq, rng):
        return BASELINE, "GET", "/healthz", None, None, None

    def _me(self, w, seq, rng):
        token = self.world.customs if w % 2 else self.world.exporter
        return "GET /api/v1/me", "GET", "/api/v1/me", token, None, None

    def _licence(self, w, seq, rng):
        number = rng.choice(self.world.numbers)
        return "GET /api/v1/licences/{number}", "GET", f"/api/v1/licences/{number}", self.world.exporter, None, None

    def _applications(self, w, seq, rng):
        return "GET /api/v1/applications", "GET", "/api/v1/applications?limit=10", self.world.exporter, None, None

    def _draft(self, w, seq, rng):
        def note(answer):
            with self.tally.lock:
                self.tally.drafts.append(answer["id"])

        body = {"licence_type": "general", "end_use": f"permanent magnets for motors (load {w}-{seq})"}
        return "POST /api/v1/applications", "POST", "/api/v1/applications", self.world.exporter, body, note

    def _shipment(self, w, seq, rng):
        number = rng.choice(self.world.numbers)
        declaration = f"L{self.seed}-{w:03d}-{seq:07d}"

        def note(answer):
            with self.tally.lock:
                self.tally.shipments[declaration] = number

        body = {"declaration": declaration, "date": self.today, "port": "CNTSN",
                "lines": [{"item": ITEM, "end_user": str(self.world.end_user), "quantity": "1", "unit": "kg"}]}
        return ("POST /api/v1/licences/{number}/shipments", "POST", f"/api/v1/licences/{number}/shipments",
                self.world.customs, body, note)


def check_writes(tally: Tally) -> dict:
    """What the database holds after the run, against what the clients were told."""
    from sqlalchemy import func, select

    from rarex.applications.models import Application
    from rarex.core.audit import verify
    from rarex.core.db import unit_of_work
    from rarex.licences.models import LicenceLine
    from rarex.shipments.models import Shipment, ShipmentLine

    with unit_of_work(readonly=True) as s:
        declarations = set(s.scalars(select(Shipment.declaration)))
        drafts = set(s.scalars(select(Application.id)))
        over = s.scalar(select(func.count()).select_from(LicenceLine).where(LicenceLine.drawn > LicenceLine.licensed))
        drawn = dict(s.execute(select(LicenceLine.id, LicenceLine.drawn)).all())
        recorded = dict(s.execute(select(ShipmentLine.licence_line_id, func.sum(ShipmentLine.quantity))
                                  .group_by(ShipmentLine.licence_line_id)).all())
        audit = verify(s)
    mismatched = sum(1 for line_id, d in drawn.items() if d != recorded.get(line_id, 0))
    return {
        "acknowledged_shipments": len(tally.shipments),
        "acknowledged_drafts": len(tally.drafts),
        "lost_shipments": len(set(tally.shipments) - declarations),
        "lost_drafts": len(set(tally.drafts) - drafts),
        "lines_over_cap": over,
        "lines_drawn_not_matching_shipments": mismatched,
        "audit_events": audit.events,
        "audit_ok": audit.ok,
    }


def percentiles(values: list[float]) -> tuple[float, float]:
    if len(values) < 2:
        return (values[0], values[0]) if values else (0.0, 0.0)
    q = statistics.quantiles(values, n=100, method="inclusive")
    return q[49], q[98]


def summarize(tally: Tally, elapsed: float) -> dict:
    base_p50 = percentiles(tally.latencies.get(BASELINE, []))[0] or None
    endpoints = {}
    for label in sorted(tally.latencies):
        p50, p99 = percentiles(tally.latencies[label])
        endpoints[label] = {
            "requests": len(tally.latencies[label]),
            "statuses": {str(k): v for k, v in sorted(tally.statuses[label].items())},
            "p50_ms": round(p50, 1), "p99_ms": round(p99, 1),
            "p50_ratio_to_baseline": round(p50 / base_p50, 2) if base_p50 else None,
        }
    total = sum(len(v) for v in tally.latencies.values())
    busy = sum(c.get(503, 0) for c in tally.statuses.values())
    return {
        "requests": total, "requests_per_s": round(total / elapsed, 1), "seconds": round(elapsed, 1),
        "busy_503": busy, "busy_503_without_retry_after": tally.busy_without_retry_after,
        "server_errors_other_than_503": tally.server_errors(), "connection_errors": tally.connection_errors,
        "endpoints": endpoints,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=sorted(DEFAULT_URLS), default="sqlite")
    parser.add_argument("--database-url", help="overrides --db's default benchmark database")
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--licences", type=int, default=4, help="licences the shipments share (fewer: more contention)")
    args = parser.parse_args()

    from rich.console import Console
    from rich.table import Table

    console = Console(stderr=True)
    url = args.database_url or os.environ.get("RAREX_BENCH_DATABASE_URL") or DEFAULT_URLS[args.db]
    with console.status("preparing the benchmark database"):
        prepare_database(url)
        world = arrange_world(args.licences)
    tally = Tally()
    with console.status(f"{args.clients} clients for {args.seconds:g} s"), Server() as server:
        elapsed = Crowd(server.port, world, args.clients, tally).run(args.seconds)
    results = {"database": args.db if not args.database_url else url.split(":")[0], "clients": args.clients,
               "cpus": os.cpu_count(), **summarize(tally, elapsed), **check_writes(tally)}

    table = Table("endpoint", "requests", "statuses", "p50 ms", "p99 ms", "p50 / baseline",
                  title=f"load on {results['database']}: {args.clients} clients, {results['seconds']} s")
    for label, e in results["endpoints"].items():
        table.add_row(label, str(e["requests"]), json.dumps(e["statuses"]), str(e["p50_ms"]), str(e["p99_ms"]),
                      str(e["p50_ratio_to_baseline"]))
    Console().print(table)
    print(json.dumps(results), flush=True)


if __name__ == "__main__":
    main()
