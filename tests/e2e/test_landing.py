"""The landing page as a visitor's browser shows it, in English and in Chinese."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def _assert_clean(page_log) -> None:
    assert page_log.console_errors == [], page_log.console_errors
    assert page_log.page_errors == [], page_log.page_errors


def test_landing_page_in_english(page, page_log, live_server, backend, screenshot_dir):
    page.goto("/?lang=en")
    expect(page).to_have_title(re.compile("export licensing for dual-use items"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Export licensing for dual-use items")
    expect(page.get_by_text("Decree No. 792", exact=False).first).to_be_visible()
    for who in ["Exporters", "Licensing officers", "Customs", "Auditors", "The public"]:
        expect(page.get_by_role("heading", name=who, exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="API documentation")).to_have_attribute("href", "/docs")
    expect(page.get_by_role("link", name="OpenAPI description")).to_have_attribute("href", "/openapi.json")
    # The stylesheet loaded: the header carries the brand colour, not the browser default.
    header_bg = page.locator("header.site-header").evaluate("e => getComputedStyle(e).backgroundColor")
    assert header_bg not in ("rgba(0, 0, 0, 0)", "transparent")
    page.screenshot(path=str(screenshot_dir / f"landing-en-{backend}.png"), full_page=True)
    _assert_clean(page_log)
    assert page_log.external_requests == [], "the page must not load anything from another host"


def test_landing_page_in_chinese(page, page_log, backend, screenshot_dir):
    page.goto("/?lang=zh")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page).to_have_title(re.compile("两用物项出口许可"))
    expect(page.get_by_role("heading", level=1)).to_have_text("两用物项出口许可平台")
    expect(page.get_by_text("国务院令第792号").first).to_be_visible()
    for who in ["出口经营者", "许可审查人员", "海关", "审计人员", "社会公众"]:
        expect(page.get_by_role("heading", name=who, exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="API 文档")).to_have_attribute("href", "/docs")
    expect(page.get_by_role("link", name="中文")).to_have_attribute("aria-current", "true")
    page.screenshot(path=str(screenshot_dir / f"landing-zh-{backend}.png"), full_page=True)
    _assert_clean(page_log)
    assert page_log.external_requests == []


def test_browser_language_picks_chinese_and_switcher_goes_back(browser, live_server, page_log):
    """A browser set to Chinese gets Chinese without ?lang; the switcher returns to English."""
    context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    try:
        page = context.new_page()
        page.on("console", lambda m: page_log.console_errors.append(m.text) if m.type == "error" else None)
        page.goto("/")
        expect(page.get_by_role("heading", level=1)).to_have_text("两用物项出口许可平台")
        page.get_by_role("link", name="English").click()
        expect(page).to_have_url(re.compile(r"/$"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Export licensing for dual-use items")
        _assert_clean(page_log)
    finally:
        context.close()


def test_every_link_on_the_landing_page_leads_somewhere(page, page_log, live_server):
    """No placeholder links: each onward link answers with something other than 404."""
    page.goto("/?lang=en")
    hrefs = page.locator("main a[href]").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert "/docs" in hrefs and "/openapi.json" in hrefs
    for href in hrefs:
        resp = page.request.get(href)
        assert resp.status != 404, f"{href} answers 404"
        assert resp.status < 500, f"{href} answers {resp.status}"
    _assert_clean(page_log)


def test_docs_link_opens_swagger_ui(page, page_log):
    page.goto("/?lang=en")
    page.get_by_role("link", name="API documentation").click()
    expect(page).to_have_url(re.compile(r"/docs$"))
    expect(page).to_have_title(re.compile("Swagger UI"))
    # The UI itself renders from bundled assets (no CDN): the operations are listed.
    # Rendering the whole spec takes a few seconds on a loaded two-core machine.
    expect(page.get_by_text("/api/v1/auth/token").first).to_be_visible(timeout=30_000)
    expect(page.get_by_text("/api/v1/applications/{app_id}/decide").first).to_be_visible(timeout=30_000)
    _assert_clean(page_log)


def test_landing_page_fits_a_phone(browser, live_server, backend, screenshot_dir, page_log):
    """On a narrow screen nothing overflows sideways and the Chinese text still renders."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 740}, device_scale_factor=2)
    try:
        page = context.new_page()
        page.on("console", lambda m: page_log.console_errors.append(m.text) if m.type == "error" else None)
        page.goto("/?lang=zh")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"page is {overflow}px wider than the screen"
        page.screenshot(path=str(screenshot_dir / f"landing-zh-phone-{backend}.png"), full_page=True)
        _assert_clean(page_log)
    finally:
        context.close()
