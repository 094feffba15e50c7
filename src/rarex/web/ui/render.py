"""Render a page: the template in the request's language, with who is signed in and the form token.

One Jinja environment per locale, each with its Babel catalogue installed (``{{ _("...") }}``,
new-style gettext, so placeholders are escaped). StrictUndefined: a template that names
something the context lacks fails the render, and so the tests, instead of printing nothing.
"""

from __future__ import annotations

from functools import lru_cache, partial
from typing import Any
from urllib.parse import urlencode

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup, escape
from starlette.routing import Match

from rarex import __version__
from rarex.core.authz import Principal
from rarex.core.bilingual import in_language
from rarex.users.passwords import MIN_LENGTH
from rarex.web.i18n import HTML_LANG, LOCALES, NATIVE_NAME, label, request_locale, translations
from rarex.web.paths import TEMPLATES_DIR
from rarex.web.ui.session import attach_anon_csrf, csrf_token

#: The vendored htmx (static/htmx.min.js; DEVELOPERS.md, "Vendored and generated files").
HTMX_VERSION = "2.0.11"


@lru_cache
def environment(locale: str) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_translations(translations(locale), newstyle=True)  # type: ignore[attr-defined]
    env.globals["label"] = partial(label, locale)
    env.globals["password_min_length"] = MIN_LENGTH
    env.globals["said"] = partial(said, locale)
    return env


def said(locale: str, en: str, zh: str | None) -> Markup:
    """A service's reason in the reader's language; the English, marked as English, where no
    Chinese was kept (rows written before it was)."""
    text, lang = in_language(locale, en, zh)
    return Markup('<span lang="en">%s</span>') % text if lang != locale else escape(text)


def answers_get(app, path: str) -> bool:
    """Whether the application has a route that fully matches ``GET path``.

    Asked of the router itself (Starlette's ``BaseRoute.matches``) rather than by walking
    ``app.routes``: FastAPI keeps included routers nested, so their routes are not listed there.
    """
    scope = {"type": "http", "path": path, "method": "GET", "root_path": "", "query_string": b"", "headers": []}
    return any(route.matches(scope)[0] == Match.FULL for route in app.router.routes)


def _languages(request: Request, locale: str) -> list[dict[str, Any]]:
    """The language switch: each link sets the language and comes back to this very page."""
    # Without ?lang=: it would win over the language just chosen.
    query = urlencode([(k, v) for k, v in request.query_params.multi_items() if k != "lang"])
    here = request.url.path + (f"?{query}" if query else "")
    return [
        {"code": code, "name": NATIVE_NAME[code], "html_lang": HTML_LANG[code], "current": code == locale,
         "href": f"/language/{code}?" + urlencode({"next": here})}
        for code in LOCALES
    ]


def render(request: Request, template: str, context: dict[str, Any] | None = None, *, status: int = 200,
           principal: Principal | None = None, locale: str | None = None) -> HTMLResponse:
    locale = locale or request_locale(request)
    principal = principal if principal is not None else getattr(request.state, "principal", None)
    ctx: dict[str, Any] = {
        "request": request,
        "locale": locale,
        "html_lang": HTML_LANG[locale],
        "languages": _languages(request, locale),
        "version": __version__,
        "css": request.app.url_path_for("static", path="rarex.css") + f"?v={__version__}",
        "htmx": request.app.url_path_for("static", path="htmx.min.js") + f"?v={HTMX_VERSION}",
        "principal": principal,
        "who": getattr(request.state, "who", None) if principal is not None else None,
        "csrf_token": csrf_token(request),
    }
    ctx.update(context or {})
    html = environment(locale).get_template(template).render(ctx)
    response = HTMLResponse(html, status_code=status,
                            headers={"Vary": "Accept-Language, Cookie", "Content-Language": HTML_LANG[locale]})
    attach_anon_csrf(request, response)
    return response
