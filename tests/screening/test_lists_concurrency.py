"""Imports of one list at the same time, on SQLite and PostgreSQL: versions are numbered once
each, and a race to create a new list is refused cleanly, never half-done."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from threading import Barrier

from sqlalchemy import select

from rarex.core.authz import Principal
from rarex.core.db import unit_of_work
from rarex.core.errors import Problem
from rarex.screening import list_import
from rarex.screening.models import ListVersion

ADMIN = Principal.system("race")


def big_file(tmp_path: Path, name: str, n: int = 3000) -> Path:
    path = tmp_path / name
    path.write_text("".join(json.dumps({"id": f"{name}-{i}", "schema": "Company", "properties": {"name": [f"{name} Co {i}"]}})
                            + "\n" for i in range(n)), encoding="utf-8")
    return path


def attempt(path: Path, barrier: Barrier) -> str:
    barrier.wait(timeout=60)
    try:
        with unit_of_work() as s:
            result = list_import.import_list(s, ADMIN, path, list_name="race-list", format="ftm", allow_shrink=True)
        return "unchanged" if result.unchanged else f"v{result.version.version}"
    except Problem as exc:
        return exc.slug


def test_two_new_files_at_once_become_the_next_two_versions(session, tmp_path):
    with unit_of_work() as s:
        list_import.import_list(s, ADMIN, big_file(tmp_path, "first", 10), list_name="race-list", format="ftm")
    files = [big_file(tmp_path, "a"), big_file(tmp_path, "b")]
    barrier = Barrier(2)
    with ThreadPoolExecutor(2) as pool:
        outcomes = sorted(pool.map(lambda p: attempt(p, barrier), files))
    assert outcomes == ["v2", "v3"]
    versions = session.execute(select(ListVersion).order_by(ListVersion.version)).scalars().all()
    assert [(v.version, v.entry_count) for v in versions] == [(1, 10), (2, 3000), (3, 3000)]
    assert len({v.checksum for v in versions}) == 3


def test_the_same_file_twice_at_once_makes_one_version(session, tmp_path):
    path = big_file(tmp_path, "a")
    barrier = Barrier(2)
    with ThreadPoolExecutor(2) as pool:
        outcomes = sorted(pool.map(lambda _: attempt(path, barrier), range(2)))
    # SQLite runs them one after the other (the second finds the file imported); PostgreSQL may
    # let both start on the new list, and then refuses the second when the first commits.
    assert outcomes in (["unchanged", "v1"], ["conflict", "v1"])
    assert [v.version for v in session.execute(select(ListVersion)).scalars()] == [1]
