"""Page benchmark: time to first byte and full load of the officer's pages, in a real Chromium.

    .venv/bin/python bench/pages.py [--database-url URL] [--applications 100000] [--samples 40]

Measures the officer queue, a case page and a licence page as a signed-in officer sees them,
with Chromium's Navigation Timing (Playwright driving Debian's Chromium with the flags of
DEVELOPERS.md; never ``playwright install``): TTFB is ``responseStart - startTime``, full load
``loadEventEnd - startTime``, p50 and p99 over ``--samples`` navigations each, after two
warm-up visits.

Two datasets, one after the other on the same database: the demo (``rarex demo load``), then
the same with ``--applications`` more written by ``rarex demo generate`` (a tenth of them
open, so the queue holds about 10,000 cases at 100,000). The baselines, measured in the same
run: ``/healthz``'s TTFB in the same browser (the app and server with no page work), and the
raw SQL the queue page wraps (the open cases' rows, read with the driver and no ORM).

SQLite in a temporary directory by default; ``--database-url`` for PostgreSQL (that database
is emptied and migrated first). Numbers are printed, never judged; the last line is one JSON
object with every figure.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.server import Server  # noqa: E402

CHROMIUM = os.environ.get("RAREX_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"]
PASSWORD = "bench-pages-password-1"
OPEN = "('submitted', 'under_review', 'information_requested', 'recommended')"
TIMING = """() => { const e = performance.getEntriesByType('navigation')[0];
  return {ttfb: e.responseStart - e.startTime, load: e.loadEventEnd - e.startTime, status: e.responseStatus || 0}; }"""


def cli(env: dict, *args: str) -> dict:
    out = subprocess.run([sys.executable, "-c", "from rarex.cli.main import app; app()", *args], env=env, check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out) if "--json" in args else {}


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return round(s[min(len(s) - 1, int(round(q * (len(s) - 1))))], 1)


def summary(values: list[float]) -> dict:
    return {"p50": pct(values, 0.5), "p99": pct(values, 0.99), "n": len(values)}


def raw_queue_sql(url: str, samples: int) -> dict:
    """The open cases' rows, as the queue reads them, with no ORM and no clock: the floor."""
    eng = create_engine(url)
    times = []
    with eng.connect() as conn:
        for _ in range(samples + 2):
            t = time.perf_counter()
            rows = conn.execute(text(f"SELECT * FROM applications WHERE status IN {OPEN}")).all()
            times.append((time.perf_counter() - t) * 1000)
    eng.dispose()
    return summary(times[2:]) | {"rows": len(rows)}


def targets(url: str) -> dict[str, str]:
    eng = create_engine(url)
    with eng.connect() as conn:
        case = conn.execute(text(f"SELECT id FROM applications WHERE status IN {OPEN} AND accepted_on IS NOT NULL "
                                 "ORDER BY accepted_on, id LIMIT 1")).scalar_one()
        lic = conn.execute(text("SELECT l.number FROM licences l JOIN shipments s ON s.licence_id = l.id "
                                "WHERE l.licence_type = 'general' AND l.status = 'active' "
                                "GROUP BY l.number ORDER BY count(*) DESC LIMIT 1")).scalar_one()
    eng.dispose()
    return {"queue": "/officer/queue", "case": f"/cases/{case}", "licence": f"/licences/{lic}"}


def measure(base: str, pages: dict[str, str], samples: int) -> dict:
    from playwright.sync_api import sync_playwright

    out: dict = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_context().new_page()
        page.goto(base + "/sign-in")
        page.get_by_label("Username").fill("officer1")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state("load")
        for name, path in {"healthz": "/healthz", **pages}.items():
            ttfb, load = [], []
            for i in range(samples + 2):
                page.goto(base + path, wait_until="load")
                page.wait_for_function("performance.getEntriesByType('navigation')[0].loadEventEnd > 0")
                t = page.evaluate(TIMING)
                if t["status"] and t["status"] != 200:
                    raise RuntimeError(f"{path} answered {t['status']}")
                if i >= 2:  # two warm-up visits
                    ttfb.append(t["ttfb"])
                    load.append(t["load"])
            out[name] = {"path": path, "ttfb_ms": summary(ttfb), "load_ms": summary(load)}
            print(f"  {name:8} {path:40} TTFB p50 {out[name]['ttfb_ms']['p50']:8.1f} p99 {out[name]['ttfb_ms']['p99']:8.1f}"
                  f"   load p50 {out[name]['load_ms']['p50']:8.1f} p99 {out[name]['load_ms']['p99']:8.1f} ms", flush=True)
        browser.close()
    return out


def run_dataset(label: str, env: dict, url: str, samples: int) -> dict:
    print(f"{label}:", flush=True)
    with Server(env=env) as server:
        base = f"http://127.0.0.1:{server.port}"
        pages = measure(base, targets(url), samples)
    sql = raw_queue_sql(url, samples)
    healthz = pages["healthz"]["ttfb_ms"]["p50"] or 0.1
    ratios = {name: {"ttfb_vs_healthz": round(p["ttfb_ms"]["p50"] / healthz, 1)} for name, p in pages.items() if name != "healthz"}
    ratios["queue"]["ttfb_vs_raw_sql"] = round(pages["queue"]["ttfb_ms"]["p50"] / max(sql["p50"], 0.1), 1)
    print(f"  raw SQL of the queue ({sql['rows']} open cases): p50 {sql['p50']} ms, p99 {sql['p99']} ms; queue TTFB is "
          f"{ratios['queue']['ttfb_vs_raw_sql']}x that and {ratios['queue']['ttfb_vs_healthz']}x /healthz's", flush=True)
    return {"pages": pages, "raw_queue_sql_ms": sql, "ratios": ratios}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--database-url", help="PostgreSQL URL of a database to empty and use (default: SQLite in a temp dir)")
    ap.add_argument("--applications", type=int, default=100_000)
    ap.add_argument("--samples", type=int, default=40)
    args = ap.parse_args()
    if not shutil.which(CHROMIUM):
        sys.exit(f"Chromium is not at {CHROMIUM}: apt-get install chromium fonts-noto-cjk (never playwright install)")
    tmp = Path(tempfile.mkdtemp(prefix="rarex-bench-pages-"))
    url = args.database_url or f"sqlite:///{tmp / 'rarex.db'}"
    if args.database_url:
        eng = create_engine(url)
        with eng.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        eng.dispose()
    env = dict(os.environ, RAREX_DATABASE_URL=url, RAREX_DATA_DIR=str(tmp), RAREX_DEMO_PASSWORD=PASSWORD,
               PYTHONPATH=str(ROOT / "src"))
    try:
        cli(env, "db", "upgrade")
        t = time.monotonic()
        loaded = cli(env, "demo", "load", "--json")
        print(f"demo loaded: {loaded['applications']} applications in {time.monotonic() - t:.1f} s", flush=True)
        figures = {"backend": url.split(":")[0], "samples": args.samples,
                   "demo": run_dataset("demo data", env, url, args.samples) | {"applications": loaded["applications"]}}
        t = time.monotonic()
        made = cli(env, "demo", "generate", "--applications", str(args.applications),
                   "--shipments", str(args.applications * 2 // 5), "--json")
        print(f"generated {made['applications']} applications ({made['open_cases']} open) in {time.monotonic() - t:.1f} s",
              flush=True)
        figures["generated"] = run_dataset(f"demo + {args.applications} generated", env, url, args.samples) | {
            "applications": loaded["applications"] + made["applications"], "open_cases": made["open_cases"]}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
