"""Screening in the workflow: a hit blocks acceptance until an officer resolves it; list
changes flag live licences. Through the API, as officers and exporters use it."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from rarex.core.audit import AuditEvent
from rarex.core.authz import Principal
from rarex.screening import cases
from rarex.screening.models import HitStatus, ScreeningHit
from tests.applications.helpers import build_world
from tests.screening.helpers import make_list

LISTED = {"id": "ent-1", "name": "Antriebstechnik Test GmbH", "countries": ["de"]}
UNRELATED = {"id": "ent-2", "name": "Volga Rare Metals JSC", "countries": ["ru"]}


@pytest.fixture
def w(client, session):
    return build_world(client, session)


def submitted(w) -> dict:
    """A submitted case as the officer sees it (the exporter is not shown the screening details)."""
    app = w.draft()
    w.upload_required(app["id"])
    w.act(app["id"], "submit", w.exporter)
    return get_app(w, app["id"])


def check(app: dict) -> dict:
    return next(c for c in app["checks"] if c["check"] == "screening")


def hits(w, app_id: int, who=None) -> list[dict]:
    r = w.client.get("/api/v1/screening/hits", params={"application_id": app_id}, headers=who or w.officer)
    assert r.status_code == 200, r.text
    return r.json()["items"]


def resolve(w, hit_id: int, resolution: str, who=None, expect: int = 200) -> dict:
    r = w.client.post(f"/api/v1/screening/hits/{hit_id}/resolve", headers=who or w.officer,
                      json={"resolution": resolution, "reason": "checked the registry entry and address"})
    assert r.status_code == expect, r.text
    return r.json()


def get_app(w, app_id: int) -> dict:
    r = w.client.get(f"/api/v1/applications/{app_id}", headers=w.officer)
    assert r.status_code == 200, r.text
    return r.json()


def test_no_list_imported_passes_and_says_so(w):
    c = check(submitted(w))
    assert c["outcome"] == "pass" and "no list" in c["message"]


def test_unrelated_list_passes_naming_the_version(w, session):
    make_list(session, "test-list", [UNRELATED])
    c = check(submitted(w))
    assert c["outcome"] == "pass" and "test-list v1" in c["message"]
    assert c["details"]["lists"] == [{"list": "test-list", "version": 1}]


def test_hit_blocks_acceptance_until_cleared_as_false_positive(w, session):
    make_list(session, "test-list", [LISTED, UNRELATED])
    app = submitted(w)
    c = check(app)
    assert c["outcome"] == "fail" and "Antriebstechnik Test GmbH" in c["message"]
    r = w.client.post(f"/api/v1/applications/{app['id']}/accept", headers=w.officer)
    assert r.status_code == 409 and "screening" in r.json()["failed_checks"]

    (hit,) = hits(w, app["id"])
    assert (hit["entity_id"], hit["list"], hit["party_role"], hit["status"], hit["alert"], hit["application"]) == (
        "ent-1", "test-list", "end_user", "open", True, app["reference"])
    assert hit["score"] >= 0.85 and "Antriebstechnik Test GmbH" in hit["explanation"]

    out = resolve(w, hit["id"], "false_positive")
    assert out["status"] == "false_positive" and out["resolved_by"] == "off"
    assert check(get_app(w, app["id"]))["outcome"] == "pass"
    w.act(app["id"], "accept", w.officer)

    events = session.execute(select(AuditEvent).where(AuditEvent.type == "screening.hit_false_positive")).scalars().all()
    assert len(events) == 1 and events[0].subject_id == str(app["id"]) and events[0].reason


def test_confirmed_hit_warns_and_no_longer_blocks(w, session):
    make_list(session, "test-list", [LISTED])
    app = submitted(w)
    (hit,) = hits(w, app["id"])
    resolve(w, hit["id"], "confirmed")
    c = check(get_app(w, app["id"]))
    assert c["outcome"] == "warn" and "confirmed" in c["message"]
    w.act(app["id"], "accept", w.officer)


def test_a_hit_is_resolved_once(w, session):
    make_list(session, "test-list", [LISTED])
    (hit,) = hits(w, submitted(w)["id"])
    resolve(w, hit["id"], "false_positive")
    p = resolve(w, hit["id"], "confirmed", expect=409)
    assert p["current_state"] == "false_positive"


def test_resolution_needs_a_reason_and_a_valid_outcome(w, session):
    make_list(session, "test-list", [LISTED])
    (hit,) = hits(w, submitted(w)["id"])
    for body in ({"resolution": "false_positive", "reason": ""}, {"resolution": "open", "reason": "because I say so"},
                 {"resolution": "false_positive"}):
        r = w.client.post(f"/api/v1/screening/hits/{hit['id']}/resolve", headers=w.officer, json=body)
        assert r.status_code == 422, r.text
    assert hits(w, hit["application_id"])[0]["status"] == "open"


@pytest.mark.parametrize("who, read, resolve_status", [
    ("exporter", 403, 403), ("other_exporter", 403, 403), ("customs", 403, 403), ("auditor", 200, 403),
    ("admin", 403, 403), ("officer", 200, 200), ("senior", 200, 200),
])
def test_who_may_read_and_resolve_hits(w, session, who, read, resolve_status):
    make_list(session, "test-list", [LISTED])
    app = submitted(w)
    (hit,) = hits(w, app["id"])
    headers = getattr(w, who)
    assert w.client.get(f"/api/v1/screening/hits/{hit['id']}", headers=headers).status_code == read
    assert w.client.get("/api/v1/screening/hits", headers=headers).status_code == read
    resolve(w, hit["id"], "false_positive", who=headers, expect=resolve_status)


def test_anonymous_gets_401(w):
    assert w.client.get("/api/v1/screening/hits").status_code == 401
    assert w.client.post("/api/v1/screening/hits/1/resolve", json={"resolution": "confirmed", "reason": "xxxxx"}).status_code == 401


def test_resubmission_keeps_a_resolution_and_does_not_ask_again(w, session):
    make_list(session, "test-list", [LISTED])
    app = submitted(w)
    (hit,) = hits(w, app["id"])
    resolve(w, hit["id"], "false_positive")
    w.act(app["id"], "return", w.officer, {"reason": "sign the end-use statement"})
    again = w.act(app["id"], "submit", w.exporter)
    assert check(again)["outcome"] == "pass"
    assert [h["status"] for h in hits(w, app["id"])] == ["false_positive"]


def test_resubmission_replaces_open_hits(w, session):
    make_list(session, "test-list", [LISTED])
    app = submitted(w)
    first = hits(w, app["id"])
    w.act(app["id"], "return", w.officer, {"reason": "sign the end-use statement"})
    w.act(app["id"], "submit", w.exporter)
    second = hits(w, app["id"])
    assert [h["status"] for h in first] == [h["status"] for h in second] == ["open"]
    assert second[0]["screened_at"] > first[0]["screened_at"]


def test_hits_of_a_decided_case_cannot_be_resolved(w, session):
    make_list(session, "test-list", [LISTED])
    app = submitted(w)
    (hit,) = hits(w, app["id"])
    w.act(app["id"], "return", w.officer, {"reason": "wrong end user"})
    w.act(app["id"], "withdraw", w.exporter, {"reason": "contract cancelled"})
    p = resolve(w, hit["id"], "false_positive", expect=409)
    assert p["current_state"] == "withdrawn"


def test_precheck_stores_no_hit(w, session):
    make_list(session, "test-list", [LISTED])
    app = w.draft()
    r = w.client.get(f"/api/v1/applications/{app['id']}/precheck", headers=w.exporter)
    assert r.status_code == 200, r.text
    assert next(c for c in r.json() if c["check"] == "screening")["outcome"] == "fail"
    assert session.scalar(select(ScreeningHit.id).limit(1)) is None


def test_a_list_change_flags_live_licences_once(w, session):
    number = w.to_state("approved")["licence_number"]
    make_list(session, "test-list", [UNRELATED])  # the case was clean when decided
    version = make_list(session, "test-list", [UNRELATED, LISTED])
    actor = Principal.system("test")
    flagged = cases.rescreen_licences(session, actor, version)
    session.commit()
    assert [(h.entity_id, h.status, h.application_id is None) for h in flagged] == [("ent-1", HitStatus.open, True)]
    r = w.client.get("/api/v1/screening/hits", params={"subject": "licence", "status": "open"}, headers=w.officer)
    assert [(h["entity_id"], h["licence"], h["application"]) for h in r.json()["items"]] == [("ent-1", number, None)]
    r = w.client.get("/api/v1/screening/hits", params={"licence": number}, headers=w.officer)
    assert [h["entity_id"] for h in r.json()["items"]] == ["ent-1"]
    r = w.client.get("/api/v1/screening/hits", params={"licence": "CNDU-G2099-999999"}, headers=w.officer)
    assert r.json()["items"] == []
    event = session.execute(select(AuditEvent).where(AuditEvent.type == "licence.screening_flagged")).scalar_one()
    assert event.subject_type == "licence"
    # the same entity in the next version is not flagged again, nor once the flag is cleared
    resolve(w, flagged[0].id, "false_positive")
    newer = make_list(session, "test-list", [UNRELATED, LISTED])
    assert cases.rescreen_licences(session, actor, newer) == []


def test_importing_a_list_flags_a_licence_whose_end_user_now_matches(w, session, cli, tmp_path):
    w.to_state("approved")
    path = tmp_path / "list.jsonl"
    path.write_text(json.dumps({"id": LISTED["id"], "schema": "Company",
                                "properties": {"name": [LISTED["name"]], "country": ["de"]}}) + "\n", encoding="utf-8")
    r = cli("screening", "import", str(path), "--list", "test-list", "--format", "ftm", "--json")
    assert r.exit_code == 0, r.output
    flagged = json.loads(r.output)["flagged_licence_hits"]
    assert [h["entity_id"] for h in flagged] == ["ent-1"]
    session.expire_all()
    hit = session.get(ScreeningHit, flagged[0]["hit"])
    assert hit.status == HitStatus.open and hit.licence_id is not None


@pytest.mark.parametrize("list_name, resolution, deadline_runs", [
    ("cn-watch-list", "confirmed", False),  # DUR Art. 26 para. 2: no deadline for a watch-listed party
    ("cn-watch-list", "false_positive", True),
    ("other-list", "confirmed", True),  # only the list the pack names for the watch list counts
])
def test_a_party_confirmed_on_the_watch_list_takes_the_deadline_away(w, session, list_name, resolution, deadline_runs):
    make_list(session, list_name, [LISTED])
    app = submitted(w)
    (hit,) = hits(w, app["id"])
    resolve(w, hit["id"], resolution)
    d = w.act(app["id"], "accept", w.officer)["deadline_info"]
    check_message = check(get_app(w, app["id"]))["message"]
    if deadline_runs:
        assert d["deadline"] is not None and d["working_days_allowed"] == 45 and d["no_deadline"] is None
        assert "risk assessment" not in check_message.lower()
    else:
        assert d["deadline"] is None and d["working_days_left"] is None and "DUR Art. 26" in d["no_deadline"]
        assert "must include: Risk assessment" in check_message and "no decision deadline" in check_message
    r = w.client.get("/api/v1/applications", headers=w.officer)
    (row,) = [a for a in r.json()["items"] if a["id"] == app["id"]]
    assert (row["deadline"] is None) == (not deadline_runs)


def test_an_end_user_on_two_licences_flags_both(w, session):
    first, second = (w.to_state("approved")["licence_number"] for _ in range(2))
    version = make_list(session, "test-list", [LISTED])
    flagged = cases.rescreen_licences(session, Principal.system("test"), version)
    session.commit()
    r = w.client.get("/api/v1/screening/hits", params={"subject": "licence"}, headers=w.officer)
    assert sorted(h["licence"] for h in r.json()["items"]) == sorted([first, second]) and len(flagged) == 2
