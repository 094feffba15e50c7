"""The FastAPI application: API routers, pages, problem documents."""

from __future__ import annotations

import importlib
import logging
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline

from rarex import __version__
from rarex.web import problems
from rarex.web.admission import Admission
from rarex.web.guards import BodyLimit
from rarex.web.headers import SecurityHeaders
from rarex.web.paths import STATIC_DIR

log = logging.getLogger("rarex")

#: Each module exposes ``router``; order only affects the OpenAPI listing.
ROUTER_MODULES = [
    "rarex.users.api",
    "rarex.policy.api",
    "rarex.parties.api",
    "rarex.party_edits.api",
    "rarex.eligibility.api",
    "rarex.determination.api",
    "rarex.impact.api",
    "rarex.buyers.api",
    "rarex.applications.api",
    "rarex.applications.replacement_api",
    "rarex.licences.api",
    "rarex.amendments.api",
    "rarex.shipments.api",
    "rarex.screening.api",
    "rarex.screening.hits_api",
    "rarex.audit.api",
    "rarex.documents.api",
    "rarex.web.pages",
    "rarex.web.ui.auth",
    "rarex.web.ui.home",
    "rarex.web.ui.customs",
    "rarex.web.ui.customs_import",
    "rarex.web.ui.audit",
    "rarex.web.ui.admin_users",
    "rarex.web.ui.admin_lists",
    "rarex.web.ui.impact",  # before ui.policy: /policy/impact is not a page of the pack
    "rarex.web.ui.policy",
    "rarex.web.ui.buyers",
    "rarex.web.ui.parties",
    "rarex.web.ui.queue",
    "rarex.web.ui.cases",
    "rarex.web.ui.amendments",  # before ui.licences: its POST /licences/{n}/{action} would take /amend
    "rarex.web.ui.licence_use",  # before ui.licences: likewise /reapply
    "rarex.web.ui.licences",
    "rarex.web.ui.verify",
    "rarex.web.ui.organisation",
    "rarex.web.ui.classify",
    "rarex.web.ui.drafts",  # before ui.applications: /applications/new is not /applications/{id}
    "rarex.web.ui.applications",
    "rarex.web.ui.prices",  # before ui.statistics: /reports/prices is not a figure
    "rarex.web.ui.statistics",
]


@asynccontextmanager
async def lifespan(app: FastAPI):
    from rarex.amendments.jobs import deem_accept_on_startup
    from rarex.documents.keys import Keyring
    from rarex.licences.jobs import expire_on_startup
    from rarex.screening.service import warm_up

    Keyring().ensure()  # the authority's first signing key, on first start
    expire_on_startup()
    deem_accept_on_startup()
    warm_up()
    yield


def create_app(run_startup_jobs: bool = True) -> FastAPI:
    # FastAPIOffline serves Swagger UI and ReDoc from the package, not a CDN: /docs must work
    # on an offline workstation or an air-gapped government network.
    app = FastAPIOffline(
        title="rarex",
        version=__version__,
        summary="Export-control licensing for dual-use items (China rare-earth regime).",
        description=(
            "Classification against a dated control list, exporters and parties, licence applications "
            "with documents and automated checks, officer review and countersigned decisions under the "
            "45-working-day deadline, licences, and a hash-chained audit log. Errors are RFC 9457 "
            "problem documents. Sign in with `POST /api/v1/auth/token`, then send `Authorization: Bearer <token>`."
        ),
        lifespan=lifespan if run_startup_jobs else None,
    )
    problems.install(app)
    app.state.admission = Admission.from_settings()
    _wrap_outside_error_middleware(app)
    for name in ROUTER_MODULES:
        app.include_router(importlib.import_module(name).router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app


def _wrap_outside_error_middleware(app: FastAPI) -> None:
    """Put the security headers and the body limit around Starlette's whole stack.

    ``app.add_middleware`` would place them inside the error middleware, so the 500 page would
    go out without security headers. Starlette builds the stack on the first request by
    calling ``build_middleware_stack``; this wraps what it builds.
    """
    build = app.build_middleware_stack
    app.build_middleware_stack = lambda: SecurityHeaders(BodyLimit(build()))  # type: ignore[method-assign]
