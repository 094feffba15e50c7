"""The landing page and the health check.

The landing page is the front door for everyone the platform serves, so it comes in Chinese
and English (web/i18n.py decides which). The page never links to something that does not exist
yet: onward links are shown only when the application actually has that route, so a
half-built deployment never shows a link that answers 404.

Nothing here loads from another host: the machine that serves rarex may be offline.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from rarex.core.db import get_engine
from rarex.core.errors import Problem
from rarex.web.ui.render import answers_get, render

log = logging.getLogger("rarex")

router = APIRouter(include_in_schema=False)


class ServiceUnavailable(Problem):
    status, slug, title = 503, "service-unavailable", "Service unavailable"


@dataclass(frozen=True)
class Onward:
    """A link from the landing page to a part of the platform, shown only if its route exists."""

    key: str
    path: str


ONWARD = [
    Onward("sign_in", "/sign-in"),
    Onward("docs", "/docs"),
    Onward("openapi", "/openapi.json"),
    Onward("control_list", "/api/v1/policy/control-list"),
    Onward("verify", "/verify"),
    Onward("statistics", "/statistics"),
]

def onward_links(request: Request) -> list[Onward]:
    return [link for link in ONWARD if answers_get(request.app, link.path)]


# --- routes -------------------------------------------------------------------------------


@router.get("/", response_class=HTMLResponse)
def index(request: Request) -> HTMLResponse:
    """The landing page: what rarex is, whom it serves, where to go next."""
    return render(request, "index.html", {"links": onward_links(request)})


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """Liveness and database reachability for load balancers and ``make run`` users.

    It runs ``SELECT 1`` on a raw driver connection rather than a request Session: a health
    probe takes no transaction and no admission slot (:mod:`rarex.web.admission`), so it
    answers while the server is busy, and bench/load.py uses it as its baseline.
    """
    try:
        conn = get_engine().raw_connection()
        try:
            cur = conn.cursor()
            cur.execute("SELECT 1")
            cur.fetchone()
            cur.close()
        finally:
            conn.close()
    except Exception as exc:  # any driver or pool error means "not healthy", never a 500
        log.warning("health check: database unreachable: %s", exc)
        raise ServiceUnavailable("the database is unreachable", database="unreachable") from None
    return {"status": "ok", "database": "ok"}
