"""An administrator in Chromium adds a user (fixing an error on the way) and deactivates them."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from rarex.core.authz import Role
from tests.factories import PASSWORD, make_org, make_user

pytestmark = pytest.mark.e2e


def test_an_admin_adds_and_deactivates_a_user(page, page_log, session, backend, screenshot_dir):
    make_org(session, name="Ganzhou Rare Metals")
    make_user(session, Role.admin, username="root1")
    session.commit()
    page.goto("/language/zh?next=/admin/users/new")
    page.get_by_label("用户名").fill("root1")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("添加用户")
    page.get_by_label("用户名").fill("li.na")
    page.get_by_label("姓名").fill("李娜")
    page.get_by_label("角色").select_option("exporter")
    page.get_by_label("初始密码").fill("a-long-enough-secret-7")
    page.get_by_role("button", name="添加用户").click()
    expect(page.locator("#org_id-error")).to_have_text("出口经营者必须属于某个单位，请选择。")
    expect(page.get_by_label("用户名")).to_have_value("li.na")
    page.screenshot(path=str(screenshot_dir / f"admin-user-new-error-zh-{backend}.png"), full_page=True)
    page.get_by_label("单位").select_option(index=1)
    page.get_by_label("初始密码").fill("a-long-enough-secret-7")
    page.get_by_role("button", name="添加用户").click()
    expect(page.get_by_test_id("notice")).to_have_text("用户已添加。")
    page.get_by_role("button", name="停用").click()
    expect(page.get_by_test_id("account-state")).to_have_text("已停用")
    page.goto("/admin/users")
    page.screenshot(path=str(screenshot_dir / f"admin-users-zh-{backend}.png"), full_page=True)
    assert [e for e in page_log.console_errors if "status of 400" not in e] == []
    assert page_log.page_errors == [] and page_log.external_requests == []
