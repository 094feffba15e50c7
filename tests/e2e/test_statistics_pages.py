"""Both statistics pages in Chromium, in English and Chinese: every chart drawn (an SVG with
marks in each chart container), tables and downloads beside them; the public page without
signing in, the dashboard as an officer."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from rarex.core.authz import Role
from rarex.policy.service import get_pack
from rarex.reports import service
from rarex.reports.figures import FIGURES, PUBLIC
from tests.factories import PASSWORD, make_org, make_party, make_user
from tests.reports.history import Builder, at, build_history, month_starts

pytestmark = pytest.mark.e2e


@pytest.fixture
def demo_history(session):
    """The hand-worked history, plus seven exporters trading Dy and Tb with DE and JP over three
    months, so the public page has cells of three exporters or more to draw."""
    build_history(session)
    k, m, b = month_starts(get_pack().today())
    bl = Builder(session)
    for i in range(7):
        org = make_org(session, name=f"Chart Exporter {i}")
        for j, (country, element) in enumerate((("DE", "Dy"), ("JP", "Tb"), ("DE", "Tb"))):
            day = (k, m, b)[j]
            a = bl.app(org, make_party(session, org, country=country), submitted=at(day, 3), element=element,
                       status="approved" if i >= 3 else "refused", accepted_on=day, decided_on=day)
            if a.status == "approved":
                lic = bl.licence(a, issued_at=at(day, 4), element=element, licensed=str(1000 + 100 * i), drawn="300")
                bl.ship(lic, day, "300")
    make_user(session, Role.officer, username="stats-officer")
    session.commit()
    service.forget()


def _every_chart_is_drawn(page, figures) -> None:
    charted = [f.key for f in figures if f.chart]
    for key in charted:
        chart = page.get_by_test_id(f"chart-{key}")
        expect(chart.locator("svg")).to_have_count(1)
        marks = chart.locator("svg .role-mark > *")
        assert marks.count() > 0, f"chart {key} has no marks"
    assert page.locator("[data-testid^=chart-] svg").count() == len(charted)


@pytest.mark.parametrize("lang,heading", [("en", "Statistics"), ("zh", "统计数据")])
def test_the_public_page_draws_every_chart_without_signing_in(page, page_log, demo_history, backend, screenshot_dir,
                                                              lang, heading):
    page.goto(f"/statistics?lang={lang}")
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    _every_chart_is_drawn(page, PUBLIC)
    expect(page.get_by_test_id("table-general_licence_holders")).to_be_attached()
    page.screenshot(path=str(screenshot_dir / f"statistics-public-{lang}-{backend}.png"), full_page=True)
    with page.expect_download() as dl:
        page.get_by_test_id("figure-volumes_by_month").get_by_role("link", name="CSV").click()
    assert dl.value.suggested_filename.startswith("volumes_by_month_")
    assert page_log.console_errors == [] and page_log.page_errors == [] and page_log.external_requests == []


@pytest.mark.parametrize("lang,heading", [("en", "Statistics dashboard"), ("zh", "统计仪表板")])
def test_an_officer_sees_the_dashboard_with_every_chart(page, page_log, demo_history, backend, screenshot_dir, lang,
                                                        heading):
    page.goto("/sign-in?next=/reports")
    page.get_by_label("Username").fill("stats-officer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"/language/{lang}?next=/reports")
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    _every_chart_is_drawn(page, FIGURES)
    expect(page.get_by_test_id("processing-summary")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / f"statistics-dashboard-{lang}-{backend}.png"), full_page=True)
    assert page_log.console_errors == [] and page_log.page_errors == [] and page_log.external_requests == []


def test_an_officer_imports_a_price_series_and_sees_it_charted(page, page_log, demo_history, backend, screenshot_dir,
                                                               tmp_path):
    from tests.reports.history import month_starts as starts

    k, m, _ = starts(get_pack().today())
    good = tmp_path / "prices.csv"
    good.write_text("date,product,price,currency,unit,source\n"
                    f"{k.isoformat()},NdPr oxide,560000,CNY,t,SMM\n{m.isoformat()},NdPr oxide,590000,CNY,t,SMM\n",
                    encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text("date,product,price,currency,unit,source\n2026-02-30,NdPr oxide,abc,CNY,t,SMM\n", encoding="utf-8")
    page.goto("/sign-in?next=/reports/prices")
    page.get_by_label("Username").fill("stats-officer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Price file (.csv or .xlsx)").set_input_files(str(bad))
    page.get_by_role("button", name="Import file").click()
    expect(page.get_by_test_id("row-errors")).to_contain_text("not a positive number")
    page.screenshot(path=str(screenshot_dir / f"prices-errors-en-{backend}.png"), full_page=True)
    page.get_by_label("Price file (.csv or .xlsx)").set_input_files(str(good))
    page.get_by_role("button", name="Import file").click()
    expect(page.get_by_test_id("price-result")).to_contain_text("2 new")
    page.goto("/language/zh?next=/reports/prices")
    expect(page.get_by_test_id("prices-held")).to_contain_text("NdPr oxide")
    page.screenshot(path=str(screenshot_dir / f"prices-zh-{backend}.png"), full_page=True)
    page.goto("/reports")
    expect(page.get_by_test_id("chart-prices_by_month")).to_contain_text("NdPr oxide (CNY/t)")
    # The refused file is answered 400 on purpose (the browser logs that status); nothing else.
    assert all("400" in e for e in page_log.console_errors) and len(page_log.console_errors) == 1
    assert page_log.page_errors == [] and page_log.external_requests == []
