"""The shrink guard, and imports staged in short transactions then swapped in. On both databases."""

from __future__ import annotations

import datetime as dt
import json
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from rarex.core.audit import AuditEvent
from rarex.core.authz import Principal, Role
from rarex.core.db import unit_of_work
from rarex.core.errors import Conflict, InvalidInput
from rarex.core.settings import get_settings
from rarex.screening import list_import, lists
from rarex.screening.list_import import ListShrinks
from rarex.screening.models import ListEntity, ListVersion, ScreeningList

ADMIN = Principal(user_id=None, username="adm", role=Role.admin)


def ftm(tmp_path: Path, name: str, ids: range | list[int]) -> Path:
    path = tmp_path / name
    path.write_text("".join(json.dumps({"id": f"e{i}", "schema": "Company", "properties": {"name": [f"Company {i} Ltd"]}})
                            + "\n" for i in ids), encoding="utf-8")
    return path


def run(path: Path, **kwargs) -> list_import.ImportResult:
    with unit_of_work() as s:
        return list_import.import_list(s, ADMIN, path, list_name="uel", format="ftm", **kwargs)


def staged(path: Path, **kwargs) -> list_import.ImportResult:
    return list_import.import_list_staged(ADMIN, path, list_name="uel", format="ftm", **kwargs)


def counts(session) -> tuple[int, int, int]:
    return tuple(session.scalar(select(func.count()).select_from(t)) for t in (ScreeningList, ListVersion, ListEntity))


def in_force(session) -> list[tuple[int, int]]:
    return [(v.version, v.entry_count) for v in lists.current_versions(session)]


@pytest.fixture
def limit(monkeypatch):
    def set_to(value: float) -> None:
        monkeypatch.setenv("RAREX_LIST_SHRINK_LIMIT", str(value))
        get_settings.cache_clear()

    yield set_to
    monkeypatch.delenv("RAREX_LIST_SHRINK_LIMIT", raising=False)
    get_settings.cache_clear()


# --- the shrink guard ------------------------------------------------------------------------


@pytest.mark.parametrize("importer", [run, staged], ids=["one-transaction", "staged"])
def test_a_truncated_file_is_refused_and_names_what_would_disappear(session, tmp_path, importer):
    run(ftm(tmp_path, "full.jsonl", range(41)))
    with pytest.raises(ListShrinks) as refused:
        importer(ftm(tmp_path, "truncated.jsonl", range(5)))
    problem = refused.value.to_dict()
    assert (problem["status"], problem["type"]) == (409, "https://rarex.example/problems/list-shrinks")
    assert (problem["current_version"], problem["current_entries"], problem["new_entries"], problem["dropped_count"]) == (
        1, 41, 5, 36)
    assert problem["dropped"][:2] == [{"id": "e5", "name": "Company 5 Ltd"}, {"id": "e6", "name": "Company 6 Ltd"}]
    assert len(problem["dropped"]) == list_import.SHOWN_DROPPED
    assert "would drop 36 of the 41 entities of uel version 1" in problem["detail"] and "--allow-shrink" in problem["detail"]
    assert counts(session) == (1, 1, 41) and in_force(session) == [(1, 41)]
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == 1  # the first import's only


def test_dropping_up_to_the_limit_imports_and_one_more_is_refused(session, tmp_path, limit):
    run(ftm(tmp_path, "full.jsonl", range(41)))
    with pytest.raises(ListShrinks):
        run(ftm(tmp_path, "minus9.jsonl", range(9, 41)))  # 9 of 41: 22%
    result = run(ftm(tmp_path, "minus8.jsonl", [*range(8, 41), 100]))  # 8 of 41: 19.5%, one added
    assert (result.version.version, result.entries, result.dropped) == (2, 34, 8)
    limit(0.5)
    assert run(ftm(tmp_path, "half.jsonl", range(8, 25)), title="x").version.version == 3  # 17 of 34 dropped: 50%
    assert in_force(session) == [(3, 17)]


def test_allow_shrink_imports_the_smaller_list_and_the_audit_says_so(session, tmp_path):
    run(ftm(tmp_path, "full.jsonl", range(41)))
    result = run(ftm(tmp_path, "truncated.jsonl", range(5)), allow_shrink=True)
    assert (result.version.version, result.dropped) == (2, 36) and in_force(session) == [(2, 5)]
    event = session.execute(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)).scalar_one()
    assert (event.after["dropped"], event.after["allow_shrink"], event.before["entry_count"]) == (36, True, 41)


def test_cli_refuses_a_shrinking_file_in_one_line_and_imports_it_with_allow_shrink(cli, session, tmp_path):
    base = ("screening", "import", "--list", "uel", "--format", "ftm")
    assert cli(*base[:2], str(ftm(tmp_path, "full.jsonl", range(41))), *base[2:]).exit_code == 0
    truncated = str(ftm(tmp_path, "truncated.jsonl", range(5)))
    r = cli(*base[:2], truncated, *base[2:])
    assert r.exit_code == 2
    assert "would drop 36 of the 41 entities" in " ".join(r.stderr.split()) and "e5 Company 5 Ltd" in r.stderr
    assert in_force(session) == [(1, 41)] and counts(session) == (1, 1, 41)
    r = cli(*base[:2], truncated, *base[2:], "--allow-shrink", "--json")
    assert r.exit_code == 0, r.output
    assert (json.loads(r.stdout)["dropped_count"], json.loads(r.stdout)["version"]["version"]) == (36, 2)


# --- staging ----------------------------------------------------------------------------------


def test_a_staged_import_is_invisible_until_swapped_and_other_writes_go_on(session, tmp_path, monkeypatch):
    """Between batches the new version is in force nowhere and another transaction may write."""
    run(ftm(tmp_path, "v1.jsonl", range(3)))
    monkeypatch.setattr(list_import, "BATCH", 2)
    seen: list[tuple] = []

    @contextmanager
    def writes():
        with unit_of_work() as s:
            yield s
        with unit_of_work() as other:  # between two of the import's transactions
            other.execute(text("UPDATE screening_lists SET title = title"))
            seen.append((in_force(other), [v.version for v in lists.get_list(other, ADMIN, "uel").versions]))

    result = staged(ftm(tmp_path, "v2.jsonl", range(7)), writes=writes)
    assert result.version.version == 2 and in_force(session) == [(2, 7)]
    before_swap = seen[:-1]
    assert len(before_swap) >= 4 and all(s == ([(1, 3)], [1]) for s in before_swap)
    assert seen[-1] == ([(2, 7)], [1, 2])
    assert session.scalar(select(func.count()).where(ListVersion.staged_at.is_not(None))) == 0


def test_a_staged_import_that_fails_removes_what_it_staged(session, tmp_path, monkeypatch):
    run(ftm(tmp_path, "v1.jsonl", range(3)))
    monkeypatch.setattr(list_import, "BATCH", 2)
    path = ftm(tmp_path, "broken.jsonl", range(7))
    with path.open("ab") as fh:
        fh.write('{"id": "gbk", "schema": "Company", "properties": {"name": ["深圳"]}}\n'.encode("gb18030"))
    with pytest.raises(InvalidInput, match="line 8 is not utf-8 text"):
        staged(path)
    assert counts(session) == (1, 1, 3) and in_force(session) == [(1, 3)]


def test_a_new_list_whose_staged_import_fails_leaves_no_list(session, tmp_path, monkeypatch):
    monkeypatch.setattr(list_import, "BATCH", 2)
    path = ftm(tmp_path, "broken.jsonl", range(5))
    path.write_bytes(path.read_bytes() + b'{"id": "x", "schema": "Company", "properties": {"name": ["\xff"]}}\n')
    with pytest.raises(InvalidInput):
        staged(path)
    assert counts(session) == (0, 0, 0)


def _stage_by_hand(session, minutes_ago: float) -> int:
    """A staged version as an import leaves it when its process dies."""
    with unit_of_work() as s:
        lst = s.execute(select(ScreeningList).where(ScreeningList.name == "uel")).scalar_one()
        at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=minutes_ago)
        v = ListVersion(list_id=lst.id, version=2, source="dead.jsonl", format="ftm", checksum="d" * 64,
                        imported_at=at, staged_at=at)
        s.add(v)
        s.flush()
        s.add_all(ListEntity(version_id=v.id, entity_id=f"d{i}", name=f"Dead {i}") for i in range(5))
        return v.id


def test_an_abandoned_staged_import_is_removed_by_the_next_import(session, tmp_path):
    run(ftm(tmp_path, "v1.jsonl", range(3)))
    _stage_by_hand(session, minutes_ago=get_settings().list_import_stale_minutes + 1)
    assert counts(session) == (1, 2, 8) and in_force(session) == [(1, 3)]
    result = staged(ftm(tmp_path, "v2.jsonl", range(4)))
    assert result.version.version == 2 and in_force(session) == [(2, 4)] and counts(session) == (1, 2, 7)


def test_a_running_staged_import_refuses_a_second_import_of_the_same_list(session, tmp_path):
    run(ftm(tmp_path, "v1.jsonl", range(3)))
    _stage_by_hand(session, minutes_ago=1)
    with pytest.raises(Conflict, match="an import of list 'uel' is running"):
        staged(ftm(tmp_path, "v2.jsonl", range(4)))
    assert counts(session) == (1, 2, 8)  # the running import's rows are left to it
    other = list_import.import_list_staged(ADMIN, ftm(tmp_path, "o.jsonl", range(2)), list_name="other", format="ftm")
    assert other.version.version == 1  # another list imports meanwhile


def test_a_staged_import_removed_as_abandoned_stops_with_a_conflict(session, tmp_path, monkeypatch):
    run(ftm(tmp_path, "v1.jsonl", range(3)))
    monkeypatch.setattr(list_import, "BATCH", 2)
    calls = 0

    @contextmanager
    def writes():
        nonlocal calls
        calls += 1
        if calls == 4:  # after the first batch: another import took this one for dead and removed it
            list_import._remove(unit_of_work, session.scalar(select(ListVersion.id).where(ListVersion.staged_at.is_not(None))))
        with unit_of_work() as s:
            yield s

    with pytest.raises(Conflict, match="was removed as abandoned"):
        staged(ftm(tmp_path, "v2.jsonl", range(7)), writes=writes)
    assert counts(session) == (1, 1, 3) and in_force(session) == [(1, 3)]
