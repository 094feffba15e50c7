"""A customs officer at the desk in Chromium: scan, record until a line is used up, see the refusal."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from rarex.core.authz import Role
from tests.factories import PASSWORD, make_org, make_party, make_user
from tests.shipments.helpers import make_licence

pytestmark = pytest.mark.e2e


@pytest.fixture
def licence(session):
    org = make_org(session)
    eu = make_party(session, org, name="Magnetwerk GmbH")
    lic = make_licence(session, org.id, [("1C905.a", eu.id, "100", "kg"), ("1C904.a", eu.id, "10", "kg")])
    make_user(session, Role.customs, username="hai")
    session.commit()
    return lic


def test_customs_records_until_a_line_is_used_up_and_the_next_is_refused(page, page_log, licence, backend, screenshot_dir):
    page.goto("/sign-in?next=/customs")
    page.get_by_label("Username").fill("hai")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Licence number").fill(licence.number.lower())
    page.keyboard.press("Enter")  # a scanner types the number and Enter
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Licence {licence.number}")
    for declaration, qty in (("D-001", "60"), ("D-002", "40")):
        page.locator("#line-1").fill(qty)
        page.get_by_label("Export declaration number").fill(declaration)
        page.get_by_role("button", name="Record declaration").click()
        expect(page.get_by_test_id("notice")).to_contain_text(f"Declaration {declaration} recorded.")
    expect(page.get_by_test_id("remaining-1")).to_have_text("0")
    page.locator("#line-1").fill("1")
    page.get_by_label("Export declaration number").fill("D-003")
    page.get_by_role("button", name="Record declaration").click()
    expect(page.get_by_test_id("error-summary")).to_contain_text("it would exceed what remains")
    expect(page.locator("#line-1-error")).to_have_text("1 kg is more than the 0 kg that remain on this line.")
    expect(page.locator("#line-1")).to_have_value("1")
    page.screenshot(path=str(screenshot_dir / f"customs-refused-en-{backend}.png"), full_page=True)
    page.goto(f"/language/zh?next=/customs/licences/{licence.number}")
    expect(page.get_by_role("heading", level=2).first).to_have_text("各行剩余数量")
    page.screenshot(path=str(screenshot_dir / f"customs-licence-zh-{backend}.png"), full_page=True)
    page.get_by_role("link", name=re.compile("注销 D-002")).click()
    page.get_by_label("理由").fill("货物未装船")
    page.get_by_role("button", name="注销报关单").click()
    expect(page.get_by_test_id("notice")).to_contain_text("D-002")
    expect(page.get_by_test_id("remaining-1")).to_have_text("40")
    assert [e for e in page_log.console_errors if "status of 409" not in e] == []
    assert page_log.page_errors == [] and page_log.external_requests == []
