"""Suspension outcomes (DUR Art. 18 para. 4; ECL Art. 35): after a suspension a senior officer
lets use resume, orders an amendment, withdraws the licence (撤回) or revokes it (撤销), each on
a coded ground of the pack; a ground that does not fit the action is a 400 naming those that do."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from rarex.cli.main import app as cli_app
from rarex.core.audit import AuditEvent
from rarex.policy.service import get_pack
from tests.amendments.helpers import amend_world
from tests.licences.helpers import control_body
from tests.test_access_matrix import shipment_body

API = "/api/v1"
Q = [{"kind": "change_quantity", "line_no": 1, "quantity": "1000"}]


@pytest.fixture
def aw(client, session):
    return amend_world(client, session)


def act(aw, number: str, action: str, body: dict | None = None, who=None, expect: int = 200) -> dict:
    r = aw.client.post(f"{API}/licences/{number}/{action}", json=body or control_body(action), headers=who or aw.w.senior)
    assert r.status_code == expect, r.text
    return r.json()


def suspended(aw) -> str:
    n = aw.licence()
    act(aw, n, "suspend")
    return n


def last_event(aw, number: str) -> AuditEvent:
    aw.session.expire_all()
    return aw.session.execute(select(AuditEvent).where(AuditEvent.stream == f"licence:{number}")
                              .order_by(AuditEvent.seq.desc()).limit(1)).scalar_one()


@pytest.mark.parametrize("action", ["suspend", "withdraw", "revoke"])
def test_a_ground_is_required_and_must_fit_the_action(aw, action):
    n = suspended(aw) if action == "withdraw" else aw.licence()
    before = aw.get_licence(n)
    fits = [g.code for g in get_pack().grounds_for(action)]
    p = act(aw, n, action, {"reason": "no ground given"}, expect=400)
    assert p["allowed_grounds"] == fits and p["field"] == "ground" and all(code in p["detail"] for code in fits)
    misfit = next(g.code for g in get_pack().grounds.values() if action not in g.actions)
    p = act(aw, n, action, {"reason": "wrong ground", "ground": misfit}, expect=400)
    assert p["allowed_grounds"] == fits and misfit in p["detail"] and p["type"].endswith("/ground-not-allowed")
    p = act(aw, n, action, {"reason": "unknown ground", "ground": "because"}, expect=400)
    assert p["allowed_grounds"] == fits and "unknown ground" in p["detail"]
    assert aw.get_licence(n) == before, "a refused request changes nothing"


def test_reinstate_and_order_amendment_may_name_a_ground_that_fits(aw):
    n = suspended(aw)
    p = act(aw, n, "reinstate", {"reason": "cleared", "ground": "fraud_or_bribery"}, expect=400)
    assert p["allowed_grounds"] == ["checks_cleared"]
    lic = act(aw, n, "reinstate", {"reason": "cleared"})
    assert lic["status"] == "active" and lic["status_ground"] is None


def test_suspension_shows_its_ground_and_legal_ref_and_audits_it(aw):
    n = aw.licence()
    lic = act(aw, n, "suspend", control_body("suspend", "end user's parent company changed", "end_user_or_use_changed"))
    assert lic["status"] == "suspended" and lic["status_reason"] == "end user's parent company changed"
    assert lic["status_ground"]["code"] == "end_user_or_use_changed"
    assert lic["status_ground"]["legal_ref"] == "DUR Art. 25; DUR Art. 18 para. 4"
    assert set(lic["allowed_actions"]) == {"reinstate", "order_amendment", "withdraw", "revoke", "expire"}
    ev = last_event(aw, n)
    assert ev.type == "licence.suspended" and ev.after["ground"] == "end_user_or_use_changed"
    assert ev.after["legal_ref"] == "DUR Art. 25; DUR Art. 18 para. 4"


def test_withdrawal_is_final_and_not_a_revocation(aw):
    n = suspended(aw)
    lic = act(aw, n, "withdraw")
    assert lic["status"] == "withdrawn" and lic["status_ground"]["code"] == "factors_changed"
    assert lic["allowed_actions"] == []
    ev = last_event(aw, n)
    assert ev.type == "licence.withdrawn" and ev.after["legal_ref"] == "DUR Art. 18 para. 4; ECL Art. 13"
    for action in ("suspend", "reinstate", "order-amendment", "withdraw", "revoke"):
        assert act(aw, n, action, expect=409)["current_state"] == "withdrawn", action
    r = aw.client.post(f"{API}/licences/{n}/shipments", json=shipment_body(aw.w.end_user, "WD-1"), headers=aw.w.customs)
    assert r.status_code == 409 and r.json()["current_state"] == "withdrawn"
    assert [x["number"] for x in aw.client.get(f"{API}/licences?status=withdrawn", headers=aw.w.officer).json()["items"]] == [n]


def test_only_a_suspended_licence_is_withdrawn_or_put_under_an_ordered_amendment(aw):
    n = aw.licence()
    for action in ("withdraw", "order-amendment", "reinstate"):
        p = act(aw, n, action, expect=409)
        assert p["current_state"] == "active" and "suspended" in p["detail"], action
    lic = act(aw, n, "revoke", control_body("revoke", "licence obtained with a forged contract"))
    assert lic["status"] == "revoked" and lic["status_ground"]["legal_ref"] == "ECL Art. 35"


def test_an_ordered_amendment_keeps_the_licence_unusable_until_one_is_approved(aw):
    n = suspended(aw)
    lic = act(aw, n, "order-amendment", control_body("order-amendment", "quantities exceed what the end user needs"))
    assert lic["status"] == "amendment_ordered" and lic["status_ground"]["code"] == "amendment_needed"
    assert set(lic["allowed_actions"]) == {"withdraw", "revoke", "expire", "request_amendment", "suspend"}
    r = aw.client.post(f"{API}/licences/{n}/shipments", json=shipment_body(aw.w.end_user, "ORD-1"), headers=aw.w.customs)
    assert r.status_code == 409 and r.json()["current_state"] == "amendment_ordered"
    assert last_event(aw, n).type == "licence.amendment_ordered"
    for action in ("reinstate", "order-amendment"):
        assert act(aw, n, action, expect=409)["current_state"] == "amendment_ordered", action

    am = aw.ask(n, Q)
    assert aw.get_licence(n)["status"] == "under_amendment"
    aw.recommend(am["id"], "refuse")
    aw.decide(am["id"], "refuse")
    lic = aw.get_licence(n)
    assert lic["status"] == "amendment_ordered" and "order stands" in lic["status_reason"]

    am = aw.ask(n, Q)
    aw.act(am["id"], "withdraw", aw.w.exporter, {"reason": "will send a better one"})
    assert aw.get_licence(n)["status"] == "amendment_ordered"

    am = aw.ask(n, Q)
    aw.recommend(am["id"])
    aw.decide(am["id"])
    lic = aw.get_licence(n)
    assert lic["status"] == "active" and lic["lines"][0]["licensed"] == "1000" and lic["version"] == 2


def test_an_ordinary_amendment_refused_still_lets_the_licence_carry_on(aw):
    n = aw.licence()
    am = aw.ask(n, Q)
    aw.recommend(am["id"], "refuse")
    aw.decide(am["id"], "refuse")
    assert aw.get_licence(n)["status"] == "active"


def test_the_senior_may_withdraw_or_revoke_when_the_ordered_amendment_does_not_come(aw):
    n = suspended(aw)
    act(aw, n, "order-amendment")
    assert act(aw, n, "withdraw")["status"] == "withdrawn"
    m = suspended(aw)
    act(aw, m, "order-amendment")
    assert act(aw, m, "revoke")["status"] == "revoked"


@pytest.mark.parametrize("role", ["exporter", "officer", "customs", "auditor", "admin"])
def test_only_senior_officers_decide_outcomes(aw, role):
    n = suspended(aw)
    for action in ("reinstate", "order-amendment", "withdraw", "revoke"):
        act(aw, n, action, who=getattr(aw.w, role), expect=403)


def test_cli_outcomes_and_grounds(aw):
    runner = CliRunner()
    n = suspended(aw)
    r = runner.invoke(cli_app, ["licences", "withdraw", n, "--ground", "fraud_or_bribery", "--reason", "x-test"])
    assert r.exit_code == 2 and "factors_changed" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    r = runner.invoke(cli_app, ["licences", "order-amendment", n, "--ground", "amendment_needed", "--reason", "amend",
                                "--json"])
    assert r.exit_code == 0 and json.loads(r.stdout)["status"] == "amendment_ordered", r.output
    r = runner.invoke(cli_app, ["licences", "withdraw", n, "--ground", "factors_changed", "--reason", "changed", "--json"])
    assert r.exit_code == 0 and json.loads(r.stdout)["status"] == "withdrawn", r.output
    r = runner.invoke(cli_app, ["policy", "grounds", "--json"])
    assert r.exit_code == 0 and {g["code"] for g in json.loads(r.stdout)} == set(get_pack().grounds)
