"""A case worked in Chromium: the officer accepts and recommends, a senior officer approves."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.applications.helpers import build_world
from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e


def _sign_in(page, who: str, next_path: str) -> None:
    page.goto(f"/sign-in?next={next_path}")
    page.get_by_label(re.compile("^(Username|用户名)$")).fill(who)
    page.get_by_label(re.compile("^(Password|密码)$")).fill(PASSWORD)
    page.get_by_role("button", name=re.compile("^(Sign in|登录)$")).click()


def test_officer_and_senior_work_a_case(browser, live_server, client, session, backend, screenshot_dir):
    w = build_world(client, session)
    case = w.to_state("submitted")
    path = f"/cases/{case['id']}"
    officer = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    try:
        page = officer.new_page()
        _sign_in(page, "off", path)
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Case {case['reference']}")
        page.screenshot(path=str(screenshot_dir / f"case-submitted-en-{backend}.png"), full_page=True)
        page.get_by_test_id("action-accept").locator("summary").click()
        page.get_by_test_id("action-accept").get_by_role("button").click()
        expect(page.get_by_test_id("notice")).to_be_visible()
        expect(page.get_by_test_id("case-status")).to_have_text("Under review")
        page.get_by_test_id("action-recommend").locator("summary").click()
        page.get_by_test_id("action-recommend").get_by_label("Reasons").fill("Civil end use verified")
        page.get_by_test_id("action-recommend").get_by_role("button").click()
        expect(page.get_by_test_id("case-status")).to_have_text("Recommended")
    finally:
        officer.close()
    senior = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900}, locale="zh-CN")
    try:
        page = senior.new_page()
        _sign_in(page, "sen", path)
        expect(page.get_by_test_id("case-status")).to_have_text("已提出审查意见")
        page.get_by_test_id("action-decide").locator("summary").click()
        page.screenshot(path=str(screenshot_dir / f"case-decide-zh-{backend}.png"), full_page=True)
        page.get_by_test_id("action-decide").get_by_label("理由").fill("同意审查意见")
        page.get_by_test_id("action-decide").get_by_role("button").click()
        expect(page.get_by_test_id("case-status")).to_have_text("已批准")
    finally:
        senior.close()
