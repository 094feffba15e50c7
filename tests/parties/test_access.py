"""Who may call which endpoint: every role against every endpoint, as core/authz's table says.

An exporter reaching for another organisation's organisation or party gets a 404 (ids cannot
be probed); a role the table does not allow gets a 403; no token gets a 401.
"""

from __future__ import annotations

import pytest

from tests.factories import valid_uscc
from tests.parties.helpers import assert_problem

STAFF = ["officer", "senior_officer", "customs", "auditor", "admin"]
ROLES = ["exporter", *STAFF]
PROFILE = {"has_icp": True, "export_experience_years": 3, "briefings_attended": 1, "stable_channels": True}
VIOLATION = {"kind": "administrative", "decided_on": "2020-01-15", "description": "late report", "legal_ref": "DUR Art. 40"}


def _all(code: int, **overrides: int) -> dict[str, int]:
    return {role: overrides.get(role, code) for role in ROLES}


# (method, path template, body, expected status per role). {org}/{party} are the exporter's own,
# {other}/{other_party} another exporter's.
CASES = [
    ("GET", "/api/v1/organisations", None, _all(200)),
    ("POST", "/api/v1/organisations", "new-org", _all(403, admin=201)),
    ("GET", "/api/v1/organisations/{org}", None, _all(200)),
    ("GET", "/api/v1/organisations/{other}", None, _all(200, exporter=404)),
    ("PATCH", "/api/v1/organisations/{org}", {"contact_phone": "+86 10 1234 5678"}, _all(403, exporter=200, admin=200)),
    ("PATCH", "/api/v1/organisations/{other}", {"contact_phone": "+86 10 1234 5678"}, _all(403, exporter=404, admin=200)),
    ("GET", "/api/v1/organisations/{org}/compliance-profile", None, _all(200)),
    ("GET", "/api/v1/organisations/{other}/compliance-profile", None, _all(200, exporter=404)),
    ("PUT", "/api/v1/organisations/{org}/compliance-profile", PROFILE, _all(403, exporter=200, admin=200)),
    ("PUT", "/api/v1/organisations/{other}/compliance-profile", PROFILE, _all(403, exporter=404, admin=200)),
    ("GET", "/api/v1/organisations/{org}/violations", None, _all(200)),
    ("GET", "/api/v1/organisations/{other}/violations", None, _all(200, exporter=404)),
    ("POST", "/api/v1/organisations/{org}/violations", VIOLATION, _all(403, admin=201)),
    ("GET", "/api/v1/parties", None, _all(200, customs=403)),
    ("POST", "/api/v1/parties", {"name": "Nordmagnet AB", "country": "SE"}, _all(403, exporter=201)),
    ("GET", "/api/v1/parties/{party}", None, _all(200, customs=403)),
    ("GET", "/api/v1/parties/{other_party}", None, _all(200, exporter=404, customs=403)),
    ("PATCH", "/api/v1/parties/{party}", {"business": "magnet maker"}, _all(403, exporter=200)),
    ("PATCH", "/api/v1/parties/{other_party}", {"business": "magnet maker"}, _all(403, exporter=404)),
]


def _url(template: str, world) -> str:
    return template.format(org=world.org.id, other=world.other.id, party=world.party.id, other_party=world.other_party.id)


def _body(body, n: int):
    return {"name_zh": f"新公司{n}", "name_en": f"New Co {n}", "uscc": valid_uscc(900 + n)} if body == "new-org" else body


@pytest.mark.parametrize("method,template,body,expected", CASES, ids=[f"{m} {t}" for m, t, _, _ in CASES])
def test_each_role_gets_what_the_table_says(client, world, method, template, body, expected):
    url = _url(template, world)
    got = {}
    for n, role in enumerate(ROLES):
        resp = client.request(method, url, json=_body(body, n), headers=world.headers[role])
        got[role] = resp.status_code
        if resp.status_code >= 400:
            assert resp.headers["content-type"].startswith("application/problem+json")
    assert got == expected


@pytest.mark.parametrize("method,template,body,_", CASES, ids=[f"{m} {t}" for m, t, _, _ in CASES])
def test_anonymous_is_401(client, world, method, template, body, _):
    resp = client.request(method, _url(template, world), json=_body(body, 0))
    assert_problem(resp, 401)
    assert resp.headers["www-authenticate"] == "Bearer"


def test_exporter_lists_only_its_own_organisation_and_parties(client, world):
    orgs = client.get("/api/v1/organisations", headers=world.headers["exporter"]).json()
    assert [o["id"] for o in orgs] == [world.org.id]
    parties = client.get("/api/v1/parties", headers=world.headers["exporter"]).json()["items"]
    assert [p["id"] for p in parties] == [world.party.id]
    # asking for the other organisation's parties by filter yields nothing, not its rows
    other = client.get(f"/api/v1/parties?org_id={world.other.id}", headers=world.headers["exporter"]).json()
    assert other["items"] == []


def test_staff_see_every_organisation_and_party(client, world):
    for role in ("officer", "auditor"):
        orgs = client.get("/api/v1/organisations", headers=world.headers[role]).json()
        assert {o["id"] for o in orgs} == {world.org.id, world.other.id}
        parties = client.get("/api/v1/parties", headers=world.headers[role]).json()["items"]
        assert {p["id"] for p in parties} == {world.party.id, world.other_party.id}


def test_another_exporters_object_is_indistinguishable_from_a_missing_one(client, world):
    h = world.headers["exporter"]
    hidden = client.get(f"/api/v1/organisations/{world.other.id}", headers=h).json()
    missing = client.get("/api/v1/organisations/999999", headers=h).json()
    assert hidden["title"] == missing["title"] == "Not found"
    assert hidden["detail"].replace(str(world.other.id), "N") == missing["detail"].replace("999999", "N")
    hidden = client.get(f"/api/v1/parties/{world.other_party.id}", headers=h).json()
    missing = client.get("/api/v1/parties/999999", headers=h).json()
    assert hidden["detail"].replace(str(world.other_party.id), "N") == missing["detail"].replace("999999", "N")


def test_party_created_by_an_exporter_belongs_to_its_organisation(client, world):
    r = client.post("/api/v1/parties", json={"name": "Aimants SA", "country": "FR"}, headers=world.headers["other_exporter"])
    assert r.status_code == 201 and r.json()["org_id"] == world.other.id
    r = client.get(f"/api/v1/parties/{r.json()['id']}", headers=world.headers["exporter"])
    assert_problem(r, 404)
