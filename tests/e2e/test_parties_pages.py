"""An exporter in Chromium puts an end user on file in Chinese and finds it in the list."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from rarex.core.authz import Role
from tests.factories import PASSWORD, make_org, make_user

pytestmark = pytest.mark.e2e


def test_an_exporter_puts_a_party_on_file(page, page_log, session, backend, screenshot_dir):
    make_user(session, Role.exporter, make_org(session), username="exp")
    session.commit()
    page.goto("/language/zh?next=/parties/new")
    page.get_by_label("用户名").fill("exp")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_label("名称", exact=True).fill("Magnetwerk GmbH")
    page.get_by_role("button", name="登记").click()
    expect(page.locator("#country-error")).to_be_visible()
    page.get_by_label("国家或地区").select_option("DE")
    page.get_by_label("最终用户类别").select_option("civil")
    page.get_by_role("button", name="登记").click()
    expect(page.get_by_test_id("notice")).to_have_text("当事方已登记。")
    page.screenshot(path=str(screenshot_dir / f"party-zh-{backend}.png"), full_page=True)
    page.goto("/parties")
    expect(page.get_by_role("link", name="Magnetwerk GmbH")).to_be_visible()
    expect(page.locator("tbody")).to_contain_text("德国")
    page.screenshot(path=str(screenshot_dir / f"parties-zh-{backend}.png"), full_page=True)
    assert [e for e in page_log.console_errors if "status of 400" not in e] == []
    assert page_log.page_errors == [] and page_log.external_requests == []
