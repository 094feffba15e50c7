"""Who sees an organisation's eligibility over the API, and the same answer from the CLI."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from typer.testing import CliRunner

from rarex.cli.main import app as cli
from rarex.core.authz import Role
from rarex.parties.models import Violation
from tests.factories import bearer, make_org, make_user

GOOD = dict(has_icp=True, icp_established_on=dt.date(2020, 1, 1), icp_last_audit_on=dt.date(2025, 9, 1),
            export_experience_years=6, stable_channels=True, foreign_control_list_affiliate=False)


@pytest.fixture
def orgs(session):
    org = make_org(session, **GOOD)
    other = make_org(session, **GOOD)
    session.add(Violation(org_id=other.id, kind="serious_administrative", decided_on=dt.date(2022, 5, 1),
                          description="exported beyond licence", legal_ref="ECL Art. 34"))
    users = {role: make_user(session, role, org if role == Role.exporter else None) for role in Role}
    session.commit()
    headers = {role: bearer(session, u) for role, u in users.items()}
    return org, other, headers


def url(org_id, query="?licence_type=general&on=2026-03-10"):
    return f"/api/v1/organisations/{org_id}/eligibility{query}"


def test_exporter_sees_its_own_answer_and_not_another_organisations(client, orgs):
    org, other, h = orgs
    r = client.get(url(org.id), headers=h[Role.exporter])
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["org_id"] == org.id and body["licence_type"] == "general" and body["on"] == "2026-03-10"
    assert body["status"] == "pending_review" and body["failing"] == []
    assert body["needs_review"] == ["mofcom_other_exclusion", "watch_list_party", "control_list_party"]
    assert all({"code", "status", "reason", "legal_ref", "label_en"} <= c.keys() for c in body["conditions"])

    r = client.get(url(other.id), headers=h[Role.exporter])
    assert r.status_code == 404 and r.headers["content-type"].startswith("application/problem+json")
    missing = client.get(url(999999), headers=h[Role.exporter])
    assert (missing.status_code, missing.json()["title"]) == (404, r.json()["title"])


@pytest.mark.parametrize("role", [Role.officer, Role.senior_officer, Role.auditor, Role.admin])
def test_reviewers_auditors_and_admins_see_any_organisation(client, orgs, role):
    _, other, h = orgs
    r = client.get(url(other.id), headers=h[role])
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["status"] == "not_eligible" and body["failing"] == ["serious_administrative_penalty"]
    failing = next(c for c in body["conditions"] if c["code"] == "serious_administrative_penalty")
    assert failing["status"] == "not_met" and "2022-05-01" in failing["reason"] and failing["legal_ref"] == "DUR Art. 20 (2)"


def test_customs_is_forbidden_and_anonymous_must_sign_in(client, orgs):
    org, _, h = orgs
    r = client.get(url(org.id), headers=h[Role.customs])
    assert r.status_code == 403 and r.json()["action"] == "eligibility.read"
    r = client.get(url(org.id))
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"


def test_defaults_to_general_today_and_refuses_unknown_types(client, orgs):
    from rarex.policy.service import get_pack

    org, _, h = orgs
    body = client.get(url(org.id, ""), headers=h[Role.officer]).json()
    assert body["licence_type"] == "general" and body["on"] == get_pack().today().isoformat()
    r = client.get(url(org.id, "?licence_type=golden"), headers=h[Role.officer])
    assert r.status_code == 422 and "unknown licence type" in r.json()["detail"]
    r = client.get(url(org.id, "?on=2026-13-01"), headers=h[Role.officer])
    assert r.status_code == 422
    body = client.get(url(org.id, "?licence_type=individual"), headers=h[Role.officer]).json()
    assert body["status"] == "eligible" and body["conditions"] == []


def test_profile_field_for_foreign_control_list_affiliates_round_trips_and_changes_the_answer(client, orgs):
    org, _, h = orgs
    profile = {"has_icp": True, "icp_established_on": "2020-01-01", "icp_last_audit_on": "2025-09-01",
               "export_experience_years": 6, "briefings_attended": 1, "stable_channels": True,
               "foreign_control_list_affiliate": True}
    r = client.put(f"/api/v1/organisations/{org.id}/compliance-profile", json=profile, headers=h[Role.exporter])
    assert r.status_code == 200 and r.json()["foreign_control_list_affiliate"] is True
    body = client.get(url(org.id), headers=h[Role.exporter]).json()
    assert body["status"] == "not_eligible" and body["failing"] == ["foreign_control_list_affiliate"]

    del profile["foreign_control_list_affiliate"]  # PUT replaces the profile: left out is "not stated"
    r = client.put(f"/api/v1/organisations/{org.id}/compliance-profile", json=profile, headers=h[Role.exporter])
    assert r.json()["foreign_control_list_affiliate"] is None
    body = client.get(url(org.id), headers=h[Role.exporter]).json()
    assert body["status"] == "pending_review" and "foreign_control_list_affiliate" in body["needs_review"]

    r = client.put(f"/api/v1/organisations/{org.id}/compliance-profile", headers=h[Role.exporter],
                   json={**profile, "foreign_control_list_affiliate": "maybe"})
    assert r.status_code == 422


runner = CliRunner()


def test_cli_json_by_id_or_credit_code(orgs):
    org, other, _ = orgs
    r = runner.invoke(cli, ["orgs", "eligibility", other.uscc, "--on", "2026-03-10", "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["org_id"] == other.id and out["status"] == "not_eligible" and out["failing"] == ["serious_administrative_penalty"]
    # the penalty of 2022-05-01 counts through 2027-05-01
    out = json.loads(runner.invoke(cli, ["orgs", "eligibility", str(other.id), "--on", "2027-05-02", "--json"]).stdout)
    assert out["status"] == "pending_review" and out["on"] == "2027-05-02"

    out = json.loads(runner.invoke(cli, ["orgs", "eligibility", str(org.id), "--licence-type", "individual", "--json"]).stdout)
    assert out["status"] == "eligible" and out["licence_type"] == "individual"


def test_cli_table_and_errors(orgs):
    _, other, _ = orgs
    r = runner.invoke(cli, ["orgs", "eligibility", str(other.id), "--on", "2026-03-10"])
    assert r.exit_code == 0, r.output
    assert "not eligible" in r.stdout and "serious_administrative_penalty" in r.stdout
    r = runner.invoke(cli, ["orgs", "eligibility", "999999"])
    assert r.exit_code == 2 and "not found" in r.stderr and r.stdout == ""
    r = runner.invoke(cli, ["orgs", "eligibility", str(other.id), "--licence-type", "golden"])
    assert r.exit_code == 2 and "unknown licence type" in r.stderr and len(r.stderr.strip().splitlines()) == 1
