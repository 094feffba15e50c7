"""Importing list files as versions: new, unchanged, newer, replay by date, and nothing left
behind by an import that fails. On both databases."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from rarex.core.audit import AuditEvent, verify
from rarex.core.authz import Principal, Role
from rarex.core.db import unit_of_work
from rarex.core.errors import Forbidden, InvalidInput, NotFound
from rarex.screening import importers, list_import, lists
from rarex.screening.models import ListEntity, ListVersion, ScreeningList

ADMIN = Principal(user_id=None, username="adm", role=Role.admin)


def ftm(tmp_path: Path, name: str, entities: list[tuple[str, str]], *extra: dict) -> Path:
    """A FollowTheMoney file of companies (id, name) and any extra raw records."""
    path = tmp_path / name
    records = [{"id": i, "schema": "Company", "properties": {"name": [n], "country": ["cn"]}} for i, n in entities]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in [*records, *extra]) + "\n", encoding="utf-8")
    return path


def run(path: Path, list_name: str = "test-list", actor: Principal = ADMIN, **kwargs) -> list_import.ImportResult:
    with unit_of_work() as s:
        return list_import.import_list(s, actor, path, list_name=list_name, format=kwargs.pop("format", "ftm"), **kwargs)


def counts(session) -> tuple[int, int, int]:
    return tuple(session.scalar(select(func.count()).select_from(t)) for t in (ScreeningList, ListVersion, ListEntity))


def names(session, version_id: int) -> list[str]:
    return [e.name for e in lists.entities(session, version_id)]


def test_first_import_creates_the_list_and_version_1(session, tmp_path):
    path = ftm(tmp_path, "v1.jsonl", [("e1", "深圳测试电子有限公司"), ("e2", "Test Defence Corp")],
               {"id": "s1", "schema": "Sanction", "properties": {}},
               {"id": "bad", "schema": "Company", "properties": {"name": ["X"], "country": ["Narnia"]}})
    result = run(path, title="Test list", publisher="Test Ministry", published_on=dt.date(2025, 10, 9))
    assert not result.unchanged and result.entries == 2 and result.skipped == {"schema Sanction": 1}
    assert [r.as_dict() for r in result.rejected] == [
        {"row": 4, "id": "bad", "reason": "country 'Narnia' is not an ISO 3166 country code or a country name"}]

    lst = lists.get_list(session, ADMIN, "test-list")
    [v] = lst.versions
    assert (lst.title, v.version, v.source, v.format, v.publisher, v.published_on) == (
        "Test list", 1, "v1.jsonl", "ftm", "Test Ministry", dt.date(2025, 10, 9))
    assert (v.entry_count, v.rejected_count, v.imported_by) == (2, 1, "adm")
    assert v.checksum == importers.file_sha256(path) and v.rejected == [r.as_dict() for r in result.rejected]
    assert names(session, v.id) == ["深圳测试电子有限公司", "Test Defence Corp"]
    [event] = session.execute(select(AuditEvent).where(AuditEvent.subject_type == "screening_list")).scalars()
    assert (event.type, event.subject_id, event.actor, event.before) == ("screening_list.imported", "test-list", "adm", None)
    assert event.after["entry_count"] == 2 and event.after["skipped"] == {"schema Sanction": 1}
    assert verify(session).ok


def test_the_same_file_again_changes_nothing_unless_forced(session, tmp_path):
    path = ftm(tmp_path, "v1.jsonl", [("e1", "Test Co")])
    first = run(path)
    again = run(path)
    assert again.unchanged and again.version.id == first.version.id and again.entries == 0
    assert counts(session) == (1, 1, 1)
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == 1
    forced = run(path, force=True)
    assert not forced.unchanged and forced.version.version == 2 and counts(session) == (1, 2, 2)


def test_a_newer_file_is_a_new_version_and_the_old_one_is_kept(session, tmp_path):
    v1 = run(ftm(tmp_path, "v1.jsonl", [("e1", "Old Name Co"), ("e2", "Delisted Co")])).version
    v2 = run(ftm(tmp_path, "v2.jsonl", [("e1", "New Name Co"), ("e3", "Newly Listed Co")]), title="Renamed",
             allow_shrink=True).version
    assert (v1.version, v2.version) == (1, 2)
    assert names(session, v1.id) == ["Old Name Co", "Delisted Co"]
    assert names(session, v2.id) == ["New Name Co", "Newly Listed Co"]
    assert [v.version for v in lists.get_list(session, ADMIN, "test-list").versions] == [1, 2]
    assert lists.get_list(session, ADMIN, "test-list").title == "Renamed"
    assert [v.id for v in lists.current_versions(session)] == [v2.id]
    # the file of version 1 again is a change from version 2: the list went back
    assert run(tmp_path / "v1.jsonl", allow_shrink=True).version.version == 3


def _imported_at(session, version_id: int, at: dt.datetime) -> None:
    session.execute(update(ListVersion).where(ListVersion.id == version_id).values(imported_at=at))


def test_version_on_replays_the_list_as_it_stood_at_the_end_of_a_day(session, tmp_path):
    v1 = run(ftm(tmp_path, "v1.jsonl", [("e1", "A Co")])).version
    v2 = run(ftm(tmp_path, "v2.jsonl", [("e1", "B Co")])).version
    other = run(ftm(tmp_path, "o1.jsonl", [("x1", "X Co")]), list_name="other-list").version
    # 16:30 UTC on 10 March is 00:30 on 11 March in Beijing: the legal date the regime counts in
    _imported_at(session, v1.id, dt.datetime(2025, 3, 1, 2, 0, tzinfo=dt.UTC))
    _imported_at(session, v2.id, dt.datetime(2025, 3, 10, 16, 30, tzinfo=dt.UTC))
    _imported_at(session, other.id, dt.datetime(2025, 3, 5, 9, 0, tzinfo=dt.UTC))

    def on(day: str):
        found = lists.version_on(session, "test-list", dt.date.fromisoformat(day))
        return found.version if found else None

    assert [on(d) for d in ("2025-02-28", "2025-03-01", "2025-03-10", "2025-03-11", "2026-01-01")] == [None, 1, 1, 2, 2]
    assert lists.version_on(session, "no-such-list", dt.date(2025, 3, 11)) is None

    def current(day: str) -> list[tuple[str, int]]:
        return [(v.list.name, v.version) for v in lists.current_versions(session, on=dt.date.fromisoformat(day))]

    assert current("2025-03-01") == [("test-list", 1)]
    assert current("2025-03-10") == [("other-list", 1), ("test-list", 1)]
    assert current("2025-03-11") == [("other-list", 1), ("test-list", 2)]


def test_an_imported_version_reads_as_unchanged_against_the_same_entities_written_row_by_row(session, tmp_path):
    """The import writes its rows in bulk (COPY, executemany); a version written through the ORM
    with the same values must not count a single entity as changed: version_changes compares the
    columns as the database holds them, text of the lists included."""
    path = ftm(tmp_path, "v1.jsonl", [("e1", "深圳测试电子有限公司"), ("e2", "Test \"Defence\" Corp")],
               {"id": "e3", "schema": "Person", "properties": {"name": ["Ivan Petrov"], "alias": ["Иван Петров", "И. П."],
                                                               "nationality": ["ru"], "birthDate": ["1970-01-02"],
                                                               "idNumber": ["12 34"], "createdAt": ["2024-02-29"]}})
    imported = run(path).version
    fields = ("entity_id", "schema", "name", "aliases", "countries", "programs", "identifiers", "addresses", "listed_on")
    rows = [{f: getattr(e, f) for f in fields} for e in lists.entities(session, imported.id)]
    assert any(r["aliases"] for r in rows) and any(r["listed_on"] for r in rows)
    by_orm = ListVersion(list_id=imported.list_id, version=2, source="copy", format="ftm", checksum="x" * 64,
                         imported_by="adm", imported_at=dt.datetime.now(dt.UTC), entry_count=len(rows))
    session.add(by_orm)
    session.flush()
    session.add_all(ListEntity(version_id=by_orm.id, **r) for r in rows)
    session.flush()
    assert lists.version_changes(session, imported.id, by_orm.id) == {"added": 0, "removed": 0, "changed": 0}


def test_an_import_that_fails_midway_leaves_nothing(session, tmp_path, monkeypatch):
    monkeypatch.setattr(list_import, "BATCH", 2)  # entities reach the database before the failure
    path = ftm(tmp_path, "broken.jsonl", [(f"e{i}", f"Company {i}") for i in range(7)])
    with path.open("ab") as fh:
        fh.write('{"id": "gbk", "schema": "Company", "properties": {"name": ["深圳"]}}\n'.encode("gb18030"))
    with pytest.raises(InvalidInput, match="line 8 is not utf-8 text"):
        run(path)
    assert counts(session) == (0, 0, 0)
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == 0


def test_a_file_that_changes_while_it_is_read_is_refused(session, tmp_path, monkeypatch):
    path = ftm(tmp_path, "v1.jsonl", [("e1", "A Co")])
    monkeypatch.setattr(importers, "file_sha256", lambda p: "0" * 64)  # the hash taken before reading
    with pytest.raises(InvalidInput, match="v1.jsonl changed while it was being imported"):
        run(path)
    assert counts(session) == (0, 0, 0)


def test_a_file_with_nothing_to_import_creates_no_version(session, tmp_path):
    path = ftm(tmp_path, "empty.jsonl", [], {"id": "s1", "schema": "Sanction", "properties": {}},
               {"id": "", "schema": "Company", "properties": {"name": ["No Id"]}})
    result = run(path)
    assert result.version is None and result.entries == 0 and len(result.rejected) == 1
    assert counts(session) == (0, 0, 0)
    run(ftm(tmp_path, "v1.jsonl", [("e1", "A Co")]))
    result = run(path)  # a broken file later does not empty the list either
    assert result.version is None and counts(session) == (1, 1, 1)


@pytest.mark.parametrize("name", ["", "Test", "test_list", "-test", "test--list", "test list", "列表", "a" * 81])
def test_list_names_must_be_slugs(session, tmp_path, name):
    with pytest.raises(InvalidInput, match="is not a slug"):
        run(ftm(tmp_path, "v1.jsonl", [("e1", "A Co")]), list_name=name)


def test_bad_arguments_are_refused_before_anything_is_read(session, tmp_path):
    path = ftm(tmp_path, "v1.jsonl", [("e1", "A Co")])
    with pytest.raises(InvalidInput, match="unknown format 'xml'"):
        run(path, format="xml")
    with pytest.raises(InvalidInput, match="no such file"):
        run(tmp_path / "missing.jsonl")
    with pytest.raises(InvalidInput, match="not a file"):
        run(tmp_path)
    with pytest.raises(InvalidInput, match="title is 301 characters long"):
        run(path, title="t" * 301)
    assert counts(session) == (0, 0, 0)


@pytest.mark.parametrize("role", [Role.officer, Role.customs, Role.auditor, Role.exporter])
def test_only_admins_and_senior_officers_import(session, tmp_path, role):
    path = ftm(tmp_path, "v1.jsonl", [("e1", "A Co")])
    with pytest.raises(Forbidden):
        run(path, actor=Principal(user_id=None, username="u", role=role, org_id=1 if role == Role.exporter else None))
    assert run(path, actor=Principal(user_id=None, username="sen", role=Role.senior_officer)).version.version == 1


def test_reading_lists_versions_and_pages_of_entities(session, tmp_path):
    run(ftm(tmp_path, "v1.jsonl", [(f"e{i}", f"Company {i}") for i in range(5)]), list_name="b-list")
    run(ftm(tmp_path, "a.jsonl", [("x", "X Co")]), list_name="a-list")
    reader = Principal(user_id=None, username="exp", role=Role.exporter, org_id=1)
    assert [lst.name for lst in lists.list_lists(session, reader)] == ["a-list", "b-list"]
    version = lists.get_version(session, reader, "b-list", 1)
    first = lists.entities(session, version.id, limit=2)
    rest = lists.entities(session, version.id, after_id=first[-1].id, limit=10)
    assert [e.entity_id for e in first + rest] == ["e0", "e1", "e2", "e3", "e4"]
    with pytest.raises(NotFound, match="screening list 'c-list' not found"):
        lists.get_list(session, reader, "c-list")
    with pytest.raises(NotFound, match="screening list 'b-list' has no version 2"):
        lists.get_version(session, reader, "b-list", 2)
