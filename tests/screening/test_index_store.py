"""The match index of each list version: built at import, kept under RAREX_DATA_DIR, read by a
fresh process without rebuilding; rebuilt in the background while searches use the previous
version; invisible after a change of the normaliser; never read half-written. On both databases."""

from __future__ import annotations

import csv
import json
import threading
from pathlib import Path

import numpy as np
import pytest

from rarex.core.authz import Principal, Role
from rarex.core.errors import Forbidden, NotFound
from rarex.screening import index_store, list_import, service
from rarex.screening.matching import Matcher
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
    in_memory = Matcher([*index_store._entries(session, a), *index_store._entries(session, b)])
    assert len(merged) == 4
    for query in ("Volga Rare Metals", "Beijing Zhongke Sanhuan", "Ural Magnet", "北京中科三环"):
        got = [(h.entry.list_name, h.entry.entity_id, h.score, h.explanation) for h in merged.search(query)]
        assert got == [(h.entry.list_name, h.entry.entity_id, h.score, h.explanation) for h in in_memory.search(query)]
    assert {h.entry.list_name for h in merged.search("Volga Rare Metals")} == {"list-a", "list-b"}


def test_the_persisted_index_answers_the_labelled_queries_as_the_in_memory_matcher(session):
    version = staged(DATA / "list.ftm.jsonl", "labelled").version
    persisted = service.matcher_for(session, [version])
    in_memory = Matcher(index_store._entries(session, version))
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
    fresh = Matcher(index_store._entries(session, second.version))
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
