"""Reading restricted-party lists over the API: every role, unknown lists and versions, paging."""

from __future__ import annotations

import json

import pytest

from rarex.core.authz import PERMISSIONS, Principal, Role
from rarex.core.db import unit_of_work
from rarex.screening import list_import

API = "/api/v1/screening/lists"


@pytest.fixture
def imported(db, tmp_path):
    """List ``api-list`` with two versions: five entities, then three."""
    for version, count in ((1, 5), (2, 3)):
        path = tmp_path / f"v{version}.jsonl"
        path.write_text("".join(json.dumps({"id": f"e{i}", "schema": "Company", "properties": {
            "name": [f"测试{version}-{i}号有限公司"], "alias": [f"Test {version}-{i} Co"], "country": ["cn"],
            "program": ["DEMO-EL"], "registrationNumber": [f"R{i}"], "createdAt": ["2024-05-14"]}}, ensure_ascii=False) + "\n"
            for i in range(count)), encoding="utf-8")
        with unit_of_work() as s:
            list_import.import_list(s, Principal.system("test"), path, list_name="api-list", format="ftm", title="API list",
                                    publisher="Test Ministry", allow_shrink=True)


@pytest.mark.parametrize("role", sorted(PERMISSIONS["screening.list.read"], key=str))
def test_every_role_reads_lists_versions_and_entities(client, as_role, imported, role):
    headers = as_role(role)
    [row] = client.get(API, headers=headers).json()
    assert (row["name"], row["title"], row["version_count"], row["latest"]["version"], row["latest"]["entry_count"]) == (
        "api-list", "API list", 2, 2, 3)
    detail = client.get(f"{API}/api-list", headers=headers).json()
    assert [(v["version"], v["source"], v["publisher"], v["entry_count"], v["rejected_count"]) for v in detail["versions"]] == [
        (1, "v1.jsonl", "Test Ministry", 5, 0), (2, "v2.jsonl", "Test Ministry", 3, 0)]
    assert {"published_on", "checksum", "imported_at", "imported_by", "format"} <= detail["versions"][0].keys()
    page = client.get(f"{API}/api-list/versions/1/entities", headers=headers).json()
    assert page["next_cursor"] is None and page["items"][0] == {
        "entity_id": "e0", "schema": "Company", "name": "测试1-0号有限公司", "aliases": ["Test 1-0 Co"], "countries": ["cn"],
        "programs": ["DEMO-EL"], "identifiers": ["R0"], "addresses": [], "listed_on": "2024-05-14"}


def test_a_buyer_reads_no_list(client, as_role, imported):
    """A foreign buyer's account sees its own cover, not the ministry's screening lists."""
    assert Role.buyer not in PERMISSIONS["screening.list.read"]
    r = client.get(API, headers=as_role(Role.buyer))
    assert r.status_code == 403 and r.headers["content-type"].startswith("application/problem+json")


def test_anonymous_callers_are_turned_away(client, imported):
    r = client.get(API)
    assert r.status_code == 401 and r.headers["content-type"].startswith("application/problem+json")


def test_entities_page_with_a_cursor(client, as_role, imported):
    headers = as_role(Role.officer)
    seen, cursor, pages = [], None, 0
    while True:
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        r = client.get(f"{API}/api-list/versions/1/entities", params=params, headers=headers)
        assert r.status_code == 200, r.text
        body = r.json()
        seen += [e["entity_id"] for e in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert (seen, pages) == (["e0", "e1", "e2", "e3", "e4"], 3)
    v2 = client.get(f"{API}/api-list/versions/2/entities", params={"limit": 3}, headers=headers).json()
    assert [e["name"] for e in v2["items"]] == ["测试2-0号有限公司", "测试2-1号有限公司", "测试2-2号有限公司"]
    assert v2["next_cursor"] is None


@pytest.mark.parametrize("path,status,detail", [
    ("/no-such-list", 404, "screening list 'no-such-list' not found"),
    ("/no-such-list/versions/1/entities", 404, "screening list 'no-such-list' not found"),
    ("/api-list/versions/3/entities", 404, "screening list 'api-list' has no version 3"),
    ("/api-list/versions/0/entities", 422, "version"),
    ("/api-list/versions/99999999999/entities", 422, "version"),
    ("/api-list/versions/1/entities?limit=0", 422, "limit"),
    ("/api-list/versions/1/entities?limit=1001", 422, "limit"),
    ("/api-list/versions/1/entities?cursor=not-a-cursor", 422, "cursor is not one this API issued"),
    ("/" + "x" * 81, 422, "name"),
    ("/a%00b", 422, "NUL"),
])
def test_unknown_and_bad_requests_are_problem_documents(client, as_role, imported, path, status, detail):
    r = client.get(API + path, headers=as_role(Role.auditor))
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert detail in r.json()["detail"]
