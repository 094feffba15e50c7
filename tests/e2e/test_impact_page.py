"""An officer in Chromium pastes a draft amendment and reads its impact, in English and Chinese."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from rarex.core.authz import Role
from tests.factories import PASSWORD, make_user
from tests.impact.helpers import build_world, today
from tests.impact.test_impact import _prohibition_draft

pytestmark = pytest.mark.e2e


def test_officer_reads_the_impact_of_a_draft_prohibition(page, session, backend, screenshot_dir):
    build_world(session, "1C905.b")
    make_user(session, Role.officer, username="wen")
    session.commit()
    start = today() + dt.timedelta(days=5)
    page.goto("/sign-in?next=/policy/impact")
    page.get_by_label("Username").fill("wen")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Impact of a policy change")
    page.get_by_label("The draft (YAML)").fill(_prohibition_draft(start))
    page.get_by_label("Judge on").fill(start.isoformat())
    page.get_by_role("button", name="Show the impact").click()
    group = page.get_by_test_id("effect-now_prohibited")
    expect(group.get_by_role("heading")).to_contain_text("Pending application 1")
    expect(group.get_by_role("link", name="CNDU-G2026-770001").first).to_be_visible()
    page.screenshot(path=str(screenshot_dir / f"impact-en-{backend}.png"), full_page=True)
    page.goto("/language/zh?next=/policy/impact")
    expect(page.get_by_role("heading", level=1)).to_have_text("政策变更影响")
    page.get_by_label("草案（YAML）").fill(_prohibition_draft(start))
    page.get_by_label("判定日期").fill(start.isoformat())
    page.get_by_role("button", name="查看影响").click()
    expect(page.get_by_test_id("effect-now_prohibited").get_by_role("heading")).to_contain_text("现被禁止")
    page.screenshot(path=str(screenshot_dir / f"impact-zh-{backend}.png"), full_page=True)
