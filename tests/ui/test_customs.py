"""The customs desk over HTTP: find, record until a line is used up, refuse the next, cancel."""

from __future__ import annotations

from decimal import Decimal

import pytest

from rarex.core.authz import Role
from rarex.licences.models import LicenceStatus
from tests.factories import make_org, make_party, make_user
from tests.shipments.helpers import drawn, make_licence, status
from tests.ui.helpers import HTML, csrf_of, sign_in


@pytest.fixture
def desk(client, session):
    org = make_org(session)
    eu = make_party(session, org, name="Magnetwerk GmbH")
    lic = make_licence(session, org.id, [("1C905.a", eu.id, "100", "kg"), ("1C904.a", eu.id, "10", "kg")])
    make_user(session, Role.customs, username="hai")
    session.commit()
    sign_in(client, "hai")
    return lic


def _record(client, number: str, declaration: str, **quantities):
    page = client.get(f"/customs/licences/{number}", headers=HTML)
    data = {"csrf_token": csrf_of(page.text), "declaration": declaration, "date": "", "port": "CNTSN"}
    data["date"] = page.text.split('name="date" type="date" value="')[1].split('"')[0]
    data.update({k.replace("_", "-"): v for k, v in quantities.items()})
    return client.post(f"/customs/licences/{number}/shipments", data=data, headers=HTML, follow_redirects=False)


def test_a_scanned_number_leads_to_the_licence(client, desk):
    r = client.get("/customs", params={"number": f"  {desk.number.lower()} "}, headers=HTML, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/customs/licences/{desk.number}"
    page = client.get(r.headers["location"], headers=HTML)
    assert page.status_code == 200 and "Magnetwerk GmbH" in page.text
    assert 'data-testid="remaining-1">100<' in page.text


def test_shipments_draw_until_the_line_is_used_up_and_the_next_is_refused(client, desk, session):
    r = _record(client, desk.number, "D-001", line_1="60")
    assert r.status_code == 303 and "recorded=D-001" in r.headers["location"]
    assert drawn(session, desk.number) == [Decimal("60"), Decimal("0")]
    assert _record(client, desk.number, "D-002", line_1="40").status_code == 303
    refused = _record(client, desk.number, "D-003", line_1="0.5")
    assert refused.status_code == 409
    assert "0.5 kg is more than the 0 kg that remain on this line." in refused.text
    assert 'id="line-1-error"' in refused.text and 'value="0.5"' in refused.text  # what was typed stays
    assert drawn(session, desk.number) == [Decimal("100"), Decimal("0")]


def test_one_line_over_refuses_the_whole_declaration(client, desk, session):
    refused = _record(client, desk.number, "D-010", line_1="5", line_2="11")
    assert refused.status_code == 409 and 'id="line-2-error"' in refused.text
    assert drawn(session, desk.number) == [Decimal("0"), Decimal("0")]


def test_the_same_declaration_twice_is_drawn_once(client, desk, session):
    _record(client, desk.number, "D-020", line_1="10")
    again = _record(client, desk.number, "D-020", line_1="10")
    assert "again=D-020" in again.headers["location"]
    assert drawn(session, desk.number) == [Decimal("10"), Decimal("0")]
    other = _record(client, desk.number, "D-020", line_1="11")
    assert other.status_code == 400 and 'id="declaration-error"' in other.text


@pytest.mark.parametrize(("quantities", "field", "message"), [
    ({}, "line-1", "Enter the quantity shipped on at least one line."),
    ({"line_1": "ten"}, "line-1", "Enter a number, such as 250 or 12.5."),
    ({"line_1": "-3"}, "line-1", "Enter a quantity above zero"),
])
def test_bad_quantities_are_named_beside_their_line(client, desk, session, quantities, field, message):
    r = _record(client, desk.number, "D-030", **quantities)
    assert r.status_code == 400 and message in r.text and f'href="#{field}"' in r.text
    assert drawn(session, desk.number) == [Decimal("0"), Decimal("0")]


def test_a_declaration_number_is_required_and_checked(client, desk):
    assert 'id="declaration-error"' in _record(client, desk.number, "", line_1="1").text
    assert 'id="declaration-error"' in _record(client, desk.number, "bad number!", line_1="1").text


def test_a_suspended_licence_offers_no_form_and_refuses_a_forced_post(client, session):
    org = make_org(session)
    eu = make_party(session, org)
    lic = make_licence(session, org.id, [("1C905.a", eu.id, "100", "kg")], status=LicenceStatus.suspended,
                       status_reason="end use under review")
    make_user(session, Role.customs, username="mei")
    session.commit()
    sign_in(client, "mei")
    page = client.get(f"/customs/licences/{lic.number}", headers=HTML)
    assert 'data-testid="not-usable"' in page.text and 'name="declaration"' not in page.text
    r = client.post(f"/customs/licences/{lic.number}/shipments",
                    data={"csrf_token": csrf_of(page.text), "declaration": "D-1", "date": "2026-01-01", "line-1": "1"},
                    headers=HTML)
    assert r.status_code == 409 and "cannot be drawn on in its present state" in r.text
    assert status(session, lic.number) == "suspended" and drawn(session, lic.number) == [Decimal("0")]


def test_cancel_needs_a_reason_and_gives_the_quantity_back(client, desk, session):
    _record(client, desk.number, "D-040", line_1="25")
    form = client.get("/customs/shipments/D-040/cancel", headers=HTML)
    empty = client.post("/customs/shipments/D-040/cancel", data={"csrf_token": csrf_of(form.text), "reason": " "}, headers=HTML)
    assert empty.status_code == 400 and 'id="reason-error"' in empty.text
    assert drawn(session, desk.number) == [Decimal("25"), Decimal("0")]
    done = client.post("/customs/shipments/D-040/cancel", data={"csrf_token": csrf_of(form.text), "reason": "goods not loaded"},
                       headers=HTML, follow_redirects=False)
    assert done.status_code == 303 and "cancelled=D-040" in done.headers["location"]
    assert drawn(session, desk.number) == [Decimal("0"), Decimal("0")]


def test_a_forged_token_records_nothing(client, desk, session):
    r = client.post(f"/customs/licences/{desk.number}/shipments",
                    data={"csrf_token": "forged", "declaration": "D-050", "date": "2026-01-01", "line-1": "1"}, headers=HTML)
    assert r.status_code == 403
    assert drawn(session, desk.number) == [Decimal("0"), Decimal("0")]


@pytest.mark.parametrize("role", [Role.exporter, Role.officer, Role.senior_officer, Role.auditor, Role.admin])
def test_only_customs_reach_the_desk(client, session, role):
    org = make_org(session) if role == Role.exporter else None
    make_user(session, role, org, username=f"x-{role.value}")
    session.commit()
    sign_in(client, f"x-{role.value}")
    r = client.get("/customs", headers=HTML)
    assert r.status_code == 403 and "You are not allowed to do this" in r.text


def test_an_unknown_licence_is_a_page_not_found(client, desk):
    r = client.get("/customs/licences/CNDU-G2099-999999", headers=HTML)
    assert r.status_code == 404 and "Page not found" in r.text


def test_the_desk_in_chinese(client, desk):
    text = client.get(f"/customs/licences/{desk.number}", params={"lang": "zh"}, headers=HTML).text
    assert "各行剩余数量" in text and "登记报关单" in text and "有效" in text


def test_a_shipment_a_prohibition_covers_is_refused_on_the_page(client, session):
    """MOFCOM Ann. 2026 No. 1: from 2026-01-06 nothing goes to a Japanese military end user."""
    import datetime as dt

    org = make_org(session)
    eu = make_party(session, org, name="JSDF Supply Depot", country="JP", end_user_category="military")
    lic = make_licence(session, org.id, [("1C905.a", eu.id, "100", "kg")], valid_from=dt.date(2025, 12, 1),
                       valid_to=dt.date(2027, 11, 30))
    make_user(session, Role.customs, username="kei")
    session.commit()
    sign_in(client, "kei")
    page = client.get(f"/customs/licences/{lic.number}", headers=HTML)
    data = {"csrf_token": csrf_of(page.text), "declaration": "JP-1", "date": "2026-01-06", "line-1": "1"}
    r = client.post(f"/customs/licences/{lic.number}/shipments", data=data, headers=HTML)
    assert r.status_code == 409 and "A prohibition covers this shipment (MOFCOM Ann. 2026 No. 1)" in r.text
    assert drawn(session, lic.number) == [Decimal("0")]
    data["declaration"], data["date"] = "JP-0", "2026-01-05"
    ok = client.post(f"/customs/licences/{lic.number}/shipments", data=data, headers=HTML, follow_redirects=False)
    assert ok.status_code == 303 and drawn(session, lic.number) == [Decimal("1")]


def test_the_desk_shows_an_example_number_of_this_year_in_the_packs_format(client, desk):
    from rarex.policy.service import get_pack

    page = client.get("/customs", headers=HTML).text
    assert f"CNDU-I{get_pack().today().year}-000012" in page
