"""The officer's queue page: open cases most urgent first, filters, CSV, who may see it."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from sqlalchemy import update

from rarex.applications.models import Application
from rarex.policy.service import get_pack
from tests.applications.helpers import build_world
from tests.ui.helpers import HTML, sign_in


@pytest.fixture
def w(client, session):
    w = build_world(client, session)
    w.cases = {s: w.to_state(s) for s in ("draft", "submitted", "under_review", "information_requested", "recommended",
                                          "approved")}
    # One case accepted long ago: its 45 working days have run out.
    old = w.to_state("under_review")
    session.execute(update(Application).where(Application.id == old["id"])
                    .values(accepted_on=get_pack().today() - dt.timedelta(days=120)))
    w.cases["overdue"] = old
    sign_in(client, "off")
    return w


def _refs(page: str) -> list[str]:
    return [x.split('"')[0] for x in page.split('data-testid="case-')[1:]]


def test_open_cases_only_and_the_overdue_one_first(client, w):
    page = client.get("/officer/queue", headers=HTML).text
    refs = _refs(page)
    open_refs = {w.cases[s]["reference"] for s in ("submitted", "under_review", "information_requested", "recommended",
                                                     "overdue")}
    assert set(refs) == open_refs
    assert refs[0] == w.cases["overdue"]["reference"] and "Overdue" in page
    assert int(page.split(f'data-testid="days-{refs[0]}">')[1].split("<")[0]) < 0


def test_a_case_not_yet_accepted_counts_the_days_left_to_accept(client, w):
    ref = w.cases["submitted"]["reference"]
    page = client.get("/officer/queue", params={"flag": "awaiting_acceptance"}, headers=HTML).text
    assert _refs(page) == [ref] and "Awaiting acceptance" in page
    assert 0 <= int(page.split(f'data-testid="days-{ref}">')[1].split("<")[0]) <= 5


def test_filters_by_status_flag_and_element(client, w):
    recommended = client.get("/officer/queue", params={"status": "recommended"}, headers=HTML).text
    assert _refs(recommended) == [w.cases["recommended"]["reference"]]
    assert _refs(client.get("/officer/queue", params={"flag": "overdue"}, headers=HTML).text) == [w.cases["overdue"]["reference"]]
    assert len(_refs(client.get("/officer/queue", params={"element": "Dy"}, headers=HTML).text)) == 5  # the 1C905.b cases
    assert _refs(client.get("/officer/queue", params={"element": "Sm"}, headers=HTML).text) == []


def test_unknown_filter_values_are_ignored_not_errors(client, w):
    r = client.get("/officer/queue", params={"status": "approved", "type": "x", "element": "Xx", "flag": "y"}, headers=HTML)
    assert r.status_code == 200 and len(_refs(r.text)) == 5


def test_the_queue_as_csv_keeps_the_order(client, w):
    rows = list(csv.DictReader(io.StringIO(client.get("/officer/queue", params={"format": "csv"}, headers=HTML).text)))
    assert rows[0]["reference"] == w.cases["overdue"]["reference"] and rows[0]["overdue"] == "True"
    assert len(rows) == 5


def test_the_queue_in_chinese(client, w):
    page = client.get("/officer/queue", params={"lang": "zh"}, headers=HTML).text
    assert "案件队列" in page and "已超期" in page and "待受理" in page


@pytest.mark.parametrize("user", ["exp", "cus", "aud", "adm"])
def test_only_reviewers_see_the_queue(client, w, user):
    client.cookies.clear()
    sign_in(client, user)
    assert client.get("/officer/queue", headers=HTML).status_code == 403
