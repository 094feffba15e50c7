"""Foreign parties through the API: country and name rules, audit, paging, filters and CSV."""

from __future__ import annotations

import csv
import io

import pytest

from rarex.web.paging import encode_cursor
from tests.factories import make_party
from tests.parties.helpers import assert_problem, counts, events


def test_exporter_creates_party_with_normalised_country_and_audit_event(client, session, world):
    body = {"name": "  Magnetics Korea Co.  ", "name_local": "마그네틱스 코리아", "country": "kor",
            "address": "12 Sandan-ro, Changwon", "business": "EV motor magnets", "website": "https://magnetics.example.kr"}
    r = client.post("/api/v1/parties", json=body, headers=world.headers["exporter"])
    assert r.status_code == 201, r.text
    p = r.json()
    assert p["country"] == "KR" and p["name"] == "Magnetics Korea Co." and p["org_id"] == world.org.id
    [ev] = events(session, "party.created")
    assert (ev.stream, ev.actor_role, ev.before) == (f"party:{p['id']}", "exporter", None)
    assert ev.after == {"org_id": world.org.id, "version": 1, "name": "Magnetics Korea Co.", "name_local": "마그네틱스 코리아",
                        "country": "KR", "address": "12 Sandan-ro, Changwon", "business": "EV motor magnets",
                        "website": "https://magnetics.example.kr", "end_user_category": "unknown"}
    assert client.get(f"/api/v1/parties/{p['id']}", headers=world.headers["officer"]).json() == p


@pytest.mark.parametrize("country,expected", [("de", "DE"), ("DEU", "DE"), (" jp ", "JP"), ("usa", "US")])
def test_country_accepts_alpha2_and_alpha3_in_any_case(client, world, country, expected):
    r = client.post("/api/v1/parties", json={"name": "Acme", "country": country}, headers=world.headers["exporter"])
    assert r.status_code == 201 and r.json()["country"] == expected


@pytest.mark.parametrize(
    "body,needle",
    [
        ({"name": "Acme", "country": "XX"}, "'XX' is not an ISO 3166-1 country code"),
        ({"name": "Acme", "country": "Germany"}, "'Germany'"),
        ({"name": "Acme", "country": ""}, "country"),
        ({"name": "Acme", "country": "cn"}, "China itself"),
        ({"name": "Acme", "country": "CHN"}, "China itself"),
        ({"name": "   ", "country": "DE"}, "name"),
        ({"name": "x" * 301, "country": "DE"}, "name"),
        ({"country": "DE"}, "name"),
        ({"name": "Acme"}, "country"),
        ({"name": "Acme", "country": "DE", "org_id": 1}, "org_id"),
        ({"name": "Acme", "country": "DE", "website": "javascript:alert(1)"}, "website"),
    ],
    ids=["unknown", "full-name", "empty", "china", "china-alpha3", "blank-name", "long-name", "no-name", "no-country",
         "extra-org", "bad-website"],
)
def test_bad_party_is_422_naming_the_problem_and_writes_nothing(client, session, world, body, needle):
    before = counts(session)
    assert_problem(client.post("/api/v1/parties", json=body, headers=world.headers["exporter"]), 422, needle)
    assert counts(session) == before


def test_patch_party_audits_before_and_after(client, session, world):
    url = f"/api/v1/parties/{world.party.id}"
    r = client.patch(url, json={"country": "aut", "address": "Ring 1, Wien"}, headers=world.headers["exporter"])
    assert r.status_code == 200 and r.json()["country"] == "AT"
    [ev] = events(session, "party.updated")
    assert ev.before == {"country": "DE", "address": world.party.address}
    assert ev.after == {"country": "AT", "address": "Ring 1, Wien", "version": 2}


@pytest.mark.parametrize(
    "body", [{"country": "CN"}, {"name": ""}, {"name": None}, {"org_id": 2}, {"country": "ZZZ"}],
    ids=["china", "blank-name", "null-name", "move-org", "unknown-country"],
)
def test_bad_party_patch_is_422_and_changes_nothing(client, session, world, body):
    before = counts(session)
    url = f"/api/v1/parties/{world.party.id}"
    assert_problem(client.patch(url, json=body, headers=world.headers["exporter"]), 422)
    assert counts(session) == before
    p = client.get(url, headers=world.headers["exporter"]).json()
    assert (p["country"], p["name"], p["org_id"]) == ("DE", world.party.name, world.org.id)


@pytest.mark.parametrize("path,status", [("abc", 422), ("0", 422), ("99999999999", 422), ("999999", 404)])
def test_bad_party_ids(client, world, path, status):
    h = world.headers["exporter"]
    assert_problem(client.get(f"/api/v1/parties/{path}", headers=h), status)
    assert_problem(client.patch(f"/api/v1/parties/{path}", json={"business": "x"}, headers=h), status)


@pytest.fixture
def many(session, world):
    """Seven parties on the exporter's file (plus world.party), in id order."""
    names = ["Alpha Magnet GmbH", "Beta Motors AG", "Gamma 100% Pure", "Delta Drives", "Epsilon Oy", "=HYPERLINK(\"x\")",
             "Zeta_Ltd"]
    countries = ["DE", "DE", "US", "JP", "FI", "GB", "GB"]
    parties = [make_party(session, world.org, name=n, country=c) for n, c in zip(names, countries, strict=True)]
    session.commit()
    return [world.party, *parties]


def test_paging_walks_every_party_once_in_order(client, world, many):
    h, seen, cursor = world.headers["exporter"], [], None
    for _ in range(10):
        page = client.get("/api/v1/parties", params={"limit": 3, **({"cursor": cursor} if cursor else {})}, headers=h).json()
        assert len(page["items"]) <= 3
        seen += [p["id"] for p in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [p.id for p in many]


def test_paging_limits_and_cursor_errors(client, world, many):
    h = world.headers["exporter"]
    page = client.get("/api/v1/parties", params={"limit": len(many)}, headers=h).json()
    assert len(page["items"]) == len(many) and page["next_cursor"] is None
    assert_problem(client.get("/api/v1/parties", params={"cursor": "garbage!"}, headers=h), 422, "cursor")
    assert_problem(client.get("/api/v1/parties", params={"limit": 0}, headers=h), 422)
    r = client.get("/api/v1/parties", params={"cursor": encode_cursor(2**31 - 1)}, headers=h)
    assert r.status_code == 200 and r.json() == {"items": [], "next_cursor": None}
    for far in (2**31, 2**63 - 1):  # beyond any id: refused, never a database error
        assert_problem(client.get("/api/v1/parties", params={"cursor": encode_cursor(far)}, headers=h), 422, "cursor")
    assert_problem(client.get("/api/v1/parties", params={"limit": 501}, headers=h), 422)


@pytest.mark.parametrize(
    "params,names",
    [
        ({"country": "de"}, ["Alpha Magnet GmbH", "Beta Motors AG"]),
        ({"country": "DEU", "q": "beta"}, ["Beta Motors AG"]),
        ({"q": "MAGNET"}, ["Alpha Magnet GmbH"]),
        ({"q": "100%"}, ["Gamma 100% Pure"]),
        ({"q": "%"}, ["Gamma 100% Pure"]),
        ({"q": "_"}, ["Zeta_Ltd"]),
        ({"country": "KR"}, []),
    ],
    ids=["country", "country-and-q", "q-any-case", "q-percent", "q-wildcard-literal", "q-underscore-literal", "none"],
)
def test_filters(client, world, many, params, names):
    params = {**params, "org_id": world.org.id}
    items = client.get("/api/v1/parties", params=params, headers=world.headers["auditor"]).json()["items"]
    assert [p["name"] for p in items if p["id"] != world.party.id] == names


def test_unknown_country_filter_is_422(client, world):
    assert_problem(client.get("/api/v1/parties", params={"country": "XX"}, headers=world.headers["officer"]), 422, "XX")


def test_csv_export_has_every_row_and_defuses_formulas(client, world, many):
    r = client.get("/api/v1/parties", params={"format": "csv"}, headers=world.headers["exporter"])
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [int(row["id"]) for row in rows] == [p.id for p in many]
    assert rows[0]["country"] == "DE" and rows[0]["org_id"] == str(world.org.id)
    assert '\'=HYPERLINK("x")' in [row["name"] for row in rows]


def test_csv_honours_filters_and_paging(client, world, many):
    h = world.headers["exporter"]
    r = client.get("/api/v1/parties", params={"format": "csv", "country": "GB"}, headers=h)
    assert len(list(csv.DictReader(io.StringIO(r.text)))) == 2
    r = client.get("/api/v1/parties", params={"format": "csv", "limit": 2}, headers=h)
    assert [int(row["id"]) for row in csv.DictReader(io.StringIO(r.text))] == [p.id for p in many[:2]]
    r = client.get("/api/v1/parties", params={"format": "csv", "limit": 2, "cursor": r.headers["x-next-cursor"]}, headers=h)
    assert [int(row["id"]) for row in csv.DictReader(io.StringIO(r.text))] == [p.id for p in many[2:4]]
    assert_problem(client.get("/api/v1/parties", params={"format": "xlsx"}, headers=h), 422, "format")


def test_csv_for_exporter_leaves_out_other_organisations(client, world):
    r = client.get("/api/v1/parties", params={"format": "csv"}, headers=world.headers["other_exporter"])
    assert [int(row["id"]) for row in csv.DictReader(io.StringIO(r.text))] == [world.other_party.id]
