"""Recording and cancelling declarations over the API: every refusal customs can meet, and
what a recorded or cancelled shipment does to the licence's quantities and status."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from rarex.core.audit import AuditEvent, verify
from rarex.licences.models import LicenceStatus
from tests.applications.helpers import build_world
from tests.shipments.helpers import body, drawn, make_licence, status, today

DY, ND = "1C905.b", "1C902.a"


@pytest.fixture
def w(client, session):
    return build_world(client, session)


@pytest.fixture
def lic(w, session):
    """A general licence: 100 kg of DY and 2 t of ND, both for the world's end user."""
    return make_licence(session, w.org.id, [(DY, w.end_user, "100", "kg"), (ND, w.end_user, "2", "t")])


def post(w, number: str, data: dict, who: str = "customs"):
    return w.client.post(f"/api/v1/licences/{number}/shipments", json=data, headers=getattr(w, who))


def problem(resp, status_code: int) -> dict:
    assert resp.status_code == status_code, resp.text
    assert resp.headers["content-type"].startswith("application/problem+json")
    return resp.json()


def remaining(w, number: str) -> list[str]:
    return [line["remaining"] for line in w.client.get(f"/api/v1/licences/{number}", headers=w.officer).json()["lines"]]


# --- recording ------------------------------------------------------------------------------


def test_a_shipment_draws_every_line_and_the_licence_shows_what_remains(w, lic, session):
    r = post(w, lic.number, body("2234 2025 0001".replace(" ", ""), (DY, w.end_user, "40", "kg"), (ND, w.end_user, "250", "kg")))
    assert r.status_code == 201, r.text
    out = r.json()
    assert out["declaration"] == "223420250001" and out["licence"] == lic.number and out["status"] == "recorded"
    assert r.headers["location"] == "/api/v1/shipments/223420250001"
    assert [(x["drawn"], x["drawn_unit"]) for x in out["lines"]] == [("40", "kg"), ("0.25", "t")]
    assert remaining(w, lic.number) == ["60", "1.75"]
    assert drawn(session, lic.number) == [Decimal(40), Decimal("0.25")]

    shown = w.client.get(f"/api/v1/licences/{lic.number}", headers=w.exporter).json()
    assert shown["lines"][0] | {"licensed": "100", "drawn": "40", "remaining": "60"} == shown["lines"][0]
    events = session.execute(select(AuditEvent).where(AuditEvent.type == "shipment.recorded")).scalars().all()
    assert [(e.subject_type, e.subject_id, e.stream) for e in events] == [("licence", lic.number, f"licence:{lic.number}")]
    assert events[0].after["declaration"] == "223420250001" and events[0].actor == "cus"
    assert verify(session).ok


def test_units_convert_exactly_and_the_unit_defaults_to_the_licence_lines(w, lic, session):
    assert post(w, lic.number, body("D-G", (ND, w.end_user, "1", "g"))).status_code == 201
    assert post(w, lic.number, body("D-T", (DY, w.end_user, "0.0125", "t"))).status_code == 201
    assert post(w, lic.number, body("D-NONE", (DY, w.end_user, "0.5"))).status_code == 201
    assert drawn(session, lic.number) == [Decimal("13"), Decimal("0.000001")]


def test_exactly_what_remains_is_accepted_and_one_gram_more_is_refused(w, session):
    lic = make_licence(session, w.org.id, [(DY, w.end_user, "10", "kg"), (ND, w.end_user, "1", "t")])
    r = post(w, lic.number, body("OVER", (DY, w.end_user, "10.001", "kg")))
    p = problem(r, 409)
    assert p["type"].endswith("/quantity-exceeded") and "10 kg remaining" in p["detail"]
    assert p["lines"] == [{"licence_line": 1, "item": DY, "end_user": str(w.end_user), "requested": "10.001",
                           "remaining": "10", "unit": "kg"}]
    assert post(w, lic.number, body("EXACT", (DY, w.end_user, "9.5", "kg"), (DY, w.end_user, "500", "g"))).status_code == 201
    assert remaining(w, lic.number) == ["0", "1"]
    assert status(session, lic.number) == "active"  # the other line still has quantity
    problem(post(w, lic.number, body("AFTER", (DY, w.end_user, "0.000001", "kg"))), 409)


def test_all_lines_or_none(w, lic, session):
    """A good line and a bad one: nothing is drawn, and the declaration stays unused."""
    bad_lines = [
        ((ND, w.end_user, "3", "t"), 409),  # over remaining
        (("9Z999", w.end_user, "1", "kg"), 422),  # not on the licence
        ((ND, w.end_user, "1", "pieces"), 422),  # wrong dimension
    ]
    for bad, code in bad_lines:
        r = post(w, lic.number, body("MIXED", (DY, w.end_user, "50", "kg"), bad))
        assert problem(r, code)["detail"], r.text
    assert drawn(session, lic.number) == [Decimal(0), Decimal(0)]
    assert post(w, lic.number, body("MIXED", (DY, w.end_user, "50", "kg"))).status_code == 201
    assert session.execute(select(AuditEvent).where(AuditEvent.type == "shipment.recorded")).scalars().all().__len__() == 1


def test_two_lines_on_one_licence_line_must_fit_together(w, lic, session):
    r = post(w, lic.number, body("TWICE", (DY, w.end_user, "60", "kg"), (DY, w.end_user, "60", "kg")))
    assert "120 kg" in problem(r, 409)["detail"]
    assert drawn(session, lic.number) == [Decimal(0), Decimal(0)]


def test_unknown_item_and_unknown_end_user_are_named(w, lic, session):
    p = problem(post(w, lic.number, body("X1", ("1C999.z", w.end_user, "1", "kg"))), 422)
    assert "item 1C999.z is not on licence" in p["detail"] and DY in p["detail"] and p["field"] == "lines[0].item"
    p = problem(post(w, lic.number, body("X2", (DY, w.end_user, "1", "kg"), (DY, w.consignee, "1", "kg"))), 422)
    assert f"end user {w.consignee} is not licensed for {DY}" in p["detail"] and p["field"] == "lines[1].end_user"
    p = problem(post(w, lic.number, body("X3", (DY, "", "1", "kg"))), 422)
    assert "end user (none)" in p["detail"]
    # Items compare without case, as customs systems often upper-case them.
    assert post(w, lic.number, body("X4", (DY.upper(), w.end_user, "1", "kg"))).json()["lines"][0]["item"] == DY


def test_unit_of_another_dimension_is_refused(w, session):
    lic = make_licence(session, w.org.id, [("1C907", w.end_user, "10", "pieces")])
    p = problem(post(w, lic.number, body("PCS", ("1C907", w.end_user, "1", "kg"))), 422)
    assert "licensed in pieces" in p["detail"] and "kg" in p["detail"]
    assert problem(post(w, lic.number, body("UNIT", ("1C907", w.end_user, "1", "lbs"))), 422)["detail"]
    assert post(w, lic.number, body("PCS2", ("1C907", w.end_user, "3", "pieces"))).status_code == 201


@pytest.mark.parametrize("quantity", ["0", "-1", "1.0000001", "abc", "NaN", "1e400"])
def test_bad_quantities_are_refused(w, lic, session, quantity):
    problem(post(w, lic.number, body("BADQ", (DY, w.end_user, quantity, "kg"))), 422)
    assert drawn(session, lic.number) == [Decimal(0), Decimal(0)]


def test_a_conversion_finer_than_six_places_is_refused(w, lic):
    # 0.5 g on a line kept in tonnes would be 0.0000005 t.
    p = problem(post(w, lic.number, body("FINE", (ND, w.end_user, "0.5", "g"))), 422)
    assert "0.0000005 t" in p["detail"]


@pytest.mark.parametrize("bad", [
    {"declaration": ""}, {"declaration": "has space"}, {"declaration": "x" * 41}, {"lines": []},
    {"date": "2025-02-30"}, {"port": "p" * 65}, {"extra": 1},
])
def test_malformed_bodies_are_422(w, lic, bad):
    problem(post(w, lic.number, body("OK-1", (DY, w.end_user, "1", "kg")) | bad), 422)


def test_unknown_licence_is_404(w):
    problem(post(w, "CNDU-G2099-999999", body("NOLIC", (DY, w.end_user, "1", "kg"))), 404)


# --- validity and status ------------------------------------------------------------------


def test_dates_outside_validity_on_both_sides_are_refused_naming_the_window(w, session):
    lic = make_licence(session, w.org.id, [(DY, w.end_user, "100", "kg")],
                       valid_from=today() - dt.timedelta(days=10), valid_to=today() + dt.timedelta(days=10))
    for d in (lic.valid_from - dt.timedelta(days=1), lic.valid_to + dt.timedelta(days=1)):
        p = problem(post(w, lic.number, body(f"V{d:%m%d}", (DY, w.end_user, "1", "kg"), date=d)), 422)
        assert p["valid_from"] == lic.valid_from.isoformat() and p["valid_to"] == lic.valid_to.isoformat()
        assert f"valid from {lic.valid_from} to {lic.valid_to}" in p["detail"] and p["field"] == "date"
    for d in (lic.valid_from, lic.valid_to):  # the first and last day are inside
        assert post(w, lic.number, body(f"V{d:%m%d}", (DY, w.end_user, "1", "kg"), date=d)).status_code == 201
    assert drawn(session, lic.number) == [Decimal(2)]


@pytest.mark.parametrize("state,reason", [
    ("suspended", "end user under investigation"),
    ("revoked", "false statements in the application"),
    ("expired", "validity ended on 2025-01-31"),
    ("exhausted", "every licensed quantity has been drawn"),
])
def test_a_licence_that_is_not_active_refuses_and_says_why(w, session, state, reason):
    lic = make_licence(session, w.org.id, [(DY, w.end_user, "100", "kg")], status=LicenceStatus(state), status_reason=reason)
    p = problem(post(w, lic.number, body("INACTIVE", (DY, w.end_user, "1", "kg"))), 409)
    assert p["status"] == 409 and p["type"].endswith("/licence-not-usable") and p["current_state"] == state
    assert p["licence"] == lic.number and p["status_reason"] == reason
    assert f"is {state} ({reason})" in p["detail"]
    assert drawn(session, lic.number) == [Decimal(0)]


def test_suspension_through_the_api_refuses_with_the_recorded_reason(w, session):
    number = w.to_state("approved")["licence_number"]
    r = w.client.post(f"/api/v1/licences/{number}/suspend", json={"reason": "end user under investigation", "ground": "factors_changed"},
                      headers=w.senior)
    assert r.status_code == 200
    p = problem(post(w, number, body("SUSP", ("1C905.b", w.end_user, "1", "kg"))), 409)
    assert "suspended" in p["detail"] and "end user under investigation" in p["detail"]


# --- idempotency -----------------------------------------------------------------------------


def test_the_same_declaration_again_returns_the_first_result_and_draws_nothing(w, lic, session):
    data = body("REPLAY-1", (DY, w.end_user, "10", "kg"), (ND, w.end_user, "0.5", "t"))
    first = post(w, lic.number, data)
    assert first.status_code == 201
    # Lines in another order, the unit spelled out or left to the line, the number in lower case:
    # the same content.
    again = body("replay-1", (ND, w.end_user, "0.500", "t"), (DY, w.end_user, "10"))
    for resend in (data, again):
        r = post(w, lic.number, resend)
        assert r.status_code == 200 and r.json() == first.json()
    assert drawn(session, lic.number) == [Decimal(10), Decimal("0.5")]
    assert len(session.execute(select(AuditEvent).where(AuditEvent.type == "shipment.recorded")).scalars().all()) == 1


def test_the_same_number_with_other_content_is_a_409(w, lic, session):
    other = make_licence(session, w.org.id, [(DY, w.end_user, "100", "kg")])
    assert post(w, lic.number, body("CLASH", (DY, w.end_user, "10", "kg"))).status_code == 201
    for changed in (body("CLASH", (DY, w.end_user, "11", "kg")),
                    body("CLASH", (DY, w.end_user, "10", "kg"), port="CNSHA"),
                    body("CLASH", (DY, w.end_user, "10", "kg"), date=today() - dt.timedelta(days=1)),
                    body("CLASH", (DY, w.end_user, "10", "kg"), (ND, w.end_user, "1", "t"))):
        p = problem(post(w, lic.number, changed), 409)
        assert p["type"].endswith("/declaration-conflict") and "different content" in p["detail"]
    problem(post(w, other.number, body("CLASH", (DY, w.end_user, "10", "kg"))), 409)
    assert drawn(session, lic.number) == [Decimal(10), Decimal(0)] and drawn(session, other.number) == [Decimal(0)]


# --- exhaustion -----------------------------------------------------------------------------


def test_drawing_everything_exhausts_a_general_licence(w, session):
    lic = make_licence(session, w.org.id, [(DY, w.end_user, "10", "kg"), (ND, w.end_user, "1", "t")])
    assert post(w, lic.number, body("E1", (DY, w.end_user, "10", "kg"))).status_code == 201
    assert status(session, lic.number) == "active"
    assert post(w, lic.number, body("E2", (ND, w.end_user, "1000", "kg"))).status_code == 201
    shown = w.client.get(f"/api/v1/licences/{lic.number}", headers=w.officer).json()
    assert shown["status"] == "exhausted" and shown["status_reason"] == "every licensed quantity has been drawn"
    assert "exhaust" not in shown["allowed_actions"] and "replenish" not in shown["allowed_actions"]
    p = problem(post(w, lic.number, body("E3", (DY, w.end_user, "1", "kg"))), 409)
    assert p["status"] == 409 and "exhausted" in p["detail"]
    types = [e.type for e in session.execute(select(AuditEvent).where(AuditEvent.stream == f"licence:{lic.number}")
                                             .order_by(AuditEvent.seq)).scalars()]
    assert types == ["shipment.recorded", "shipment.recorded", "licence.exhausted"]


def test_an_individual_licence_is_exhausted_by_its_first_shipment_whatever_remains(w, session):
    """The pack says individual licences end once the export is made (DUR Art. 15)."""
    number = w.to_state("approved")["licence_number"]  # 1250.5 kg of 1C905.b
    r = post(w, number, body("IND-1", ("1C905.b", w.end_user, "100", "kg")))
    assert r.status_code == 201
    shown = w.client.get(f"/api/v1/licences/{number}", headers=w.exporter).json()
    assert shown["type"] == "individual" and shown["status"] == "exhausted" and shown["lines"][0]["remaining"] == "1150.5"
    assert "DUR Art. 15" in shown["status_reason"]
    p = problem(post(w, number, body("IND-2", ("1C905.b", w.end_user, "1", "kg"))), 409)
    assert "exhausted" in p["detail"]
    # The first declaration sent again still answers with its result.
    assert post(w, number, body("IND-1", ("1C905.b", w.end_user, "100", "kg"))).status_code == 200


def test_ends_when_used_is_read_from_the_pack_not_the_type_name(w, session, monkeypatch):
    from rarex.policy.service import get_pack

    lic = make_licence(session, w.org.id, [(DY, w.end_user, "100", "kg")])  # general
    types = get_pack().licence_types
    monkeypatch.setitem(types, "general", types["general"].model_copy(update={"ends_when_used": True}))
    assert post(w, lic.number, body("GEN-ONCE", (DY, w.end_user, "1", "kg"))).status_code == 201
    assert status(session, lic.number) == "exhausted"


# --- cancellation --------------------------------------------------------------------------


def cancel(w, declaration: str, who: str = "customs", reason: str = "declaration withdrawn by the broker"):
    return w.client.post(f"/api/v1/shipments/{declaration}/cancel", json={"reason": reason}, headers=getattr(w, who))


def test_cancel_returns_the_quantity_and_the_number_cannot_be_reused(w, lic, session):
    data = body("C-1", (DY, w.end_user, "100", "kg"))
    assert post(w, lic.number, data).status_code == 201
    assert problem(post(w, lic.number, body("C-2", (DY, w.end_user, "1", "kg"))), 409)
    r = cancel(w, "c-1")
    assert r.status_code == 200 and r.json()["status"] == "cancelled" and r.json()["cancel_reason"]
    assert drawn(session, lic.number) == [Decimal(0), Decimal(0)]
    # Re-draw under a new number; the cancelled number stays taken, even with the same content.
    assert post(w, lic.number, body("C-2", (DY, w.end_user, "100", "kg"))).status_code == 201
    p = problem(post(w, lic.number, data), 409)
    assert "cancelled" in p["detail"] and "cannot be used again" in p["detail"]
    p = problem(cancel(w, "C-1"), 409)
    assert p["current_state"] == "cancelled"
    problem(cancel(w, "NO-SUCH"), 404)
    problem(w.client.post("/api/v1/shipments/C-2/cancel", json={}, headers=w.customs), 422)
    types = [e.type for e in session.execute(select(AuditEvent).where(AuditEvent.stream == f"licence:{lic.number}")
                                             .order_by(AuditEvent.seq)).scalars()]
    assert types == ["shipment.recorded", "shipment.cancelled", "shipment.recorded"]
    assert verify(session).ok


def test_cancelling_a_shipment_of_an_exhausted_licence_makes_it_active_again(w, session):
    number = w.to_state("approved")["licence_number"]
    assert post(w, number, body("IND-C", ("1C905.b", w.end_user, "1250.5", "kg"))).status_code == 201
    assert status(session, number) == "exhausted"
    assert cancel(w, "IND-C").status_code == 200
    shown = w.client.get(f"/api/v1/licences/{number}", headers=w.exporter).json()
    assert shown["status"] == "active" and shown["lines"][0]["remaining"] == "1250.5"
    assert post(w, number, body("IND-D", ("1C905.b", w.end_user, "5", "kg"))).status_code == 201
    assert status(session, number) == "exhausted"


def test_cancelling_after_validity_ended_leaves_the_licence_expired_not_active(w, session):
    lic = make_licence(session, w.org.id, [(DY, w.end_user, "10", "kg")],
                       valid_from=today() - dt.timedelta(days=60), valid_to=today() - dt.timedelta(days=1))
    assert post(w, lic.number, body("LATE", (DY, w.end_user, "10", "kg"), date=today() - dt.timedelta(days=5))).status_code == 201
    assert status(session, lic.number) == "exhausted"
    assert cancel(w, "LATE").status_code == 200
    assert status(session, lic.number) == "expired" and drawn(session, lic.number) == [Decimal(0)]


def test_cancel_on_a_suspended_licence_returns_the_quantity_and_keeps_the_status(w, lic, session):
    assert post(w, lic.number, body("S-1", (DY, w.end_user, "5", "kg"))).status_code == 201
    lic_row = session.merge(lic)
    lic_row.status, lic_row.status_reason = LicenceStatus.suspended, "investigation"
    session.flush()
    assert cancel(w, "S-1").status_code == 200
    assert status(session, lic.number) == "suspended" and drawn(session, lic.number) == [Decimal(0), Decimal(0)]
