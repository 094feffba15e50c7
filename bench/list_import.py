"""List import benchmark: a large list imported on SQLite while other transactions write, staged
against the one-transaction import, in one run.

    .venv/bin/python bench/list_import.py [--entities 200000] [--baseline-entities 200000] [--no-baseline]

Issue 10: a 200k-entity import held SQLite's write lock for the whole import, so every other
write waited on it and gave up with ``database is locked`` (a 500) after the 30-second busy
timeout. ``rarex screening import`` now stages the file in short transactions of
``list_import.BATCH`` entities and swaps it in with one more (:mod:`rarex.screening.list_import`).

Both ways import a synthetic FollowTheMoney file (companies with an alias, a country and an
identifier each) into a fresh SQLite database under a temporary directory, while a writer
thread runs short write transactions (BEGIN IMMEDIATE, one insert, commit) every 20 ms, as
the API's writes do. Reported per way: the import's time, and the writer's transactions: how
many, how many failed, p50 / p99 / worst time each took (its wait for the lock is most of it).

Numbers are printed, never judged; the last line is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

WRITER_PAUSE = 0.02


def synthetic(path: Path, n: int, prefix: str) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps({"id": f"{prefix}-{i}", "schema": "Company", "properties": {
                "name": [f"Synthetic Trading Company {prefix} {i} Co., Ltd."], "alias": [f"STC {prefix} {i}"],
                "country": ["cn" if i % 3 else "ru"], "registrationNumber": [f"91{i:016d}"]}}) + "\n")
    return path


class Writer(threading.Thread):
    """Short write transactions on their own connection, timing each from BEGIN to COMMIT."""

    def __init__(self, db_file: Path):
        super().__init__(daemon=True)
        self.db_file, self.stop, self.times, self.failures = db_file, threading.Event(), [], 0

    def run(self) -> None:
        conn = sqlite3.connect(self.db_file, timeout=30, isolation_level=None)
        conn.execute("PRAGMA busy_timeout=30000")
        while not self.stop.is_set():
            start = time.perf_counter()
            try:
                conn.execute("BEGIN IMMEDIATE")
                conn.execute("INSERT INTO bench_writes (at) VALUES (?)", (time.time(),))
                conn.execute("COMMIT")
            except sqlite3.OperationalError:
                self.failures += 1
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
            self.times.append(time.perf_counter() - start)
            time.sleep(WRITER_PAUSE)
        conn.close()

    def figures(self) -> dict:
        ms = sorted(t * 1000 for t in self.times)
        return {"writes": len(ms), "failed": self.failures, "p50_ms": round(statistics.median(ms), 1),
                "p99_ms": round(ms[int(len(ms) * 0.99) - 1], 1), "worst_ms": round(ms[-1], 1)}


def measure(label: str, db_file: Path, importer) -> dict:
    writer = Writer(db_file)
    writer.start()
    time.sleep(0.5)  # the writer's own pace before the import starts
    start = time.perf_counter()
    error = None
    try:
        result = importer()
        entries = result.entries
    except Exception as exc:  # the baseline may fail outright; that is a figure too
        error, entries = f"{exc.__class__.__name__}: {str(exc)[:120]}", 0
    seconds = time.perf_counter() - start
    time.sleep(0.5)
    writer.stop.set()
    writer.join()
    out = {"import_s": round(seconds, 1), "entries": entries, "error": error, **writer.figures()}
    print(f"{label:>16}: {entries} entities in {out['import_s']} s{' (' + error + ')' if error else ''}; other writes: "
          f"{out['writes']} ({out['failed']} failed), p50 {out['p50_ms']} ms, p99 {out['p99_ms']} ms, "
          f"worst {out['worst_ms']} ms", flush=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entities", type=int, default=200_000)
    parser.add_argument("--baseline-entities", type=int, default=200_000)
    parser.add_argument("--no-baseline", action="store_true", help="skip the one-transaction import")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="rarex-bench-import-"))
    os.environ["RAREX_DATA_DIR"] = str(tmp)
    os.environ["RAREX_DATABASE_URL"] = f"sqlite:///{tmp / 'bench.db'}"
    from rarex.core import migrate
    from rarex.core.authz import Principal
    from rarex.core.db import get_engine, unit_of_work
    from rarex.screening import list_import

    migrate.upgrade(get_engine())
    db_file = tmp / "bench.db"
    with sqlite3.connect(db_file) as conn:
        conn.execute("CREATE TABLE bench_writes (id INTEGER PRIMARY KEY, at REAL)")
    actor = Principal.system("bench")
    print(f"writing synthetic files to {tmp} ...", flush=True)
    staged_file = synthetic(tmp / "staged.ftm.json", args.entities, "s")

    figures = {"entities": args.entities, "batch": list_import.BATCH,
               "staged": measure("staged", db_file, lambda: list_import.import_list_staged(
                   actor, staged_file, list_name="bench-staged", format="ftm"))}
    if not args.no_baseline:
        one_file = synthetic(tmp / "one.ftm.json", args.baseline_entities, "o")

        def one_transaction():
            with unit_of_work() as s:
                return list_import.import_list(s, actor, one_file, list_name="bench-one", format="ftm")

        figures["one_transaction"] = measure("one transaction", db_file, one_transaction)
        figures["baseline_entities"] = args.baseline_entities
    print(json.dumps(figures), flush=True)


if __name__ == "__main__":
    sys.exit(main())
