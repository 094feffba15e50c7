"""Who may do what with amendments, as core/authz says: each role against each route, and
another organisation's exporter told "not found", exactly as for an id that does not exist."""

from __future__ import annotations

import pytest

from tests.amendments.helpers import API

CALLERS = ["anonymous", "exporter", "other_exporter", "officer", "senior", "customs", "auditor", "admin"]


def headers(aw, caller):
    return {} if caller == "anonymous" else getattr(aw.w, caller)


READERS = {"exporter": 200, "other_exporter": 404, "officer": 200, "senior": 200, "customs": 403, "auditor": 200,
           "admin": 403, "anonymous": 401}


@pytest.mark.parametrize("caller", CALLERS)
def test_reading_amendments(aw, caller):
    n = aw.licence()
    am = aw.ask(n, [{"kind": "change_quantity", "line_no": 1, "quantity": "1000"}])
    h = headers(aw, caller)
    want = READERS[caller]
    assert aw.client.get(f"{API}/amendments/{am['id']}", headers=h).status_code == want
    assert aw.client.get(f"{API}/amendments/{am['id']}/events", headers=h).status_code == want
    missing = aw.client.get(f"{API}/amendments/999999", headers=h)
    assert missing.status_code == (404 if want in (200, 404) else want)
    listing = aw.client.get(f"{API}/amendments", headers=h)
    assert listing.status_code == (200 if want in (200, 404) else want)
    if listing.status_code == 200:
        ids = [x["id"] for x in listing.json()["items"]]
        assert ids == ([] if caller == "other_exporter" else [am["id"]])
    versions = aw.client.get(f"{API}/licences/{n}/versions", headers=h)
    # versions are the licence's: customs reads licences
    assert versions.status_code == {**READERS, "customs": 200}[caller]


@pytest.mark.parametrize("caller", CALLERS)
def test_requesting(aw, caller):
    n = aw.licence()
    before = aw.counts()
    r = aw.client.post(f"{API}/licences/{n}/amendments", headers=headers(aw, caller), json={
        "changes": [{"kind": "change_quantity", "line_no": 1, "quantity": "1000"}], "reason": "contract changed"})
    want = {"exporter": 201, "other_exporter": 404, "anonymous": 401}.get(caller, 403)
    assert r.status_code == want, r.text
    if want != 201:
        assert aw.counts() == before
        if want == 403:
            assert r.json()["action"] == "amendment.request"


@pytest.mark.parametrize("action,allowed", [
    ("accept", {"officer", "senior"}),
    ("recommend", {"officer", "senior"}),
    ("decide", {"senior"}),
    ("withdraw", {"exporter"}),
])
@pytest.mark.parametrize("caller", CALLERS)
def test_acting(aw, caller, action, allowed):
    n = aw.licence()
    am = aw.ask(n, [{"kind": "change_quantity", "line_no": 1, "quantity": "1000"}])
    if action == "decide":
        aw.recommend(am["id"], who=aw.w.officer)
    if action == "recommend":
        aw.accept(am["id"])
    body = {"accept": None, "recommend": {"recommendation": "approve", "reasons": "fine"}, "decide": {"decision": "approve", "reasons": "fine"},
            "withdraw": {"reason": "not needed"}}[action]
    r = aw.client.post(f"{API}/amendments/{am['id']}/{action}", json=body, headers=headers(aw, caller))
    if caller in allowed:
        want = 200
    elif caller == "anonymous":
        want = 401
    elif caller == "other_exporter" and action == "withdraw":
        want = 404
    else:
        want = 403
    assert r.status_code == want, r.text
    if want == 403:
        assert r.json()["action"].startswith("amendment.")


def test_list_filters(aw):
    n1, n2 = aw.licence(), aw.licence()
    a1 = aw.ask(n1, [{"kind": "change_quantity", "line_no": 1, "quantity": "1000"}])
    a2 = aw.ask(n2, [{"kind": "change_quantity", "line_no": 1, "quantity": "1000"}])
    aw.act(a2["id"], "withdraw", aw.w.exporter, {"reason": "not needed"})
    get = lambda q: [x["id"] for x in aw.client.get(f"{API}/amendments{q}", headers=aw.w.officer).json()["items"]]  # noqa: E731
    assert get("") == [a1["id"], a2["id"]]
    assert get("?status=pending") == [a1["id"]]
    assert get(f"?licence={n2}") == [a2["id"]]
    assert get(f"?licence={n2}&status=pending") == []
    page = aw.client.get(f"{API}/amendments?limit=1", headers=aw.w.officer).json()
    assert [x["id"] for x in page["items"]] == [a1["id"]] and page["next_cursor"]
    nxt = aw.client.get(f"{API}/amendments?limit=1&cursor={page['next_cursor']}", headers=aw.w.officer).json()
    assert [x["id"] for x in nxt["items"]] == [a2["id"]] and nxt["next_cursor"] is None
    csv = aw.client.get(f"{API}/amendments?format=csv", headers=aw.w.auditor)
    assert csv.status_code == 200 and csv.text.splitlines()[0].startswith("id,licence,") and n1 in csv.text
    assert aw.client.get(f"{API}/amendments?status=bogus", headers=aw.w.officer).status_code == 422
