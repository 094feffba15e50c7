"""Prohibitions through the API (MOFCOM Ann. 2026 No. 1, from 2026-01-06): the application check,
the decision re-judged on its date, shipments under a licence issued before, the licence view."""

from __future__ import annotations

import datetime as dt

import pytest

from rarex.applications import service as app_service
from tests.applications.helpers import build_world

REF = "MOFCOM Ann. 2026 No. 1"
# 03:00 UTC is 11:00 in Beijing: the legal date is the same day.
DAY_BEFORE, DAY_OF = dt.datetime(2026, 1, 5, 3, tzinfo=dt.UTC), dt.datetime(2026, 1, 6, 3, tzinfo=dt.UTC)


@pytest.fixture
def w(client, session):
    return build_world(client, session)


class Clock:
    def __init__(self, monkeypatch):
        self.monkeypatch = monkeypatch

    def set(self, at: dt.datetime) -> None:
        self.monkeypatch.setattr(app_service, "utcnow", lambda: at)


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


def party(w, country="JP", category="military", expect=201, **extra):
    r = w.client.post("/api/v1/parties", json={"name": f"Test Party {country} {category}", "country": country,
                                               "end_user_category": category, **extra}, headers=w.exporter)
    assert r.status_code == expect, r.text
    return r.json()


def checks(app) -> dict:
    return {c["check"]: c for c in app["checks"]}


def recommended(w, clock, at, end_user, use="civil"):
    clock.set(at)
    app = w.draft(end_user_id=end_user, end_use_category=use)
    w.upload_required(app["id"])
    app = w.act(app["id"], "submit", w.exporter)
    if "prohibitions" in checks(app) and checks(app)["prohibitions"]["outcome"] == "fail":
        return app
    w.act(app["id"], "accept", w.officer)
    return w.act(app["id"], "recommend", w.officer, {"recommendation": "approve", "reasons": "end use checked"})


def test_categories_are_validated_and_shown(w):
    assert party(w, category="army", expect=422)["detail"].startswith("end_user_category 'army' is not an end-user category")
    p = party(w, country="DE", category="civil")
    assert p["end_user_category"] == "civil"
    r = w.client.post("/api/v1/parties", json={"name": "No Category GmbH", "country": "DE"}, headers=w.exporter)
    assert r.json()["end_user_category"] == "unknown"
    r = w.client.post("/api/v1/applications", json={"end_use_category": "war"}, headers=w.exporter)
    assert r.status_code == 422 and r.json()["field"] == "end_use_category"
    app = w.draft()
    assert app["end_use_category"] == "unknown"
    r = w.client.patch(f"/api/v1/applications/{app['id']}", json={"end_use_category": "research"}, headers=w.exporter)
    assert r.status_code == 200 and r.json()["end_use_category"] == "research"
    r = w.client.patch(f"/api/v1/applications/{app['id']}", json={"end_use_category": "nope"}, headers=w.exporter)
    assert r.status_code == 422


@pytest.mark.parametrize("category,use", [("military", "civil"), ("military_capability", "civil"),
                                          ("civil", "military"), ("civil", "military_capability")])
def test_submitted_on_6_january_a_covered_deal_fails_its_check_and_cannot_be_accepted(w, clock, category, use):
    jp = party(w, category=category)
    app = recommended(w, clock, DAY_OF, jp["id"], use)
    c = checks(app)["prohibitions"]
    assert c["outcome"] == "fail" and REF in c["message"] and "jp-military-2026" in c["message"]
    assert c["details"]["covered"][0]["prohibitions"][0]["legal_ref"] == REF
    r = w.client.post(f"/api/v1/applications/{app['id']}/accept", headers=w.officer)
    assert r.status_code == 409 and "prohibitions" in r.json()["failed_checks"]


def test_the_day_before_the_check_does_not_apply_and_the_licence_is_granted(w, clock):
    jp = party(w, category="military")
    app = recommended(w, clock, DAY_BEFORE, jp["id"], "military")
    assert "prohibitions" not in checks(app)
    app = w.act(app["id"], "decide", w.senior, {"decision": "approve", "reasons": "granted before the ban"})
    assert app["status"] == "approved" and app["licence_number"]


@pytest.mark.parametrize("country,category,use", [("JP", "civil", "civil"), ("KR", "military", "military"),
                                                  ("JP", "research", "research"), ("JP", "government", "civil")])
def test_on_6_january_what_it_does_not_cover_passes_and_is_granted(w, clock, country, category, use):
    p = party(w, country=country, category=category)
    app = recommended(w, clock, DAY_OF, p["id"], use)
    c = checks(app).get("prohibitions")
    assert c is None if country != "JP" else c["outcome"] == "pass"
    app = w.act(app["id"], "decide", w.senior, {"decision": "approve", "reasons": "civil use in Japan"})
    assert app["status"] == "approved"


@pytest.mark.parametrize("category,use", [("unknown", "civil"), ("civil", "unknown")])
def test_on_6_january_an_unknown_category_in_japan_cannot_be_judged(w, clock, category, use):
    jp = party(w, category=category)
    app = recommended(w, clock, DAY_OF, jp["id"], use)
    c = checks(app)["prohibitions"]
    assert c["outcome"] == "fail" and "cannot tell" in c["message"] and REF in c["message"]


def test_a_case_accepted_before_the_ban_is_judged_again_when_decided(w, clock):
    jp = party(w, category="military")
    app = recommended(w, clock, DAY_BEFORE, jp["id"])
    clock.set(DAY_OF)
    r = w.client.post(f"/api/v1/applications/{app['id']}/decide", json={"decision": "approve", "reasons": "agreed"},
                      headers=w.senior)
    assert r.status_code == 409, r.text
    problem = r.json()
    assert problem["type"].endswith("/prohibited") and problem["legal_refs"] == [REF]
    assert problem["current_state"] == "recommended" and "Refuse the application instead" in problem["detail"]
    assert w.client.get(f"/api/v1/applications/{app['id']}", headers=w.senior).json()["status"] == "recommended"
    app = w.act(app["id"], "decide", w.senior, {"decision": "refuse", "reasons": "prohibited from 6 January"})
    assert app["status"] == "refused"


def test_a_licence_issued_before_cannot_be_used_from_6_january(w, clock):
    jp = party(w, category="military")
    # An individual licence ends with its one export: one licence for each side of the date.
    numbers = [w.act(recommended(w, clock, DAY_BEFORE, jp["id"])["id"], "decide", w.senior,
                     {"decision": "approve", "reasons": "before the ban"})["licence_number"] for _ in range(2)]

    def ship(number, declaration, day):
        return w.client.post(f"/api/v1/licences/{number}/shipments", headers=w.customs, json={
            "declaration": declaration, "date": day, "port": "CNTSN",
            "lines": [{"item": "1C905.b", "end_user": str(jp["id"]), "quantity": "100", "unit": "kg"}]})

    assert ship(numbers[0], "222220260000000001", "2026-01-05").status_code == 201
    r = ship(numbers[1], "222220260000000002", "2026-01-06")
    assert r.status_code == 409, r.text
    assert r.json()["type"].endswith("/prohibited") and r.json()["legal_refs"] == [REF]
    assert "Nothing was drawn" in r.json()["detail"] and REF in r.json()["detail"]
    lic = w.client.get(f"/api/v1/licences/{numbers[1]}", headers=w.exporter).json()
    assert lic["status"] == "active" and float(lic["lines"][0]["drawn"]) == 0
    assert w.client.get("/api/v1/shipments/222220260000000002", headers=w.customs).status_code == 404
    # Today (after 6 Jan 2026) the licence says its use is prohibited, and why.
    [line] = lic["use_prohibited"]
    assert line["line_no"] == 1 and line["prohibitions"][0]["legal_ref"] == REF and line["end_user_category"] == "military"
    assert line["prohibitions"][0]["reason_en"].startswith(REF)


def test_a_licence_for_a_civil_end_user_in_japan_stays_usable(w, clock):
    jp = party(w, category="civil")
    app = recommended(w, clock, DAY_BEFORE, jp["id"])
    number = w.act(app["id"], "decide", w.senior, {"decision": "approve", "reasons": "civil"})["licence_number"]
    r = w.client.post(f"/api/v1/licences/{number}/shipments", headers=w.customs, json={
        "declaration": "222220260000000003", "date": "2026-01-06", "port": "CNTSN",
        "lines": [{"item": "1C905.b", "end_user": str(jp["id"]), "quantity": "100", "unit": "kg"}]})
    assert r.status_code == 201, r.text
    assert w.client.get(f"/api/v1/licences/{number}", headers=w.exporter).json()["use_prohibited"] == []


def test_the_category_of_a_party_a_live_licence_names_is_a_key_element(w, clock):
    jp = party(w, category="civil")
    app = recommended(w, clock, DAY_BEFORE, jp["id"])
    w.act(app["id"], "decide", w.senior, {"decision": "approve", "reasons": "civil"})
    r = w.client.patch(f"/api/v1/parties/{jp['id']}", json={"end_user_category": "military"}, headers=w.exporter)
    assert r.status_code == 409 and r.json()["fields"] == ["end_user_category"]
    r = w.client.patch(f"/api/v1/parties/{jp['id']}", json={"address": "1-1 Chiyoda, Tokyo"}, headers=w.exporter)
    assert r.status_code == 200 and r.json()["end_user_category"] == "civil"
    free = party(w, category="unknown")
    r = w.client.patch(f"/api/v1/parties/{free['id']}", json={"end_user_category": "civil"}, headers=w.exporter)
    assert r.status_code == 200 and r.json()["end_user_category"] == "civil" and r.json()["version"] == 2
    assert [v["end_user_category"] for v in w.client.get(f"/api/v1/parties/{free['id']}/versions",
                                                          headers=w.exporter).json()] == ["unknown", "civil"]
