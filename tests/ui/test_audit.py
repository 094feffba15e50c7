"""The auditor's pages: the log filtered, paged and exported, and the chain's verification."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import text

from rarex.core import audit
from rarex.core.authz import Principal, Role
from tests.factories import make_org, make_user
from tests.ui.helpers import HTML, sign_in


@pytest.fixture
def auditor(client, session):
    make_user(session, Role.auditor, username="aud")
    actor = Principal(user_id=None, username="officer9", role=Role.officer)
    for i in range(1, 56):
        audit.record(session, type="licence.suspended" if i % 5 == 0 else "application.submitted", actor=actor,
                     subject_type="licence" if i % 5 == 0 else "application", subject_id=str(i), after={"n": i},
                     reason="=HYPERLINK(\"http://evil\")" if i == 55 else f"reason {i}")
    session.commit()
    sign_in(client, "aud")


def test_the_log_pages_newest_first(client, auditor):
    first = client.get("/audit", headers=HTML)
    assert first.status_code == 200
    assert first.text.index('data-testid="event-55"') < first.text.index('data-testid="event-54"')
    assert 'data-testid="event-6"' in first.text and 'data-testid="event-5"' not in first.text
    nxt = first.text.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
    second = client.get(nxt, headers=HTML)
    assert 'data-testid="event-5"' in second.text and 'data-testid="event-1"' in second.text
    assert 'rel="next"' not in second.text


def test_the_log_filters_by_type_and_orders_oldest_first(client, auditor):
    page = client.get("/audit", params={"type": "licence.suspended", "order": "oldest"}, headers=HTML).text
    rows = [int(x.split('"')[0]) for x in page.split('data-testid="event-')[1:]]
    assert rows == [5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55]


def test_the_export_is_a_spreadsheet_safe_csv_of_the_same_filter(client, auditor):
    r = client.get("/audit", params={"subject_type": "licence", "format": "csv"}, headers=HTML)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == 11 and {row["subject_type"] for row in rows} == {"licence"}
    assert rows[0]["reason"].startswith("'=")  # a formula typed by someone is not run by a spreadsheet


def test_verification_says_intact_then_names_the_first_tampered_event(client, auditor, session):
    ok = client.get("/audit/verify", headers=HTML)
    assert 'data-testid="verify-result"' in ok.text and "Intact" in ok.text and "All 55 events" in ok.text
    session.execute(text("UPDATE audit_events SET reason = 'rewritten' WHERE id = 7"))
    bad = client.get("/audit/verify", headers=HTML)
    assert "Broken" in bad.text and "#7" in bad.text


def test_the_log_in_chinese(client, auditor):
    text_ = client.get("/audit/verify", params={"lang": "zh"}, headers=HTML).text
    assert "完整" in text_ and "Intact" not in text_


@pytest.mark.parametrize("role", [Role.exporter, Role.officer, Role.senior_officer, Role.customs])
def test_only_auditors_and_admins_read_the_log(client, session, role):
    make_user(session, role, make_org(session) if role == Role.exporter else None, username=f"r-{role.value}")
    session.commit()
    sign_in(client, f"r-{role.value}")
    assert client.get("/audit", headers=HTML).status_code == 403
    assert client.get("/audit/verify", headers=HTML).status_code == 403


def test_an_admin_reads_the_log(client, session):
    make_user(session, Role.admin, username="adm")
    session.commit()
    sign_in(client, "adm")
    assert client.get("/audit", headers=HTML).status_code == 200


def test_a_bad_cursor_is_a_clear_error_not_a_crash(client, auditor):
    r = client.get("/audit", params={"cursor": "garbage!"}, headers=HTML)
    assert r.status_code == 422 and "Something went wrong" in r.text
