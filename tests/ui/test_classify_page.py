"""The classification helper: an item and a date in, whether it is controlled, on what basis,
what decides between candidates, whether a licence is needed and which, the pack's caveat;
errors beside the field with what was typed kept; the Chinese page in Chinese."""

from __future__ import annotations

import datetime as dt

import pytest

from rarex.core.authz import Role
from rarex.policy.service import get_pack
from tests.factories import make_org, make_user
from tests.ui.helpers import HTML, sign_in

ON = "2026-03-10"


@pytest.fixture
def users(session):
    org = make_org(session, name="Baotou Classify Co., Ltd.", has_icp=True, icp_established_on=dt.date(2020, 1, 1),
                   icp_last_audit_on=dt.date(2025, 9, 1), export_experience_years=6, stable_channels=True,
                   foreign_control_list_affiliate=False)
    make_user(session, Role.exporter, org, "exp")
    make_user(session, Role.customs, None, "cus")
    session.commit()
    return org


def test_the_empty_form_with_today_as_the_date(client, users):
    sign_in(client, "exp")
    page = client.get("/classify", headers=HTML)
    assert page.status_code == 200 and 'data-testid="classify-form"' in page.text
    assert f'value="{get_pack().today().isoformat()}"' in page.text and 'data-testid="answer"' not in page.text


def test_a_listed_oxide_is_controlled_with_its_legal_basis(client, users):
    sign_in(client, "exp")
    page = client.get("/classify", params={"description": "Dysprosium oxide 99.5%", "on": ON}, headers=HTML)
    assert page.status_code == 200
    text = page.text
    assert 'data-testid="controlled"' in text and "Controlled" in text
    assert 'data-testid="entry-1C905.b"' in text or 'data-testid="candidate-1C905.b"' in text
    assert "MOFCOM/GAC Ann. 2025 No. 18" in text
    assert 'data-testid="determination"' not in text  # no deal named: classification only


def test_the_deal_gives_the_licence_requirement_and_the_exporters_eligibility(client, users):
    sign_in(client, "exp")
    page = client.get("/classify", params={"description": "Dysprosium oxide 99.5%", "on": ON, "destination": "DE",
                                           "end_user_category": "civil"}, headers=HTML)
    assert page.status_code == 200
    text = page.text
    assert 'data-testid="determination"' in text and 'data-testid="type-individual"' in text
    assert "Baotou Classify" in text  # general-licence availability judged for the exporter's own organisation
    zh = client.get("/classify", params={"description": "Dysprosium oxide 99.5%", "on": ON, "destination": "DE",
                                         "end_user_category": "civil", "lang": "zh"}, headers=HTML).text
    assert "列入2026-03-10有效的管控清单" in zh and "is on the control list" not in zh
    assert '<span lang="en">' not in zh


def test_a_magnet_without_composition_is_undetermined_and_says_what_decides(client, users):
    sign_in(client, "exp")
    text = client.get("/classify", params={"description": "NdFeB magnet", "hs_code": "8505.11", "on": ON},
                      headers=HTML).text
    assert 'data-testid="candidates"' in text and "Not yet determined" in text
    assert "A customs code never decides control on its own" in text or "What decides" in text


def test_the_caveat_after_the_packs_review(client, users):
    sign_in(client, "exp")
    later = (get_pack().reviewed_until + dt.timedelta(days=1)).isoformat()
    text = client.get("/classify", params={"element": "Dy", "on": later}, headers=HTML).text
    assert 'data-testid="caveat"' in text and "checked against published announcements" in text
    zh = client.get("/classify", params={"element": "Dy", "on": later, "lang": "zh"}, headers=HTML).text
    assert "对照已公布公告核对" in zh


@pytest.mark.parametrize("params, field", [
    ({"description": ""}, "description"),
    ({"element": "Xx", "on": ON}, "element"),
    ({"hs_code": "12", "on": ON}, "hs_code"),
    ({"description": "Dysprosium oxide", "on": "10/03/2026"}, "on"),
    ({"description": "Dysprosium oxide", "on": ON, "destination": "DE"}, "end_user_category"),
])
def test_errors_are_beside_the_field_with_the_input_kept(client, users, params, field):
    sign_in(client, "exp")
    page = client.get("/classify", params=params, headers=HTML)
    assert page.status_code == 400 and f'id="{field}-error"' in page.text and 'data-testid="error-summary"' in page.text
    for v in params.values():
        if v and len(v) > 3:
            assert v in page.text


def test_customs_may_classify_but_not_ask_for_a_determination(client, users):
    sign_in(client, "cus")
    text = client.get("/classify", params={"element": "Dy", "on": ON, "destination": "DE",
                                           "end_user_category": "civil"}, headers=HTML).text
    assert 'data-testid="controlled"' in text and 'data-testid="determination"' not in text
    assert 'name="destination"' not in text


def test_signed_out_goes_to_sign_in(client, users):
    r = client.get("/classify", headers=HTML, follow_redirects=False)
    assert r.status_code in (302, 303) and "/sign-in" in r.headers["location"]


def test_home_links_the_new_pages(client, users):
    sign_in(client, "exp")
    home = client.get("/home", headers=HTML).text
    assert 'href="/classify"' in home and 'href="/organisation"' in home
