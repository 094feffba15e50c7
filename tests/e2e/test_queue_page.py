"""A licensing officer's queue in Chromium, in both languages."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect
from sqlalchemy import update

from rarex.applications.models import Application
from rarex.policy.service import get_pack
from tests.applications.helpers import build_world
from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e


def test_the_officer_sees_the_overdue_case_first(page, page_log, client, session, backend, screenshot_dir):
    w = build_world(client, session)
    w.to_state("submitted")
    w.to_state("recommended")
    old = w.to_state("under_review")
    session.execute(update(Application).where(Application.id == old["id"])
                    .values(accepted_on=get_pack().today() - dt.timedelta(days=120)))
    page.goto("/sign-in?next=/officer/queue")
    page.get_by_label("Username").fill("off")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("tbody tr").first).to_contain_text(old["reference"])
    expect(page.locator("tbody tr").first).to_contain_text("Overdue")
    page.screenshot(path=str(screenshot_dir / f"queue-en-{backend}.png"), full_page=True)
    page.goto("/language/zh?next=/officer/queue")
    expect(page.get_by_role("heading", level=1)).to_have_text("案件队列")
    page.screenshot(path=str(screenshot_dir / f"queue-zh-{backend}.png"), full_page=True)
    assert page_log.console_errors == [] and page_log.page_errors == [] and page_log.external_requests == []
