"""A licence through the ministry's pages: grounded actions for a senior officer, the revocation
that waits for a signature after an exclusion, and what an officer may not do."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.applications.general_helpers import GeneralWorld
from tests.ui.helpers import HTML, csrf_of, sign_in


@pytest.fixture
def g(client, session):
    return GeneralWorld(client, session)


def _act(client, number: str, action: str, **data):
    page = client.get(f"/licences/{number}", headers=HTML)
    return client.post(f"/licences/{number}/{action}", data={"csrf_token": csrf_of(page.text), **data}, headers=HTML,
                       follow_redirects=False)


def _licence(g, number: str) -> dict:
    return g.client.get(f"/api/v1/licences/{number}", headers=g.w.officer).json()


def test_a_senior_suspends_on_a_ground_then_withdraws(client, g):
    number = g.approved()["licence_number"]
    sign_in(client, "sen")
    page = client.get(f"/licences/{number}", headers=HTML).text
    assert 'data-testid="action-suspend"' in page and 'data-testid="action-reinstate"' not in page
    no_reason = _act(client, number, "suspend", ground="factors_changed", reason="")
    assert no_reason.status_code == 400 and 'id="suspend-reason-error"' in no_reason.text
    wrong = _act(client, number, "suspend", ground="checks_cleared", reason="end user sold to a defence firm")
    assert wrong.status_code == 400 and 'id="suspend-ground-error"' in wrong.text
    assert _licence(g, number)["status"] == "active"
    assert _act(client, number, "suspend", ground="factors_changed", reason="end user sold to a defence firm").status_code == 303
    page = client.get(f"/licences/{number}", headers=HTML).text
    assert 'data-testid="ground"' in page and "DUR Art. 18 para. 4" in page
    assert all(f'data-testid="action-{a}"' in page for a in ("reinstate", "order_amendment", "withdraw", "revoke"))
    assert _act(client, number, "withdraw", ground="factors_changed", reason="circumstances changed for good").status_code == 303
    assert _licence(g, number)["status"] == "withdrawn"


def test_an_exclusion_leaves_only_the_signature(client, g):
    number = g.approved()["licence_number"]
    r = g.client.post(f"/api/v1/organisations/{g.w.org.id}/violations", headers=g.w.admin, json={
        "kind": "criminal", "decided_on": dt.date(2024, 5, 1).isoformat(), "description": "export beyond the licence",
        "legal_ref": "ECL Art. 34"})
    assert r.status_code == 201, r.text
    sign_in(client, "sen")
    listing = client.get("/officer/pending-revocations", headers=HTML).text
    assert f'data-testid="pending-{number}"' in listing
    page = client.get(f"/licences/{number}", headers=HTML).text
    assert 'data-testid="pending-revocation"' in page and 'data-testid="action-sign-revocation"' in page
    assert 'data-testid="action-reinstate"' not in page
    assert _act(client, number, "sign-revocation", reason="the law leaves no choice").status_code == 303
    assert _licence(g, number)["status"] == "revoked"
    assert f'data-testid="pending-{number}"' not in client.get("/officer/pending-revocations", headers=HTML).text


def test_an_officer_sees_the_licence_but_no_action(client, g):
    number = g.approved()["licence_number"]
    sign_in(client, "off")
    page = client.get(f"/licences/{number}", headers=HTML)
    assert page.status_code == 200 and 'data-testid="action-' not in page.text
    r = client.post(f"/licences/{number}/suspend", data={"csrf_token": csrf_of(page.text), "ground": "factors_changed",
                                                         "reason": "trying anyway"}, headers=HTML)
    assert r.status_code == 403 and _licence(g, number)["status"] == "active"


def test_the_exporter_reads_its_own_licence_without_actions_and_not_anothers(client, g):
    number = g.approved()["licence_number"]
    sign_in(client, "exp")
    page = client.get(f"/licences/{number}", headers=HTML)
    assert page.status_code == 200 and 'data-testid="action-' not in page.text
    assert f'data-testid="licence-{number}"' in client.get("/licences", headers=HTML).text
    client.cookies.clear()
    sign_in(client, "exp_b")
    assert client.get(f"/licences/{number}", headers=HTML).status_code == 404
    assert f'data-testid="licence-{number}"' not in client.get("/licences", headers=HTML).text


def test_the_licence_list_filters_and_exports(client, g):
    number = g.approved()["licence_number"]
    sign_in(client, "off")
    assert f'data-testid="licence-{number}"' in client.get("/licences", params={"status": "active"}, headers=HTML).text
    assert f'data-testid="licence-{number}"' not in client.get("/licences", params={"status": "revoked"}, headers=HTML).text
    csv_text = client.get("/licences", params={"format": "csv"}, headers=HTML).text
    assert csv_text.startswith("number,") and number in csv_text


@pytest.mark.parametrize("user", ["adm"])
def test_roles_without_licence_read_reach_no_licence_page(client, g, user):
    number = g.approved()["licence_number"]
    sign_in(client, user)
    assert client.get(f"/licences/{number}", headers=HTML).status_code == 403


def test_the_licence_page_in_chinese(client, g):
    number = g.approved()["licence_number"]
    sign_in(client, "sen")
    page = client.get(f"/licences/{number}", params={"lang": "zh"}, headers=HTML).text
    assert "暂停使用" in page and "各行剩余数量" in page


def test_the_chinese_pages_name_the_holder_and_the_events_in_chinese(client, g):
    number = g.approved()["licence_number"]
    sign_in(client, "sen")
    holder = _licence(g, number)["holder_zh"]
    assert holder.startswith("测试稀土有限公司")
    assert _act(client, number, "suspend", ground="factors_changed", reason="end user sold to a defence firm").status_code == 303
    zh = client.get(f"/licences/{number}", params={"lang": "zh"}, headers=HTML).text
    assert holder in zh and "许可证已签发" in zh and "许可证已暂停" in zh
    listing = client.get("/licences", params={"lang": "zh"}, headers=HTML).text
    assert holder in listing
    en = client.get(f"/licences/{number}", params={"lang": "en"}, headers=HTML).text
    assert "Licence suspended" in en and "许可证已暂停" not in en and holder not in en
