"""An individual licence from draft to decision, over the API, with every forbidden transition."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from rarex.applications.flows import APPLICATION
from rarex.applications.models import Application, ApplicationStatus
from rarex.core import audit
from rarex.core.audit import AuditEvent
from rarex.licences.models import Licence
from tests.applications.helpers import PDF, build_world


@pytest.fixture
def world(client, session):
    return build_world(client, session)


def test_individual_licence_from_draft_to_issue(world, session):
    w = world
    app = w.draft()
    assert app["status"] == "draft" and app["reference"].startswith("A")
    w.upload_required(app["id"])
    app = w.act(app["id"], "submit", w.exporter)
    assert app["status"] == "submitted"
    assert {c["check"]: c["outcome"] for c in app["checks"]} == {
        "completeness": "pass", "controlled": "pass", "parties": "pass", "validity": "pass", "screening": "pass"}

    app = w.act(app["id"], "accept", w.officer)
    d = app["deadline_info"]
    assert app["status"] == "under_review" and d["working_days_allowed"] == 45
    assert d["deadline"] is not None and d["working_days_left"] == 45 and d["clock_running"] is True

    app = w.act(app["id"], "request-information", w.officer, {"request": "Photographs of the packaging, please"})
    # the case waits for the applicant, but the clock runs on (FACTS 1.6: not a DUR Art. 17 stop)
    assert app["status"] == "information_requested" and app["deadline_info"]["clock_running"] is True
    assert app["deadline_info"]["clock_state"] == "running" and not app["clock_stops"]
    assert "request for more information" in app["deadline_info"]["explanation_en"]
    r = w.client.post(f"/api/v1/applications/{app['id']}/documents", headers=w.exporter,
                      data={"doc_type": "photographs"}, files={"file": ("pack.pdf", PDF, "application/pdf")})
    assert r.status_code == 201, r.text
    app = w.act(app["id"], "respond", w.exporter, {"response": "Photographs uploaded"})
    assert app["status"] == "under_review" and app["deadline_info"]["clock_running"] is True

    app = w.act(app["id"], "recommend", w.officer, {"recommendation": "approve_with_conditions", "reasons": "civil use",
                                                    "conditions": ["Report each shipment within 10 days"]})
    app = w.act(app["id"], "decide", w.senior, {"decision": "approve_with_conditions", "reasons": "countersigned",
                                                "conditions": ["Report each shipment within 10 days"]})
    assert app["status"] == "approved" and app["licence_number"]

    lic = w.client.get(f"/api/v1/licences/{app['licence_number']}", headers=w.exporter).json()
    assert lic["status"] == "active" and lic["type"] == "individual"
    assert lic["conditions"] == ["Report each shipment within 10 days"]
    line = lic["lines"][0]
    assert (line["item"], line["end_user"], line["unit"]) == ("1C905.b", str(w.end_user), "kg")
    assert line["licensed"] == "1250.5" and line["drawn"] == "0" and line["remaining"] == "1250.5"
    # six months asked: valid from the decision date to the day before the same date six months on
    from datetime import date
    vf, vt = date.fromisoformat(lic["valid_from"]), date.fromisoformat(lic["valid_to"])
    assert vf == date.fromisoformat(app["decided_on"]) and 180 <= (vt - vf).days <= 184

    types = [e.type for e in session.execute(select(AuditEvent).where(AuditEvent.stream == f"application:{app['id']}")
                                             .order_by(AuditEvent.seq)).scalars()]
    assert types[0] == "application.drafted" and types[-1] == "application.approved"
    assert "application.submitted" in types and "application.information_requested" in types
    timeline = w.client.get(f"/api/v1/applications/{app['id']}/events", headers=w.exporter).json()
    assert [e["type"] for e in timeline] == types and timeline[-1]["actor"] == "sen"
    assert w.client.get(f"/api/v1/applications/{app['id']}/events", headers=w.other_exporter).status_code == 404
    assert session.execute(select(func.count()).select_from(AuditEvent).where(AuditEvent.type == "licence.issued")).scalar() == 1
    assert audit.verify(session).ok


STATES = ["draft", "submitted", "under_review", "information_requested", "recommended", "approved", "refused", "withdrawn"]
ACTIONS = {
    # action -> (method, path suffix, who, body)
    "edit": ("patch", "", "exporter", {"end_use": "Changed end use for EV motors"}),
    "submit": ("post", "/submit", "exporter", None),
    "return": ("post", "/return", "officer", {"reason": "incomplete"}),
    "accept": ("post", "/accept", "officer", None),
    "request_information": ("post", "/request-information", "officer", {"request": "more please"}),
    "respond": ("post", "/respond", "exporter", {"response": "here it is"}),
    "stop_clock": ("post", "/stop-clock", "officer", {"kind": "expert_opinion", "reason": "ask the panel"}),
    "restart_clock": ("post", "/restart-clock", "officer", {"outcome": "the panel answered"}),
    "refer": ("post", "/refer", "senior", {"reason": "major effect on national security"}),
    "recommend": ("post", "/recommend", "officer", {"recommendation": "approve", "reasons": "fine"}),
    "decide": ("post", "/decide", "senior2", {"decision": "approve", "reasons": "fine"}),
    "withdraw": ("post", "/withdraw", "exporter", {"reason": "changed plans"}),
}


def test_every_forbidden_transition_is_a_409_naming_the_state(world, session):
    w = world
    apps = {state: w.to_state(state) for state in STATES}
    for state, app in apps.items():
        assert app["status"] == state
        for action, (method, suffix, who, body) in ACTIONS.items():
            if action in APPLICATION.allowed_actions(ApplicationStatus(state)):
                continue
            before = session.execute(select(func.count()).select_from(AuditEvent)).scalar()
            session.rollback()  # on SQLite an open transaction holds the write lock
            r = getattr(w.client, method)(f"/api/v1/applications/{app['id']}{suffix}", json=body, headers=getattr(w, who))
            assert r.status_code == 409, (state, action, r.text)
            problem = r.json()
            assert r.headers["content-type"].startswith("application/problem+json")
            assert problem["current_state"] == state and state in problem["detail"]
            assert session.execute(select(func.count()).select_from(AuditEvent)).scalar() == before
            assert session.get(Application, app["id"]).status == state
            session.rollback()


def test_recommender_cannot_countersign_and_officer_cannot_decide(world):
    w = world
    app = w.to_state("under_review")
    w.act(app["id"], "recommend", w.senior, {"recommendation": "refuse", "reasons": "doubtful end user"})
    r = w.client.post(f"/api/v1/applications/{app['id']}/decide", json={"decision": "refuse", "reasons": "x" * 5}, headers=w.senior)
    assert r.status_code == 403 and "recommended" in r.json()["detail"]
    r = w.client.post(f"/api/v1/applications/{app['id']}/decide", json={"decision": "refuse", "reasons": "x" * 5}, headers=w.officer)
    assert r.status_code == 403
    # a second senior officer may override the recommendation, with reasons
    out = w.act(app["id"], "decide", w.senior2, {"decision": "approve", "reasons": "end user verified on site"})
    assert out["status"] == "approved" and out["licence_number"]


def test_incomplete_submission_fails_checks_cannot_be_accepted_and_can_be_returned(world, session):
    w = world
    app = w.draft(end_use="", consignee_id=None)
    app = w.act(app["id"], "submit", w.exporter)
    checks = {c["check"]: c for c in app["checks"]}
    assert checks["completeness"]["outcome"] == "fail" and "end use" in checks["completeness"]["message"]
    assert checks["completeness"]["details"]["missing_documents"]
    assert checks["parties"]["outcome"] == "fail" and "consignee" in checks["parties"]["message"]
    r = w.client.post(f"/api/v1/applications/{app['id']}/accept", headers=w.officer)
    assert r.status_code == 409 and "completeness" in r.json()["detail"]
    app = w.act(app["id"], "return", w.officer, {"reason": "documents missing"})
    assert app["status"] == "draft"


def test_items_not_controlled_on_the_date_say_no_licence_is_needed(world):
    w = world
    # 1C909 (holmium, Ann. 2025 No. 57) is suspended by No. 70 until 2026-11-10 and in force again after.
    app = w.draft(items=[{"control_code": "1C909.b", "description": "Holmium oxide", "quantity": "10", "unit": "kg",
                          "value": "1000", "currency": "USD"}])
    checks = {c["check"]: c for c in w.client.get(f"/api/v1/applications/{app['id']}/precheck", headers=w.exporter).json()}
    from rarex.policy.service import get_pack

    pack = get_pack()
    if pack.in_force("1C909.b", pack.today()):
        assert checks["controlled"]["outcome"] == "pass"
    else:
        assert checks["controlled"]["outcome"] == "info" and "not needed" in checks["controlled"]["message"]


def test_exporters_see_only_their_own_applications(world):
    w = world
    app = w.draft()
    assert w.client.get(f"/api/v1/applications/{app['id']}", headers=w.other_exporter).status_code == 404
    assert w.client.get("/api/v1/applications", headers=w.other_exporter).json()["items"] == []
    r = w.client.post(f"/api/v1/applications/{app['id']}/submit", headers=w.other_exporter)
    assert r.status_code == 404
    # and cannot name another organisation's parties
    r = w.client.post("/api/v1/applications", headers=w.other_exporter, json={"consignee_id": w.consignee})
    assert r.status_code == 404
    for who in ("officer", "senior", "auditor"):
        assert w.client.get(f"/api/v1/applications/{app['id']}", headers=getattr(w, who)).status_code == 200
    assert w.client.get(f"/api/v1/applications/{app['id']}", headers=w.customs).status_code == 403
    assert w.client.get(f"/api/v1/applications/{app['id']}").status_code == 401


ROLE_MATRIX = [
    # (method, path, body, roles allowed) — other roles get 403
    ("post", "", {"licence_type": "individual"}, {"exporter"}),
    ("get", "", None, {"exporter", "officer", "senior", "auditor"}),
]


@pytest.mark.parametrize("method,path,body,allowed", ROLE_MATRIX)
def test_role_access_on_collection(world, method, path, body, allowed):
    w = world
    for role in ("exporter", "officer", "senior", "customs", "auditor", "admin"):
        kwargs = {"json": body} if method == "post" else {}
        r = getattr(w.client, method)(f"/api/v1/applications{path}", headers=getattr(w, role), **kwargs)
        assert (r.status_code < 300) == (role in allowed), (role, r.status_code, r.text)
        if role not in allowed:
            assert r.status_code == 403


@pytest.mark.parametrize("body,field", [
    ({"items": [{"control_code": "1C905.b", "description": "x", "quantity": "-1", "unit": "kg", "value": "1", "currency": "USD"}]}, "quantity"),
    ({"items": [{"control_code": "1C905.b", "description": "x", "quantity": "1", "unit": "barrels", "value": "1", "currency": "USD"}]}, "unit"),
    ({"items": [{"control_code": "1C905.b", "description": "x", "quantity": "1", "unit": "kg", "value": "1", "currency": "XXZ"}]}, "currency"),
    ({"items": [{"control_code": "9Z999", "description": "x", "quantity": "1", "unit": "kg", "value": "1", "currency": "USD"}]}, "control_code"),
    ({"items": [{"control_code": "1C905.b", "description": "x", "quantity": "1.1234567", "unit": "kg", "value": "1", "currency": "USD"}]}, "quantity"),
    ({"licence_type": "registration_voucher"}, "licence_type"),
    ({"licence_type": "individual", "colour": "red"}, "colour"),
    ({"requested_validity_months": 0}, "requested_validity_months"),
    ({"end_user_id": 999999}, "party"),
])
def test_malformed_drafts_are_422_or_404_and_write_nothing(world, session, body, field):
    w = world
    r = w.client.post("/api/v1/applications", json=body, headers=w.exporter)
    assert r.status_code in (404, 422), r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert field in r.text
    assert session.execute(select(func.count()).select_from(Application)).scalar() == 0
    assert session.execute(select(func.count()).select_from(AuditEvent).where(AuditEvent.subject_type == "application")).scalar() == 0


@pytest.mark.parametrize("filename,content,media,status", [
    ("contract.pdf", b"MZ\x90\x00 not a pdf", "application/pdf", 415),
    ("contract.exe", PDF, "application/pdf", 415),
    ("contract.pdf", PDF, "application/x-msdownload", 415),
    ("../../etc/passwd.pdf", PDF, "application/pdf", 422),
    ("empty.pdf", b"", "application/pdf", 422),
])
def test_bad_uploads_are_refused_and_nothing_is_stored(world, session, filename, content, media, status):
    w = world
    app = w.draft()
    r = w.client.post(f"/api/v1/applications/{app['id']}/documents", headers=w.exporter,
                      data={"doc_type": "contract"}, files={"file": (filename, content, media)})
    assert r.status_code == status, r.text
    assert w.client.get(f"/api/v1/applications/{app['id']}", headers=w.exporter).json()["documents"] == []


def test_upload_over_the_limit_is_413(world, monkeypatch):
    from rarex.core.settings import get_settings

    monkeypatch.setattr(get_settings(), "max_upload_bytes", 2048)
    w = world
    app = w.draft()
    r = w.client.post(f"/api/v1/applications/{app['id']}/documents", headers=w.exporter,
                      data={"doc_type": "contract"}, files={"file": ("big.pdf", PDF + b"0" * 4096, "application/pdf")})
    assert r.status_code == 413


def test_document_round_trip_keeps_content_and_hash(world):
    import hashlib

    w = world
    app = w.draft()
    body = PDF + "合同".encode() * 10
    r = w.client.post(f"/api/v1/applications/{app['id']}/documents", headers=w.exporter,
                      data={"doc_type": "contract"}, files={"file": ("合同.pdf", body, "application/pdf")})
    assert r.status_code == 201 and r.json()["sha256"] == hashlib.sha256(body).hexdigest()
    doc_id = r.json()["id"]
    got = w.client.get(f"/api/v1/applications/{app['id']}/documents/{doc_id}", headers=w.officer)
    assert got.status_code == 200 and got.content == body
    assert w.client.get(f"/api/v1/applications/{app['id']}/documents/{doc_id}", headers=w.other_exporter).status_code == 404


def test_licence_is_created_only_on_approval(world, session):
    w = world
    w.to_state("refused")
    assert session.execute(select(func.count()).select_from(Licence)).scalar() == 0
    w.to_state("approved")
    assert session.execute(select(func.count()).select_from(Licence)).scalar() == 1


def test_patch_with_null_end_use_is_422_and_changes_nothing(world):
    w = world
    app = w.draft()
    r = w.client.patch(f"/api/v1/applications/{app['id']}", json={"end_use": None}, headers=w.exporter)
    assert r.status_code == 422 and "end_use" in r.json()["detail"]
    assert w.client.get(f"/api/v1/applications/{app['id']}", headers=w.exporter).json()["end_use"] == app["end_use"]
