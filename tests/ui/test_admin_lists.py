"""Restricted-party lists for the administrator over HTTP: versions, entities, and an import
that runs in the background with its progress, reaching a new version."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from rarex.core import jobs
from rarex.core.authz import Role
from rarex.core.db import utcnow
from rarex.core.jobs import Job
from rarex.screening.models import ListVersion, ScreeningList
from rarex.users.models import User
from rarex.web import jobs as runner
from tests.factories import make_user
from tests.screening.helpers import hold_list_imports
from tests.ui.helpers import HTML, csrf_of, sign_in

LIST_FILE = Path(__file__).parents[1] / "screening" / "data" / "list.ftm.jsonl"


@pytest.fixture
def admin(client, session):
    make_user(session, Role.admin, username="ada")
    session.commit()
    sign_in(client, "ada")
    return client


def _post(client, content: bytes, name: str = "list.ftm.jsonl", token: str | None = None, **fields):
    if token is None:
        token = csrf_of(client.get("/admin/lists/import", headers=HTML).text)
    data = {"csrf_token": token, "list_name": "us-entity-list", "format": "ftm", "encoding": "utf-8", "separator": ";",
            **fields}
    return client.post("/admin/lists/import", data=data, files={"file": (name, content, "application/octet-stream")},
                       headers=HTML, follow_redirects=False)


def _import(client, content: bytes, **fields) -> str:
    r = _post(client, content, **fields)
    assert r.status_code == 303, r.text[:800]
    runner.wait(int(r.headers["location"].rsplit("/", 1)[1]))
    return r.headers["location"]


def _lines(drop: int = 0, change: int = 0, add: int = 0) -> bytes:
    """The test list without its first ``drop`` entities, ``change`` of the rest renamed, ``add`` new ones."""
    rows = [json.loads(line) for line in LIST_FILE.read_text().splitlines() if line.strip()][drop:]
    for row in rows[:change]:
        row["properties"]["name"] = [row["properties"]["name"][0] + " (renamed)"]
    rows += [{"id": f"new-{i}", "schema": "Company", "properties": {"name": [f"New Entity {i}"]}} for i in range(add)]
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode()


def test_an_import_reaches_done_and_the_version_is_there_to_read(admin, session):
    url = _import(admin, LIST_FILE.read_bytes(), title="US Entity List")
    page = admin.get(url, headers=HTML).text
    version = session.execute(select(ListVersion).join(ScreeningList).where(ScreeningList.name == "us-entity-list")).scalar_one()
    assert version.version == 1 and version.staged_at is None and version.entry_count > 100
    assert "Version 1 of us-entity-list is in force" in page
    assert re.search(rf'data-testid="entries">{version.entry_count}<', page)
    assert re.search(rf'data-testid="added">{version.entry_count}<', page)
    lists = admin.get("/admin/lists", headers=HTML).text
    assert 'data-testid="list-us-entity-list"' in lists and "US Entity List" in lists
    assert 'data-testid="version-1"' in admin.get("/admin/lists/us-entity-list", headers=HTML).text

    entities = admin.get("/admin/lists/us-entity-list/versions/1", headers=HTML).text
    assert entities.count('data-testid="entity-') == 50 and 'rel="next"' in entities
    by_alias = admin.get("/admin/lists/us-entity-list/versions/1", params={"q": "huawei"}, headers=HTML).text
    assert 'data-testid="entity-us-el-huawei"' in by_alias and "1 entities match." in by_alias
    by_name = admin.get("/admin/lists/us-entity-list/versions/1", params={"q": "华为"}, headers=HTML).text
    assert 'data-testid="entity-us-el-huawei"' in by_name
    out = admin.get("/admin/lists/us-entity-list/versions/1", params={"q": "huawei", "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(out.text)))
    assert [r["entity_id"] for r in rows] == ["us-el-huawei"] and "Huawei Technologies" in rows[0]["aliases"]
    assert "us-entity-list" in admin.get("/admin/lists", params={"format": "csv"}).text


def test_a_new_version_counts_what_it_added_removed_and_changed(admin, session):
    _import(admin, LIST_FILE.read_bytes())
    page = admin.get(_import(admin, _lines(drop=3, change=2, add=4)), headers=HTML).text
    assert "Version 2 of us-entity-list is in force" in page
    assert re.search(r'data-testid="added">4<', page) and re.search(r'data-testid="removed">3<', page)
    assert re.search(r'data-testid="changed">2<', page)
    again = admin.get(_import(admin, _lines(drop=3, change=2, add=4)), headers=HTML).text
    assert "is version 2 of the list already" in again


def test_a_list_that_shrinks_too_much_is_refused_unless_the_admin_says_it_did(admin, session):
    _import(admin, LIST_FILE.read_bytes())
    page = admin.get(_import(admin, _lines(drop=150)), headers=HTML).text
    assert "The file would drop 150 of the" in page and "Nothing was imported" in page
    assert session.scalar(select(func.count()).select_from(ListVersion)) == 1
    assert "文件将删除" in admin.get(_import(admin, _lines(drop=150)), params={"lang": "zh"}, headers=HTML).text
    ok = admin.get(_import(admin, _lines(drop=150), allow_shrink="1"), headers=HTML).text
    assert "Version 2 of us-entity-list is in force" in ok and re.search(r'data-testid="removed">150<', ok)


def test_progress_is_polled_until_the_import_ends(admin, session, monkeypatch):
    release = threading.Event()
    reported = hold_list_imports(monkeypatch, release)
    r = _post(admin, LIST_FILE.read_bytes())
    url = r.headers["location"]
    assert reported.wait(60)
    page = admin.get(url, headers=HTML).text
    assert 'hx-get="' + url + '/progress"' in page and 'hx-trigger="every 1s"' in page
    assert '<noscript><meta http-equiv="refresh"' in page
    fragment = admin.get(url + "/progress", headers={**HTML, "HX-Request": "true"})
    assert 'value="50"' in fragment.text and 'max="100"' in fragment.text and "50%" in fragment.text
    assert "reading the file (step 1 of 2)" in fragment.text
    assert "HX-Refresh" not in fragment.headers
    release.set()
    runner.wait(int(url.rsplit("/", 1)[1]))
    done = admin.get(url + "/progress", headers={**HTML, "HX-Request": "true"})
    assert done.headers["HX-Refresh"] == "true" and "hx-get" not in done.text
    assert session.scalar(select(ListVersion.version)) == 1


def test_the_pages_say_which_step_of_the_import_the_progress_counts(admin, session, monkeypatch):
    release = threading.Event()
    reported = hold_list_imports(monkeypatch, release, step="indexing")
    try:
        url = _post(admin, LIST_FILE.read_bytes()).headers["location"]
        assert reported.wait(60)
        fragment = admin.get(url + "/progress", headers={**HTML, "HX-Request": "true"}).text
        assert "building the search index (step 2 of 2)" in fragment and 'value="40"' in fragment and "40%" in fragment
        assert "建立检索索引（第 2 步，共 2 步）" in admin.get(url, params={"lang": "zh"}, headers=HTML).text
        row = re.search(r'data-testid="import-\d+">.*?</tr>', admin.get("/admin/lists", headers=HTML).text, re.S)
        assert row and "Running: building the search index (step 2 of 2), 40%" in re.sub(r"<[^>]+>", "", row[0])
    finally:
        release.set()
    runner.wait(int(url.rsplit("/", 1)[1]))
    assert "step 2 of 2" not in admin.get("/admin/lists", headers=HTML).text


def test_a_real_import_reports_the_file_read_then_the_index_built(admin, session, monkeypatch):
    reports: list[tuple[str, int, int]] = []
    original = jobs.report
    monkeypatch.setattr(jobs, "report", lambda job_id, done, total, phase="": (reports.append((phase, done, total)),
                                                                              original(job_id, done, total, phase)))
    _import(admin, LIST_FILE.read_bytes())
    phases = [phase for phase, _, _ in reports]
    assert phases == sorted(phases, key=["reading", "indexing"].index) and phases[0] == "reading"
    assert ("indexing", 0, session.scalar(select(ListVersion.entry_count))) in reports
    assert reports[-1][0] == "indexing" and reports[-1][1] == reports[-1][2]  # every entity indexed
    assert session.scalar(select(Job.phase)) == "indexing"


@pytest.mark.parametrize(("fields", "name", "content", "field", "words"), [
    ({"list_name": "Bad Name"}, "l.jsonl", b"{}", "list_name", "lower-case letters"),
    ({"format": "csv", "mapping": "name"}, "l.csv", b"a\n", "mapping", "FIELD=COLUMN"),
    ({}, "list.csv", b"{}", "file", "Choose a file ending in .json / .jsonl / .ndjson"),
    ({"format": "opensanctions-csv"}, "t.csv", b"a,b\n1,2\n", "file", "first line does not name the columns"),
    ({"format": "opensanctions-csv"}, "t.csv", "id,schema,name\nx,Company,Ä\n".encode("latin-1"), "file", "encoding"),
    ({}, "empty.jsonl", b"", "file", "The file is empty."),
])
def test_a_bad_form_or_file_is_refused_beside_its_field_and_nothing_is_written(admin, session, fields, name, content,
                                                                                field, words):
    r = _post(admin, content, name=name, **fields)
    assert r.status_code == 400 and words in r.text and f'id="{field}-error"' in r.text
    if "list_name" in fields:
        assert 'value="Bad Name"' in r.text  # what was typed stays
    assert session.scalar(select(func.count()).select_from(ScreeningList)) == 0
    assert session.scalar(select(func.count()).select_from(Job)) == 0


def test_roles_and_form_tokens(client, session):
    make_user(session, Role.admin, username="ada")
    make_user(session, Role.auditor, username="aud")
    make_user(session, Role.customs, username="hai")
    session.commit()
    sign_in(client, "ada")
    assert _post(client, LIST_FILE.read_bytes(), token="forged").status_code == 403
    no_token = client.post("/admin/lists/import", data={"list_name": "x", "format": "ftm"},
                           files={"file": ("l.jsonl", b"{}", "text/plain")}, headers=HTML)
    assert no_token.status_code == 403
    url = _import(client, LIST_FILE.read_bytes())
    client.cookies.clear()
    sign_in(client, "aud")  # the auditor reads, imports nothing
    assert client.get("/admin/lists", headers=HTML).status_code == 200
    assert client.get(url, headers=HTML).status_code == 200
    assert client.get("/admin/lists/us-entity-list/versions/1", headers=HTML).status_code == 200
    assert "Import a list file" not in client.get("/admin/lists", headers=HTML).text
    assert client.get("/admin/lists/import", headers=HTML).status_code == 403
    token = csrf_of(client.get("/admin/lists", headers=HTML).text)
    assert _post(client, LIST_FILE.read_bytes(), token=token).status_code == 403
    client.cookies.clear()
    sign_in(client, "hai")
    assert client.get("/admin/lists", headers=HTML).status_code == 403
    assert client.get(url, headers=HTML).status_code == 403
    assert session.scalar(select(func.count()).select_from(Job)) == 1


def test_an_import_whose_process_died_reads_as_interrupted(admin, session):
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()  # a process of this host that no longer exists
    ada = session.execute(select(User).where(User.username == "ada")).scalar_one()
    dead = Job(kind="screening-list", subject="us-entity-list", filename="big.jsonl", size=10, owner_id=ada.id, owner="ada",
               runner=f"{socket.gethostname()}:{gone.pid}", done=5, total=10)
    silent = Job(kind="screening-list", subject="us-entity-list", filename="old.jsonl", size=10, owner_id=ada.id,
                 owner="ada", runner="another-host:1", updated_at=utcnow() - dt.timedelta(hours=2))
    session.add_all([dead, silent])
    session.commit()
    for job in (dead, silent):
        page = admin.get(f"/admin/lists/imports/{job.id}", headers=HTML)
        assert "The import was interrupted" in page.text and "hx-get" not in page.text
        assert admin.get(f"/admin/lists/imports/{job.id}/progress", headers=HTML).headers["HX-Refresh"] == "true"
    assert "Interrupted" in admin.get("/admin/lists", headers=HTML).text
