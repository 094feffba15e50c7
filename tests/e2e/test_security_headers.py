"""The content security policy in a real browser: Swagger UI still works under it, and an
inline script that is not the page's own is blocked."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_swagger_ui_renders_under_the_policy(page, page_log):
    resp = page.goto("/docs")
    assert "frame-ancestors 'none'" in resp.headers["content-security-policy"]
    expect(page.get_by_text("/api/v1/auth/token").first).to_be_visible(timeout=30_000)
    violations = [e for e in page_log.console_errors if "Content Security Policy" in e]
    assert violations == []
    assert page_log.page_errors == []


def test_an_injected_inline_script_does_not_run(page, page_log):
    page.goto("/?lang=en")
    page.evaluate("""() => {
        const s = document.createElement('script');
        s.textContent = 'window.injected = true';
        document.body.appendChild(s);
    }""")
    assert page.evaluate("() => window.injected === true") is False
    assert any("Content Security Policy" in e for e in page_log.console_errors)
