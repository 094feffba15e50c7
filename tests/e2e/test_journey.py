"""The whole journey in Chromium, each role in its own browser: an exporter drafts step by step,
uploads and submits; an officer accepts and requests information; the exporter answers with a
document; the officer recommends; a senior officer approves; customs records shipments until
the line is used up and the next one is refused on the page; and an exporter of another
organisation reaches none of it by URL. Each main page is screenshotted in English and Chinese."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from rarex.licences.models import Licence
from rarex.policy.service import get_pack
from tests.applications.helpers import PDF, build_world
from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e


#: Script errors of any page of the journey, and requests that tried to leave the live server.
TROUBLE: list[str] = []


def _person(browser, live_server, who: str, next_path: str):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.route(re.compile(r"^(?!" + re.escape(live_server.url) + r"|data:).*"),
                  lambda route: (TROUBLE.append(route.request.url), route.abort()))
    page = context.new_page()
    page.on("pageerror", lambda exc: TROUBLE.append(str(exc)))
    page.goto(f"/sign-in?next={next_path}")
    page.get_by_label("Username").fill(who)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    return context, page


def _shots(page, screenshot_dir, name: str, backend: str, phone: bool = False) -> None:
    """This page in English and in Chinese (and in Chinese at phone width); the browser is left on
    the English page."""
    here = page.url.split("#")[0]
    page.screenshot(path=str(screenshot_dir / f"{name}-en-{backend}.png"), full_page=True)
    page.goto(here + ("&" if "?" in here else "?") + "lang=zh")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    page.screenshot(path=str(screenshot_dir / f"{name}-zh-{backend}.png"), full_page=True)
    if phone:
        size = page.viewport_size
        page.set_viewport_size({"width": 390, "height": 844})
        page.screenshot(path=str(screenshot_dir / f"{name}-zh-phone-{backend}.png"), full_page=True)
        page.set_viewport_size(size)
    page.goto(here)


def _upload(page, doc_type: str, filename: str) -> None:
    page.get_by_label("Kind of document").select_option(doc_type)
    page.get_by_label("File", exact=True).set_input_files(
        files=[{"name": filename, "mimeType": "application/pdf", "buffer": PDF}])
    page.get_by_role("button", name="Upload").click()


def _draft_and_submit(page, screenshot_dir, backend: str) -> int:
    page.get_by_role("link", name="Start a new application").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Licence and end use")
    _shots(page, screenshot_dir, "draft-start", backend)  # each form on arrival: the screenshots reload it
    # A general licence: it is drawn on shipment after shipment (an individual one ends with its first export).
    page.get_by_label("General licence").check()
    page.get_by_label("What the items will be used for").select_option("civil")
    page.get_by_label("End use", exact=True).fill("Sintering of NdFeB magnets for EV traction motors in Stuttgart")
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Items")
    app_id = int(re.search(r"/applications/(\d+)/items", page.url).group(1))
    _shots(page, screenshot_dir, "draft-items", backend, phone=True)
    first = page.get_by_test_id("item-0")
    first.get_by_label("Item on the control list").select_option("1C905.b")
    first.get_by_label("Description").fill("Dysprosium oxide 99.5%")
    first.get_by_label("Quantity", exact=True).fill("-100")
    first.get_by_label("Value", exact=True).fill("25000.00")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator("#items-0-quantity-error")).to_contain_text("greater than 0")
    page.screenshot(path=str(screenshot_dir / f"draft-items-error-en-{backend}.png"), full_page=True)
    expect(first.get_by_label("Description")).to_have_value("Dysprosium oxide 99.5%")  # what was typed is kept
    first.get_by_label("Quantity", exact=True).fill("100")
    page.get_by_role("button", name="Add another item").click()
    expect(page.get_by_test_id("item-1")).to_be_visible()
    second = page.get_by_test_id("item-1")  # a second line, so the licence outlives the first line used up
    second.get_by_label("Item on the control list").select_option("1C904.a")
    second.get_by_label("Description").fill("Terbium metal")
    second.get_by_label("Quantity", exact=True).fill("10")
    second.get_by_label("Value", exact=True).fill("9000")
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Consignee and end user")
    _shots(page, screenshot_dir, "draft-parties", backend)
    page.get_by_label("Consignee", exact=True).select_option(label="Magnetwerk Test GmbH (DE)")
    page.get_by_label("End user", exact=True).select_option(label="Antriebstechnik Test AG (DE)")
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Documents")
    for doc_type in get_pack().required_documents("general"):
        _upload(page, doc_type, f"{doc_type}.pdf")
        expect(page.get_by_test_id(f"document-{doc_type}.pdf")).to_be_visible()
    _shots(page, screenshot_dir, "draft-documents", backend)
    page.get_by_role("link", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers")
    expect(page.get_by_test_id("check-completeness")).to_contain_text("Passed")
    _shots(page, screenshot_dir, "draft-check", backend)
    page.get_by_role("button", name="Submit the application").click()
    expect(page.get_by_test_id("notice")).to_contain_text("Your application was submitted")
    expect(page.get_by_test_id("status")).to_have_text("Submitted")
    _shots(page, screenshot_dir, "application-submitted", backend)
    return app_id


def _officer_acts(page, action: str, fields: dict[str, str]) -> None:
    box = page.get_by_test_id(f"action-{action}")
    box.locator("summary").click()
    for label, value in fields.items():
        box.get_by_label(label).fill(value)
    box.get_by_role("button").click()
    expect(page.get_by_test_id("notice")).to_be_visible()


def test_the_whole_journey_and_no_other_organisation_sees_it(browser, live_server, client, session, backend,
                                                             screenshot_dir):
    TROUBLE.clear()
    build_world(client, session)
    exporter, ex = _person(browser, live_server, "exp", "/applications")
    try:
        expect(ex.get_by_role("heading", level=1)).to_have_text("Your applications")
        app_id = _draft_and_submit(ex, screenshot_dir, backend)
        case = f"/cases/{app_id}"

        officer, off = _person(browser, live_server, "off", case)
        _officer_acts(off, "accept", {})
        expect(off.get_by_test_id("case-status")).to_have_text("Under review")
        _officer_acts(off, "request-information", {"What the applicant must supply": "Send the end-use certificate signed by the CEO"})
        expect(off.get_by_test_id("case-status")).to_have_text("Information requested")

        ex.goto(f"/applications/{app_id}")
        expect(ex.get_by_test_id("request")).to_have_text("Send the end-use certificate signed by the CEO")
        _upload(ex, "end_use_certificate", "signed-certificate.pdf")
        expect(ex.get_by_test_id("notice")).to_contain_text("The document was added")
        _shots(ex, screenshot_dir, "application-respond", backend, phone=True)
        ex.get_by_label("Your answer").fill("The certificate signed by our customer's CEO is attached.")
        ex.get_by_role("button", name="Send your answer").click()
        expect(ex.get_by_test_id("status")).to_have_text("Under review")
        expect(ex.get_by_test_id("timeline")).to_contain_text("Information provided")

        off.reload()
        _officer_acts(off, "recommend", {"Reasons": "Civil end use verified with the signed certificate"})
        expect(off.get_by_test_id("case-status")).to_have_text("Recommended")
        officer.close()

        senior, sen = _person(browser, live_server, "sen", case)
        _officer_acts(sen, "decide", {"Reasons": "Agree with the officer"})
        expect(sen.get_by_test_id("case-status")).to_have_text("Approved")
        number = session.scalar(select(Licence.number).where(Licence.application_id == app_id))
        expect(sen.get_by_role("link", name=number)).to_be_visible()
        senior.close()

        ex.goto(f"/applications/{app_id}")
        expect(ex.get_by_test_id("status")).to_have_text("Approved")
        expect(ex.get_by_test_id("licence")).to_have_text(number)
        ex.goto("/applications")
        expect(ex.get_by_test_id("total")).to_have_text("1 applications")
        _shots(ex, screenshot_dir, "applications-list", backend, phone=True)
    finally:
        exporter.close()

    customs, cus = _person(browser, live_server, "cus", "/customs")
    try:
        cus.get_by_label("Licence number").fill(number)
        cus.keyboard.press("Enter")
        expect(cus.get_by_role("heading", level=1)).to_have_text(f"Licence {number}")
        for declaration, qty in (("D-101", "60"), ("D-102", "40")):
            cus.locator("#line-1").fill(qty)
            cus.get_by_label("Export declaration number").fill(declaration)
            cus.get_by_role("button", name="Record declaration").click()
            expect(cus.get_by_test_id("notice")).to_contain_text(f"Declaration {declaration} recorded.")
        expect(cus.get_by_test_id("remaining-1")).to_have_text("0")
        cus.locator("#line-1").fill("1")
        cus.get_by_label("Export declaration number").fill("D-103")
        cus.get_by_role("button", name="Record declaration").click()
        expect(cus.locator("#line-1-error")).to_have_text("1 kg is more than the 0 kg that remain on this line.")
    finally:
        customs.close()

    stranger, other = _person(browser, live_server, "exp_b", "/home")
    try:
        for path, status in ((f"/applications/{app_id}", 404), (f"/applications/{app_id}/check", 404),
                             (f"/applications/{app_id}/items", 404), (f"/cases/{app_id}", 403),
                             (f"/licences/{number}", 404)):
            response = other.goto(path)
            assert response is not None and response.status == status, path
            expect(other.get_by_role("heading", level=1)).not_to_contain_text("Magnetwerk")
            assert "Dysprosium" not in other.content()
        other.goto(f"/applications/{app_id}?lang=zh")
        other.screenshot(path=str(screenshot_dir / f"application-not-found-zh-{backend}.png"), full_page=True)
        other.goto("/applications")
        expect(other.get_by_test_id("total")).to_have_text("0 applications")
    finally:
        stranger.close()
    assert TROUBLE == []
