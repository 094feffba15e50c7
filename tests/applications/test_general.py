"""A general licence from draft to issue over the API: several end users, each with its items
and quantities, the eligibility check in the same review, and the limits of the licence types."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from rarex.applications.models import Application
from rarex.core.audit import AuditEvent
from rarex.parties.models import Violation
from rarex.policy.service import get_pack
from tests.applications.general_helpers import GeneralWorld, line
from tests.factories import make_party


@pytest.fixture
def g(client, session):
    return GeneralWorld(client, session)


def checks(app: dict) -> dict[str, str]:
    return {c["check"]: c["outcome"] for c in app["checks"]}


def test_general_licence_from_draft_to_issue_with_three_end_users_and_four_lines(g):
    w = g.w
    app = g.draft()
    assert app["licence_type"] == "general" and app["end_user"] is None
    assert [p["id"] for p in app["end_users"]] == g.end_users
    assert [(i["control_code"], i["end_user_id"]) for i in app["items"]] == [
        ("1C905.b", g.end_users[0]), ("1C905.b", g.end_users[1]), ("1C902.a", g.end_users[1]), ("1C906.a", g.end_users[2])]

    w.upload_required(app["id"], "general")
    app = w.act(app["id"], "submit", w.exporter)
    assert checks(app) == {"completeness": "pass", "controlled": "pass", "parties": "pass", "validity": "pass",
                           "eligibility": "warn", "prohibitions": "pass", "screening": "pass"}
    elig = next(c for c in app["checks"] if c["check"] == "eligibility")
    assert elig["message"].startswith("eligible pending officer review of: mofcom_other_exclusion")
    assert elig["details"]["needs_review"] == ["mofcom_other_exclusion", "watch_list_party", "control_list_party"]
    assert "Nordmagnet AB (SE)" in elig["message"] and "Kobe Motors KK (JP)" in elig["message"]
    validity = next(c for c in app["checks"] if c["check"] == "validity")
    assert validity["details"] == {"requested_months": 12, "max_months": 36}

    # the same review as an individual application: acceptance starts the 45-working-day clock
    app = w.act(app["id"], "accept", w.officer)
    assert app["status"] == "under_review" and app["deadline_info"]["working_days_allowed"] == 45
    w.act(app["id"], "recommend", w.officer, {"recommendation": "approve", "reasons": "ICP audited, customers known"})
    w.act(app["id"], "decide", w.officer, {"decision": "approve", "reasons": "x" * 5}, expect=403)
    app = w.act(app["id"], "decide", w.senior, {"decision": "approve", "reasons": "countersigned"})
    assert app["status"] == "approved" and app["licence_number"].startswith("CNDU-G")

    lic = w.client.get(f"/api/v1/licences/{app['licence_number']}", headers=w.exporter).json()
    assert lic["type"] == "general" and lic["status"] == "active"
    assert [(ln["item"], ln["end_user"], ln["licensed"], ln["drawn"], ln["remaining"], ln["unit"]) for ln in lic["lines"]] == [
        ("1C905.b", str(g.end_users[0]), "1200", "0", "1200", "kg"),
        ("1C905.b", str(g.end_users[1]), "800.5", "0", "800.5", "kg"),
        ("1C902.a", str(g.end_users[1]), "2", "0", "2", "t"),
        ("1C906.a", str(g.end_users[2]), "350", "0", "350", "kg"),
    ]
    assert [ln["end_user_name"] for ln in lic["lines"]][2:] == ["Nordmagnet AB", "Kobe Motors KK"]
    # no validity asked: the pack's default of 12 months, to the day before the same date a year on
    vf, vt = dt.date.fromisoformat(lic["valid_from"]), dt.date.fromisoformat(lic["valid_to"])
    assert vf == dt.date.fromisoformat(app["decided_on"])
    assert vt == (vf.replace(year=vf.year + 1) if not (vf.month == 2 and vf.day == 29) else dt.date(vf.year + 1, 3, 1)) - dt.timedelta(days=1)


def test_an_ineligible_exporter_sees_why_before_applying_and_cannot_be_accepted(g, session):
    w = g.w
    g.set_profile(has_icp=False)
    session.add(Violation(org_id=w.org.id, kind="criminal", decided_on=dt.date(2012, 3, 1), description="smuggling Tb oxide"))
    session.commit()

    before = w.client.get(f"/api/v1/organisations/{w.org.id}/eligibility?licence_type=general", headers=w.exporter).json()
    assert before["status"] == "not_eligible" and before["failing"] == ["internal_compliance_system", "criminal_penalty"]

    app = g.draft()
    pre = {c["check"]: c for c in w.client.get(f"/api/v1/applications/{app['id']}/precheck", headers=w.exporter).json()}
    assert pre["eligibility"]["outcome"] == "fail"
    assert "internal_compliance_system" in pre["eligibility"]["message"] and "criminal_penalty" in pre["eligibility"]["message"]

    w.upload_required(app["id"], "general")
    app = w.act(app["id"], "submit", w.exporter)
    assert checks(app)["eligibility"] == "fail" and checks(app)["completeness"] == "pass"
    r = w.client.post(f"/api/v1/applications/{app['id']}/accept", headers=w.officer)
    assert r.status_code == 409 and r.headers["content-type"].startswith("application/problem+json")
    problem = r.json()
    assert problem["failed_checks"] == ["eligibility"] and problem["current_state"] == "submitted"
    assert "eligibility: not eligible" in problem["detail"] and "DUR Art. 20 (1)" in problem["detail"]
    assert w.act(app["id"], "return", w.officer, {"reason": "not eligible; apply for individual licences"})["status"] == "draft"


def recommended(g) -> dict:
    app = g.submitted()
    g.w.act(app["id"], "accept", g.w.officer)
    return g.w.act(app["id"], "recommend", g.w.officer, {"recommendation": "approve", "reasons": "eligible, customers known"})


def test_a_penalty_decided_during_review_stops_the_approval_but_not_a_refusal(g, session):
    w = g.w
    app = recommended(g)
    session.add(Violation(org_id=w.org.id, kind="serious_administrative", decided_on=get_pack().today(),
                          description="exported Dy oxide without a licence", legal_ref="ECL Art. 34"))
    session.commit()
    r = w.client.post(f"/api/v1/applications/{app['id']}/decide", headers=w.senior,
                      json={"decision": "approve", "reasons": "countersigned"})
    assert r.status_code == 409, r.text
    problem = r.json()
    assert problem["failing_conditions"] == ["serious_administrative_penalty"] and "no longer eligible" in problem["detail"]
    assert session.scalar(select(Application.status).where(Application.id == app["id"])) == "recommended"
    refused = w.act(app["id"], "decide", w.senior, {"decision": "refuse", "reasons": "penalised during review"})
    assert refused["status"] == "refused"


def test_a_penalty_decided_after_the_decision_date_does_not_stop_it(g, session):
    w = g.w
    app = recommended(g)
    session.add(Violation(org_id=w.org.id, kind="serious_administrative", decided_on=get_pack().today() + dt.timedelta(days=1),
                          description="exported Dy oxide without a licence", legal_ref="ECL Art. 34"))
    session.commit()
    assert w.act(app["id"], "decide", w.senior, {"decision": "approve", "reasons": "countersigned"})["status"] == "approved"


def test_an_old_icp_audit_is_a_warning_for_the_officer_not_a_refusal(g):
    g.set_profile(icp_last_audit_on=get_pack().today() - dt.timedelta(days=500))
    app = g.submitted()
    elig = next(c for c in app["checks"] if c["check"] == "eligibility")
    assert elig["outcome"] == "warn" and "internal_compliance_system" in elig["details"]["needs_review"]
    assert "more than 12 months" in elig["message"]
    assert g.w.act(app["id"], "accept", g.w.officer)["status"] == "under_review"


def test_individual_applications_carry_no_eligibility_check(g):
    w = g.w
    app = w.to_state("submitted")
    assert "eligibility" not in checks(app)


@pytest.mark.parametrize("months,status", [(36, 201), (37, 422), (120, 422)])
def test_general_validity_up_to_the_packs_maximum(g, months, status):
    body = g.draft(expect=status, requested_validity_months=months)
    if status == 422:
        assert body["field"] == "requested_validity_months" and "at most 36 months" in body["detail"]


def test_validity_over_the_maximum_is_refused_on_edit_and_for_individual_licences(g, session):
    app = g.draft()
    r = g.client.patch(f"/api/v1/applications/{app['id']}", json={"requested_validity_months": 40}, headers=g.w.exporter)
    assert r.status_code == 422 and "at most 36 months" in r.json()["detail"]
    r = g.client.post("/api/v1/applications", headers=g.w.exporter, json={
        "licence_type": "individual", "consignee_id": g.w.consignee, "end_user_id": g.w.end_user,
        "requested_validity_months": 13, "items": [line("1C905.b", None, "10")]})
    assert r.status_code == 422 and "at most 12 months" in r.json()["detail"]
    assert session.execute(select(Application.requested_validity_months)).scalars().all() == [None]


def test_an_individual_licence_refuses_more_than_one_end_user(g, session):
    w = g.w
    body = {"licence_type": "individual", "consignee_id": w.consignee, "end_user_id": w.end_user,
            "end_use": "motor production", "items": [line("1C905.b", None, "10"), line("1C905.b", g.end_users[1], "10")]}
    r = w.client.post("/api/v1/applications", json=body, headers=w.exporter)
    assert r.status_code == 422, r.text
    assert r.json()["field"] == "items" and "at most 1 end user" in r.json()["detail"]
    assert session.execute(select(func.count()).select_from(Application)).scalar() == 0

    # the same lines under a general licence are fine
    assert g.draft(items=body["items"], end_user_id=w.end_user)["end_users"][1]["id"] == g.end_users[1]

    # and an individual draft cannot be edited into a second end user either
    one = w.draft()
    r = w.client.patch(f"/api/v1/applications/{one['id']}", headers=w.exporter,
                       json={"items": [line("1C905.b", None, "10"), line("1C906.a", g.end_users[2], "5")]})
    assert r.status_code == 422 and "at most 1 end user" in r.json()["detail"]
    assert len(w.client.get(f"/api/v1/applications/{one['id']}", headers=w.exporter).json()["items"]) == 1


def test_each_item_once_per_end_user(g):
    a, b, _ = g.end_users
    r = g.draft(expect=422, items=[line("1C905.b", a, "10"), line("1C905.b", a, "20")])
    assert "appears twice for the same end user" in r["detail"]
    # an item relying on the application's end user collides with one naming that party
    r = g.draft(expect=422, end_user_id=a, items=[line("1C905.b", None, "10"), line("1C905.b", a, "20")])
    assert "appears twice" in r["detail"]
    # changing the default end user alone can merge two lines: refused
    app = g.draft(end_user_id=b, items=[line("1C905.b", None, "10"), line("1C905.b", a, "20")])
    r = g.client.patch(f"/api/v1/applications/{app['id']}", json={"end_user_id": a}, headers=g.w.exporter)
    assert r.status_code == 422 and "appears twice" in r.json()["detail"]
    assert g.client.get(f"/api/v1/applications/{app['id']}", headers=g.w.exporter).json()["end_user"]["id"] == b


def test_end_users_must_be_the_exporters_own_parties(g, session):
    stranger = make_party(session, g.w.other_org, name="Someone Else Ltd", country="GB")
    session.commit()
    r = g.draft(expect=404, items=[line("1C905.b", g.end_users[0], "10"), line("1C905.b", stranger.id, "10")])
    assert "party" in r["detail"]
    assert session.execute(select(func.count()).select_from(AuditEvent).where(AuditEvent.subject_type == "application")).scalar() == 0


def test_a_line_without_an_end_user_fails_the_parties_check(g):
    app = g.draft(items=[line("1C905.b", g.end_users[0], "10"), line("1C906.a", None, "5")])
    pre = {c["check"]: c for c in g.client.get(f"/api/v1/applications/{app['id']}/precheck", headers=g.w.exporter).json()}
    assert pre["parties"]["outcome"] == "fail" and "names no end user" in pre["parties"]["message"]


def test_general_applications_need_the_three_statements(g):
    w = g.w
    app = g.draft()
    w.upload_required(app["id"], "individual")
    app = w.act(app["id"], "submit", w.exporter)
    completeness = next(c for c in app["checks"] if c["check"] == "completeness")
    assert completeness["outcome"] == "fail"
    assert completeness["details"]["missing_documents"] == ["compliance_statement", "licence_use_statement",
                                                            "export_channels_statement"]
