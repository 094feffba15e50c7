"""The officer's page for a draft amendment: the report grouped by effect with links, errors beside the draft."""

from __future__ import annotations

import datetime as dt

import pytest

from rarex.core.authz import Role
from tests.factories import make_user
from tests.impact.helpers import build_world, today
from tests.impact.test_impact import _prohibition_draft
from tests.ui.helpers import HTML, csrf_of, sign_in


@pytest.fixture
def officer(client, session):
    build_world(session, "1C905.b")
    make_user(session, Role.officer, username="impact-officer")
    session.commit()
    assert sign_in(client, "impact-officer").status_code == 303
    return client


def _post(client, lang: str = "en", files=None, **data):
    page = client.get(f"/policy/impact?lang={lang}", headers=HTML)
    assert page.status_code == 200
    return client.post(f"/policy/impact?lang={lang}", data={"csrf_token": csrf_of(page.text), **data}, files=files,
                       headers=HTML)


def test_the_report_groups_lines_by_effect_with_links(officer):
    start = today() + dt.timedelta(days=5)
    r = _post(officer, draft=_prohibition_draft(start), on=start.isoformat(), window_days="90")
    assert r.status_code == 200, r.text
    assert 'data-testid="effect-now_prohibited"' in r.text
    assert "Now prohibited:" in r.text and "Pending application 1" in r.text
    assert 'href="/licences/CNDU-G2026-770001"' in r.text and 'href="/cases/' in r.text
    assert 'href="/licences/CNDU-G2026-770001/shipments"' in r.text


def test_in_chinese_and_from_a_file(officer):
    start = today() + dt.timedelta(days=5)
    r = _post(officer, "zh", files={"draft_file": ("ban.yaml", _prohibition_draft(start).encode(), "application/yaml")},
              draft="", on=start.isoformat(), window_days="90")
    assert r.status_code == 200, r.text
    assert "现被禁止" in r.text and "待决申请 1" in r.text


def test_the_day_before_nothing_is_touched(officer):
    start = today() + dt.timedelta(days=5)
    r = _post(officer, draft=_prohibition_draft(start), on=(start - dt.timedelta(days=1)).isoformat(), window_days="90")
    assert r.status_code == 200 and 'data-testid="nothing-touched"' in r.text


@pytest.mark.parametrize("data, message", [
    ({"draft": "", "on": "", "window_days": "90"}, "Paste the draft or choose its file."),
    ({"draft": "code: x\n", "on": "", "window_days": "90"}, "draft.yaml:1: description_en: Field required"),
    ({"draft": "code: x\n", "on": "2026-02-30", "window_days": "90"}, "Enter a date such as 2026-01-31."),
    ({"draft": "code: x\n", "on": "", "window_days": "0"}, "Enter a number of days from 1 to 3660."),
])
def test_errors_beside_the_field_and_the_draft_kept(officer, data, message):
    r = _post(officer, **data)
    assert r.status_code == 400 and message in r.text
    assert 'data-testid="error-summary"' in r.text
    if data["draft"]:
        assert data["draft"].strip() in r.text


def test_without_the_form_token_nothing_happens(officer):
    r = officer.post("/policy/impact", data={"draft": _prohibition_draft(today())}, headers=HTML)
    assert r.status_code in (400, 403)


@pytest.mark.parametrize("role", [Role.exporter, Role.customs])
def test_exporters_and_customs_are_refused(client, session, role):
    from tests.factories import make_org

    make_user(session, role, make_org(session) if role == Role.exporter else None, username=f"impact-{role.value}")
    session.commit()
    sign_in(client, f"impact-{role.value}")
    assert client.get("/policy/impact", headers=HTML).status_code == 403
