"""htmx is this package's own file, loaded by every page without loosening the CSP."""

from __future__ import annotations

from rarex.web.ui.render import HTMX_VERSION
from tests.ui.helpers import HTML


def test_pages_load_htmx_from_this_host_under_the_strict_policy(client):
    page = client.get("/sign-in", headers=HTML)
    assert f'<script src="/static/htmx.min.js?v={HTMX_VERSION}" defer></script>' in page.text
    assert '"allowEval":false' in page.text and '"includeIndicatorStyles":false' in page.text
    csp = page.headers["content-security-policy"]
    assert "script-src 'self';" in csp and "style-src 'self';" in csp and "unsafe" not in csp
    js = client.get(f"/static/htmx.min.js?v={HTMX_VERSION}")
    assert js.status_code == 200 and "javascript" in js.headers["content-type"]
    assert f'version:"{HTMX_VERSION}"' in js.text
    assert client.get("/static/htmx.LICENSE.txt").text.startswith("Zero-Clause BSD")
