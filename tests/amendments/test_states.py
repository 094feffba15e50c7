"""Every forbidden transition is a 409 naming the state; the licence's status follows its
amendment; suspension, revocation and expiry lapse a pending amendment."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from rarex.amendments.models import Amendment
from rarex.core.authz import Principal
from rarex.licences import service as licences
from tests.amendments.helpers import API
from tests.licences.helpers import control_body

Q = [{"kind": "change_quantity", "line_no": 1, "quantity": "1000"}]
BODY = {
    "accept": None,
    "recommend": {"recommendation": "approve", "reasons": "fine"},
    "decide": {"decision": "approve", "reasons": "fine"},
    "withdraw": {"reason": "not needed"},
}
WHO = {"accept": "officer", "recommend": "officer", "decide": "senior2", "withdraw": "exporter"}


def to_state(aw, state: str) -> dict:
    n = aw.licence()
    am = aw.ask(n, Q)
    if state == "pending":
        return am
    if state == "withdrawn":
        return aw.act(am["id"], "withdraw", aw.w.exporter, BODY["withdraw"])
    if state == "under_review":
        return aw.accept(am["id"])
    if state == "lapsed":
        aw.client.post(f"{API}/licences/{n}/suspend", json=control_body("suspend", "end user under review"),
                       headers=aw.w.senior)
        return aw.client.get(f"{API}/amendments/{am['id']}", headers=aw.w.exporter).json()
    aw.recommend(am["id"])
    if state == "recommended":
        return am
    return aw.decide(am["id"], "approve" if state == "approved" else "refuse")


ALLOWED = {"pending": {"accept", "withdraw"}, "under_review": {"recommend", "withdraw"},
           "recommended": {"decide", "withdraw"}}


@pytest.mark.parametrize("state", ["pending", "under_review", "recommended", "approved", "refused", "withdrawn", "lapsed"])
def test_forbidden_transitions_are_409_naming_the_state(aw, state):
    am = to_state(aw, state)
    detail = aw.client.get(f"{API}/amendments/{am['id']}", headers=aw.w.officer).json()
    assert detail["status"] == state
    assert set(detail["allowed_actions"]) == ALLOWED.get(state, set())
    for action in ("accept", "recommend", "decide", "withdraw"):
        if action in ALLOWED.get(state, set()):
            continue
        r = aw.client.post(f"{API}/amendments/{am['id']}/{action}", json=BODY[action], headers=getattr(aw.w, WHO[action]))
        assert r.status_code == 409, f"{action} from {state}: {r.text}"
        p = r.json()
        assert p["current_state"] == state and state in p["detail"] and p["action"] == action


def test_the_recommender_may_not_decide(aw):
    n = aw.licence()
    am = aw.ask(n, Q)
    aw.recommend(am["id"], who=aw.w.senior)
    r = aw.client.post(f"{API}/amendments/{am['id']}/decide", json=BODY["decide"], headers=aw.w.senior)
    assert r.status_code == 403 and "countersigning" in r.json()["detail"]
    assert aw.decide(am["id"], who=aw.w.senior2)["status"] == "approved"


def test_licence_status_follows_the_amendment(aw):
    n = aw.licence()
    lic = aw.get_licence(n)
    assert "request_amendment" in lic["allowed_actions"]
    am = aw.ask(n, Q)
    lic = aw.get_licence(n)
    assert lic["status"] == "under_amendment" and lic["pending_amendment"] == am["id"]
    assert "may not be used while the amendment is pending" in lic["status_reason"]
    # the amendment's own outcomes are not offered on the licence; control by a senior officer is
    assert set(lic["allowed_actions"]) == {"suspend", "revoke", "expire"}
    assert [x["number"] for x in aw.client.get(f"{API}/licences?status=under_amendment", headers=aw.w.officer).json()["items"]] == [n]
    r = aw.client.post(f"{API}/licences/{n}/reinstate", json=control_body("reinstate", "nothing to reinstate"),
                       headers=aw.w.senior)
    assert r.status_code == 409 and r.json()["current_state"] == "under_amendment"


@pytest.mark.parametrize("action,status", [("suspend", "suspended"), ("revoke", "revoked")])
def test_suspending_or_revoking_lapses_the_pending_amendment(aw, action, status):
    n = aw.licence()
    am = aw.ask(n, Q)
    aw.recommend(am["id"])
    r = aw.client.post(f"{API}/licences/{n}/{action}", json=control_body(action, "end user under investigation"),
                       headers=aw.w.senior)
    assert r.status_code == 200 and r.json()["status"] == status and r.json()["pending_amendment"] is None
    lapsed = aw.client.get(f"{API}/amendments/{am['id']}", headers=aw.w.exporter).json()
    assert lapsed["status"] == "lapsed" and "end user under investigation" in lapsed["closed_reason"]
    assert lapsed["deadline_info"]["clock_running"] is False
    r = aw.client.post(f"{API}/amendments/{am['id']}/decide", json=BODY["decide"], headers=aw.w.senior2)
    assert r.status_code == 409 and r.json()["current_state"] == "lapsed"
    if action == "suspend":  # reinstated, the licence is usable again unchanged and may be amended anew
        r = aw.client.post(f"{API}/licences/{n}/reinstate", json=control_body("reinstate", "cleared"), headers=aw.w.senior)
        assert r.json()["status"] == "active" and r.json()["lines"][0]["licensed"] == "1250.5"
        assert aw.ask(n, Q)["status"] == "pending"


def test_expiry_while_pending_lapses_the_amendment(aw, session):
    n = aw.licence()
    am = aw.ask(n, Q)
    lic = aw.row(n)
    system = Principal.system("test")
    assert licences.expire_due(session, system, lic.valid_to) == []
    expired = licences.expire_due(session, system, lic.valid_to + dt.timedelta(days=1))
    session.commit()
    assert [x.number for x in expired] == [n]
    assert aw.get_licence(n)["status"] == "expired"
    row = session.execute(select(Amendment).where(Amendment.id == am["id"])).scalar_one()
    session.refresh(row)
    assert row.status == "lapsed" and "validity ended" in row.closed_reason
