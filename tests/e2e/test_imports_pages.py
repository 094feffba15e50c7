"""Imports in Chromium: a customs file with a result per row, and a restricted-party list whose
progress htmx polls until the new version is in force; htmx comes from this host and the
Content-Security-Policy reports no violation."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from playwright.sync_api import expect

from rarex.core.authz import Role
from tests.factories import PASSWORD, make_org, make_party, make_user
from tests.screening.helpers import hold_list_imports
from tests.shipments.helpers import make_licence, today

pytestmark = pytest.mark.e2e

LIST_FILE = Path(__file__).parents[1] / "screening" / "data" / "list.ftm.jsonl"
CSP_WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => window.__cspViolations.push(e.violatedDirective + " " + e.blockedURI));
"""


@pytest.fixture
def watched(page):
    """The page, with every console message and every CSP violation event kept."""
    messages: list[str] = []
    page.on("console", lambda msg: messages.append(f"{msg.type}: {msg.text}"))
    page.context.add_init_script(CSP_WATCH)
    page.messages = messages
    return page


def _sign_in(page, username: str, next_path: str) -> None:
    page.goto(f"/sign-in?next={next_path}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def _assert_clean(page, page_log) -> None:
    assert page.evaluate("window.__cspViolations") == []
    assert not [m for m in page.messages if "Content Security Policy" in m or "Refused to" in m], page.messages
    assert page_log.page_errors == [] and page_log.external_requests == []


def test_customs_imports_a_file_and_sees_each_row(watched, page_log, session, backend, screenshot_dir, live_server):
    page = watched
    org = make_org(session)
    eu = make_party(session, org, name="Magnetwerk GmbH")
    lic = make_licence(session, org.id, [("1C905.b", eu.id, "100", "kg")])
    make_user(session, Role.customs, username="hai")
    session.commit()
    d = today().isoformat()
    content = ("declaration,licence,date,port,item,end_user,quantity,unit\n"
               f"E2E-1,{lic.number},{d},CNTSN,1C905.b,{eu.id},60,kg\n"
               f"E2E-2,{lic.number},{d},CNTSN,1C905.b,{eu.id},50,kg\n"
               f"E2E-3,{lic.number},{d},CNTSN,9Z999,{eu.id},1,kg\n")
    htmx_responses = []
    page.on("response", lambda r: htmx_responses.append(r) if "/static/htmx.min.js" in r.url else None)
    _sign_in(page, "hai", "/customs/import")
    expect(page.get_by_role("heading", level=1)).to_have_text("Import a declarations file")
    page.get_by_label("Declarations file (.csv)").set_input_files(
        files=[{"name": "port-file.csv", "mimeType": "text/csv", "buffer": content.encode()}])
    page.get_by_role("button", name="Import file").click()
    expect(page.get_by_test_id("total-rows")).to_have_text("3")
    expect(page.get_by_test_id("total-recorded")).to_have_text("1")
    expect(page.get_by_test_id("total-refused")).to_have_text("2")
    expect(page.get_by_test_id("row-3")).to_contain_text("50 kg is more than the 40 kg that remain on licence line 1.")
    expect(page.get_by_test_id("row-4")).to_contain_text(f"Item 9Z999 is not on licence {lic.number}.")
    page.screenshot(path=str(screenshot_dir / f"customs-import-en-{backend}.png"), full_page=True)

    # htmx is this host's own file, loaded and running.
    assert htmx_responses and all(r.url.startswith(live_server.url) and r.status == 200 for r in htmx_responses)
    assert "javascript" in htmx_responses[0].headers["content-type"]
    assert page.evaluate("typeof window.htmx === 'object' && window.htmx.version") == "2.0.11"

    page.get_by_role("link", name="中文").click()
    expect(page.get_by_test_id("row-4")).to_contain_text("不在许可证")
    page.screenshot(path=str(screenshot_dir / f"customs-import-result-zh-{backend}.png"), full_page=True)
    page.goto("/customs/import")
    page.screenshot(path=str(screenshot_dir / f"customs-import-form-zh-{backend}.png"), full_page=True)
    _assert_clean(page, page_log)


@pytest.fixture
def release():
    """Lets a held import go on; set at the end whatever happens, so no thread is left waiting."""
    event = threading.Event()
    yield event
    event.set()


def test_admin_follows_a_list_import_until_the_version_is_in_force(watched, page_log, session, backend, screenshot_dir,
                                                                   monkeypatch, release):
    page = watched
    make_user(session, Role.admin, username="ada")
    session.commit()
    hold_list_imports(monkeypatch, release)  # halfway through the file until the page has been seen polling
    polls: list[str] = []
    page.on("request", lambda r: polls.append(r.url) if r.url.endswith("/progress") else None)

    _sign_in(page, "ada", "/admin/lists")
    expect(page.get_by_role("heading", level=1)).to_have_text("Restricted-party lists")
    page.get_by_role("link", name="Import a list file").click()
    page.get_by_label("List name").fill("us-entity-list")
    page.get_by_label("Title (optional)").fill("US Entity List (test)")
    page.get_by_label("Format").select_option("ftm")
    page.get_by_label("List file").set_input_files(str(LIST_FILE))
    page.screenshot(path=str(screenshot_dir / f"list-import-form-en-{backend}.png"), full_page=True)
    page.get_by_role("button", name="Import file").click()

    expect(page.get_by_test_id("percent")).to_have_text("50%")
    expect(page.get_by_test_id("job-step")).to_have_text("reading the file (step 1 of 2)")
    expect(page.locator("progress.job-bar")).to_have_attribute("value", "50")
    with page.expect_request(lambda r: r.url.endswith("/progress")):
        pass  # htmx polls while the import runs
    expect(page.get_by_test_id("percent")).to_have_text("50%")  # and the answer keeps the bar
    page.screenshot(path=str(screenshot_dir / f"list-import-progress-en-{backend}.png"), full_page=True)
    release.set()
    expect(page.get_by_role("heading", name="Version 1 of us-entity-list is in force")).to_be_visible()
    assert polls, "the page never polled the progress"
    expect(page.get_by_test_id("added")).to_have_text(page.get_by_test_id("entries").inner_text())
    page.screenshot(path=str(screenshot_dir / f"list-import-result-en-{backend}.png"), full_page=True)

    page.get_by_role("link", name="中文").click()
    expect(page.get_by_role("heading", level=2).first).to_have_text("us-entity-list 第 1 版现已生效")
    page.screenshot(path=str(screenshot_dir / f"list-import-result-zh-{backend}.png"), full_page=True)
    page.get_by_role("link", name="查看其实体").click()
    page.get_by_label("名称、别名或编号包含").fill("huawei")
    page.get_by_role("button", name="搜索").click()
    expect(page.get_by_test_id("entity-us-el-huawei")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / f"list-version-zh-{backend}.png"), full_page=True)
    page.goto("/admin/lists")
    expect(page.get_by_test_id("list-us-entity-list")).to_contain_text("US Entity List (test)")
    page.screenshot(path=str(screenshot_dir / f"lists-zh-{backend}.png"), full_page=True)
    page.get_by_role("link", name="us-entity-list").first.click()
    expect(page.get_by_test_id("version-1")).to_contain_text("现行")
    page.screenshot(path=str(screenshot_dir / f"list-versions-zh-{backend}.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/admin/lists/import")
    page.screenshot(path=str(screenshot_dir / f"list-import-form-phone-zh-{backend}.png"), full_page=True)
    _assert_clean(page, page_log)


def test_the_import_page_says_the_search_index_is_being_built(watched, page_log, session, backend, screenshot_dir,
                                                              monkeypatch, release):
    page = watched
    make_user(session, Role.admin, username="ada")
    session.commit()
    hold_list_imports(monkeypatch, release, step="indexing")
    _sign_in(page, "ada", "/admin/lists/import")
    page.get_by_label("List name").fill("us-entity-list")
    page.get_by_label("List file").set_input_files(str(LIST_FILE))
    page.get_by_role("button", name="Import file").click()
    expect(page.get_by_role("status")).to_have_text("Importing list.ftm.jsonl — building the search index (step 2 of 2): 40%")
    job_url = page.url
    expect(page.locator("progress.job-bar")).to_have_attribute("value", "40")
    page.screenshot(path=str(screenshot_dir / f"list-import-indexing-en-{backend}.png"), full_page=True)
    page.get_by_role("link", name="中文").click()
    expect(page.get_by_role("status")).to_have_text("正在导入 list.ftm.jsonl — 建立检索索引（第 2 步，共 2 步）: 40%")
    page.screenshot(path=str(screenshot_dir / f"list-import-indexing-zh-{backend}.png"), full_page=True)
    page.goto("/admin/lists")
    expect(page.get_by_test_id("job-step")).to_have_text("建立检索索引（第 2 步，共 2 步）")
    page.screenshot(path=str(screenshot_dir / f"lists-importing-zh-{backend}.png"), full_page=True)
    release.set()
    page.goto(job_url)
    expect(page.get_by_role("heading", name="us-entity-list 第 1 版现已生效")).to_be_visible()
    _assert_clean(page, page_log)


def test_without_javascript_the_import_page_refreshes_itself_until_done(browser, live_server, session, monkeypatch,
                                                                        release):
    make_user(session, Role.admin, username="ada")
    session.commit()
    hold_list_imports(monkeypatch, release)
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        _sign_in(page, "ada", "/admin/lists/import")
        page.get_by_label("List name").fill("us-entity-list")
        page.get_by_label("List file").set_input_files(str(LIST_FILE))
        page.get_by_role("button", name="Import file").click()
        expect(page.get_by_test_id("percent")).to_have_text("50%")
        release.set()
        # <noscript><meta http-equiv="refresh"> reloads the page every 3 s until the result shows.
        expect(page.get_by_role("heading", name="Version 1 of us-entity-list is in force")).to_be_visible()
    finally:
        context.close()
