"""Reading the audit log over the API: who may, paging with cursors, filters."""

from __future__ import annotations

import base64

import pytest

from rarex.core import audit
from rarex.core.authz import Principal, Role
from rarex.web.paging import encode_cursor

ACTOR = Principal(user_id=None, username="test", role=None)


@pytest.fixture
def auditor(as_role):
    return as_role(Role.auditor)


@pytest.fixture
def events(session) -> list[int]:
    ids = []
    for i in range(7):
        subject = ("licence", i % 2) if i % 3 else ("application", 1)
        ev = audit.record(session, type=f"{subject[0]}.touched", actor=ACTOR, subject_type=subject[0],
                          subject_id=subject[1], after={"i": i})
        ids.append(ev.id)
    session.commit()
    return ids


def _page_through(client, headers, **params) -> tuple[list[int], int]:
    seen, pages, cursor = [], 0, None
    while True:
        q = dict(params)
        if cursor:
            q["cursor"] = cursor
        r = client.get("/api/v1/audit/events", params=q, headers=headers)
        assert r.status_code == 200, r.text
        body = r.json()
        seen += [e["id"] for e in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if not cursor:
            return seen, pages
        assert pages < 50


@pytest.mark.parametrize("role", list(Role))
def test_events_by_role(client, as_role, role):
    r = client.get("/api/v1/audit/events", headers=as_role(role))
    assert r.status_code == (200 if role in (Role.auditor, Role.admin) else 403)


def test_events_anonymous_is_401(client):
    assert client.get("/api/v1/audit/events").status_code == 401


def test_paging_returns_every_event_once_in_order(client, auditor, events):
    seen, pages = _page_through(client, auditor, limit=3)
    mine = [i for i in seen if i in events]
    assert mine == events
    assert len(seen) == len(set(seen))
    assert pages == -(-len(seen) // 3)


def test_last_full_page_has_no_next_cursor(client, auditor, events):
    total = len(client.get("/api/v1/audit/events", params={"limit": 500}, headers=auditor).json()["items"])
    body = client.get("/api/v1/audit/events", params={"limit": total}, headers=auditor).json()
    assert len(body["items"]) == total and body["next_cursor"] is None


def test_filters(client, auditor, events):
    by_stream, _ = _page_through(client, auditor, stream="application:1", limit=2)
    assert by_stream == [events[0], events[3], events[6]]
    by_type, _ = _page_through(client, auditor, type="licence.touched", limit=2)
    assert by_type == [e for i, e in enumerate(events) if i % 3]
    items = client.get("/api/v1/audit/events", params={"subject_type": "application"}, headers=auditor).json()["items"]
    assert [e["id"] for e in items] == [events[0], events[3], events[6]]
    assert items[0]["after"] == {"i": 0} and items[0]["seq"] == 1 and len(items[0]["hash"]) == 64


@pytest.mark.parametrize(
    "cursor",
    [
        "not-a-cursor",
        "%%%",
        base64.urlsafe_b64encode(b"id:-1").decode(),
        base64.urlsafe_b64encode(b"offset:3").decode(),
        base64.urlsafe_b64encode("id:١٢".encode()).decode(),  # non-ASCII digits
        encode_cursor(2**31),  # beyond any INTEGER id (PostgreSQL's int4)
        encode_cursor(10**20),  # beyond a 64-bit integer (SQLite)
    ],
)
def test_bad_cursor_is_a_422_problem(client, auditor, cursor):
    r = client.get("/api/v1/audit/events", params={"cursor": cursor}, headers=auditor)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["field"] == "cursor"


@pytest.mark.parametrize("limit", [0, 501, "ten"])
def test_bad_limit_is_a_422_problem(client, auditor, limit):
    r = client.get("/api/v1/audit/events", params={"limit": limit}, headers=auditor)
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "query.limit"


def test_cursor_past_the_end_gives_an_empty_page(client, auditor, events):
    r = client.get("/api/v1/audit/events", params={"cursor": encode_cursor(2**31 - 1)}, headers=auditor)
    assert r.status_code == 200 and r.json() == {"items": [], "next_cursor": None}
