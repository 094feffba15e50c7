"""Who may record, cancel and read shipments: customs records and cancels; the licence holder's
exporters read their own; officers, senior officers, customs and auditors read all; another
organisation's exporter is told "not found", exactly as for a declaration that does not exist."""

from __future__ import annotations

import pytest

from tests.applications.helpers import build_world
from tests.shipments.helpers import body, make_licence

DY = "1C905.b"
READERS = ["exporter", "officer", "senior", "customs", "auditor"]
NOT_CUSTOMS = ["exporter", "other_exporter", "officer", "senior", "senior2", "auditor", "admin"]


@pytest.fixture
def w(client, session):
    w = build_world(client, session)
    w.lic = make_licence(session, w.org.id, [(DY, w.end_user, "100", "kg")])
    r = client.post(f"/api/v1/licences/{w.lic.number}/shipments", json=body("ACC-1", (DY, w.end_user, "1", "kg")),
                    headers=w.customs)
    assert r.status_code == 201, r.text
    return w


def problem(resp, code):
    assert resp.status_code == code, resp.text
    assert resp.headers["content-type"].startswith("application/problem+json")
    return resp.json()


@pytest.mark.parametrize("who", NOT_CUSTOMS)
def test_only_customs_records_and_cancels(w, who):
    r = w.client.post(f"/api/v1/licences/{w.lic.number}/shipments", json=body("ACC-2", (DY, w.end_user, "1", "kg")),
                      headers=getattr(w, who))
    assert problem(r, 403)["action"] == "shipment.record"
    r = w.client.post("/api/v1/shipments/ACC-1/cancel", json={"reason": "not mine to cancel"}, headers=getattr(w, who))
    assert problem(r, 403)["action"] == "shipment.cancel"


@pytest.mark.parametrize("who", READERS)
def test_readers_see_the_licences_shipments(w, who):
    h = getattr(w, who)
    page = w.client.get(f"/api/v1/licences/{w.lic.number}/shipments", headers=h)
    assert page.status_code == 200 and [s["declaration"] for s in page.json()["items"]] == ["ACC-1"]
    one = w.client.get("/api/v1/shipments/ACC-1", headers=h)
    assert one.status_code == 200 and one.json()["licence"] == w.lic.number


def test_another_organisations_exporter_gets_404_as_for_nothing(w):
    h = w.other_exporter
    problem(w.client.get(f"/api/v1/licences/{w.lic.number}/shipments", headers=h), 404)
    missing = problem(w.client.get("/api/v1/shipments/NOPE-1", headers=h), 404)
    real = problem(w.client.get("/api/v1/shipments/ACC-1", headers=h), 404)
    assert (real["type"], real["title"]) == (missing["type"], missing["title"])
    problem(w.client.get("/api/v1/licences/CNDU-G2099-999999/shipments", headers=h), 404)


def test_admin_does_not_read_shipments(w):
    assert problem(w.client.get("/api/v1/shipments/ACC-1", headers=w.admin), 403)["action"] == "shipment.read"
    problem(w.client.get(f"/api/v1/licences/{w.lic.number}/shipments", headers=w.admin), 403)


def test_anonymous_gets_401_everywhere(w):
    calls = [
        ("POST", f"/api/v1/licences/{w.lic.number}/shipments", body("ACC-3", (DY, w.end_user, "1", "kg"))),
        ("GET", f"/api/v1/licences/{w.lic.number}/shipments", None),
        ("GET", "/api/v1/shipments/ACC-1", None),
        ("POST", "/api/v1/shipments/ACC-1/cancel", {"reason": "anonymous"}),
    ]
    for method, path, data in calls:
        r = w.client.request(method, path, json=data)
        assert problem(r, 401) and r.headers["www-authenticate"] == "Bearer"


def test_lists_page_filter_and_export_csv(w, session):
    for i in range(2, 6):
        r = w.client.post(f"/api/v1/licences/{w.lic.number}/shipments",
                          json=body(f"ACC-{i}", (DY, w.end_user, "1", "kg")), headers=w.customs)
        assert r.status_code == 201
    assert w.client.post("/api/v1/shipments/ACC-2/cancel", json={"reason": "duplicate entry"}, headers=w.customs).status_code == 200
    url = f"/api/v1/licences/{w.lic.number}/shipments"
    first = w.client.get(url, params={"limit": 3}, headers=w.exporter).json()
    rest = w.client.get(url, params={"limit": 3, "cursor": first["next_cursor"]}, headers=w.exporter).json()
    assert [s["declaration"] for s in first["items"] + rest["items"]] == [f"ACC-{i}" for i in range(1, 6)]
    assert rest["next_cursor"] is None
    cancelled = w.client.get(url, params={"status": "cancelled"}, headers=w.auditor).json()["items"]
    assert [s["declaration"] for s in cancelled] == ["ACC-2"] and cancelled[0]["cancel_reason"] == "duplicate entry"
    csv = w.client.get(url, params={"format": "csv"}, headers=w.officer)
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    lines = csv.text.splitlines()
    assert lines[0].startswith("declaration,licence,date,port,item,end_user,quantity,unit,") and len(lines) == 6
    problem(w.client.get(url, params={"cursor": "garbage"}, headers=w.officer), 422)
