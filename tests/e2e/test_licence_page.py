"""A senior officer suspends a licence on a coded ground in Chromium (Chinese)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.applications.general_helpers import GeneralWorld
from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e


def test_a_senior_suspends_on_a_ground(page, page_log, client, session, backend, screenshot_dir):
    number = GeneralWorld(client, session).approved()["licence_number"]
    page.goto(f"/language/zh?next=/licences/{number}")
    page.get_by_label("用户名").fill("sen")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_test_id("action-suspend").locator("summary").click()
    page.get_by_test_id("action-suspend").get_by_label("依据").select_option("factors_changed")
    page.get_by_test_id("action-suspend").get_by_label("理由").fill("最终用户被军工企业收购")
    page.get_by_test_id("action-suspend").get_by_role("button").click()
    expect(page.get_by_test_id("licence-status")).to_have_text("已暂停使用")
    expect(page.get_by_test_id("ground")).to_contain_text("审查考虑因素发生重大变化")
    page.screenshot(path=str(screenshot_dir / f"licence-suspended-zh-{backend}.png"), full_page=True)
    assert page_log.console_errors == [] and page_log.page_errors == [] and page_log.external_requests == []
