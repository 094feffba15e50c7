"""The buyer's view: hand-computed cover on a small fixed data set dated relative to today,
both sides of the 90-day window and of the 60-day expiry flag, and who may see what."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from rarex.buyers import service
from rarex.core.authz import Principal, Role
from rarex.core.errors import NotFound
from rarex.licences.models import LicenceStatus
from rarex.shipments.models import Shipment, ShipmentLine, ShipmentStatus
from tests.factories import bearer, make_org, make_party, make_user
from tests.shipments.helpers import make_licence, today

SYSTEM = Principal.system("test")


def ship(session, lic, line_no: int, qty: str, days_ago: int, declaration: str, status=ShipmentStatus.recorded):
    ll = next(x for x in lic.lines if x.line_no == line_no)
    on = today() - dt.timedelta(days=days_ago)
    session.add(Shipment(declaration=declaration, licence_id=lic.id, status=status, shipped_on=on, port="CNTSN",
                         content_hash="0" * 64, recorded_at=dt.datetime(on.year, on.month, on.day, 3, tzinfo=dt.UTC),
                         recorded_by_name="customs",
                         lines=[ShipmentLine(line_no=1, licence_line_id=ll.id, item=ll.control_code, end_user=str(ll.end_user_id),
                                             quantity=Decimal(qty), unit=ll.unit, drawn=Decimal(qty), drawn_unit=ll.unit)]))
    if status == ShipmentStatus.recorded:
        ll.drawn += Decimal(qty)
    session.flush()


@pytest.fixture
def data(session):
    """Exporter A with end users X (DE) and Y (KR); exporter B with end user Z.

    Licence L1 (general, valid 61 more days), to X:
      line 1  1C905.b Dy oxide  100 kg; shipped 10 (89 days ago, inside the window), 26 (5 days
              ago), 4 (90 days ago, outside), 7 cancelled (2 days ago)
              -> drawn 40, remaining 60, window 36, rate 0.4/day, cover floor(60/0.4) = 150 days
      line 2  1C904.a Tb metal   50 kg; nothing shipped -> no recent drawdown
    Licence L2 (valid 60 more days: expires soon), to X: line 1 1C905.a Dy metal 20 kg, shipped 9
              (1 day ago) -> remaining 11, rate 0.1, cover 110 days, longer than the 60 to expiry
    Licence L3 to Y, L4 revoked to X, L5 of exporter B to Z: not X's view.
    Per element Dy: licensed 120, drawn 49, remaining 71, window 45, rate 0.5, cover 142.
    """
    a, b = make_org(session), make_org(session)
    x, y = make_party(session, a, name="Magnetwerk X GmbH"), make_party(session, a, country="KR")
    z = make_party(session, b)
    t = today()
    l1 = make_licence(session, a.id, [("1C905.b", x.id, "100", "kg"), ("1C904.a", x.id, "50", "kg")],
                      valid_to=t + dt.timedelta(days=61))
    l2 = make_licence(session, a.id, [("1C905.a", x.id, "20", "kg")], valid_to=t + dt.timedelta(days=60))
    l3 = make_licence(session, a.id, [("1C905.b", y.id, "70", "kg")])
    l4 = make_licence(session, a.id, [("1C905.b", x.id, "999", "kg")], status=LicenceStatus.revoked)
    l5 = make_licence(session, b.id, [("1C905.b", z.id, "80", "kg")])
    ship(session, l1, 1, "10", 89, "B0001")
    ship(session, l1, 1, "26", 5, "B0002")
    ship(session, l1, 1, "4", 90, "B0003")
    ship(session, l1, 1, "7", 2, "B0004", status=ShipmentStatus.cancelled)
    ship(session, l2, 1, "9", 1, "B0005")
    ship(session, l3, 1, "30", 3, "B0006")
    session.commit()
    return {"a": a, "b": b, "x": x, "y": y, "z": z, "l1": l1, "l2": l2, "l3": l3, "l4": l4, "l5": l5}


def test_hand_computed_cover(session, data):
    out = service.cover(session, SYSTEM, data["x"].id)
    assert out.window_from == today() - dt.timedelta(days=89) and out.window_to == today()
    lines = {(c.licence_no, c.line_no): c for c in out.lines}
    assert set(lines) == {(data["l1"].number, 1), (data["l1"].number, 2), (data["l2"].number, 1)}
    dy = lines[(data["l1"].number, 1)]
    assert (dy.licensed, dy.drawn, dy.remaining, dy.drawn_in_window) == (100, 40, 60, 36)
    assert dy.daily_rate == Decimal("0.4") and dy.days_of_cover == 150 and dy.element == "Dy"
    tb = lines[(data["l1"].number, 2)]
    assert tb.drawn_in_window == 0 and tb.daily_rate == 0 and tb.days_of_cover is None and tb.element == "Tb"
    metal = lines[(data["l2"].number, 1)]
    assert (metal.remaining, metal.daily_rate, metal.days_of_cover) == (11, Decimal("0.1"), 110)
    # both licences end (in 60 and 61 days) before their remaining quantity would run out; Tb has no rate
    assert metal.expires_before_cover_ends and dy.expires_before_cover_ends and not tb.expires_before_cover_ends
    per = {e.element: e for e in out.elements}
    assert (per["Dy"].licensed, per["Dy"].drawn, per["Dy"].remaining, per["Dy"].drawn_in_window) == (120, 49, 71, 45)
    assert per["Dy"].daily_rate == Decimal("0.5") and per["Dy"].days_of_cover == 142
    assert per["Tb"].days_of_cover is None


def test_expiring_soon_both_sides_of_60_days(session, data):
    out = service.cover(session, SYSTEM, data["x"].id)
    assert [x.licence_no for x in out.expiring] == [data["l2"].number]  # 60 days: soon; 61 days: not
    assert {c.licence_no: c.expires_soon for c in out.lines} == {data["l1"].number: False, data["l2"].number: True}
    wider = service.cover(session, SYSTEM, data["x"].id, expiring_within_days=61)
    assert {x.licence_no for x in wider.expiring} == {data["l1"].number, data["l2"].number}


def test_the_window_both_sides(session, data):
    """A 91-day window takes in the 4 kg shipped 90 days ago."""
    out = service.cover(session, SYSTEM, data["x"].id, window_days=91)
    dy = next(c for c in out.lines if c.licence_no == data["l1"].number and c.line_no == 1)
    assert dy.drawn_in_window == 40


def test_a_buyer_sees_its_own_party_only(session, data):
    buyer = Principal(user_id=1, username="bx", role=Role.buyer, party_id=data["x"].id)
    assert service.cover(session, buyer).party_id == data["x"].id
    for other in (data["y"].id, data["z"].id, 999999):
        with pytest.raises(NotFound):
            service.cover(session, buyer, other)


def test_an_exporter_sees_its_own_end_users_only(session, data):
    exporter = Principal(user_id=1, username="ea", role=Role.exporter, org_id=data["a"].id)
    assert len(service.cover(session, exporter, data["y"].id).lines) == 1
    with pytest.raises(NotFound):
        service.cover(session, exporter, data["z"].id)


# --- API ---------------------------------------------------------------------------------------


def test_api_for_buyer_exporter_and_others(client, session, data):
    buyer = make_user(session, Role.buyer, username="bx")
    buyer.party_id = data["x"].id
    session.commit()
    r = client.get("/api/v1/buyer/cover", headers=bearer(session, buyer))
    assert r.status_code == 200, r.text
    assert {ln["licence_no"] for ln in r.json()["lines"]} == {data["l1"].number, data["l2"].number}
    r = client.get(f"/api/v1/buyer/cover?party_id={data['y'].id}", headers=bearer(session, buyer))
    assert r.status_code == 404
    other_exporter = make_user(session, Role.exporter, data["b"], username="eb")
    assert client.get(f"/api/v1/buyer/cover?party_id={data['x'].id}", headers=bearer(session, other_exporter)).status_code == 404
    own = make_user(session, Role.exporter, data["a"], username="ea")
    r = client.get(f"/api/v1/buyer/cover?party_id={data['x'].id}", headers=bearer(session, own))
    assert r.status_code == 200 and r.json()["elements"][0]["days_of_cover"] == 142
    assert client.get("/api/v1/buyer/cover", headers=bearer(session, own)).status_code == 404  # names no party
    customs = make_user(session, Role.customs, username="cu")
    assert client.get(f"/api/v1/buyer/cover?party_id={data['x'].id}", headers=bearer(session, customs)).status_code == 403


@pytest.mark.parametrize("path", ["/api/v1/applications", "/api/v1/licences", "/api/v1/parties", "/api/v1/organisations",
                                  "/api/v1/licences/CNDU-G2025-900001/shipments"])
def test_a_buyer_reaches_no_exporter_endpoint(client, session, data, path):
    buyer = make_user(session, Role.buyer, username="bx2")
    buyer.party_id = data["x"].id
    session.commit()
    assert client.get(path, headers=bearer(session, buyer)).status_code == 403


def test_cli_cover_json(cli, data):
    result = cli("buyers", "cover", "--party", str(data["x"].id), "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert [e["days_of_cover"] for e in out["elements"]] == [142, None]
    result = cli("buyers", "cover", "--party", str(data["x"].id))
    assert result.exit_code == 0 and "no recent drawdown" in result.stdout
    result = cli("buyers", "cover", "--party", "999999")
    assert result.exit_code == 2 and "party 999999 not found" in result.stderr
