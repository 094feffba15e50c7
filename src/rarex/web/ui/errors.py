"""Errors on pages: a page in the user's language instead of a problem document.

A browser asking for a page (``Accept: text/html``, outside ``/api/``) gets an HTML page that
says what happened in plain words; every API client keeps getting RFC 9457 problems. A page
that needs a signed-in user sends the browser to the sign-in page and back afterwards.
"""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from rarex.web.ui.render import render
from rarex.web.ui.session import SignInRequired

#: Paths that always answer in JSON, whatever the client accepts.
MACHINE_PREFIXES = ("/api/", "/openapi.json", "/docs", "/redoc", "/healthz", "/.well-known/", "/static/")


def wants_html(request: Request) -> bool:
    return not request.url.path.startswith(MACHINE_PREFIXES) and "text/html" in request.headers.get("accept", "")


def error_page(request: Request, status: int, slug: str, headers: dict[str, str] | None = None) -> Response:
    response = render(request, "ui/error.html", {"status": status, "slug": slug}, status=status)
    response.headers.update(headers or {})
    return response


def to_sign_in(request: Request, exc: SignInRequired) -> Response:
    return RedirectResponse("/sign-in?" + urlencode({"next": exc.next_path}), status_code=303)
