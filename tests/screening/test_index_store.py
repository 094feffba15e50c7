"""The match index of each list version: built at import, kept under RAREX_DATA_DIR, read by a
fresh process without rebuilding; rebuilt in the background while searches use the previous
version; invisible after a change of the normaliser; never read half-written. On both databases."""

from __future__ import annotations

import csv
import datetime as dt
import json
import multiprocessing
import threading
from pathlib import Path

import numpy as np
import pytest

from rarex.core.authz import Principal, Role
from rarex.core.errors import Forbidden, InvalidInput, NotFound
from rarex.screening import index_store, list_import, service
from rarex.screening.matching import Entry, Matcher, in_memory
from tests.screening.helpers import make_list

ADMIN = Principal(user_id=None, username="adm", role=Role.admin)
DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def new_process():
    """Each test starts as a new process would: nothing opened or cached."""
    def forget() -> None:
        service._cache.clear()
        service._segments.clear()

    forget()
    yield forget
    forget()


def ftm(tmp_path: Path, name: str, records: list[tuple[str, str, list[str]]]) -> Path:
    path = tmp_path / name
    path.write_text("".join(json.dumps({"id": i, "schema": "Company", "properties": {"name": [n], "alias": a}}) + "\n"
                            for i, n, a in records), encoding="utf-8")
    return path


def staged(path: Path, list_name: str = "uel") -> list_import.ImportResult:
    return list_import.import_list_staged(ADMIN, path, list_name=list_name, format="ftm")


def search(session, name: str) -> list[tuple[str, str, float]]:
    found = service.search(session, ADMIN, name, limit=5)
    return [(h.entry.list_name, h.entry.entity_id, h.score) for h in found.hits]


def entries_of(session, version) -> list[Entry]:
    return [Entry(*fields) for fields, _ in index_store._records(session, version)]


def no_builds(monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("an index was built")

    monkeypatch.setattr(index_store, "_build", refuse)


RECORDS = [("volga", "Volga Rare Metals JSC", []), ("hik", "杭州海康威视数字技术股份有限公司",
                                                        ["Hangzhou Hikvision Digital Technology Co., Ltd."])]


def test_an_import_builds_the_index_and_a_new_process_searches_it_without_building(session, tmp_path, monkeypatch):
    result = staged(ftm(tmp_path, "v1.jsonl", RECORDS))
    key = index_store.key_of(result.version)
    assert index_store.is_ready(key)
    meta = index_store.open_segment(key).meta
    assert (meta["entries"], meta["version_id"]) == (2, result.version.id)

    no_builds(monkeypatch)
    assert search(session, "Hikvision Digital Technology")[0][:2] == ("uel", "hik")
    assert search(session, "海康威视")[0][:2] == ("uel", "hik")


def test_a_version_without_its_index_is_built_in_the_background_while_searches_use_the_previous_one(
        session, monkeypatch):
    v1 = make_list(session, "uel", [{"id": "old", "name": "Volga Rare Metals JSC"}])
    assert search(session, "Volga Rare Metals")[0][1] == "old"  # small: indexed by the search itself
    monkeypatch.setattr(service, "BUILD_IN_REQUEST", 0)  # from here on the list counts as large
    release = threading.Event()
    real_build = index_store._build

    def held(*args, **kwargs):
        assert release.wait(30), "the test never let the build go on"
        return real_build(*args, **kwargs)

    monkeypatch.setattr(index_store, "_build", held)
    v2 = make_list(session, "uel", [{"id": "new", "name": "Volga Rare Metals JSC"}])

    # The request does not wait: it answers from version 1's index while version 2's is built.
    found = service.search(session, ADMIN, "Volga Rare Metals")
    assert [(h.entry.entity_id, h.entry.version_id) for h in found.hits] == [("old", v1.id)]
    assert [v.version for v in found.versions] == [2]
    assert not index_store.is_ready(index_store.key_of(v2))

    release.set()
    for thread in [t for t in threading.enumerate() if t.name == f"screening-index-{v2.id}"]:
        thread.join(30)
    assert index_store.is_ready(index_store.key_of(v2))
    found = service.search(session, ADMIN, "Volga Rare Metals")
    assert [(h.entry.entity_id, h.entry.version_id) for h in found.hits] == [("new", v2.id)]


def test_a_large_first_version_with_no_index_at_all_is_built_by_the_search(session, monkeypatch):
    monkeypatch.setattr(service, "BUILD_IN_REQUEST", 0)
    make_list(session, "uel", [{"id": "x", "name": "Volga Rare Metals JSC"}])
    assert search(session, "Volga Rare Metals")[0][1] == "x"


def test_a_change_of_the_normaliser_hides_every_older_index(session, monkeypatch, new_process):
    v1 = make_list(session, "uel", [{"id": "x", "name": "Volga Rare Metals JSC"}])
    search(session, "Volga")
    key = index_store.key_of(v1)
    old_path = index_store.path_of(key)
    assert index_store.is_ready(key)

    monkeypatch.setattr(index_store, "format_hash", lambda: "another-format")
    new_process()
    assert not index_store.is_ready(key) and index_store.open_segment(key) is None
    assert search(session, "Volga Rare Metals")[0][1] == "x"  # small: built again under the new format
    assert index_store.path_of(key) != old_path and index_store.is_ready(key)


def test_two_lists_are_searched_together_as_one_matcher_over_both_would(session):
    a = make_list(session, "list-a", [{"id": "a1", "name": "Volga Rare Metals JSC", "countries": ["ru"]},
                                      {"id": "a2", "name": "Ural Magnet Works"}])
    b = make_list(session, "list-b", [{"id": "b1", "name": "Volga Rare Metal Company"},
                                      {"id": "b2", "name": "北京中科三环高技术股份有限公司"}])
    merged = service.matcher_for(session, [a, b])
    in_memory = Matcher([*entries_of(session, a), *entries_of(session, b)])
    assert len(merged) == 4
    for query in ("Volga Rare Metals", "Beijing Zhongke Sanhuan", "Ural Magnet", "北京中科三环"):
        got = [(h.entry.list_name, h.entry.entity_id, h.score, h.explanation) for h in merged.search(query)]
        assert got == [(h.entry.list_name, h.entry.entity_id, h.score, h.explanation) for h in in_memory.search(query)]
    assert {h.entry.list_name for h in merged.search("Volga Rare Metals")} == {"list-a", "list-b"}


def test_the_persisted_index_answers_the_labelled_queries_as_the_in_memory_matcher(session):
    version = staged(DATA / "list.ftm.jsonl", "labelled").version
    persisted = service.matcher_for(session, [version])
    in_memory = Matcher(entries_of(session, version))
    with (DATA / "labelled.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        got = persisted.search(row["query"], country=row["country"] or None, limit=5)
        want = in_memory.search(row["query"], country=row["country"] or None, limit=5)
        assert [(h.entry, h.score, h.matched_name, h.explanation) for h in got] == \
               [(h.entry, h.score, h.matched_name, h.explanation) for h in want], row["query"]


def test_a_new_version_copies_the_forms_of_the_names_it_shares_with_the_previous_one(session, tmp_path):
    first = staged(ftm(tmp_path, "v1.jsonl", RECORDS))
    second = staged(ftm(tmp_path, "v2.jsonl", [*RECORDS, ("ural", "Ural Magnet Works", ["UMW"])]))
    meta = index_store.open_segment(index_store.key_of(second.version)).meta
    assert meta["previous"] == index_store.key_of(first.version)
    assert (meta["names_reused"], meta["names_computed"]) == (3, 2)  # three names as before; Ural and UMW are new
    copied = service.matcher_for(session, [second.version])
    fresh = Matcher(entries_of(session, second.version))
    for query in ("Hikvision", "海康威视", "Volga Rare Metals", "Ural Magnet"):
        assert [(h.entry, h.score, h.explanation) for h in copied.search(query)] == \
               [(h.entry, h.score, h.explanation) for h in fresh.search(query)]


def test_a_build_that_dies_halfway_leaves_nothing_that_is_read(session, monkeypatch):
    version = make_list(session, "uel", [{"id": "x", "name": "Volga Rare Metals JSC"}])
    key = index_store.key_of(version)
    real_save = np.save
    saved = []

    def dies(fh, array):
        if saved:
            raise OSError("disk full")
        saved.append(1)
        real_save(fh, array)

    monkeypatch.setattr(index_store.np, "save", dies)
    with pytest.raises(OSError):
        index_store.build(session, version)
    assert not index_store.is_ready(key) and index_store.open_segment(key) is None
    assert not [p for p in index_store.root().glob(f"*{key}*") if p.is_dir()]  # the lock file stays

    # A directory under the real name without its meta.json (copied in part, say) is not read
    # either; a temporary directory of a build whose process died is removed by the next build.
    index_store.path_of(key).mkdir(parents=True)
    (index_store.path_of(key) / "form_blob").write_bytes(b"half")
    abandoned = index_store.root() / f".building-{key}-99999-deadbeef"
    abandoned.mkdir()
    assert index_store.open_segment(key) is None
    monkeypatch.setattr(index_store.np, "save", real_save)
    (index_store.path_of(key) / "form_blob").unlink()
    index_store.path_of(key).rmdir()
    assert index_store.build(session, version).meta["entries"] == 1
    assert not abandoned.exists()


def test_the_cli_reports_and_builds_the_indexes_of_the_lists_in_force(cli, session, monkeypatch):
    version = make_list(session, "uel", [{"id": "x", "name": "Volga Rare Metals JSC"}])
    r = cli("screening", "index", "status", "--json")
    assert r.exit_code == 0, r.output
    assert [(row["list"], row["version"], row["ready"]) for row in json.loads(r.output)] == [("uel", 1, False)]

    r = cli("screening", "index", "build", "--json")
    assert r.exit_code == 0, r.output
    [row] = json.loads(r.output)
    assert row["ready"] and row["built"]["entries"] == 1 and index_store.is_ready(index_store.key_of(version))

    r = cli("screening", "index", "build", "--list", "no-such-list")
    assert r.exit_code == 2 and "no-such-list" in r.output


def test_only_an_importer_may_build_indexes_and_staff_may_read_their_status(session):
    make_list(session, "uel", [{"id": "x", "name": "Volga Rare Metals JSC"}])
    officer = Principal(user_id=None, username="o", role=Role.officer)
    assert [row["list"] for row in service.index_status(session, officer)] == ["uel"]
    with pytest.raises(Forbidden):
        service.build_indexes(session, officer)
    assert not any(row["ready"] for row in service.index_status(session, officer))
    with pytest.raises(NotFound):
        service.build_indexes(session, ADMIN, list_name="nope")


def test_a_next_version_copied_from_the_previous_index_is_the_index_built_from_scratch(session):
    """Array by array: names kept in order and out of order, renamed, dropped, added, one name
    held by two entities (its old forms copied twice), aliases reordered, characters."""
    first = [{"id": f"e{i}", "name": f"Korvanel Trading {i} LLC", "aliases": [f"KT{i}"]} for i in range(40)]
    first += [{"id": "hik", "name": "杭州海康威视数字技术股份有限公司", "aliases": ["Hangzhou Hikvision Digital Technology"]},
              {"id": "twin", "name": "Volga Rare Metals JSC", "aliases": ["VRM", "Volga RM"]}]
    second = [dict(e) for e in first[5:]] + [dict(e) for e in first[:5]]  # moved to the end
    second[0]["name"] = "Ural Magnet Works"  # renamed
    del second[3]  # dropped
    second[-3]["aliases"] = ["Volga RM", "VRM"]
    second.append({"id": "twin2", "name": "Volga Rare Metals JSC", "identifiers": ["INN 7701234567"]})
    second.append({"id": "new", "name": "北京中科三环高技术股份有限公司"})
    v1 = make_list(session, "uel", first)
    index_store.build(session, v1)
    v2 = make_list(session, "uel", second)
    copied = index_store.build(session, v2)
    assert copied.meta["previous"] == index_store.key_of(v1) and copied.meta["names_reused"] > 70
    fresh = in_memory(entries_of(session, v2))
    for name, array in fresh.arrays.items():
        assert copied.arrays[name].dtype == array.dtype and np.array_equal(copied.arrays[name], array), name


def test_names_computed_in_worker_processes_give_the_index_computed_in_this_one(session, monkeypatch):
    """A large list's new names are normalised in worker processes, chunk by chunk, while this
    process adds the chunk before: the same arrays, names and forms in the same order."""
    from rarex.screening import segment

    monkeypatch.setattr(segment, "_PARALLEL_NAMES", 1)
    monkeypatch.setattr(segment, "_CHUNK", 4)  # chunks of 80 entries, tasks of at most 4 names
    first = [{"id": f"e{i}", "name": f"Korvanel Trading {i} LLC", "aliases": [f"KT{i}"]} for i in range(150)]
    first += [{"id": "hik", "name": "杭州海康威视数字技术股份有限公司", "aliases": ["Hangzhou Hikvision Digital Technology"]}]
    second = [dict(e) for e in first] + [{"id": f"n{i}", "name": f"Ural Magnet Works {i}"} for i in range(90)]
    v1 = make_list(session, "uel", first)
    started = []
    real_pool = segment.ProcessPoolExecutor

    def pool(*args, **kwargs):
        started.append(args)
        return real_pool(*args, **kwargs)

    monkeypatch.setattr(segment, "ProcessPoolExecutor", pool)
    built = index_store.build(session, v1)
    assert started and built.meta["names_computed"] == 302
    v2 = make_list(session, "uel", second)
    copied = index_store.build(session, v2)
    assert (copied.meta["names_reused"], copied.meta["names_computed"]) == (302, 90)
    for version, segment_built in ((v1, built), (v2, copied)):
        fresh = in_memory(entries_of(session, version))
        for name, array in fresh.arrays.items():
            assert np.array_equal(segment_built.arrays[name], array), name
    assert copied.names_to_forms()["Ural Magnet Works 7"] == range(*copied.arrays["name_forms"][302 + 7:302 + 9].tolist())


def test_worker_processes_are_started_where_the_new_names_are_worth_them():
    """Alone, a build starts them for ten thousand new names over the list; beside an import's
    writing (a follower), only where a chunk's names are mostly new: at 1% renamed they take
    the cores the writing needs."""
    import io

    from rarex.screening.segment import Builder

    alone, following = Builder(lambda _: io.BytesIO(), workers=2), Builder(lambda _: io.BytesIO(), workers=2, following=True)
    chunk = 40_000
    assert alone._worth_workers(880, chunk, 1_000_000)  # a next version of a million: 22,000 new names
    assert not alone._worth_workers(750, chunk, 100_000)  # of 100,000: 1,900
    assert alone._worth_workers(chunk, chunk, 10_000_000)  # a first version
    assert not following._worth_workers(880, chunk, 1_000_000)
    assert following._worth_workers(chunk, chunk, 1_000_000)
    assert not Builder(lambda _: io.BytesIO(), workers=1)._worth_workers(chunk, chunk, 1_000_000)


def _dies(version_id, estimate, conn) -> None:
    """A follower whose process dies at once (spawn finds it here by name)."""
    import os

    os._exit(3)


@pytest.fixture
def follows(monkeypatch):
    """Every staged import builds its index in a follower process, however small the file."""
    from rarex.screening import index_follower

    monkeypatch.setattr(index_follower, "FOLLOW_FROM_BYTES", 0)
    return index_follower


def test_a_large_import_builds_its_index_while_it_writes_and_it_is_the_index_built_after(session, tmp_path, follows):
    records = [(f"e{i}", f"Korvanel Trading {i} LLC", [f"KT{i}"]) for i in range(2500)] + RECORDS
    first = staged(ftm(tmp_path, "v1.jsonl", records))
    seen = []
    second = list_import.import_list_staged(ADMIN, ftm(tmp_path, "v2.jsonl", [*records, ("ural", "Ural Magnet Works", [])]),
                                            list_name="uel", format="ftm", index_progress=lambda d, t: seen.append((d, t)))
    for result, copied in ((first, 0), (second, 2 * 2500 + 3)):
        built = index_store.open_segment(index_store.key_of(result.version))
        assert built.meta["while_written"] and built.meta["names_reused"] == copied
        fresh = in_memory(entries_of(session, result.version))
        for name, array in fresh.arrays.items():
            assert np.array_equal(built.arrays[name], array), name
    assert seen[0] == (0, 2503) and seen[-1] == (2503, 2503)
    assert search(session, "Ural Magnet Works")[0][1] == "ural"
    assert not multiprocessing.active_children()


def test_an_import_refused_after_writing_stops_its_follower_and_leaves_no_index(session, tmp_path, follows):
    records = [(f"e{i}", f"Korvanel Trading {i} LLC", []) for i in range(100)]
    staged(ftm(tmp_path, "v1.jsonl", records))
    before = sorted(index_store.root().iterdir())
    with pytest.raises(list_import.ListShrinks):
        staged(ftm(tmp_path, "v2.jsonl", records[:10]))
    assert not multiprocessing.active_children()
    assert sorted(p for p in index_store.root().iterdir() if p.suffix != ".lock") == [p for p in before if p.suffix != ".lock"]
    assert [row["version"] for row in service.index_status(session, ADMIN)] == [1]


def test_a_follower_that_dies_leaves_the_import_to_build_the_index(session, tmp_path, follows, monkeypatch):
    monkeypatch.setattr(follows, "_follow", _dies)
    result = staged(ftm(tmp_path, "v1.jsonl", RECORDS))
    built = index_store.open_segment(index_store.key_of(result.version))
    assert built is not None and not built.meta["while_written"] and built.meta["entries"] == 2
    assert search(session, "Volga Rare Metals")[0][1] == "volga"


def _versions(session, ages: list[int]):
    now = dt.datetime.now(dt.UTC)
    return [make_list(session, "uel", [{"id": f"x{n}", "name": f"Volga Rare Metals {n} JSC"}],
                      imported_at=now - dt.timedelta(days=age)) for n, age in enumerate(ages)]


def test_pruning_keeps_the_versions_in_force_lately_and_deletes_the_older(session, monkeypatch):
    # v1 in force until 20 days ago, v2 until 3 days ago, v3 until today, v4 in force
    versions = _versions(session, [30, 20, 3, 0])
    for v in versions:
        index_store.build(session, v)
    monkeypatch.setattr(index_store, "_GRACE_SECONDS", -60)  # built just now, yet old enough here
    keys = [index_store.key_of(v) for v in versions]
    stale_temp = index_store.root() / f".building-{keys[0]}-99999-deadbeef"
    stale_temp.mkdir()
    old_format = index_store.root().parent / "0123456789abcdef"
    (old_format / "v1-old").mkdir(parents=True)
    (old_format / "v1-old" / "form_blob").write_bytes(b"x" * 100)

    done = service.prune_indexes(session, ADMIN, keep_days=7)
    # (the indexes of other tests' versions, gone from the database, go too)
    assert keys[0] in done["indexes"] and not set(keys[1:]) & set(done["indexes"])
    assert "0123456789abcdef" in done["formats"] and done["freed_bytes"] > 100
    assert [index_store.is_ready(k) for k in keys] == [False, True, True, True]
    assert not stale_temp.exists() and not old_format.exists()
    assert not [p for p in index_store.root().iterdir() if p.name.startswith(".")]

    # keep_days 0: the version in force and the one before it stay
    assert service.prune_indexes(session, ADMIN, keep_days=0)["indexes"] == [keys[1]]  # nothing else left
    assert [index_store.is_ready(k) for k in keys] == [False, False, True, True]

    # a search on a date of a pruned version has its index built again, and answers as then
    on = (dt.datetime.now(dt.UTC) - dt.timedelta(days=25)).date()
    found = service.search(session, ADMIN, "Volga Rare Metals 0", on=on)
    assert found.versions[0].id == versions[0].id and found.hits[0].entry.entity_id == "x0"
    assert index_store.is_ready(keys[0])


def test_pruning_leaves_what_is_being_built_and_what_was_built_lately(session):
    v1, v2, v3 = _versions(session, [30, 20, 0])
    for v in (v1, v2, v3):
        index_store.build(session, v)
    k1 = index_store.key_of(v1)
    building = index_store.root() / f".building-{k1}-{12345}-cafebabe"
    building.mkdir()
    with index_store.building(k1) as mine:
        assert mine
        held = index_store.prune(session, keep_days=0)
    assert building.exists() and index_store.is_ready(k1) and k1 not in held["indexes"]
    assert k1 not in index_store.prune(session, keep_days=0)["indexes"]  # built within the grace period


def test_an_index_open_in_a_process_keeps_answering_after_pruning_deletes_its_files(session, monkeypatch):
    v1, v2, v3 = _versions(session, [30, 20, 0])
    on = (dt.datetime.now(dt.UTC) - dt.timedelta(days=25)).date()
    before = service.search(session, ADMIN, "Volga Rare Metals 0", on=on).hits  # opens v1's index
    monkeypatch.setattr(index_store, "_GRACE_SECONDS", -60)
    for v in (v2, v3):
        index_store.build(session, v)
    assert index_store.key_of(v1) in index_store.prune(session, keep_days=0)["indexes"]
    assert not index_store.path_of(index_store.key_of(v1)).exists()
    no_builds(monkeypatch)  # the search reads the mapped pages of the deleted files
    after = service.search(session, ADMIN, "Volga Rare Metals 0", on=on).hits
    assert [(h.entry, h.score) for h in after] == [(h.entry, h.score) for h in before] and after


def test_an_import_prunes_and_the_cli_prunes_for_operators(cli, session, tmp_path, monkeypatch):
    monkeypatch.setattr(index_store, "_GRACE_SECONDS", -60)
    monkeypatch.setattr(index_store, "KEEP_DAYS", 0)
    keys = [index_store.key_of(staged(ftm(tmp_path, f"v{n}.jsonl", RECORDS[:n])).version) for n in (1, 2)]
    old = index_store.root() / "v0-left-over"
    old.mkdir()
    third = staged(ftm(tmp_path, "v3.jsonl", [*RECORDS, ("ural", "Ural Magnet Works", [])]))
    assert not index_store.is_ready(keys[0]) and index_store.is_ready(keys[1]) and not old.exists()
    assert index_store.is_ready(index_store.key_of(third.version))

    (index_store.root().parent / "fedcba9876543210").mkdir()
    r = cli("screening", "index", "prune", "--json")
    assert r.exit_code == 0, r.output
    assert "fedcba9876543210" in json.loads(r.output)["formats"]
    r = cli("screening", "index", "prune", "--keep-days", "-1")
    assert r.exit_code == 2


def test_only_an_importer_may_prune_indexes(session):
    officer = Principal(user_id=None, username="o", role=Role.officer)
    with pytest.raises(Forbidden):
        service.prune_indexes(session, officer)
    with pytest.raises(InvalidInput):
        service.prune_indexes(session, ADMIN, keep_days=-1)


def resident_kb(array: np.ndarray) -> tuple[int, int]:
    """(Size, Rss) in kB of the mapping that holds ``array``, from /proc/self/smaps."""
    at, found, mine = array.ctypes.data, {}, False
    for line in Path("/proc/self/smaps").read_text().splitlines():
        head = line.split()
        if not head[0].endswith(":"):  # a mapping's first line: its address range
            low, high = (int(x, 16) for x in head[0].split("-"))
            mine = low <= at < high
        elif mine and head[0] in ("Size:", "Rss:"):
            found[head[0]] = int(head[1])
    return found["Size:"], found["Rss:"]


@pytest.mark.skipif(not Path("/proc/self/smaps").exists(), reason="reads Linux's /proc")
def test_prefault_maps_every_page_of_an_index(session):
    """A new worker's first searches should not each wait for a page of the index: prefault
    populates the mappings (shared pages of the cache, no copy)."""
    key = index_store.key_of(staged(DATA / "list.ftm.jsonl", "labelled").version)
    path = max(index_store.path_of(key).iterdir(), key=lambda p: p.stat().st_size)
    untouched = np.memmap(path, dtype=np.uint8, mode="r").view(np.ndarray)
    size, rss = resident_kb(untouched)
    assert size >= 64 and rss < size, "a fresh mapping is not all resident"
    assert index_store.prefault([untouched]) is True
    assert resident_kb(untouched) == (size, size)


@pytest.mark.skipif(not Path("/proc/self/smaps").exists(), reason="reads Linux's /proc")
def test_an_index_opened_for_searching_is_mapped_in_the_background_and_one_opened_for_its_meta_is_not(session):
    version = staged(DATA / "list.ftm.jsonl", "labelled").version
    key = index_store.key_of(version)
    name = max(index_store.path_of(key).iterdir(), key=lambda p: p.stat().st_size).name.removesuffix(".npy")
    meta_only = index_store.open_segment(key)
    assert not [t for t in threading.enumerate() if t.name == f"prefault-{key}"]
    size, rss = resident_kb(meta_only.arrays[name])
    assert rss < size
    searched = service.segment_for(session, version)
    for thread in [t for t in threading.enumerate() if t.name == f"prefault-{key}"]:
        thread.join(timeout=30)
    size, rss = resident_kb(searched.arrays[name])
    assert size >= 64 and rss == size
    assert service.search(session, ADMIN, "Hikvision").hits


def test_where_the_system_cannot_prefault_pages_are_mapped_as_searches_touch_them(session, monkeypatch):
    key = index_store.key_of(staged(DATA / "list.ftm.jsonl", "labelled").version)
    monkeypatch.setattr(index_store, "_MADV_POPULATE_READ", 12345)  # no such advice
    segment = index_store.open_segment(key)
    assert index_store.prefault([segment.arrays["post_forms"]]) is False
    assert Matcher(segments=[segment]).search("Hikvision")  # searches as before
