"""A licence after issue through the pages: the exporter's usage report, shipments, versions and
amendment request; the officers' amendment list and actions; applying again from a licence.
Each role reaches what it may and no more; forms keep what was typed; outcomes are in the database."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from rarex.amendments.models import Amendment
from rarex.applications.models import Application
from rarex.policy.service import get_pack
from tests.amendments.helpers import amend_world
from tests.ui.helpers import HTML, csrf_of, post_form, sign_in


@pytest.fixture
def aw(client, session):
    return amend_world(client, session)


def _amendment(aw, amendment_id: int) -> Amendment:
    aw.session.expire_all()
    return aw.session.get(Amendment, amendment_id)


def _ship(aw, number: str, declaration: str, quantity: str) -> None:
    lic = aw.get_licence(number)
    line = lic["lines"][0]
    r = aw.client.post(f"/api/v1/licences/{number}/shipments", headers=aw.w.customs, json={
        "declaration": declaration, "date": get_pack().today().isoformat(), "port": "CNTSN",
        "lines": [{"item": line["item"], "end_user": line["end_user"], "quantity": quantity}]})
    assert r.status_code == 201, r.text


def _request(client, number: str, **data):
    return post_form(client, f"/licences/{number}/amend", f"/licences/{number}/amend", **data)


def _act(client, amendment_id: int, action: str, **data):
    return post_form(client, f"/amendments/{amendment_id}/{action}", f"/amendments/{amendment_id}", **data)


# --- the licence page and what it links to -------------------------------------------------------------


def test_the_exporter_follows_its_licence_and_another_exporter_reaches_none_of_it(client, aw):
    number = aw.licence("general")  # an individual licence ends with its one export
    _ship(aw, number, "DECL-UI-0001", "250.5")
    sign_in(client, "exp")
    page = client.get(f"/licences/{number}", headers=HTML).text
    assert 'data-testid="follow"' in page and 'data-testid="amend-link"' in page and 'data-testid="reapply"' in page
    assert 'data-testid="line-1"' in page and '<progress class="bar"' in page and "250.5" in page
    usage = client.get(f"/licences/{number}/usage", headers=HTML)
    assert usage.status_code == 200 and 'data-testid="usage-line-1"' in usage.text and "DECL-UI-0001" in usage.text
    csv_text = client.get(f"/licences/{number}/usage", params={"format": "csv"}, headers=HTML).text
    assert csv_text.startswith("licence,period_from") and "DECL-UI-0001" in csv_text
    shipped = client.get(f"/licences/{number}/shipments", headers=HTML)
    assert shipped.status_code == 200 and 'data-testid="shipment-DECL-UI-0001"' in shipped.text
    assert "DECL-UI-0001" in client.get(f"/licences/{number}/shipments", params={"format": "csv"}, headers=HTML).text
    assert 'data-testid="version-1"' in client.get(f"/licences/{number}/versions", headers=HTML).text
    client.cookies.clear()
    sign_in(client, "exp_b")
    for path in ("", "/usage", "/shipments", "/versions", "/amend"):
        assert client.get(f"/licences/{number}{path}", headers=HTML).status_code == 404, path


def test_the_usage_period_keeps_a_wrong_date_and_says_why(client, aw):
    number = aw.licence()
    sign_in(client, "exp")
    r = client.get(f"/licences/{number}/usage", params={"from": "2026-13-40", "to": ""}, headers=HTML)
    assert r.status_code == 400 and 'id="period-from-error"' in r.text and 'value="2026-13-40"' in r.text
    today = get_pack().today()
    r = client.get(f"/licences/{number}/usage", params={"from": today.isoformat(), "to": "2000-01-01"}, headers=HTML)
    assert r.status_code == 400 and 'id="period-to-error"' in r.text


# --- asking for an amendment --------------------------------------------------------------------------


def test_the_amend_form_says_an_end_user_needs_a_new_application(client, aw):
    number = aw.licence()
    sign_in(client, "exp")
    page = client.get(f"/licences/{number}/amend", headers=HTML)
    assert page.status_code == 200 and 'data-testid="key-elements"' in page.text and "DUR Art. 18 para. 2" in page.text
    assert f'href="/licences/{number}#reapply"' in page.text
    assert 'name="end_user' not in page.text  # no field to add or change an end user


def test_an_amendment_request_refused_keeps_what_was_typed_and_changes_nothing(client, aw):
    number = aw.licence()
    aw.set_drawn(number, 1, "400")
    aw.session.commit()
    sign_in(client, "exp")
    before = aw.counts()
    empty = _request(client, number, reason="")
    assert empty.status_code == 400 and 'id="changes-error"' in empty.text and 'id="reason-error"' in empty.text
    below = _request(client, number, **{"quantity-1": "300", "reason": "the contract shrank"})
    assert below.status_code == 422 and 'id="quantity-1-error"' in below.text and "already drawn" in below.text
    assert 'value="300"' in below.text and "the contract shrank" in below.text
    bad = _request(client, number, **{"quantity-1": "lots", "hs_code-1": "12", "reason": "typo fixes"})
    assert bad.status_code == 400 and 'value="lots"' in bad.text and 'id="quantity-1-error"' in bad.text
    zh = client.post(f"/licences/{number}/amend", params={"lang": "zh"}, headers=HTML, data={
        "csrf_token": csrf_of(client.get(f"/licences/{number}/amend", headers=HTML).text), "quantity-1": "300",
        "reason": "合同数量减少"})
    assert zh.status_code == 422 and "already drawn" not in zh.text and "合同数量减少" in zh.text
    assert aw.counts() == before


def test_an_amendment_form_without_or_with_a_forged_token_is_refused(client, aw):
    number = aw.licence()
    sign_in(client, "exp")
    data = {"quantity-1": "2000", "reason": "bigger order"}
    assert client.post(f"/licences/{number}/amend", data=data, headers=HTML).status_code == 403
    assert client.post(f"/licences/{number}/amend", data={**data, "csrf_token": "forged"}, headers=HTML).status_code == 403
    assert aw.session.scalar(select(Amendment.id)) is None


def test_the_amendment_goes_from_request_to_a_new_version(client, aw):
    number = aw.licence()
    limit = aw.limit(number)
    sign_in(client, "exp")
    r = _request(client, number, **{"quantity-1": "2000", "valid_to": limit.isoformat(), "description-1": "Dysprosium oxide 99.9%",
                                    "reason": "bigger order, later delivery"})
    assert r.status_code == 303, r.text
    am_id = int(r.headers["location"].split("/")[2].split("?")[0])
    am = _amendment(aw, am_id)
    assert am.status == "pending" and {c["kind"] for c in am.changes} == {"change_quantity", "extend_validity", "correct_detail"}
    assert aw.row(number).status == "under_amendment"
    page = client.get(f"/amendments/{am_id}", headers=HTML).text
    assert 'data-testid="action-withdraw"' in page and 'data-testid="action-accept"' not in page
    assert 'data-testid="amend-link"' not in client.get(f"/licences/{number}", headers=HTML).text

    client.cookies.clear()
    sign_in(client, "off")
    listing = client.get("/amendments", headers=HTML).text
    assert f'data-testid="amendment-{am_id}"' in listing
    for sort in ("deadline", "requested", "licence", "status"):
        assert client.get("/amendments", params={"sort": sort}, headers=HTML).status_code == 200
    assert client.get("/amendments", params={"format": "csv"}, headers=HTML).text.startswith("id,licence,")
    page = client.get(f"/amendments/{am_id}", headers=HTML).text
    assert 'data-testid="action-accept"' in page and 'data-testid="action-decide"' not in page
    assert 'data-testid="action-withdraw"' not in page
    assert _act(client, am_id, "accept").status_code == 303 and _amendment(aw, am_id).status == "under_review"
    no_reason = _act(client, am_id, "recommend", outcome="approve", reason="")
    assert no_reason.status_code == 400 and 'id="recommend-reason-error"' in no_reason.text
    assert 'value="approve" selected' in no_reason.text
    assert _act(client, am_id, "recommend", outcome="approve", reason="non-key changes, documents in order").status_code == 303
    assert client.post(f"/amendments/{am_id}/decide", headers=HTML, data={
        "csrf_token": csrf_of(client.get(f"/amendments/{am_id}", headers=HTML).text), "outcome": "approve",
        "reason": "an officer tries"}).status_code == 403

    client.cookies.clear()
    sign_in(client, "sen")
    assert 'data-testid="action-decide"' in client.get(f"/amendments/{am_id}", headers=HTML).text
    assert _act(client, am_id, "decide", outcome="approve", reason="agree with the officer").status_code == 303
    assert _amendment(aw, am_id).status == "approved"
    lic = aw.row(number)
    assert lic.status == "active" and lic.version == 2 and lic.valid_to == limit and str(lic.lines[0].licensed) in ("2000", "2000.000000")
    versions = client.get(f"/licences/{number}/versions", headers=HTML).text
    assert 'data-testid="version-2"' in versions and 'data-testid="version-1"' in versions and f"/amendments/{am_id}" in versions


def test_a_senior_who_recommended_does_not_decide(client, aw):
    number = aw.licence()
    am_id = aw.ask(number, [{"kind": "change_quantity", "line_no": 1, "quantity": "2000"}])["id"]
    aw.accept(am_id)
    sign_in(client, "sen")
    assert _act(client, am_id, "recommend", outcome="refuse", reason="no need shown").status_code == 303
    page = client.get(f"/amendments/{am_id}", headers=HTML).text
    assert 'data-testid="action-decide"' not in page and 'data-testid="countersign"' in page
    client.cookies.clear()
    sign_in(client, "sen2")
    assert _act(client, am_id, "decide", outcome="refuse", reason="agree: no need shown").status_code == 303
    assert _amendment(aw, am_id).status == "refused" and aw.row(number).status == "active"


def test_the_exporter_withdraws_with_a_reason_and_others_cannot(client, aw):
    number = aw.licence()
    am_id = aw.ask(number, [{"kind": "change_quantity", "line_no": 1, "quantity": "2000"}])["id"]
    sign_in(client, "aud")
    page = client.get(f"/amendments/{am_id}", headers=HTML)
    assert page.status_code == 200 and 'data-testid="action-' not in page.text
    assert _act(client, am_id, "accept").status_code == 403
    client.cookies.clear()
    sign_in(client, "exp_b")
    assert client.get(f"/amendments/{am_id}", headers=HTML).status_code == 404
    assert f'data-testid="amendment-{am_id}"' not in client.get("/amendments", headers=HTML).text
    client.cookies.clear()
    sign_in(client, "exp")
    no_reason = _act(client, am_id, "withdraw", reason="")
    assert no_reason.status_code == 400 and 'id="withdraw-reason-error"' in no_reason.text
    assert _act(client, am_id, "withdraw", reason="the buyer changed its mind").status_code == 303
    assert _amendment(aw, am_id).status == "withdrawn" and aw.row(number).status == "active"
    assert "the buyer changed its mind" in client.get(f"/amendments/{am_id}", headers=HTML).text


def test_no_amendment_page_for_customs_or_admin(client, aw):
    number = aw.licence()
    am_id = aw.ask(number, [{"kind": "change_quantity", "line_no": 1, "quantity": "2000"}])["id"]
    for user in ("cus", "adm"):
        client.cookies.clear()
        sign_in(client, user)
        assert client.get(f"/amendments/{am_id}", headers=HTML).status_code == 403
        assert client.get("/amendments", headers=HTML).status_code == 403


# --- applying again ------------------------------------------------------------------------------------


def test_the_exporter_applies_again_in_place_of_an_end_user(client, aw):
    number = aw.licence()
    new_party = aw.party("FR")
    sign_in(client, "exp")
    missing = post_form(client, f"/licences/{number}/reapply", f"/licences/{number}", end_user=str(new_party), replaces="")
    assert missing.status_code == 400 and 'id="reapply-confirm-error"' in missing.text
    assert 'id="reapply-quantity-error"' in missing.text and f'value="{new_party}" selected' in missing.text
    assert aw.session.scalar(select(Application.id).where(Application.replaces_licence_id.is_not(None))) is None
    r = post_form(client, f"/licences/{number}/reapply", f"/licences/{number}", end_user=str(new_party),
                  replaces=str(aw.w.end_user), confirm="yes")
    assert r.status_code == 303, r.text
    aw.session.expire_all()
    app = aw.session.execute(select(Application).where(Application.replaces_licence_id == aw.row(number).id)).scalar_one()
    assert app.status == "draft" and app.end_user_id == new_party
    page = client.get(r.headers["location"], headers=HTML).text
    assert 'data-testid="replacing-application"' in page and f'href="/applications/{app.id}"' in page
    assert 'data-testid="reapply"' not in page
    assert aw.row(number).status == "active"  # exports stop only when the new application is submitted


def test_applying_again_is_the_holders_alone(client, aw):
    number = aw.licence()
    sign_in(client, "off")
    assert 'data-testid="reapply"' not in client.get(f"/licences/{number}", headers=HTML).text
    r = post_form(client, f"/licences/{number}/reapply", f"/licences/{number}", end_user=str(aw.w.end_user),
                  replaces=str(aw.w.end_user), confirm="yes")
    assert r.status_code == 403
    client.cookies.clear()
    sign_in(client, "exp_b")
    r = post_form(client, f"/licences/{number}/reapply", "/home", end_user="1", replaces="1", confirm="yes")
    assert r.status_code == 404


def test_amendment_actions_and_applying_again_refuse_a_missing_or_forged_token(client, aw):
    number = aw.licence()
    am_id = aw.ask(number, [{"kind": "change_quantity", "line_no": 1, "quantity": "2000"}])["id"]
    sign_in(client, "off")
    for token in ({}, {"csrf_token": "forged"}):
        assert client.post(f"/amendments/{am_id}/accept", data=token, headers=HTML).status_code == 403
    assert _amendment(aw, am_id).status == "pending"
    client.cookies.clear()
    sign_in(client, "exp")
    for token in ({}, {"csrf_token": "forged"}):
        r = client.post(f"/amendments/{am_id}/withdraw", data={**token, "reason": "changed our mind"}, headers=HTML)
        assert r.status_code == 403
    assert _amendment(aw, am_id).status == "pending"
    other = aw.licence()
    for token in ({}, {"csrf_token": "forged"}):
        r = client.post(f"/licences/{other}/reapply", headers=HTML, data={
            **token, "end_user": str(aw.party("FR")), "replaces": str(aw.w.end_user), "confirm": "yes"})
        assert r.status_code == 403
    assert aw.session.scalar(select(Application.id).where(Application.replaces_licence_id.is_not(None))) is None


@pytest.mark.parametrize(("user", "expected"), [("off", 200), ("sen", 200), ("aud", 200), ("cus", 200), ("adm", 403)])
def test_who_reads_the_usage_report_and_shipments(client, aw, user, expected):
    number = aw.licence()
    sign_in(client, user)
    for path in ("usage", "shipments"):
        assert client.get(f"/licences/{number}/{path}", headers=HTML).status_code == expected, path


def test_the_amendment_list_filters_by_licence_and_status(client, aw):
    first, second = aw.licence(), aw.licence()
    a = aw.ask(first, [{"kind": "change_quantity", "line_no": 1, "quantity": "2000"}])["id"]
    b = aw.ask(second, [{"kind": "change_quantity", "line_no": 1, "quantity": "3000"}])["id"]
    aw.act(b, "withdraw", aw.w.exporter, {"reason": "not needed"})
    sign_in(client, "off")
    listing = client.get("/amendments", headers=HTML).text  # open ones by default
    assert f'data-testid="amendment-{a}"' in listing and f'data-testid="amendment-{b}"' not in listing
    listing = client.get("/amendments", params={"status": "", "licence": second}, headers=HTML).text
    assert f'data-testid="amendment-{b}"' in listing and f'data-testid="amendment-{a}"' not in listing
    listing = client.get("/amendments", params={"status": "withdrawn"}, headers=HTML).text
    assert f'data-testid="amendment-{b}"' in listing and f'data-testid="amendment-{a}"' not in listing
