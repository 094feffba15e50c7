"""Signing in and out in a real Chromium, in English and Chinese, and a forged form refused."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from rarex.core.authz import Role
from tests.factories import PASSWORD, make_org, make_user

pytestmark = pytest.mark.e2e


@pytest.fixture
def exporter(session):
    org = make_org(session, name="Baotou Magnet Works")
    user = make_user(session, Role.exporter, org, username="ana")
    session.commit()
    return user


def _sign_in(page, username: str = "ana", password: str = PASSWORD) -> None:
    page.get_by_label(re.compile("^(Username|用户名)$")).fill(username)
    page.get_by_label(re.compile("^(Password|密码)$")).fill(password)
    page.get_by_role("button", name=re.compile("^(Sign in|登录)$")).click()


def test_an_exporter_signs_in_sees_who_they_are_and_signs_out(page, page_log, exporter, backend, screenshot_dir):
    page.goto("/home")
    expect(page).to_have_url(re.compile(r"/sign-in\?next=%2Fhome$"))
    page.screenshot(path=str(screenshot_dir / f"sign-in-en-{backend}.png"), full_page=True)
    _sign_in(page, password="wrong-password-here")
    expect(page.locator("#password-error")).to_contain_text("The username or password is wrong.")
    expect(page.get_by_label("Username")).to_have_value("ana")
    page.screenshot(path=str(screenshot_dir / f"sign-in-error-en-{backend}.png"), full_page=True)
    _sign_in(page)
    expect(page).to_have_url(re.compile(r"/home$"))
    who = page.get_by_test_id("who")
    expect(who).to_contain_text("Test exporter")
    expect(who).to_contain_text("Exporter")
    expect(who).to_contain_text("Baotou Magnet Works")
    page.screenshot(path=str(screenshot_dir / f"home-en-{backend}.png"), full_page=True)
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/sign-in\?signed_out=1$"))
    expect(page.get_by_role("status")).to_have_text("You have signed out.")
    page.goto("/home")
    expect(page).to_have_url(re.compile(r"/sign-in"))
    # The wrong password's page answered 401 on purpose; Chromium logs that status, nothing else may appear.
    assert [e for e in page_log.console_errors if "status of 401" not in e] == []
    assert page_log.page_errors == [] and page_log.external_requests == []


def test_the_same_journey_in_chinese_has_no_english_left(page, page_log, exporter, backend, screenshot_dir):
    page.goto("/language/zh?next=/sign-in")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.get_by_role("heading", level=1)).to_have_text("登录")
    page.screenshot(path=str(screenshot_dir / f"sign-in-zh-{backend}.png"), full_page=True)
    _sign_in(page)
    expect(page.get_by_test_id("who")).to_contain_text("出口经营者")
    expect(page.get_by_test_id("who")).to_contain_text("测试稀土有限公司")
    main_text = page.locator("main").inner_text() + page.locator("header").inner_text()
    # Latin letters left may only be names, the product, API paths and the switch back to English.
    leftovers = set(re.findall(r"[A-Za-z]{3,}", main_text)) - {"rarex", "Test", "exporter", "API", "POST", "api", "auth", "token", "English"}
    assert not leftovers, f"English left on the Chinese page: {sorted(leftovers)}"
    page.screenshot(path=str(screenshot_dir / f"home-zh-{backend}.png"), full_page=True)
    page.goto("/no/such/page")
    expect(page.get_by_role("heading", level=1)).to_have_text("页面不存在")
    page.screenshot(path=str(screenshot_dir / f"not-found-zh-{backend}.png"), full_page=True)
    assert page_log.page_errors == []


def test_a_forged_form_token_is_refused_and_the_user_stays_signed_in(page, exporter):
    page.goto("/sign-in")
    _sign_in(page)
    expect(page).to_have_url(re.compile(r"/home$"))
    page.evaluate("document.querySelector('form.sign-out input[name=csrf_token]').value = 'forged'")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The form could not be accepted")
    page.goto("/home")
    expect(page).to_have_url(re.compile(r"/home$"))


def test_the_sign_in_page_fits_a_phone(browser, live_server, exporter, backend, screenshot_dir):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 740}, locale="zh-CN")
    try:
        page = context.new_page()
        page.goto("/sign-in")
        _sign_in(page)
        expect(page.get_by_test_id("who")).to_be_visible()
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"page is {overflow}px wider than the screen"
        page.screenshot(path=str(screenshot_dir / f"home-zh-phone-{backend}.png"), full_page=True)
    finally:
        context.close()
