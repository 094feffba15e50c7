"""A case through the officer's pages: read it, act on it, resolve a hit, see exactly the allowed actions."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from rarex.applications.models import Application
from rarex.screening.models import ScreeningHit
from tests.applications.helpers import build_world
from tests.screening.helpers import make_list
from tests.ui.helpers import HTML, csrf_of, sign_in


@pytest.fixture
def w(client, session):
    w = build_world(client, session)
    sign_in(client, "off")
    return w


def _act(client, case_id: int, action: str, **data):
    page = client.get(f"/cases/{case_id}", headers=HTML)
    return client.post(f"/cases/{case_id}/{action}", data={"csrf_token": csrf_of(page.text), **data}, headers=HTML,
                       follow_redirects=False)


def _status(session, case_id: int) -> str:
    session.expire_all()
    return str(session.get(Application, case_id).status)


def test_the_officer_reads_a_submitted_case_with_exactly_their_actions(client, w):
    case = w.to_state("submitted")
    page = client.get(f"/cases/{case['id']}", headers=HTML).text
    assert f"Case {case['reference']}" in page and 'data-testid="check-completeness"' in page
    assert 'data-testid="clock"' in page
    assert 'data-testid="action-accept"' in page and 'data-testid="action-return"' in page
    assert 'data-testid="action-decide"' not in page and 'data-testid="action-refer"' not in page
    assert f'/cases/{case["id"]}/documents/' in page
    assert f'href="/organisations/{case["org_id"]}" data-testid="applicant"' in page  # the applicant's profile


def test_accept_request_information_and_recommend_through_the_page(client, w, session):
    case = w.to_state("submitted")
    assert _act(client, case["id"], "accept").status_code == 303
    assert _status(session, case["id"]) == "under_review"
    empty = _act(client, case["id"], "request-information", request="")
    assert empty.status_code == 400 and 'id="request-information-request-error"' in empty.text
    assert _act(client, case["id"], "request-information", request="Send the signed end-use certificate").status_code == 303
    assert _status(session, case["id"]) == "information_requested"
    page = client.get(f"/cases/{case['id']}", headers=HTML).text
    assert "application.information_requested" in page  # the timeline


def test_an_expert_opinion_stops_the_clock_and_a_restart_ends_it(client, w, session):
    case = w.to_state("under_review")
    assert _act(client, case["id"], "stop-clock", kind="expert_opinion", reason="Ask the magnet experts about the grade").status_code == 303
    page = client.get(f"/cases/{case['id']}", headers=HTML).text
    assert 'data-testid="action-restart-clock"' in page and 'data-testid="action-stop-clock"' not in page
    assert _act(client, case["id"], "restart-clock", outcome="Experts confirm a civil grade").status_code == 303
    assert 'data-testid="action-stop-clock"' in client.get(f"/cases/{case['id']}", headers=HTML).text


def test_the_senior_decides_and_the_officer_cannot(client, w, session):
    case = w.to_state("recommended")
    refused = _act(client, case["id"], "decide", decision="approve", reason="looks fine")
    assert refused.status_code == 403 and _status(session, case["id"]) == "recommended"
    client.cookies.clear()
    sign_in(client, "sen")
    page = client.get(f"/cases/{case['id']}", headers=HTML).text
    assert 'data-testid="action-decide"' in page and 'data-testid="action-refer"' in page
    assert _act(client, case["id"], "decide", decision="approve", reason="agree with the officer").status_code == 303
    assert _status(session, case["id"]) == "approved"


def test_a_refused_action_says_why_and_changes_nothing(client, w, session):
    case = w.to_state("under_review")
    r = _act(client, case["id"], "accept")
    assert r.status_code == 409 and 'data-testid="error-summary"' in r.text
    assert _status(session, case["id"]) == "under_review"
    assert _act(client, case["id"], "promote").status_code == 404


def test_a_screening_hit_is_resolved_from_the_case(client, w, session):
    make_list(session, "eu-sanctions", [{"id": "ent-1", "name": "Antriebstechnik Test AG", "countries": ["de"]}])
    session.commit()
    case = w.to_state("submitted")
    hit = session.scalars(select(ScreeningHit).where(ScreeningHit.application_id == case["id"])).first()
    assert hit is not None
    page = client.get(f"/cases/{case['id']}", headers=HTML)
    bad = client.post(f"/cases/{case['id']}/hits/{hit.id}/resolve", data={"csrf_token": csrf_of(page.text),
                      "resolution": "false_positive", "reason": ""}, headers=HTML)
    assert bad.status_code == 400 and f'id="hit-{hit.id}-error"' in bad.text
    ok = client.post(f"/cases/{case['id']}/hits/{hit.id}/resolve", data={"csrf_token": csrf_of(page.text),
                     "resolution": "false_positive", "reason": "different registry number"}, headers=HTML, follow_redirects=False)
    assert ok.status_code == 303
    session.expire_all()
    assert str(session.get(ScreeningHit, hit.id).status) == "false_positive"


def test_a_document_opens_in_the_browser_sandboxed(client, w):
    case = w.to_state("submitted")
    doc = client.get(f"/api/v1/applications/{case['id']}", headers=w.officer).json()["documents"][0]
    r = client.get(f"/cases/{case['id']}/documents/{doc['id']}", headers=HTML)
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    assert r.headers["content-disposition"].startswith("inline")
    assert "sandbox" in r.headers["content-security-policy"]


@pytest.mark.parametrize("user", ["exp", "exp_b", "cus", "aud", "adm"])
def test_other_roles_reach_no_case_page(client, w, user):
    case = w.to_state("submitted")
    client.cookies.clear()
    sign_in(client, user)
    assert client.get(f"/cases/{case['id']}", headers=HTML).status_code in (403, 404)


def test_the_case_in_chinese(client, w):
    case = w.to_state("submitted")
    page = client.get(f"/cases/{case['id']}", params={"lang": "zh"}, headers=HTML).text
    assert "受理申请" in page and "自动核查" in page and "时间线" in page


def test_the_checks_read_in_chinese_on_a_chinese_page_and_old_rows_in_marked_english(client, w, session):
    from rarex.applications.models import CheckResult

    case = w.to_state("submitted")
    page = client.get(f"/cases/{case['id']}", params={"lang": "zh"}, headers=HTML).text
    assert "材料齐全：1项物项" in page and "complete: 1 item(s)" not in page
    english = client.get(f"/cases/{case['id']}", params={"lang": "en"}, headers=HTML).text
    assert "complete: 1 item(s)" in english and "材料齐全" not in english
    # a check stored before the Chinese was kept: its English, marked as English
    row = session.execute(select(CheckResult).where(CheckResult.application_id == case["id"],
                                                    CheckResult.check == "completeness")).scalar_one()
    row.message_zh = None
    session.commit()
    page = client.get(f"/cases/{case['id']}", params={"lang": "zh"}, headers=HTML).text
    assert '<span lang="en">complete: 1 item(s)' in page
