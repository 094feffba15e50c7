"""Screening at scale: lists of 10,000, 100,000 and 1,000,000 entities, from import to the
first search of a new worker, against today's in-memory matcher built the old way, in one run.

    .venv/bin/python bench/screening_scale.py [--sizes 10000,100000,1000000] [--synthetic N]
                                              [--queries 300] [--baseline-sizes 10000,100000]

Per size, in a fresh SQLite database and RAREX_DATA_DIR under a temporary directory:

- the list: the realistic synthetic entries of bench/screening.py (Chinese companies in
  characters, pinyin and English; Latin-script companies and persons of several countries), the
  same 10,000 at every size so that every size answers the same queries, padded to the size with
  more Chinese companies from the same generator and Latin-script companies and persons whose
  names are made of random syllables ("Korvanel Trading LLC"), written as one FollowTheMoney file;
- import: ``rarex screening import``'s code (``import_list_staged``), which builds the version's
  match index too (in a follower process while it writes the entities, for a large file); the
  index build's own time is read from the index; and, last, the import of the list's next
  version (1% renamed, 1% added), whose index copies the forms of the names it shares with the
  previous version's: the time until it is searchable. That index is then built again alone,
  in a new process, from a copy of the previous version's index (what the build costs without
  the writing beside it);
- first search: a NEW process (a subprocess) that starts Python, imports rarex, and screens one
  name through ``service.search``; timed from its start to its answer, as the parent sees it;
- memory: that worker, after answering the queries, and a second worker started beside it,
  read from /proc/<pid>/smaps_rollup while both are alive: the first worker's RSS, and the
  second worker's unique set size (USS, its private pages: what it adds) and PSS (shared pages
  divided among the processes mapping them). The index's mapped pages are shared, so they do
  not count twice; RSS counts them in every worker (all of them, once prefaulted);
- search: p50 / p99 of ``Matcher.search`` (limit 10, screening's minimum score) over the
  queries, in wall time and in the worker's CPU time (which other work on a shared machine
  disturbs less; the cost ratio is given in both) (half variants of listed entries, half names no entry has, as bench/screening.py
  makes them), and recall@1 of the positives as a sanity check of the postings budget. These
  are the worker's first queries: its caches empty, the index's pages mapped into it by the
  background thread that opening the index starts (index_store.prefault) while they run, or
  as they are first touched where the system cannot. Then the same worker answers as many other queries of the same kinds
  (none of them asked before): the steady state of a worker that has served for a while;
- the per-query cost at the largest size over the smallest (aim: at most 2), of the first
  queries and of the steady state. Of the first queries, the smallest list's cost is mostly
  warming up (a few ms a query, which moved by half between runs on one machine), so the ratio
  moves with it; the steady state's is the cost of a query as such.

The baseline, in the same run on the baseline sizes: the matcher as it was before the index was
persisted (matching.py of the commit before it, loaded from git) built in memory by a new
process from the database: its first search (the whole build) and RSS, and its p50 / p99.

Numbers are printed, never judged; the last line is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

#: The commit whose matching.py is the baseline: the last before the persisted index.
BASELINE_COMMIT = "e73d5a6"
BASE = 10_000
#: What a worker reports of its queries, of the first and of the steady state's.
MEASURES = [f"{state}{k}" for state in ("", "steady_")
            for k in ("p50_ms", "p99_ms", "mean_ms", "cpu_p50_ms", "cpu_mean_ms", "recall_at_1")]
#: Of a list's next version: this share of its entities renamed, and as many added.
CHANGE = 0.01
FIRST_QUERY = "Beijing Zhongke Sanhuan Hi-Tech"

# --- the list ------------------------------------------------------------------------------------

ONSETS = ["b", "d", "k", "l", "m", "n", "r", "s", "t", "v", "z", "ch", "sh", "gr", "tr", "br", "st", "kr", "pl", "f",
          "g", "h", "j", "p"]
VOWELS = ["a", "e", "i", "o", "u", "ia", "ou", "ei", "ar", "en"]
CODAS = ["", "", "n", "r", "l", "s", "k", "m", "v"]
BUSINESS = ["Trading", "Logistics", "Industries", "Technologies", "Engineering", "Shipping", "Holdings", "Electronics",
            "Metals", "Chemicals", "Machinery", "Systems", "Energy", "Petroleum", "Aviation", "Investments",
            "Import Export", "General Trading", "Marine Services", "Precision Instruments"]
LEGAL = ["LLC", "Ltd", "GmbH", "JSC", "OOO", "FZE", "Co., Ltd.", "S.A.", "Inc.", "LLP", "PJSC", "AG", ""]
COUNTRIES = ["ru", "ir", "ae", "tr", "de", "us", "hk", "sy", "kp", "by", "gb", "in", "pk", "my", "sg"]


def word(rng: random.Random) -> str:
    return "".join(rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS)
                   for _ in range(rng.choice([2, 2, 3]))).capitalize()


def filler(rng: random.Random, i: int) -> dict:
    """A Latin-script company or person whose name is made of random syllables."""
    country = rng.choice(COUNTRIES)
    if rng.random() < 0.45:
        props = {"name": [f"{word(rng)} {word(rng)}" + (f" {word(rng)}" if rng.random() < 0.5 else "")]}
        if rng.random() < 0.3:
            props["alias"] = [f"{props['name'][0].split()[-1].upper()}, {props['name'][0].split()[0]}"]
        schema = "Person"
    else:
        name = f"{word(rng)} {rng.choice(BUSINESS)} {rng.choice(LEGAL)}".strip()
        props = {"name": [name]}
        if rng.random() < 0.25:
            props["alias"] = [f"{word(rng)} {rng.choice(BUSINESS)}"]
        schema = "Company"
    props["country"] = [country]
    if rng.random() < 0.2:
        props["registrationNumber"] = [f"{country.upper()}{rng.randrange(10 ** 9):09d}"]
    return {"id": f"fill-{i:07d}", "schema": schema, "properties": props}


def make_lists(sizes: list[int], seed: int, n_queries: int, tmp: Path) -> tuple[dict[int, Path], dict[str, list]]:
    """One FollowTheMoney file per size (each the smaller one's entities and more), and the
    queries: a worker's first ``n_queries``, and as many others of the same kinds after them."""
    import screening as synthetic  # bench/screening.py

    synth = synthetic.Synthesiser(seed, [])
    base = synth.entries(min(BASE, min(sizes)))
    records = [m.record for m in base]
    rng = random.Random(seed + 1)
    files: dict[int, Path] = {}
    for size in sorted(sizes):
        while len(records) < size:
            if rng.random() < 0.5:
                made = synth.cn_company()
                if made is not None:
                    made.record["id"] = f"more-{len(records):07d}"
                    records.append(made.record)
            else:
                records.append(filler(rng, len(records)))
        path = tmp / f"list-{size}.ftm.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            for r in records[:size]:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
        files[size] = path
    names = [n for r in records for n in r["properties"]["name"] + r["properties"].get("alias", [])]
    taken = synthetic.Haystack([*names, *synthetic.pinyin_keys(base)])
    cases = [(c.query, c.country, c.expected.split(":", 1)[1] if c.expected else None)
             for c in synth.queries(base, 2 * n_queries, taken)]  # positives, then negatives: dealt alternately
    return files, {"first": cases[0::2], "steady": cases[1::2]}


def changed(path: Path, share: float, seed: int) -> Path:
    """The list's next version: ``share`` of its entities renamed and as many again added (a
    list's daily change is well under 1%)."""
    rng = random.Random(seed + 2)
    lines = path.read_text(encoding="utf-8").splitlines()
    out = path.with_name(path.name.replace(".ftm", "-v2.ftm"))
    with out.open("w", encoding="utf-8") as fh:
        for i, line in enumerate(lines):
            record = json.loads(line)
            if rng.random() < share:
                record["properties"]["name"] = filler(rng, i)["properties"]["name"]
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        for i in range(int(len(lines) * share)):
            fh.write(json.dumps({**filler(rng, i), "id": f"new-{i:07d}"}, ensure_ascii=False) + "\n")
    return out


# --- a worker: a new process that screens -------------------------------------------------------


def worker(mode: str, queries_file: str) -> None:
    """Answer the first query, then all of them, print the figures, and stay alive until stdin
    closes (so that a second worker can be measured beside it)."""
    started = time.perf_counter()
    from rarex.core.authz import Principal
    from rarex.screening import service

    with service.read_only_session() as session:
        versions = service.versions_on(session, None)
        if mode == "index":
            service.search(session, Principal.system("bench"), FIRST_QUERY)
            matcher = service.matcher_for(session, versions)
        else:
            import importlib.util

            spec = importlib.util.spec_from_file_location("old_matching", os.environ["BENCH_OLD_MATCHING"])
            old = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
            sys.modules["old_matching"] = old
            spec.loader.exec_module(old)  # type: ignore[union-attr]
            entries = [old.Entry(*astuple) for astuple in _entries(session, [v.id for v in versions])]
            matcher = old.Matcher(entries)
            matcher.search(FIRST_QUERY, limit=10, min_score=service.MIN_SCORE)
    first = time.perf_counter() - started
    queries = json.loads(Path(queries_file).read_text())
    cold, steady = (_timed(matcher, queries[part]) for part in ("first", "steady"))
    print(json.dumps({"first_s": round(first, 3), **cold, **{f"steady_{k}": v for k, v in steady.items()}}), flush=True)
    sys.stdin.read()


def _timed(matcher, queries: list) -> dict:
    """p50, p99 and mean wall time, p50 and mean CPU time (ms) and recall@1 of ``queries``, in order."""
    from rarex.screening import service

    times, cpu, right, positives = [], [], 0, 0
    for name, country, expected in queries:
        t, c = time.perf_counter(), time.process_time()
        hits = matcher.search(name, country=country, limit=10, min_score=service.MIN_SCORE)
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
        if expected:
            positives += 1
            right += bool(hits) and hits[0].entry.entity_id == expected
    times.sort()
    return {"p50_ms": round(statistics.median(times) * 1000, 2),
            "p99_ms": round(times[max(0, int(len(times) * 0.99) - 1)] * 1000, 2),
            "mean_ms": round(statistics.fmean(times) * 1000, 3),
            "cpu_p50_ms": round(statistics.median(cpu) * 1000, 2),
            "cpu_mean_ms": round(statistics.fmean(cpu) * 1000, 3),
            "recall_at_1": round(right / positives, 3) if positives else None}


def _entries(session, version_ids):
    from sqlalchemy import select

    from rarex.screening.models import ListEntity, ListVersion

    names = {v.id: v.list.name for v in session.execute(select(ListVersion).where(ListVersion.id.in_(version_ids))).scalars()}
    for ref, vid, eid, name, aliases, countries, idents in session.execute(
            select(ListEntity.id, ListEntity.version_id, ListEntity.entity_id, ListEntity.name, ListEntity.aliases,
                   ListEntity.countries, ListEntity.identifiers).where(ListEntity.version_id.in_(version_ids))
            .order_by(ListEntity.id)):
        yield (ref, eid, names[vid], name, tuple(aliases or ()), tuple(countries or ()), tuple(idents or ()), vid)


def memory(pid: int) -> dict[str, float]:
    """RSS, PSS and USS (private pages) of a process, in MB, from /proc/<pid>/smaps_rollup."""
    kb: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        parts = line.split()
        if len(parts) >= 2 and parts[1].isdigit():
            kb[parts[0].rstrip(":")] = int(parts[1])
    return {"rss_mb": round(kb["Rss"] / 1024, 1), "pss_mb": round(kb["Pss"] / 1024, 1),
            "uss_mb": round((kb["Private_Clean"] + kb["Private_Dirty"]) / 1024, 1)}


def workers(mode: str, env: dict, queries_file: Path) -> dict:
    """Two workers, one after the other, both alive when measured."""
    cmd = [sys.executable, __file__, "--worker", mode, "--queries-file", str(queries_file)]
    a = subprocess.Popen(cmd, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    first = json.loads(a.stdout.readline())  # type: ignore[union-attr]
    b = subprocess.Popen(cmd, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    second = json.loads(b.stdout.readline())  # type: ignore[union-attr]
    mem_a, mem_b = memory(a.pid), memory(b.pid)
    for p in (a, b):
        p.stdin.close()  # type: ignore[union-attr]
        p.wait()
    return {**first,
            "second_worker": second, "worker_memory": mem_a, "second_worker_memory": mem_b}


def first_answer(env: dict) -> tuple[float, float]:
    """Seconds from starting a new process to its first search's answer, as the parent sees it
    (the child writes a line once it has answered), and the seconds it then takes to exit. The
    exit is not part of the answer: at a million entities it is 0.4 s of the kernel unmapping
    the 3 GB of index pages that the prefault thread mapped in (``index_store.prefault``), which
    a worker that stays up to serve never pays."""
    code = ("from rarex.core.authz import Principal\nfrom rarex.screening import service\n"
            "with service.read_only_session() as s:\n"
            f"    service.search(s, Principal.system('bench'), {FIRST_QUERY!r})\n"
            "print('answered', flush=True)\n")
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, text=True)
    line = child.stdout.readline()  # type: ignore[union-attr]
    answered = time.perf_counter()
    if child.wait() or line.strip() != "answered":
        raise SystemExit("the first search in a new process failed")
    return round(answered - started, 2), round(time.perf_counter() - answered, 2)


# --- one size --------------------------------------------------------------------------------------


def environment(tmp: Path, size: int) -> dict:
    data = tmp / f"data-{size}"
    data.mkdir(exist_ok=True)
    return {**os.environ, "RAREX_DATA_DIR": str(data), "RAREX_DATABASE_URL": f"sqlite:///{data / 'rarex.db'}",
            "PYTHONPATH": str(ROOT / "src")}


def import_list(env: dict, path: Path) -> dict:
    """Import in a process of its own (as ``rarex screening import`` runs): total seconds, and
    the index build's seconds as the index records them."""
    code = (
        "import json, sys, time\nfrom pathlib import Path\n"
        "from rarex.core import migrate\nfrom rarex.core.authz import Principal\nfrom rarex.core.db import get_engine\n"
        "from rarex.screening import index_store, list_import\n"
        "migrate.upgrade(get_engine())\nt = time.perf_counter()\n"
        "r = list_import.import_list_staged(Principal.system('bench'), Path(sys.argv[1]), list_name='scale', format='ftm')\n"
        "total = time.perf_counter() - t\nmeta = index_store.open_segment(index_store.key_of(r.version)).meta\n"
        "print(json.dumps({'entities': r.entries, 'import_s': round(total, 1), 'index_build_s': meta['seconds'],"
        " 'forms': meta['forms'], 'names_computed': meta['names_computed'], 'names_reused': meta['names_reused'],"
        " 'key': index_store.key_of(r.version)}))\n")
    out = subprocess.run([sys.executable, "-c", code, str(path)], env=env, capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(f"the import failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


_REBUILD = """
import sys, time
from sqlalchemy import select
from sqlalchemy.orm import Session
from rarex.core.db import get_engine
from rarex.screening import index_store
from rarex.screening.models import ListVersion
with Session(bind=get_engine().execution_options(isolation_level="AUTOCOMMIT")) as session:
    version = session.execute(select(ListVersion).order_by(ListVersion.id.desc()).limit(1)).scalar_one()
    started = time.perf_counter()
    segment = index_store.build(session, version)
    print(round(time.perf_counter() - started, 2), segment.meta["names_reused"])
"""


def rebuild_next(env: dict, tmp: Path, key: str) -> dict:
    """The next version's index built again, alone, from the previous version's, in a new
    process, into a copy of the index directory without it: seconds, and names copied."""
    scratch = tmp / "rebuild"
    shutil.copytree(Path(env["RAREX_DATA_DIR"], "screening-index"), scratch / "screening-index",
                    ignore=lambda _, names: [n for n in names if n.startswith(key)])
    run = subprocess.run([sys.executable, "-c", _REBUILD], env={**env, "RAREX_DATA_DIR": str(scratch)},
                         capture_output=True, text=True)
    shutil.rmtree(scratch)
    if run.returncode:
        raise SystemExit(f"rebuilding the next version's index failed:\n{run.stderr}")
    seconds, reused = run.stdout.split()[-2:]
    return {"seconds": float(seconds), "names_reused": int(reused)}


def index_bytes(env: dict) -> int:
    return sum(f.stat().st_size for f in Path(env["RAREX_DATA_DIR"], "screening-index").rglob("*") if f.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--synthetic", type=int, action="append", default=[], help="a size (repeatable)")
    parser.add_argument("--baseline-sizes", default="10000,100000")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--baseline-matching", help="the old matching.py (default: from git, commit "
                        f"{BASELINE_COMMIT})")
    parser.add_argument("--worker", choices=["index", "old"])
    parser.add_argument("--queries-file")
    args = parser.parse_args()
    if args.worker:
        return worker(args.worker, args.queries_file)

    sizes = sorted(set(args.synthetic) or {int(s) for s in args.sizes.split(",") if s})
    baseline_sizes = [s for s in (int(x) for x in args.baseline_sizes.split(",") if x) if s in sizes]
    tmp = Path(tempfile.mkdtemp(prefix="rarex-bench-scale-"))
    try:  # the lists and indexes of a 1M run take 7 GB of disk: never left behind
        old = tmp / "old_matching.py"
        if args.baseline_matching:
            old.write_text(Path(args.baseline_matching).read_text())
        else:
            old.write_text(subprocess.run(["git", "-C", str(ROOT), "show", f"{BASELINE_COMMIT}:src/rarex/screening/matching.py"],
                                          check=True, capture_output=True, text=True).stdout)
        print(f"making the lists ({', '.join(map(str, sizes))} entities) in {tmp} ...", flush=True)
        started = time.perf_counter()
        files, queries = make_lists(sizes, args.seed, args.queries, tmp)
        queries_file = tmp / "queries.json"
        queries_file.write_text(json.dumps(queries, ensure_ascii=False))
        print(f"  made in {time.perf_counter() - started:.0f} s; {len(queries['first'])} queries, then "
              f"{len(queries['steady'])} others", flush=True)

        figures: dict = {"sizes": {}, "baseline": {}, "queries": len(queries["first"])}
        for size in sizes:
            env = environment(tmp, size)
            imported = import_list(env, files[size])
            imported.pop("key")
            first, exit_s = first_answer(env)
            measured = workers("index", env, queries_file)
            row = {**imported, "first_search_new_process_s": first, "first_search_exit_s": exit_s, "index_mb": round(index_bytes(env) / 2 ** 20, 1),
                   **{k: measured[k] for k in MEASURES},
                   "worker": measured["worker_memory"], "second_worker": measured["second_worker_memory"]}
            update = import_list(env, changed(files[size], CHANGE, args.seed))
            update["index_rebuild"] = rebuild_next(env, tmp, update.pop("key"))
            row["next_version"] = update
            figures["sizes"][size] = row
            print(f"{size:>9} entities: import {row['import_s']} s (index build {row['index_build_s']} s, "
                  f"{row['forms']} forms, {row['index_mb']} MB on disk); first search in a new process {first} s "
                  f"(then {exit_s} s to exit); "
                  f"worker RSS {row['worker']['rss_mb']} MB, second worker adds USS {row['second_worker']['uss_mb']} MB "
                  f"(PSS {row['second_worker']['pss_mb']} MB); search p50 {row['p50_ms']} ms, p99 {row['p99_ms']} ms "
                  f"(CPU p50 {row['cpu_p50_ms']} ms), recall@1 {row['recall_at_1']}; steady state p50 "
                  f"{row['steady_p50_ms']} ms, p99 {row['steady_p99_ms']} ms (CPU p50 {row['steady_cpu_p50_ms']} ms)", flush=True)
            print(f"{'':>9} next version ({CHANGE:.0%} renamed, {CHANGE:.0%} added): searchable {update['import_s']} s "
                  f"after its import started ({update['names_computed']} names computed, {update['names_reused']} "
                  f"copied; the index built in {update['index_build_s']} s, beside the writing when it followed it)", flush=True)
            print(f"{'':>9} next version's index built again alone in a new process: "
                  f"{update['index_rebuild']['seconds']} s", flush=True)
            if size in baseline_sizes:
                base = workers("old", {**env, "BENCH_OLD_MATCHING": str(old)}, queries_file)
                brow = {"first_search_new_process_s": base["first_s"], **{k: base[k] for k in MEASURES},
                        "worker": base["worker_memory"], "second_worker": base["second_worker_memory"]}
                figures["baseline"][size] = brow
                print(f"{'':>9} baseline (in-memory, built the old way by each worker): first search "
                      f"{brow['first_search_new_process_s']} s; worker RSS {brow['worker']['rss_mb']} MB, second worker "
                      f"adds USS {brow['second_worker']['uss_mb']} MB; p50 {brow['p50_ms']} ms, p99 {brow['p99_ms']} ms, "
                      f"recall@1 {brow['recall_at_1']}", flush=True)
        small, large = figures["sizes"][sizes[0]], figures["sizes"][sizes[-1]]
        figures["cost_ratio_largest_over_smallest"] = {
            "sizes": [sizes[0], sizes[-1]],
            **{f"{state}{k}": round(large[f"{state}{k}_ms"] / small[f"{state}{k}_ms"], 2)
               for state in ("", "steady_") for k in ("p50", "mean", "cpu_mean")}}
        for size, brow in figures["baseline"].items():
            row = figures["sizes"][size]
            brow["first_search_speedup"] = round(brow["first_search_new_process_s"] / row["first_search_new_process_s"], 1)
            brow["second_worker_memory_ratio"] = round(brow["second_worker"]["uss_mb"] / row["second_worker"]["uss_mb"], 1)
        ratio = figures["cost_ratio_largest_over_smallest"]
        print(f"per-query cost {sizes[-1]} / {sizes[0]} entities, a worker's first queries: p50 x{ratio['p50']}, "
              f"mean x{ratio['mean']}, CPU time x{ratio['cpu_mean']}; steady state: p50 x{ratio['steady_p50']}, "
              f"mean x{ratio['steady_mean']}, CPU time x{ratio['steady_cpu_mean']}", flush=True)
        for size, brow in figures["baseline"].items():
            print(f"baseline at {size}: first search x{brow['first_search_speedup']} slower, second worker "
                  f"x{brow['second_worker_memory_ratio']} the memory", flush=True)
        print(json.dumps(figures), flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
