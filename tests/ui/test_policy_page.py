"""The policy pack page on both sides of the dates that matter."""

from __future__ import annotations

import pytest

from rarex.core.authz import Role
from tests.factories import make_org, make_user
from tests.ui.helpers import HTML, sign_in


@pytest.fixture
def reader(client, session):
    make_user(session, Role.exporter, make_org(session), username="exp")
    session.commit()
    sign_in(client, "exp")


def test_no_18_is_in_force_from_its_day_and_not_before(client, reader):
    before = client.get("/policy", params={"on": "2025-04-03"}, headers=HTML).text
    on = client.get("/policy", params={"on": "2025-04-04"}, headers=HTML).text
    assert 'data-testid="entry-1C905.a"' not in before and 'data-testid="off-1C905.a"' in before
    assert "Not yet in force: effective from 2025-04-04" in before
    assert 'data-testid="entry-1C905.a"' in on


@pytest.mark.parametrize(("day", "suspended"), [("2025-11-06", False), ("2025-11-07", True), ("2026-11-10", True),
                                                ("2026-11-11", False)])
def test_the_no_70_suspension_shows_on_its_days(client, reader, day, suspended):
    page = client.get("/policy", params={"on": day}, headers=HTML).text
    assert ('data-testid="off-1E902.a"' in page) == suspended
    assert ("Suspended by MOFCOM/GAC Ann. 2025 No. 70 through 2026-11-10" in page) == suspended


def test_a_date_after_the_review_carries_the_caveat(client, reader):
    assert 'data-testid="caveat"' not in client.get("/policy", params={"on": "2026-01-01"}, headers=HTML).text
    assert 'data-testid="caveat"' in client.get("/policy", params={"on": "2026-12-01"}, headers=HTML).text


def test_the_chinese_page_shows_the_packs_chinese_text(client, reader):
    page = client.get("/policy", params={"on": "2025-06-01", "lang": "zh"}, headers=HTML).text
    assert "中国两用物项出口管制（稀土）" in page and "单项许可" in page and "管制物项的出口方式" in page


def test_a_bad_date_is_a_clear_error(client, reader):
    r = client.get("/policy", params={"on": "2025-13-40"}, headers=HTML)
    assert r.status_code == 422 and r.headers["content-type"].startswith("text/html") and "Something went wrong" in r.text


def test_signed_out_visitors_are_sent_to_sign_in(client):
    assert client.get("/policy", headers=HTML, follow_redirects=False).status_code == 303
