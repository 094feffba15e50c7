"""While an amendment is pending the licence may not be used (DUR Art. 18).

rarex does this through the licence status alone: a request moves the licence to
``under_amendment``, and customs draws only on ``active`` licences (rarex.shipments), so a
shipment is refused with the status and its reason; nothing else (reading the licence, its
suspension or revocation by a senior officer) is blocked. Once the amendment is decided or
withdrawn the licence is active again and shipments draw on the amended quantities, on top of
what was drawn before.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.amendments.helpers import API

pytest.importorskip("rarex.shipments.service")


def ship(aw, number, declaration, quantity):
    lic = aw.get_licence(number, aw.w.customs)
    line = lic["lines"][0]
    return aw.client.post(f"{API}/licences/{number}/shipments", headers=aw.w.customs, json={
        "declaration": declaration, "date": lic["valid_from"], "port": "CNTSN",
        "lines": [{"item": line["item"], "end_user": line["end_user"], "quantity": quantity, "unit": "kg"}]})


def test_shipment_refused_while_pending_and_drawn_carries_over(aw):
    n = aw.licence("general")  # a general licence does not end at its first export
    r = ship(aw, n, "223420260000000001", "100")
    assert r.status_code == 201, r.text
    am = aw.ask(n, [{"kind": "change_quantity", "line_no": 1, "quantity": "2000"}])

    r = ship(aw, n, "223420260000000002", "50")
    assert r.status_code == 409, r.text
    p = r.json()
    assert p["current_state"] == "under_amendment" and "may not be used while the amendment is pending" in p["detail"]
    # reading is not blocked
    assert aw.client.get(f"{API}/licences/{n}", headers=aw.w.customs).status_code == 200

    aw.recommend(am["id"])
    aw.decide(am["id"])
    r = ship(aw, n, "223420260000000002", "50")
    assert r.status_code == 201, r.text
    line = aw.get_licence(n)["lines"][0]
    assert (line["licensed"], line["drawn"], line["remaining"]) == ("2000", "150", "1850")
    assert [v["lines"][0]["drawn"] for v in aw.versions(n)] == ["100", "150"]


def test_shipment_refused_while_pending_then_withdrawn(aw):
    n = aw.licence()
    am = aw.ask(n, [{"kind": "extend_validity", "valid_to": aw.limit(n).isoformat()}])
    assert ship(aw, n, "223420260000000003", "10").status_code == 409
    aw.act(am["id"], "withdraw", aw.w.exporter, {"reason": "not needed after all"})
    assert ship(aw, n, "223420260000000003", "10").status_code == 201


def test_quantity_cut_to_what_was_drawn_exhausts_the_licence(aw):
    n = aw.licence("general")
    assert ship(aw, n, "223420260000000010", "100").status_code == 201
    aw.approve(n, [{"kind": "change_quantity", "line_no": 1, "quantity": "100"}])
    lic = aw.get_licence(n)
    assert lic["status"] == "exhausted" and lic["lines"][0]["remaining"] == "0"
    r = ship(aw, n, "223420260000000011", "1")
    assert r.status_code == 409 and r.json()["current_state"] == "exhausted"


def test_quantity_cut_above_what_was_drawn_keeps_the_licence_active(aw):
    n = aw.licence("general")
    assert ship(aw, n, "223420260000000012", "100").status_code == 201
    aw.approve(n, [{"kind": "change_quantity", "line_no": 1, "quantity": "101"}])
    assert aw.get_licence(n)["status"] == "active"


def exhaust_general(aw, declaration):
    n = aw.licence("general")
    remaining = aw.get_licence(n)["lines"][0]["remaining"]
    assert ship(aw, n, declaration, remaining).status_code == 201
    assert aw.get_licence(n)["status"] == "exhausted"
    return n


def test_exhausted_general_licence_can_ask_for_more_and_draw_again(aw):
    n = exhaust_general(aw, "223420260000000013")
    drawn = aw.get_licence(n)["lines"][0]["drawn"]
    am = aw.ask(n, [{"kind": "change_quantity", "line_no": 1, "quantity": str(Decimal(drawn) + 500)}])
    assert aw.get_licence(n)["status"] == "under_amendment"
    aw.recommend(am["id"])
    aw.decide(am["id"])
    lic = aw.get_licence(n)
    assert lic["status"] == "active" and lic["lines"][0]["remaining"] == "500"
    assert ship(aw, n, "223420260000000014", "500").status_code == 201
    assert aw.get_licence(n)["status"] == "exhausted"


@pytest.mark.parametrize("outcome", ["refuse", "withdraw"])
def test_exhausted_licence_whose_amendment_is_not_approved_is_exhausted_again(aw, outcome):
    n = exhaust_general(aw, "223420260000000015")
    am = aw.ask(n, [{"kind": "extend_validity", "valid_to": aw.limit(n).isoformat()}])
    if outcome == "refuse":
        aw.recommend(am["id"], "refuse")
        aw.decide(am["id"], "refuse")
    else:
        aw.act(am["id"], "withdraw", aw.w.exporter, {"reason": "not needed after all"})
    assert aw.get_licence(n)["status"] == "exhausted"
    assert ship(aw, n, "223420260000000016", "1").status_code == 409


def test_exhausted_individual_licence_cannot_be_amended(aw):
    n = aw.licence("individual")
    assert ship(aw, n, "223420260000000017", "1").status_code == 201  # its one export ends it
    assert aw.get_licence(n)["status"] == "exhausted"
    before = aw.counts()
    r = aw.ask(n, [{"kind": "extend_validity", "valid_to": aw.limit(n).isoformat()}], expect=409)
    assert r["current_state"] == "exhausted" and "apply for a new licence" in r["detail"]
    assert aw.counts() == before
