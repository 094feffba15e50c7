"""An exporter in Chromium reads its organisation and what general-licence eligibility lacks,
states its compliance profile (a mistake shown beside its field first), then asks the
classification helper whether an item is controlled and which licence it needs; in English
and Chinese, at desktop and phone width."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from rarex.core.authz import Role
from tests.factories import PASSWORD, make_org, make_user

pytestmark = pytest.mark.e2e


def _sign_in(page, lang: str) -> None:
    page.goto(f"/language/{lang}?next=/home")
    page.get_by_label("Username" if lang == "en" else "用户名").fill("exp")
    page.get_by_label("Password" if lang == "en" else "密码").fill(PASSWORD)
    page.get_by_role("button", name="Sign in" if lang == "en" else "登录").click()


def test_organisation_and_classification_in_both_languages(page, page_log, session, backend, screenshot_dir):
    org = make_org(session, name="Baotou E2E Magnetics Co., Ltd.", has_icp=False, export_experience_years=1,
                   stable_channels=True, foreign_control_list_affiliate=False)
    make_user(session, Role.exporter, org, username="exp")
    session.commit()
    def shot(name: str, full_page: bool = True) -> None:
        page.screenshot(path=str(screenshot_dir / f"{name}-{backend}.png"), full_page=full_page)

    _sign_in(page, "en")
    page.get_by_role("link", name="Organisation and compliance profile").click()
    expect(page.get_by_test_id("eligibility")).to_contain_text("Not eligible")
    expect(page.get_by_test_id("lacking")).to_contain_text("internal export-control compliance system")
    shot("organisation-en")

    page.get_by_text("Change the compliance profile").click()
    page.get_by_label("Internal export-control compliance system in place").select_option("yes")
    page.get_by_label("Years of exporting dual-use items").fill("six")
    page.get_by_role("button", name="Save the compliance profile").click()
    expect(page.locator("#export_experience_years-error")).to_be_visible()
    expect(page.get_by_label("Years of exporting dual-use items")).to_have_value("six")
    shot("organisation-error-en")
    page.get_by_label("Years of exporting dual-use items").fill("6")
    page.get_by_label("Last audit of the compliance system").fill((dt.date.today() - dt.timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Save the compliance profile").click()
    expect(page.get_by_test_id("notice")).to_be_visible()
    expect(page.get_by_test_id("fact-has_icp")).to_contain_text("Stated, not verified")

    page.goto("/home")
    page.get_by_role("link", name="Is my item controlled?").click()
    page.get_by_label("Description of the item").fill("Dysprosium oxide 99.5%")
    page.get_by_label("Destination country").select_option("DE")
    page.get_by_label("Kind of end user").select_option("civil")
    page.get_by_role("button", name="Check the item").click()
    expect(page.get_by_test_id("controlled")).to_contain_text("Controlled")
    expect(page.get_by_test_id("licence-types")).to_be_visible()
    shot("classify-en")

    page.goto("/language/zh?next=/organisation")
    expect(page.get_by_test_id("eligibility")).to_contain_text("符合")
    expect(page.locator("main")).not_to_contain_text("the compliance profile")
    shot("organisation-zh")
    page.goto("/classify")
    page.get_by_label("物项描述").fill("钕铁硼磁体")
    page.get_by_label("海关商品编号（选填）").fill("8505.11")
    page.get_by_role("button", name="查询物项").click()
    expect(page.get_by_test_id("controlled")).to_be_visible()
    expect(page.get_by_test_id("answer")).not_to_contain_text("the goods are")
    shot("classify-zh")
    page.set_viewport_size({"width": 390, "height": 844})
    shot("classify-zh-phone", full_page=False)
    page.get_by_test_id("candidates").scroll_into_view_if_needed()
    shot("classify-zh-phone-answer", full_page=False)
    page.goto("/organisation")
    shot("organisation-zh-phone", full_page=False)
    page.get_by_test_id("lacking").scroll_into_view_if_needed()
    shot("organisation-zh-phone-lacking", full_page=False)
    page.get_by_test_id("conditions").scroll_into_view_if_needed()
    shot("organisation-zh-phone-conditions", full_page=False)
    assert [e for e in page_log.console_errors if "status of 400" not in e] == []
    assert page_log.page_errors == [] and page_log.external_requests == []
