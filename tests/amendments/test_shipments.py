"""While an amendment is pending the licence may not be used (DUR Art. 18).

rarex does this through the licence status alone: a request moves the licence to
``under_amendment``, and customs draws only on ``active`` licences (rarex.shipments), so a
shipment is refused with the status and its reason; nothing else (reading the licence, its
suspension or revocation by a senior officer) is blocked. Once the amendment is decided or
withdrawn the licence is active again and shipments draw on the amended quantities, on top of
what was drawn before.
"""

from __future__ import annotations

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
