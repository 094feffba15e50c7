"""``GET /api/v1/parties/{id}/versions`` and ``rarex parties versions``: every version of a party,
visible exactly where the party is."""

from __future__ import annotations

import json

import pytest

from tests.parties.helpers import build_world


@pytest.fixture
def world(session):
    return build_world(session)


def _edited_party(client, world) -> int:
    """A party put on file and edited once through the API: versions 1 and 2."""
    r = client.post("/api/v1/parties", json={"name": "Nordmagnet AB", "country": "SE", "address": "Hamngatan 1"},
                    headers=world.headers["exporter"])
    assert r.status_code == 201, r.text
    party_id = r.json()["id"]
    r = client.patch(f"/api/v1/parties/{party_id}", json={"address": "Hamngatan 2"}, headers=world.headers["exporter"])
    assert r.status_code == 200 and r.json()["version"] == 2, r.text
    return party_id


@pytest.mark.parametrize("role,expect", [
    ("exporter", 200), ("officer", 200), ("senior_officer", 200), ("auditor", 200), ("admin", 200),
    ("customs", 403), ("other_exporter", 404),
])
def test_versions_are_read_where_the_party_is(client, world, role, expect):
    party_id = _edited_party(client, world)
    r = client.get(f"/api/v1/parties/{party_id}/versions", headers=world.headers[role])
    assert r.status_code == expect, r.text
    if expect == 200:
        assert [(v["version"], v["address"]) for v in r.json()] == [(1, "Hamngatan 1"), (2, "Hamngatan 2")]
    else:
        assert r.headers["content-type"].startswith("application/problem+json")
    party_read = client.get(f"/api/v1/parties/{party_id}", headers=world.headers[role])
    assert party_read.status_code == expect


def test_versions_need_a_token_and_a_real_party(client, world):
    party_id = _edited_party(client, world)
    assert client.get(f"/api/v1/parties/{party_id}/versions").status_code == 401
    assert client.get("/api/v1/parties/999999/versions", headers=world.headers["officer"]).status_code == 404
    assert client.get("/api/v1/parties/99999999999/versions", headers=world.headers["officer"]).status_code == 422


def test_cli_lists_versions_as_json_and_as_a_table(client, cli, world):
    party_id = _edited_party(client, world)
    r = cli("parties", "versions", str(party_id), "--json")
    assert r.exit_code == 0, r.output
    assert [(v["version"], v["address"]) for v in json.loads(r.output)] == [(1, "Hamngatan 1"), (2, "Hamngatan 2")]
    r = cli("parties", "versions", str(party_id))
    assert r.exit_code == 0 and "Hamngatan 2" in r.output
    r = cli("parties", "versions", "999999")
    assert r.exit_code != 0 and "not found" in r.output
