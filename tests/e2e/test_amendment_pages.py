"""After issue in Chromium: the exporter reads its usage report, asks for an amendment (a refused
quantity first, kept and explained beside the field), and an officer accepts it; screenshots of
the usage report, the amend form and the amendment page in English and Chinese."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from rarex.policy.service import get_pack
from tests.amendments.helpers import amend_world
from tests.e2e.test_case_page import _sign_in  # the sign-in form, in either language

pytestmark = pytest.mark.e2e


def _shot(page, screenshot_dir, name: str, backend: str) -> None:
    page.screenshot(path=str(screenshot_dir / f"{name}-{backend}.png"), full_page=True)


def _in_chinese(page, screenshot_dir, name: str, backend: str) -> None:
    """The same page through the language switch, screenshotted, then back to English."""
    page.get_by_role("link", name="中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    _shot(page, screenshot_dir, f"{name}-zh", backend)
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_the_exporter_reports_and_asks_for_an_amendment(browser, live_server, client, session, backend, screenshot_dir):
    aw = amend_world(client, session)
    number = aw.licence("general")
    line = aw.get_licence(number)["lines"][0]
    r = client.post(f"/api/v1/licences/{number}/shipments", headers=aw.w.customs, json={
        "declaration": "223420260000000042", "date": get_pack().today().isoformat(), "port": "CNTSN",
        "lines": [{"item": line["item"], "end_user": line["end_user"], "quantity": "400"}]})
    assert r.status_code == 201, r.text
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        _sign_in(page, "exp", f"/licences/{number}")
        expect(page.get_by_test_id("line-1")).to_contain_text("400")
        page.get_by_test_id("reapply").locator("summary").click()
        expect(page.get_by_label("New end user")).to_be_visible()
        _shot(page, screenshot_dir, "licence-exporter-en", backend)
        _in_chinese(page, screenshot_dir, "licence-exporter", backend)
        page.get_by_role("link", name="Usage report").click()
        expect(page.get_by_test_id("usage-line-1")).to_contain_text("400")
        expect(page.get_by_text("223420260000000042")).to_be_visible()
        _shot(page, screenshot_dir, "usage-en", backend)
        _in_chinese(page, screenshot_dir, "usage", backend)

        page.goto(f"/licences/{number}")
        page.get_by_role("link", name="Shipments").click()
        expect(page.get_by_test_id("shipment-223420260000000042")).to_be_visible()
        _shot(page, screenshot_dir, "licence-shipments-en", backend)
        _in_chinese(page, screenshot_dir, "licence-shipments", backend)

        page.goto(f"/licences/{number}")
        page.get_by_role("link", name="Versions").click()
        expect(page.get_by_test_id("version-1")).to_contain_text("1250.5")
        _shot(page, screenshot_dir, "licence-versions-en", backend)

        page.goto(f"/licences/{number}")
        page.get_by_test_id("amend-link").click()
        expect(page.get_by_test_id("key-elements")).to_contain_text("cannot add or change an end user")
        _shot(page, screenshot_dir, "amend-form-en", backend)
        _in_chinese(page, screenshot_dir, "amend-form", backend)
        page.get_by_label("Licensed quantity (kg)").fill("300")
        page.get_by_label("Why you ask for the amendment").fill("The buyer needs less this year")
        page.get_by_role("button", name="Send the request").click()
        expect(page.get_by_test_id("error-summary")).to_be_visible()
        expect(page.locator("#quantity-1-error")).to_contain_text("already drawn")
        expect(page.get_by_label("Licensed quantity (kg)")).to_have_value("300")
        expect(page.get_by_label("Why you ask for the amendment")).to_have_value("The buyer needs less this year")
        _shot(page, screenshot_dir, "amend-form-error-en", backend)
        page.get_by_label("Licensed quantity (kg)").fill("2000")
        page.get_by_role("button", name="Send the request").click()
        expect(page.get_by_test_id("amendment-status")).to_have_text("Awaiting acceptance")
        expect(page.get_by_test_id("change-1")).to_contain_text("2000")
        _shot(page, screenshot_dir, "amendment-en", backend)
        _in_chinese(page, screenshot_dir, "amendment", backend)
    finally:
        context.close()

    officer = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})  # phone width
    try:
        page = officer.new_page()
        _sign_in(page, "off", "/amendments")
        _shot(page, screenshot_dir, "amendments-list-phone-en", backend)
        _in_chinese(page, screenshot_dir, "amendments-list-phone", backend)
        page.get_by_role("link", name=re.compile(r"^Amendment \d+$")).first.click()
        page.get_by_test_id("action-accept").get_by_role("button").click()
        expect(page.get_by_test_id("amendment-status")).to_have_text("Under review")
        expect(page.get_by_test_id("action-recommend")).to_be_visible()
        _shot(page, screenshot_dir, "amendment-officer-phone-en", backend)
    finally:
        officer.close()
