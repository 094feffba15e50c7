"""Approved amendments: the same licence number, the next version, the old one kept, and
drawn quantities carried over (DUR Art. 18 para. 3)."""

from __future__ import annotations

from sqlalchemy import select

from rarex.amendments.models import Amendment
from rarex.core.audit import AuditEvent
from tests.amendments.helpers import API


def events(aw, stream: str) -> list[AuditEvent]:
    aw.session.expire_all()
    return list(aw.session.execute(select(AuditEvent).where(AuditEvent.stream == stream).order_by(AuditEvent.seq)).scalars())


def test_change_quantity_approved_keeps_drawn_and_history(aw):
    n = aw.licence()
    aw.set_drawn(n, 1, "200.5")
    am = aw.ask(n, [{"kind": "change_quantity", "line_no": 1, "quantity": "1500", "unit": "kg"}])
    assert am["status"] == "pending" and am["base_version"] == 1
    assert am["changes"] == [{"kind": "change_quantity", "line_no": 1, "item": "1C905.b", "unit": "kg", "quantity": "1500",
                              "from": "1250.5", "drawn_at_request": "200.5"}]
    assert aw.get_licence(n)["status"] == "under_amendment"

    aw.recommend(am["id"])
    done = aw.decide(am["id"])
    assert done["status"] == "approved" and done["resulting_version"] == 2 and done["allowed_actions"] == []

    lic = aw.get_licence(n)
    assert lic["number"] == n and lic["status"] == "active" and lic["version"] == 2 and lic["pending_amendment"] is None
    line = lic["lines"][0]
    assert (line["licensed"], line["drawn"], line["remaining"]) == ("1500", "200.5", "1299.5")

    history = aw.versions(n)
    assert [(v["version"], v["current"]) for v in history] == [(1, False), (2, True)]
    old, new = history
    assert old["lines"][0]["licensed"] == "1250.5" and old["lines"][0]["drawn"] == "200.5"
    assert old["superseded_by_amendment"] == am["id"] and old["made_by_amendment"] is None and old["superseded_at"]
    assert new["made_by_amendment"] == am["id"] and new["lines"][0]["licensed"] == "1500"


def test_extend_validity_approved(aw):
    n = aw.licence()
    before = aw.get_licence(n)
    aw.set_drawn(n, 1, "10")
    limit = aw.limit(n)
    aw.approve(n, [{"kind": "extend_validity", "valid_to": limit.isoformat()}])
    lic = aw.get_licence(n)
    assert lic["valid_to"] == limit.isoformat() and lic["valid_from"] == before["valid_from"]
    assert lic["lines"][0]["drawn"] == "10"
    assert aw.versions(n)[0]["valid_to"] == before["valid_to"]


def test_correct_details_approved(aw):
    n = aw.licence()
    aw.set_drawn(n, 1, "1250.5")  # everything drawn: details can still be corrected
    aw.approve(n, [
        {"kind": "correct_detail", "field": "description", "line_no": 1, "value": "Dysprosium oxide 99.9%"},
        {"kind": "correct_detail", "field": "hs_code", "line_no": 1, "value": "2846901940"},
        {"kind": "correct_detail", "field": "consignee_address_note", "value": "Deliver to Gate 4, Werk 2, Stuttgart"},
    ])
    lic = aw.get_licence(n)
    line = lic["lines"][0]
    assert (line["description"], line["hs_code"], line["drawn"]) == ("Dysprosium oxide 99.9%", "2846901940", "1250.5")
    assert lic["consignee_address_note"] == "Deliver to Gate 4, Werk 2, Stuttgart"
    old = aw.versions(n)[0]
    assert old["lines"][0]["description"] == "Dysprosium oxide 99.5%" and old["consignee_address_note"] == ""


def test_a_stored_add_end_user_amendment_still_shows_but_can_only_be_refused(aw):
    """add_end_user was retired (the end user is a key element: DUR Art. 18 para. 2); one
    requested before still displays, and its decision can only refuse it."""
    n = aw.licence("general")
    am = aw.ask(n, [{"kind": "change_quantity", "line_no": 1, "quantity": "1000"}])
    new_party = aw.party("DE")
    row = aw.session.get(Amendment, am["id"])
    row.changes = [{"kind": "add_end_user", "end_user_id": new_party, "end_user_name": "Neu GmbH", "country": "DE",
                    "lines": [{"control_code": "1C905.b", "quantity": "400", "unit": "kg", "value": "1.00",
                               "currency": "USD", "description": "Dysprosium oxide", "hs_code": ""}]}]
    aw.session.commit()
    shown = aw.client.get(f"{API}/amendments/{am['id']}", headers=aw.w.officer).json()
    assert shown["kinds"] == "add_end_user" and shown["changes"][0]["end_user_id"] == new_party
    aw.recommend(am["id"])
    p = aw.decide(am["id"], expect=409)
    assert p["retired_kinds"] == ["add_end_user"] and "new application" in p["detail"]
    assert aw.get_licence(n)["status"] == "under_amendment" and len(aw.get_licence(n)["lines"]) == 1
    assert aw.decide(am["id"], "refuse")["status"] == "refused"
    assert aw.get_licence(n)["status"] == "active"


def test_three_versions_chain_and_audit_events(aw):
    n = aw.licence()
    first = aw.approve(n, [{"kind": "change_quantity", "line_no": 1, "quantity": "1300"}])
    aw.set_drawn(n, 1, "100")
    second = aw.approve(n, [{"kind": "change_quantity", "line_no": 1, "quantity": "1400"}])
    history = aw.versions(n)
    assert [v["version"] for v in history] == [1, 2, 3]
    assert [v["made_by_amendment"] for v in history] == [None, first["id"], second["id"]]
    assert [v["superseded_by_amendment"] for v in history] == [first["id"], second["id"], None]
    assert [v["lines"][0]["drawn"] for v in history] == ["0", "100", "100"]
    assert history[1]["started_at"] == history[0]["superseded_at"]

    types = [e.type for e in events(aw, f"amendment:{second['id']}")]
    assert types == ["amendment.requested", "amendment.accepted", "amendment.recommended", "amendment.approved"]
    lic_types = [e.type for e in events(aw, f"licence:{n}")]
    assert [t for t in lic_types if "amend" in t] == ["licence.amendment_requested", "licence.amended"] * 2
    amended = [e for e in events(aw, f"licence:{n}") if e.type == "licence.amended"][-1]
    assert amended.before["version"] == 2 and amended.after["version"] == 3
    assert amended.before["lines"][0]["licensed"] == "1300" and amended.after["lines"][0]["licensed"] == "1400"
    r = aw.client.get(f"{API}/audit/verify", headers=aw.w.auditor)
    assert r.status_code == 200 and r.json()["ok"] is True


def test_refusal_leaves_the_licence_as_it_was(aw):
    n = aw.licence()
    aw.set_drawn(n, 1, "50")
    before = aw.get_licence(n)
    am = aw.ask(n, [{"kind": "change_quantity", "line_no": 1, "quantity": "5000"}])
    aw.recommend(am["id"], "refuse")
    done = aw.decide(am["id"], "refuse")
    assert done["status"] == "refused" and done["resulting_version"] is None and done["decided_by"] == "sen"
    after = aw.get_licence(n)
    assert after["status"] == "active" and after["version"] == 1 and after["lines"] == before["lines"]
    assert "refused" in after["status_reason"]
    assert [v["version"] for v in aw.versions(n)] == [1]
    assert [e.type for e in events(aw, f"licence:{n}")][-2:] == ["licence.amendment_requested", "licence.amendment_closed"]


def test_senior_may_approve_against_a_refusal_recommendation(aw):
    n = aw.licence()
    am = aw.ask(n, [{"kind": "change_quantity", "line_no": 1, "quantity": "1000"}])
    aw.recommend(am["id"], "refuse")
    aw.decide(am["id"], "approve")
    assert aw.get_licence(n)["lines"][0]["licensed"] == "1000"
    ev = events(aw, f"amendment:{am['id']}")[-1]
    assert ev.type == "amendment.approved" and ev.after["overrides_recommendation"] is True


def test_withdraw_restores_active_and_allows_a_new_request(aw):
    n = aw.licence()
    am = aw.ask(n, [{"kind": "change_quantity", "line_no": 1, "quantity": "1000"}])
    aw.recommend(am["id"])
    done = aw.act(am["id"], "withdraw", aw.w.exporter, {"reason": "buyer cancelled the extra order"})
    assert done["status"] == "withdrawn" and done["closed_reason"] == "buyer cancelled the extra order"
    lic = aw.get_licence(n)
    assert lic["status"] == "active" and lic["version"] == 1 and lic["lines"][0]["licensed"] == "1250.5"
    again = aw.ask(n, [{"kind": "change_quantity", "line_no": 1, "quantity": "1100"}])
    assert again["status"] == "pending"
