"""An auditor in Chromium: the log, a filter, the verification, in English and Chinese."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from rarex.core import audit
from rarex.core.authz import Principal, Role
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.e2e


def test_an_auditor_reads_filters_and_verifies(page, page_log, session, backend, screenshot_dir):
    make_user(session, Role.auditor, username="aud")
    actor = Principal(user_id=None, username="officer9", role=Role.officer)
    for i in range(1, 8):
        audit.record(session, type="licence.suspended" if i % 3 == 0 else "application.accepted", actor=actor,
                     subject_type="licence" if i % 3 == 0 else "application", subject_id=str(i), reason=f"step {i}")
    session.commit()
    page.goto("/sign-in?next=/audit")
    page.get_by_label("Username").fill("aud")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit log")
    page.get_by_label("Event type").fill("licence.suspended")
    page.get_by_role("button", name="Show events").click()
    expect(page.locator("tbody tr")).to_have_count(2)
    page.screenshot(path=str(screenshot_dir / f"audit-log-en-{backend}.png"), full_page=True)
    page.get_by_role("link", name="Verify the chains").click()
    expect(page.get_by_test_id("verify-result")).to_contain_text("Intact")
    page.goto("/language/zh?next=/audit/verify")
    expect(page.get_by_test_id("verify-result")).to_contain_text("完整")
    page.screenshot(path=str(screenshot_dir / f"audit-verify-zh-{backend}.png"), full_page=True)
    page.goto("/audit")
    expect(page).to_have_title(re.compile("审计日志"))
    page.screenshot(path=str(screenshot_dir / f"audit-log-zh-{backend}.png"), full_page=True)
    assert page_log.console_errors == [] and page_log.page_errors == [] and page_log.external_requests == []
