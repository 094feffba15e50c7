"""POST /api/v1/policy/determine and ``rarex determine``: who may ask, and an exporter's own eligibility."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from rarex.core.authz import Role
from rarex.parties.models import Violation
from tests.eligibility.test_api_cli import GOOD
from tests.factories import bearer, make_org, make_user

URL = "/api/v1/policy/determine"
BODY = {"element": "Dy", "form": "oxide", "destination": "JP", "end_user_category": "civil", "end_use_category": "civil",
        "on": "2026-01-06"}


@pytest.fixture
def orgs(session):
    org = make_org(session, **GOOD)
    excluded = make_org(session, **GOOD)
    session.add(Violation(org_id=excluded.id, kind="serious_administrative", decided_on=dt.date(2022, 5, 1),
                          description="exported beyond licence", legal_ref="ECL Art. 34"))
    users = {role: make_user(session, role, org if role == Role.exporter else None) for role in Role}
    session.commit()
    return org, excluded, {role: bearer(session, u) for role, u in users.items()}


def types(body) -> dict:
    return {t["type"]: t["available"] for t in body["licence_types"]}


def test_the_answer_shape(client, orgs):
    r = client.post(URL, json=BODY, headers=orgs[2][Role.exporter])
    assert r.status_code == 200, r.text
    body = r.json()
    assert {"licence_required", "prohibited", "licence_types", "reasons", "caveat"} <= body.keys()
    assert body["licence_required"] is True and body["prohibited"] is False and body["caveat"] is None
    assert all(set(t) == {"type", "available", "reasons", "reasons_zh"} for t in body["licence_types"])
    assert all(len(t["reasons_zh"]) == len(t["reasons"]) for t in body["licence_types"])
    assert all(set(x) == {"rule", "rule_zh", "legal_ref", "legal_ref_zh"} for x in body["reasons"])


def test_an_exporter_sees_its_own_eligibility_and_not_another_organisations(client, orgs):
    org, excluded, h = orgs
    own = client.post(URL, json={**BODY, "org": org.uscc}, headers=h[Role.exporter]).json()
    general = next(t for t in own["licence_types"] if t["type"] == "general")
    assert general["available"] is None  # eligible pending review of what only MOFCOM or the parties decide
    assert any("pending officer review" in r for r in general["reasons"])
    r = client.post(URL, json={**BODY, "org": excluded.uscc}, headers=h[Role.exporter])
    assert r.status_code == 404 and r.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize("role", [Role.officer, Role.senior_officer, Role.auditor, Role.admin])
def test_an_excluded_exporter_has_no_general_licence_or_registration(client, orgs, role):
    _, excluded, h = orgs
    r = client.post(URL, json={**BODY, "org": excluded.uscc, "registration_case": "repair_test_inbound"}, headers=h[role])
    assert r.status_code == 200, r.text
    body = r.json()
    assert types(body) == {"individual": True, "general": False, "registration_voucher": False}
    general = next(t for t in body["licence_types"] if t["type"] == "general")
    assert any("DUR Art. 20 (2)" in x and "2022-05-01" in x for x in general["reasons"])
    assert body["query"]["org"] == excluded.uscc


def test_an_exclusion_does_not_open_what_a_prohibition_closes(client, orgs):
    _, excluded, h = orgs
    before = client.post(URL, json={**BODY, "end_user_category": "military", "on": "2026-01-05", "org": excluded.uscc},
                         headers=h[Role.officer]).json()
    assert before["prohibited"] is False and types(before)["individual"] is True and types(before)["general"] is False
    after = client.post(URL, json={**BODY, "end_user_category": "military", "on": "2026-01-06", "org": excluded.uscc},
                        headers=h[Role.officer]).json()
    assert after["prohibited"] is True and set(types(after).values()) == {False}


def test_customs_is_forbidden_and_anonymous_must_sign_in(client, orgs):
    h = orgs[2]
    r = client.post(URL, json=BODY, headers=h[Role.customs])
    assert r.status_code == 403 and r.json()["action"] == "determination.run"
    assert client.post(URL, json=BODY).status_code == 401


@pytest.mark.parametrize("body, detail", [
    ({**BODY, "destination": "ZZ"}, "destination 'ZZ'"),
    ({**BODY, "end_user_category": "pirate"}, "unknown end user category"),
    ({k: v for k, v in BODY.items() if k != "end_user_category"}, "end_user_category"),
    ({**BODY, "element": None, "form": None}, "give at least one of"),
    ({**BODY, "code": "1C999.z"}, "unknown control code"),
    ({**BODY, "org": "not-a-code"}, "neither an organisation id nor"),
])
def test_bad_input_is_a_problem_document(client, orgs, body, detail):
    r = client.post(URL, json=body, headers=orgs[2][Role.officer])
    assert r.status_code == 422 and detail in r.json()["detail"], r.text


def test_cli_with_and_without_an_exporter(cli, orgs):
    _, excluded, _ = orgs
    args = ["determine", "--element", "Dy", "--form", "oxide", "--destination", "JP", "--end-user-category", "civil",
            "--end-use-category", "civil", "--on", "2026-01-06", "--json"]
    r = cli(*args)
    assert r.exit_code == 0, r.stderr
    assert types(json.loads(r.stdout)) == {"individual": True, "general": None, "registration_voucher": None}
    r = cli(*args, "--org", excluded.uscc)
    assert r.exit_code == 0, r.stderr
    assert types(json.loads(r.stdout))["general"] is False
    r = cli(*args[:-1])  # the table
    assert r.exit_code == 0 and "individual" in r.stdout and "MOFCOM Ann. 2026 No. 1" in r.stdout


@pytest.mark.parametrize("extra, message", [
    (["--end-user-category", "pirate"], "unknown end user category 'pirate'"),
    (["--end-user-category", "civil", "--org", "91110000MA9999999X"], "not found"),
    (["--end-user-category", "civil", "--destination", "JPNX"], "--destination"),
])
def test_cli_errors_are_one_line(cli, orgs, extra, message):
    r = cli("determine", "--element", "Dy", "--destination", "JP", *extra, "--on", "2026-01-06")
    assert r.exit_code == 2, r.stdout
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], r.stderr
