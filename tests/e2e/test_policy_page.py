"""The policy pack page in Chromium, in Chinese, on a date inside the No. 70 suspension."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from rarex.core.authz import Role
from tests.factories import PASSWORD, make_org, make_user

pytestmark = pytest.mark.e2e


def test_the_pack_on_a_date_in_chinese(page, page_log, session, backend, screenshot_dir):
    make_user(session, Role.exporter, make_org(session), username="exp")
    session.commit()
    page.goto("/language/zh?next=/policy")
    page.get_by_label("用户名").fill("exp")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_label("截至日期").fill("2026-01-06")
    page.get_by_role("button", name="显示").click()
    expect(page.get_by_test_id("off-1E902.a")).to_contain_text("依 MOFCOM/GAC Ann. 2025 No. 70 暂停实施至 2026-11-10")
    expect(page.get_by_test_id("entry-1C905.a")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / f"policy-zh-{backend}.png"), full_page=True)
    assert page_log.console_errors == [] and page_log.page_errors == [] and page_log.external_requests == []
