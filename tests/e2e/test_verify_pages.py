"""The signed licence document in Chromium: the holder downloads it from the licence page, and
anyone checks a licence on /verify by number (Chinese) or by its scanned QR code (English)."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from rarex.documents.verify import verify_pdf
from tests.amendments.helpers import amend_world
from tests.documents.helpers import attached, control, published_keys
from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e


def test_the_holder_downloads_the_signed_document(page, page_log, client, session, backend, screenshot_dir, tmp_path):
    aw = amend_world(client, session)
    number = aw.licence()
    page.goto(f"/language/en?next=/licences/{number}")
    page.get_by_label("Username").fill("exp")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    link = page.get_by_role("link", name="Signed licence document (PDF)")
    expect(link).to_be_visible()
    page.screenshot(path=str(screenshot_dir / f"licence-document-link-en-{backend}.png"), full_page=True)
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == f"{number}-v1-1.pdf"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    verdict = verify_pdf(saved.read_bytes(), published_keys(aw))
    assert verdict.outcome == "valid" and verdict.number == number
    assert page_log.console_errors == [] and page_log.page_errors == [] and page_log.external_requests == []


def test_anyone_checks_a_licence_by_number_and_by_qr_code(page, page_log, client, session, backend, screenshot_dir):
    aw = amend_world(client, session)
    number = aw.licence()
    r = client.get(f"/api/v1/licences/{number}/document.pdf", headers=aw.w.exporter)
    _, meta = attached(r.content)
    control(aw, number, "suspend")

    page.goto("/language/zh?next=/verify")
    expect(page.get_by_role("heading", name="核验许可证")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / f"verify-form-zh-{backend}.png"), full_page=True)
    page.get_by_role("button", name="核验").click()
    expect(page.get_by_text("请输入许可证编号或其二维码文本").first).to_be_visible()
    page.get_by_label("许可证编号或扫描所得二维码内容").fill(number)
    page.get_by_role("button", name="核验").click()
    expect(page.get_by_test_id("public-status")).to_have_text("已暂停使用")
    expect(page.get_by_test_id("public-line-1")).to_contain_text("1250.5 kg")
    expect(page.locator("main")).not_to_contain_text("Antriebstechnik")
    page.screenshot(path=str(screenshot_dir / f"verify-result-zh-{backend}.png"), full_page=True)

    page.goto("/language/en?next=/verify")
    page.get_by_label("Licence number or scanned QR code").fill(meta["qr"])
    page.get_by_role("button", name="Check the licence").click()
    expect(page.get_by_test_id("qr-verdict")).to_contain_text("The QR code is genuine")
    expect(page.get_by_test_id("qr-latest")).to_contain_text("It belongs to an earlier document")
    expect(page.get_by_test_id("public-status")).to_have_text("Suspended")
    page.screenshot(path=str(screenshot_dir / f"verify-qr-en-{backend}.png"), full_page=True)

    page.get_by_role("link", name="Check another licence").click()
    page.get_by_label("Licence number or scanned QR code").fill(meta["qr"].replace("|active|", "|revoked|"))
    page.get_by_role("button", name="Check the licence").click()
    expect(page.get_by_test_id("qr-verdict")).to_contain_text("has been altered")
    page.screenshot(path=str(screenshot_dir / f"verify-qr-tampered-en-{backend}.png"), full_page=True)
    # The empty form answered 400 on purpose: Chromium logs that status, nothing else may show up.
    assert [e for e in page_log.console_errors if "status of 400" not in e] == []
    assert page_log.page_errors == [] and page_log.external_requests == []


def test_rarex_verify_online_against_a_running_server(live_server, client, session, cli, tmp_path):
    """``rarex verify`` fetches the published keys and the current status over HTTP."""
    aw = amend_world(client, session)
    number = aw.licence()
    saved = tmp_path / "lic.pdf"
    saved.write_bytes(client.get(f"/api/v1/licences/{number}/document.pdf", headers=aw.w.exporter).content)
    keys = f"{live_server.url}/.well-known/rarex-keys.json"
    r = cli("verify", str(saved), "--keys", keys, "--online", live_server.url, "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert (out["outcome"], out["latest"], out["current"]["status"]) == ("valid", True, "active")
    control(aw, number, "revoke")
    r = cli("verify", str(saved), "--keys", keys, "--online", live_server.url)
    assert r.exit_code == 0 and "VALID" in r.output and "NOT the latest" in r.output and "revoked" in r.output
    r = cli("verify", "--qr", "RXL1|x", "--online", "ftp://example.org")
    assert r.exit_code == 1  # unreadable payload: nothing fetched
