"""``POST /api/v1/policy/impact`` and ``rarex policy impact``: the same report, precise errors."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from rarex.core.authz import Role
from tests.factories import bearer, make_user
from tests.impact.helpers import build_world, today
from tests.impact.test_impact import _prohibition_draft

URL = "/api/v1/policy/impact"


@pytest.fixture
def world(session):
    return build_world(session, "1C905.b")


@pytest.mark.parametrize("role", [Role.officer, Role.senior_officer, Role.auditor, Role.admin])
def test_the_ministry_gets_the_report(client, session, world, role):
    start = today() + dt.timedelta(days=5)
    r = client.post(f"{URL}?on={start}", content=_prohibition_draft(start), headers=bearer(session, make_user(session, role)))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["counts"] == {"now_prohibited": {"application": 1, "licence": 1, "shipment": 1}}
    assert {row["ref"] for row in body["rows"] if row["subject"] == "licence"} == {"CNDU-G2026-770001"}
    # the day before: nothing
    r = client.post(f"{URL}?on={start - dt.timedelta(days=1)}", content=_prohibition_draft(start),
                    headers=bearer(session, make_user(session, role)))
    assert r.json()["rows"] == []


def test_on_defaults_to_the_drafts_date(client, session, world):
    start = today() + dt.timedelta(days=5)
    r = client.post(URL, content=_prohibition_draft(start), headers={**bearer(session, make_user(session, Role.officer)),
                                                                     "Content-Type": "application/yaml"})
    assert r.status_code == 200 and r.json()["on"] == start.isoformat()


@pytest.mark.parametrize("role", [Role.exporter, Role.customs])
def test_exporters_and_customs_may_not(client, session, world, role):
    user = make_user(session, role, world.org if role == Role.exporter else None)
    r = client.post(URL, content=_prohibition_draft(today()), headers=bearer(session, user))
    assert r.status_code == 403 and r.headers["content-type"] == "application/problem+json"


def test_anonymous_must_sign_in(client, world):
    assert client.post(URL, content=_prohibition_draft(today())).status_code == 401


@pytest.mark.parametrize("content, status, detail", [
    (b"code: x\nentries: [\n", 422, "draft.yaml:3:"),
    (b"code: x\n", 422, "draft.yaml:1: description_en: Field required"),
    (b"\xff\xfe", 422, "not UTF-8"),
    (b"x" * (256 * 1024 + 1), 413, "larger than 256 KiB"),
])
def test_a_bad_draft_is_a_problem_document(client, session, world, content, status, detail):
    r = client.post(URL, content=content, headers=bearer(session, make_user(session, Role.officer)))
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert detail in body["detail"] or any(detail in e for e in body.get("errors", [])), body


def test_a_bad_date_is_a_problem_document(client, session, world):
    r = client.post(f"{URL}?on=2025-02-30", content=_prohibition_draft(today()),
                    headers=bearer(session, make_user(session, Role.officer)))
    assert r.status_code == 422


def test_cli_json_and_table(cli, world, tmp_path):
    start = today() + dt.timedelta(days=5)
    path = tmp_path / "ban.yaml"
    path.write_text(_prohibition_draft(start), encoding="utf-8")
    result = cli("policy", "impact", str(path), "--on", start.isoformat(), "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["counts"] == {"now_prohibited": {"application": 1, "licence": 1, "shipment": 1}}
    assert out["draft"] == "ban.yaml"
    result = cli("policy", "impact", str(path), "--on", start.isoformat())
    assert result.exit_code == 0 and "now prohibited: 1 application, 1 licence, 1 shipment" in result.stdout
    result = cli("policy", "impact", str(path), "--on", (start - dt.timedelta(days=1)).isoformat())
    assert result.exit_code == 0 and "Nothing pending, usable or recently shipped is touched" in result.stdout


def test_cli_errors(cli, world, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("code: x\ndescription_en: y\n", encoding="utf-8")
    result = cli("policy", "impact", str(bad))
    assert result.exit_code == 2
    assert "bad.yaml:1: description_zh: Field required" in result.stderr
    result = cli("policy", "impact", str(tmp_path / "missing.yaml"))
    assert result.exit_code == 2 and "cannot read" in result.stderr
    result = cli("policy", "impact", str(bad), "--window-days", "0")
    assert result.exit_code == 2
