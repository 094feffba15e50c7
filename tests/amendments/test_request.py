"""What may be asked: non-key elements only, every change checked against the licence at
request time, one 422 naming each bad change's index and field, and nothing written."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.amendments.helpers import API
from tests.licences.helpers import control_body


def refused(aw, number, changes, *, status=422, body=None):
    """Ask, expect a refusal, and prove nothing was written."""
    before = aw.counts()
    r = aw.client.post(f"{API}/licences/{number}/amendments", headers=aw.w.exporter,
                       json=body if body is not None else {"changes": changes, "reason": "contract changed"})
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert aw.counts() == before
    return r.json()


@pytest.mark.parametrize("field,element", [
    ("control_code", "item type"), ("item", "item type"), ("destination_country", "destination country"),
    ("country", "destination country"), ("end_user", "end user"), ("end_user_id", "end user"), ("end_use", "end use"),
])
def test_key_elements_are_refused_with_the_rule(aw, field, element):
    n = aw.licence()
    p = refused(aw, n, [
        {"kind": "correct_detail", "field": "description", "line_no": 1, "value": "Dysprosium oxide 99.9%"},
        {"kind": "correct_detail", "field": field, "line_no": 1, "value": "something else"},
    ])
    assert p["field"] == "changes[1].field" and p["change_index"] == 1
    assert element in p["detail"] and "new application" in p["detail"] and "DUR Art. 18" in p["detail"]
    assert aw.get_licence(n)["status"] == "active"


def test_unknown_or_misplaced_details(aw):
    n = aw.licence()
    p = refused(aw, n, [
        {"kind": "correct_detail", "field": "valid_to", "value": "2030-01-01"},
        {"kind": "correct_detail", "field": "colour", "value": "red"},
        {"kind": "correct_detail", "field": "description", "value": "no line given"},
        {"kind": "correct_detail", "field": "consignee_address_note", "line_no": 1, "value": "Gate 4"},
        {"kind": "correct_detail", "field": "hs_code", "line_no": 1, "value": "28-46"},
        {"kind": "correct_detail", "field": "description", "line_no": 9, "value": "x"},
        {"kind": "correct_detail", "field": "description", "line_no": 1, "value": "Dysprosium oxide 99.5%"},
    ])
    fields = [e["field"] for e in p["errors"]]
    assert fields == ["changes[0].field", "changes[1].field", "changes[2].line_no", "changes[3].line_no",
                      "changes[4].value", "changes[5].line_no", "changes[6].value"]
    assert "extend_validity" in p["errors"][0]["message"] and "already reads" in p["errors"][6]["message"]


def test_quantity_never_below_drawn(aw):
    n = aw.licence()
    aw.set_drawn(n, 1, "600")
    p = refused(aw, n, [{"kind": "change_quantity", "line_no": 1, "quantity": "599.999999"}])
    assert p["field"] == "changes[0].quantity" and "600 kg already drawn" in p["detail"]
    # exactly what is drawn is allowed
    am = aw.ask(n, [{"kind": "change_quantity", "line_no": 1, "quantity": "600"}])
    assert am["changes"][0]["quantity"] == "600"


def test_quantity_line_and_unit_checked(aw):
    n = aw.licence()
    p = refused(aw, n, [
        {"kind": "change_quantity", "line_no": 2, "quantity": "10"},
        {"kind": "change_quantity", "line_no": 1, "quantity": "1", "unit": "t"},
        {"kind": "change_quantity", "line_no": 1, "quantity": "1250.5"},
    ])
    assert [e["field"] for e in p["errors"]] == ["changes[0].line_no", "changes[1].unit", "changes[2].line_no",
                                                 "changes[2].quantity"]
    assert "in kg" in p["errors"][1]["message"] and "twice" in p["errors"][2]["message"]


def test_validity_limit_on_both_sides(aw):
    n = aw.licence()
    limit = aw.limit(n)  # individual: 12 months from valid_from (DUR Art. 15)
    p = refused(aw, n, [{"kind": "extend_validity", "valid_to": (limit + dt.timedelta(days=1)).isoformat()}])
    assert p["field"] == "changes[0].valid_to" and limit.isoformat() in p["detail"] and "12 months" in p["detail"]
    am = aw.ask(n, [{"kind": "extend_validity", "valid_to": limit.isoformat()}])
    assert am["changes"][0]["limit"] == limit.isoformat()


def test_general_licence_limit_is_its_own(aw):
    n = aw.licence("general")
    limit = aw.limit(n)  # 36 months
    lic = aw.get_licence(n)
    assert limit.year - dt.date.fromisoformat(lic["valid_from"]).year == 3
    refused(aw, n, [{"kind": "extend_validity", "valid_to": (limit + dt.timedelta(days=1)).isoformat()}])
    aw.ask(n, [{"kind": "extend_validity", "valid_to": limit.isoformat()}])


def test_validity_cannot_be_shortened(aw):
    n = aw.licence()
    lic = aw.get_licence(n)
    p = refused(aw, n, [{"kind": "extend_validity", "valid_to": lic["valid_to"]}])
    assert "not shorten" in p["detail"]


@pytest.mark.parametrize("licence_type", ["individual", "general"])
def test_adding_an_end_user_is_not_an_amendment(aw, licence_type):
    """The end user is a key element (DUR Art. 18 para. 2): no amendment kind adds one, on any
    licence type; the holder applies again from the licence."""
    n = aw.licence(licence_type)
    other = aw.party("DE")
    p = refused(aw, n, [{"kind": "add_end_user", "end_user_id": other, "items": [
        {"control_code": "1C905.b", "quantity": "10", "unit": "kg", "value": "1.00", "currency": "USD"}]}])
    assert p["title"] == "Invalid input" and "add_end_user" in p["detail"]
    assert aw.get_licence(n)["status"] == "active"


@pytest.mark.parametrize("body", [
    {},
    {"changes": [], "reason": "contract changed"},
    {"changes": [{"kind": "change_quantity", "line_no": 1, "quantity": "10"}]},
    {"changes": [{"kind": "change_end_user", "end_user_id": 1}], "reason": "contract changed"},
    {"changes": [{"kind": "change_quantity", "line_no": 1, "quantity": "-5"}], "reason": "contract changed"},
    {"changes": [{"kind": "change_quantity", "line_no": 1, "quantity": "1.1234567"}], "reason": "contract changed"},
    {"changes": [{"kind": "change_quantity", "line_no": 1, "quantity": "10", "extra": 1}], "reason": "contract changed"},
    {"changes": [{"kind": "extend_validity", "valid_to": "next year"}], "reason": "contract changed"},
    {"changes": [{"kind": "add_end_user", "end_user_id": 99999999999, "items": []}], "reason": "contract changed"},
    {"changes": "everything", "reason": "contract changed"},
])
def test_malformed_bodies_are_422_and_write_nothing(aw, body):
    n = aw.licence()
    p = refused(aw, n, None, body=body)
    assert p["errors"] and p["title"] == "Invalid input"


def test_malformed_json_is_422(aw):
    n = aw.licence()
    before = aw.counts()
    r = aw.client.post(f"{API}/licences/{n}/amendments", headers={**aw.w.exporter, "content-type": "application/json"},
                       content=b'{"changes": [')
    assert r.status_code == 422 and aw.counts() == before


def test_only_one_pending_amendment_per_licence(aw):
    n = aw.licence()
    am = aw.ask(n, [{"kind": "change_quantity", "line_no": 1, "quantity": "1000"}])
    p = refused(aw, n, [{"kind": "change_quantity", "line_no": 1, "quantity": "900"}], status=409)
    assert p["pending_amendment"] == am["id"] and p["current_state"] == "under_amendment"
    aw.recommend(am["id"])
    p = refused(aw, n, [{"kind": "change_quantity", "line_no": 1, "quantity": "900"}], status=409)
    assert str(am["id"]) in p["detail"]


@pytest.mark.parametrize("action,state", [("suspend", "suspended"), ("revoke", "revoked")])
def test_only_an_active_licence_can_be_amended(aw, action, state):
    n = aw.licence()
    r = aw.client.post(f"{API}/licences/{n}/{action}", headers=aw.w.senior,
                       json=control_body(action, "end use under review"))
    assert r.status_code == 200
    p = refused(aw, n, [{"kind": "change_quantity", "line_no": 1, "quantity": "1000"}], status=409)
    assert p["current_state"] == state and state in p["detail"]


def test_a_licence_past_validity_cannot_be_amended(aw):
    from sqlalchemy import update

    from rarex.licences.models import Licence

    n = aw.licence()
    lic = aw.row(n)
    aw.session.execute(update(Licence).where(Licence.id == lic.id).values(valid_to=lic.valid_from - dt.timedelta(days=1)))
    p = refused(aw, n, [{"kind": "change_quantity", "line_no": 1, "quantity": "1000"}], status=409)
    assert "validity ended" in p["detail"]
