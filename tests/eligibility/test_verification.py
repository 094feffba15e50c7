"""Verified compliance facts: the exporter states its profile, an officer verifies the facts
eligibility reads, and an exporter editing its own profile cannot make itself eligible."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from rarex.cli.main import app as cli
from rarex.core.audit import AuditEvent
from rarex.core.authz import Role
from rarex.parties.models import VERIFIED_FACTS
from tests.applications.general_helpers import GeneralWorld
from tests.factories import bearer, make_org, make_user

STATED = {"has_icp": True, "icp_established_on": "2020-01-01", "icp_last_audit_on": "2025-09-01",
          "export_experience_years": 6, "briefings_attended": 1, "stable_channels": True,
          "foreign_control_list_affiliate": False}
#: Conditions that rest on stated facts; the other two of the general licence need an officer anyway.
STATED_CONDITIONS = ["internal_compliance_system", "export_record", "stable_channels_and_end_users",
                     "foreign_control_list_affiliate"]


@pytest.fixture
def world(session):
    """An exporter that states nothing yet (the defaults), and a user of every role."""
    org = make_org(session, verified=False, has_icp=False, export_experience_years=0, stable_channels=False)
    users = {role: make_user(session, role, org if role == Role.exporter else None) for role in Role}
    session.commit()
    return org, {role: bearer(session, u) for role, u in users.items()}


def profile_url(org_id: int, suffix: str = "") -> str:
    return f"/api/v1/organisations/{org_id}/compliance-profile{suffix}"


def eligibility(client, org_id: int, headers: dict) -> dict:
    r = client.get(f"/api/v1/organisations/{org_id}/eligibility?licence_type=general&on=2026-03-10", headers=headers)
    assert r.status_code == 200, r.text
    return r.json()


def status_of(body: dict) -> dict[str, str]:
    return {c["code"]: c["status"] for c in body["conditions"]}


def test_an_exporter_editing_its_profile_is_not_eligible_until_an_officer_verifies(client, world, session):
    org, h = world
    r = client.put(profile_url(org.id), json=STATED, headers=h[Role.exporter])
    assert r.status_code == 200 and r.json()["unverified"] == list(VERIFIED_FACTS) and r.json()["verified_at"] is None

    stated = eligibility(client, org.id, h[Role.exporter])
    assert stated["status"] == "pending_review" and stated["failing"] == []
    assert {c: stated_status for c, stated_status in status_of(stated).items() if c in STATED_CONDITIONS} == dict.fromkeys(
        STATED_CONDITIONS, "unverified")
    assert stated["unverified"] == list(VERIFIED_FACTS)
    record = next(c for c in stated["conditions"] if c["code"] == "export_record")
    assert "no officer has verified (export_experience_years = 6)" in record["reason"]
    assert record["evidence"]["unverified"] == ["export_experience_years"]

    r = client.post(profile_url(org.id, "/verify"), json={"note": "ICP audit report of 2025-09-01 seen"},
                    headers=h[Role.officer])
    assert r.status_code == 200, r.text
    verified = r.json()
    officer = client.get("/api/v1/me", headers=h[Role.officer]).json()["username"]
    assert verified["unverified"] == [] and verified["verified_by_name"] == officer
    assert verified["verified_values"] == {f: STATED[f] for f in VERIFIED_FACTS} and verified["verified_at"]
    after = eligibility(client, org.id, h[Role.exporter])
    assert after["unverified"] == [] and all(status_of(after)[c] == "met" for c in STATED_CONDITIONS)

    event = session.execute(select(AuditEvent).where(AuditEvent.type == "compliance_profile.verified")).scalar_one()
    assert (event.subject_id, event.after["note"], event.after["verified_values"]["export_experience_years"]) == (
        str(org.id), "ICP audit report of 2025-09-01 seen", 6)
    assert event.before["unverified"] == list(VERIFIED_FACTS)


def test_editing_one_fact_unverifies_that_fact_only_and_the_same_values_unverify_nothing(client, world):
    org, h = world
    client.put(profile_url(org.id), json=STATED, headers=h[Role.exporter])
    client.post(profile_url(org.id, "/verify"), json={}, headers=h[Role.senior_officer])
    same = client.put(profile_url(org.id), json={**STATED, "briefings_attended": 3}, headers=h[Role.exporter])
    assert same.json()["unverified"] == []  # briefings are not a fact eligibility reads
    r = client.put(profile_url(org.id), json={**STATED, "export_experience_years": 9}, headers=h[Role.exporter])
    assert r.json()["unverified"] == ["export_experience_years"]
    body = eligibility(client, org.id, h[Role.exporter])
    assert body["unverified"] == ["export_experience_years"]
    assert status_of(body)["export_record"] == "unverified" and status_of(body)["internal_compliance_system"] == "met"
    back = client.put(profile_url(org.id), json=STATED, headers=h[Role.exporter])
    assert back.json()["unverified"] == []  # the value the officer verified


def test_an_unverified_fact_that_fails_still_fails(client, world):
    org, h = world
    client.put(profile_url(org.id), json={**STATED, "has_icp": False, "icp_established_on": None,
                                          "icp_last_audit_on": None}, headers=h[Role.exporter])
    body = eligibility(client, org.id, h[Role.officer])
    assert body["status"] == "not_eligible" and body["failing"] == ["internal_compliance_system"]
    assert status_of(body)["internal_compliance_system"] == "not_met"


@pytest.mark.parametrize(("role", "status"), [(Role.officer, 200), (Role.senior_officer, 200), (Role.exporter, 403),
                                              (Role.customs, 403), (Role.auditor, 403), (Role.admin, 403)])
def test_only_officers_verify(client, world, role, status):
    org, h = world
    r = client.post(profile_url(org.id, "/verify"), json={"note": "seen"}, headers=h[role])
    assert r.status_code == status, r.text
    if status == 403:
        assert r.json()["action"] == "compliance_profile.verify"
        assert client.get(profile_url(org.id), headers=h[Role.officer]).json()["verified_at"] is None


def test_verify_refusals_change_nothing(client, world):
    org, h = world
    assert client.post(profile_url(org.id, "/verify"), json={}).status_code == 401
    assert client.post(profile_url(999999, "/verify"), json={}, headers=h[Role.officer]).status_code == 404
    client.put(profile_url(org.id), json=STATED, headers=h[Role.exporter])
    # the officer checked 6 years; the exporter has since written 9
    client.put(profile_url(org.id), json={**STATED, "export_experience_years": 9}, headers=h[Role.exporter])
    r = client.post(profile_url(org.id, "/verify"), json={"values": {"export_experience_years": 6, "has_icp": True}},
                    headers=h[Role.officer])
    assert r.status_code == 409 and r.json()["type"].endswith("/profile-changed")
    assert r.json()["changed"] == {"export_experience_years": {"expected": 6, "now": 9}}
    r = client.post(profile_url(org.id, "/verify"), json={"values": {"briefings_attended": 1}}, headers=h[Role.officer])
    assert r.status_code == 422 and "not a verified fact: briefings_attended" in r.json()["detail"]
    r = client.post(profile_url(org.id, "/verify"), json={"note": "x" * 2001}, headers=h[Role.officer])
    assert r.status_code == 422
    assert client.get(profile_url(org.id), headers=h[Role.officer]).json()["unverified"] == list(VERIFIED_FACTS)
    r = client.post(profile_url(org.id, "/verify"), json={"values": {"export_experience_years": 9}}, headers=h[Role.officer])
    assert r.status_code == 200 and r.json()["unverified"] == []


def test_cli_verifies_and_show_lists_what_is_unverified(client, world):
    org, h = world
    client.put(profile_url(org.id), json=STATED, headers=h[Role.exporter])
    runner = CliRunner()
    shown = runner.invoke(cli, ["orgs", "show", str(org.id)])
    assert "not verified by an officer: has_icp" in " ".join(shown.stdout.split())
    r = runner.invoke(cli, ["orgs", "verify-profile", org.uscc, "--note", "audit report seen", "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["unverified"] == [] and out["verified_by_name"].startswith("cli:")
    assert "not verified" not in runner.invoke(cli, ["orgs", "show", str(org.id)]).stdout
    r = runner.invoke(cli, ["orgs", "verify-profile", "999999"])
    assert r.exit_code == 2 and "not found" in r.stderr


def test_a_general_licence_is_not_approved_on_unverified_facts(client, session):
    g = GeneralWorld(client, session)
    w = g.w
    app = g.submitted()
    w.act(app["id"], "accept", w.officer)
    w.act(app["id"], "recommend", w.officer, {"recommendation": "approve", "reasons": "ICP audited, customers known"})
    profile = client.get(profile_url(w.org.id), headers=w.exporter).json()
    stated = {k: profile[k] for k in STATED} | {"export_experience_years": profile["export_experience_years"] + 1}
    assert client.put(profile_url(w.org.id), json=stated, headers=w.exporter).status_code == 200

    r = client.post(f"/api/v1/applications/{app['id']}/decide", json={"decision": "approve", "reasons": "countersigned"},
                    headers=w.senior)
    assert r.status_code == 409 and r.json()["type"].endswith("/unverified-facts")
    assert r.json()["unverified_facts"] == ["export_experience_years"]
    assert client.get(f"/api/v1/applications/{app['id']}", headers=w.officer).json()["status"] == "recommended"

    assert client.post(profile_url(w.org.id, "/verify"), json={}, headers=w.officer).status_code == 200
    approved = w.act(app["id"], "decide", w.senior, {"decision": "approve", "reasons": "countersigned"})
    assert approved["status"] == "approved" and approved["licence_number"]


def test_refusal_stays_open_on_unverified_facts(client, session):
    g = GeneralWorld(client, session)
    w = g.w
    app = g.submitted()
    w.act(app["id"], "accept", w.officer)
    w.act(app["id"], "recommend", w.officer, {"recommendation": "refuse", "reasons": "customers not known"})
    profile = client.get(profile_url(w.org.id), headers=w.exporter).json()
    client.put(profile_url(w.org.id), json={**{k: profile[k] for k in STATED}, "stable_channels": False},
               headers=w.exporter)
    refused = w.act(app["id"], "decide", w.senior, {"decision": "refuse", "reasons": "customers not known"})
    assert refused["status"] == "refused"


def test_a_profile_never_verified_lists_every_fact(session):
    org = make_org(session, verified=False)
    session.commit()
    assert org.profile.unverified == list(VERIFIED_FACTS)
    assert make_org(session).profile.unverified == []
