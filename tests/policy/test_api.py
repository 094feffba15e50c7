"""The public policy endpoints; bad input is a 422 problem document."""

from __future__ import annotations

import pytest

PROBLEM = "application/problem+json"


def problem(r, status: int = 422) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith(PROBLEM)
    return r.json()


def test_control_list_on_a_date(public_client):
    r = public_client.get("/api/v1/policy/control-list", params={"on": "2025-10-09"})
    assert r.status_code == 200
    data = r.json()
    assert data["pack"] == "cn-dual-use" and data["pack_reviewed_until"] == "2026-04-01" and data["caveat"] is None
    codes = [e["code"] for e in data["entries"]]
    assert len(codes) == 23 and "1E902.a" in codes and all(e["legal_ref"] for e in data["entries"])
    waiting = {e["code"]: e for e in data["not_in_force"]}
    assert waiting["1C909.a"]["status"] == "not_yet_effective"


def test_control_list_default_is_today_in_pack_zone(public_client, pack):
    data = public_client.get("/api/v1/policy/control-list").json()
    assert data["on"] == pack.today().isoformat()
    assert (data["caveat"] is None) == (pack.today() <= pack.reviewed_until)


def test_control_list_bad_date(public_client):
    body = problem(public_client.get("/api/v1/policy/control-list", params={"on": "2025-02-30"}))
    assert body["errors"][0]["field"] == "query.on"


def test_classify(public_client):
    r = public_client.post("/api/v1/policy/classify", json={"element": "Dy", "form": "oxide", "on": "2026-01-15"})
    assert r.status_code == 200
    data = r.json()
    assert data["controlled"] is True and [e["code"] for e in data["entries"]] == ["1C905.b"]
    assert data["pack_reviewed_until"] == "2026-04-01" and data["caveat"] is None


def test_classify_hs_only_note(public_client):
    data = public_client.post("/api/v1/policy/classify", json={"hs_code": "3824999922", "on": "2026-01-15"}).json()
    assert any("description does" in n for n in data["notes"])


@pytest.mark.parametrize(
    "body, detail",
    [
        ({"element": "Unobtainium"}, "unknown element"),
        ({"element": "Dy", "form": "gas"}, "unknown form"),
        ({"hs_code": "12a4"}, "4 to 10 digits"),
        ({"element": "Dy", "on": "2026-13-01"}, "on:"),
        ({"element": "Dy", "colour": "red"}, "colour: Extra inputs are not permitted"),
    ],
)
def test_classify_bad_input(public_client, body, detail):
    assert detail in problem(public_client.post("/api/v1/policy/classify", json=body))["detail"]


def test_licence_types(public_client):
    data = {t["code"]: t for t in public_client.get("/api/v1/policy/licence-types").json()}
    assert set(data) == {"individual", "general", "registration_voucher"}
    assert data["general"]["max_validity_months"] == 36 and data["individual"]["max_end_users"] == 1
    assert [c["code"] for c in data["general"]["eligibility"]][0] == "internal_compliance_system"
    assert "compliance_statement" in data["general"]["required_documents"]


def test_deadline(public_client):
    r = public_client.get("/api/v1/calendar/deadline", params={"from": "2026-02-02", "working_days": 45})
    assert r.status_code == 200
    assert r.json() == {"deadline": "2026-04-13", "from": "2026-02-02", "working_days": 45, "calendar": "CN", "caveat": None}


@pytest.mark.parametrize(
    "params",
    [{"from": "2026-02-30", "working_days": 45}, {"from": "2026-02-02", "working_days": -1}, {"working_days": 3},
     {"from": "2100-12-01", "working_days": 45}],
)
def test_deadline_bad_input(public_client, params):
    problem(public_client.get("/api/v1/calendar/deadline", params=params))


def test_policy_endpoints_work_through_the_full_app(client):
    """The same endpoints in the app with its database (no sign-in needed)."""
    assert client.get("/api/v1/policy/control-list", params={"on": "2026-01-15"}).status_code == 200
    assert client.get("/api/v1/calendar/deadline", params={"from": "2026-09-01", "working_days": 45}).json()["deadline"] == "2026-11-09"


def test_classify_technology_and_an_undecided_code(public_client):
    tech = public_client.post("/api/v1/policy/classify", json={
        "description": "NdFeB magnet manufacturing technology", "on": "2026-01-15"}).json()
    assert tech["prohibited"] is True and tech["controlled"] is True
    assert tech["technology"][0]["legal_ref"].startswith("MOFCOM/MOST Ann. 2023 No. 57")
    magnets = public_client.post("/api/v1/policy/classify", json={"hs_code": "8505111000", "on": "2026-01-15"}).json()
    assert magnets["controlled"] is None and [c["code"] for c in magnets["candidates"]] == ["1C902.a", "1C904.a", "1C905.a"]
    assert magnets["candidates"][1]["decided_by"] == "composition"
    by_code = public_client.post("/api/v1/policy/classify", json={"code": "1C905.b", "on": "2026-01-15"}).json()
    assert by_code["controlled"] is True and by_code["entries"][0]["matched_on"] == ["code"]
