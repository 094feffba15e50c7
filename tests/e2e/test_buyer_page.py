"""A buyer in Chromium reads its licence lines, bars and days of cover, in English and Chinese;
its exporter sees the same for that end user and invites it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from rarex.core.authz import Role
from tests.buyers.test_cover import data  # noqa: F401  (the fixed data set, as a fixture)
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.e2e


def _sign_in(page, username: str, next_path: str) -> None:
    page.goto(f"/sign-in?next={next_path}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_buyer_reads_its_cover_in_both_languages(page, session, data, backend, screenshot_dir):  # noqa: F811
    user = make_user(session, Role.buyer, username="hans")
    user.party_id = data["x"].id
    session.commit()
    _sign_in(page, "hans", "/buyer")
    expect(page.get_by_role("heading", level=1)).to_have_text("Licences naming Magnetwerk X GmbH")
    row = page.get_by_test_id(f"line-{data['l1'].number}-1")
    expect(row).to_contain_text("150 days")
    expect(row.get_by_role("progressbar")).to_have_attribute("value", "60")
    expect(page.get_by_test_id("element-Tb")).to_contain_text("No recent drawdown")
    expect(page.get_by_test_id("expiring")).to_contain_text(data["l2"].number)
    page.screenshot(path=str(screenshot_dir / f"buyer-en-{backend}.png"), full_page=True)
    page.goto("/language/zh?next=/buyer")
    expect(page.get_by_role("heading", level=1)).to_have_text("列明Magnetwerk X GmbH的许可证")
    expect(page.get_by_test_id(f"line-{data['l1'].number}-1")).to_contain_text("150天")
    page.screenshot(path=str(screenshot_dir / f"buyer-zh-{backend}.png"), full_page=True)


def test_exporter_views_an_end_user_and_invites_it(page, session, data, backend, screenshot_dir):  # noqa: F811
    make_user(session, Role.exporter, data["a"], username="li")
    session.commit()
    _sign_in(page, "li", f"/parties/{data['x'].id}/cover")
    expect(page.get_by_test_id("element-Dy")).to_contain_text("142 days")
    page.get_by_label("Username for the end user").fill("magnetwerk-x")
    page.get_by_role("button", name="Invite").click()
    expect(page.get_by_test_id("invitation-link")).to_contain_text("/invitation?token=rxi_")
    page.screenshot(path=str(screenshot_dir / f"buyer-exporter-en-{backend}.png"), full_page=True)
    link = page.get_by_test_id("invitation-link").inner_text()
    page.get_by_role("button", name="Sign out").click()
    page.goto(link + "&lang=zh")
    expect(page.get_by_role("heading", level=1)).to_have_text("设置密码")
    expect(page.locator("#main")).to_contain_text("magnetwerk-x")
    page.screenshot(path=str(screenshot_dir / f"buyer-invitation-zh-{backend}.png"), full_page=True)
    page.get_by_label("新密码", exact=True).fill("a-long-and-unusual-buyer-passphrase")
    page.get_by_label("再次输入新密码").fill("a-long-and-unusual-buyer-passphrase")
    page.get_by_role("button", name="设置密码").click()
    expect(page).to_have_url(re.compile(r"/sign-in\?next=/buyer$"))
    page.get_by_label("Username").fill("magnetwerk-x")  # ?lang=zh was for that page only
    page.get_by_label("Password").fill("a-long-and-unusual-buyer-passphrase")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Licences naming Magnetwerk X GmbH")
    expect(page.get_by_test_id("who")).to_contain_text("Magnetwerk X GmbH")
