"""An exporter's applications: the list (its own organisation's, sorted, paged, CSV), and each
application's page: status, the working days left with the clock's explanation, the timeline
as the API shows it to exporters (the ministry's deliberation left out), the documents, and
exactly the actions the exporter may take now: continue or correct a draft, answer a request
for information (text and documents), withdraw with a reason.

The ministry works a case on ``/cases/{id}`` (ui/cases.py); an officer who opens
``/applications/{id}`` is sent there, so each reader has one page for a case. Another
organisation's application is not found, as in the API.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from rarex.applications import service, views
from rarex.applications.models import ApplicationStatus as S
from rarex.applications.schemas import ApplicationSummary, ReasonIn, RespondIn
from rarex.core.authz import Principal, allowed, require
from rarex.core.db import MAX_ROW_ID
from rarex.core.errors import Problem
from rarex.policy.service import get_pack
from rarex.web.csvout import csv_response
from rarex.web.deps import SessionDep
from rarex.web.i18n import N_, gettext, request_locale
from rarex.web.ui.cases import problem_text
from rarex.web.ui.drafts import CHECK_TITLES, documents_context, receive_upload
from rarex.web.ui.render import render
from rarex.web.ui.session import CSRF_FIELD, SignedInPrincipal, check_csrf

router = APIRouter(include_in_schema=False)

AppId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]
PAGE = 50
#: Order of statuses when sorting by status: the life of a case.
STATUS_ORDER = [s.value for s in (S.draft, S.submitted, S.under_review, S.information_requested, S.recommended,
                                  S.approved, S.refused, S.withdrawn)]
_LAST = "9999-12-31"
#: sort -> (key, newest/largest first)
SORTS: dict[str, tuple[Any, bool]] = {
    "created": (lambda a: a.id, True),
    "reference": (lambda a: a.reference, False),
    "status": (lambda a: (STATUS_ORDER.index(a.status.value), -a.id), False),
    "submitted": (lambda a: (a.submitted_at.isoformat() if a.submitted_at else "", a.id), True),
    # The fewest working days left first; cases no clock runs on after them.
    "deadline": (lambda a: (a.working_days_left is None, a.working_days_left or 0, str(a.deadline or _LAST)), False),
}
@router.get("/applications", name="applications")
def applications(request: Request, principal: SignedInPrincipal, session: SessionDep,
                 status: Annotated[str, Query(max_length=32)] = "",
                 sort: Literal["created", "reference", "status", "submitted", "deadline"] = "created",
                 page: Annotated[int, Query(ge=1, le=100_000)] = 1, format: Literal["html", "csv"] = "html") -> Response:
    """The organisation's applications with their status and clock, sorted and a page at a time."""
    require(principal, "application.draft")
    wanted = S(status) if status in STATUS_ORDER else None
    rows = views.summaries(session, service.list_(session, principal, status=wanted, limit=100_000))
    key, newest_first = SORTS[sort]
    rows.sort(key=key, reverse=newest_first)
    if format == "csv":
        return csv_response(rows, "applications.csv", ApplicationSummary)
    query = {k: v for k, v in {"status": status if wanted else "", "sort": sort}.items() if v}
    return render(request, "ui/applications/list.html", {
        "rows": rows[(page - 1) * PAGE: page * PAGE], "total": len(rows), "page": page,
        "pages": max(1, -(-len(rows) // PAGE)), "status": status if wanted else "", "statuses": STATUS_ORDER,
        "sort": sort, "sorts": list(SORTS), "types": get_pack().licence_types, "tz": get_pack().tz,
        "sort_query": {s: urlencode({**query, "sort": s}) for s in SORTS},
        "csv_query": urlencode(query | {"format": "csv"}),
        "prev_query": urlencode(query | {"page": page - 1}) if page > 1 else "",
        "next_query": urlencode(query | {"page": page + 1}) if page * PAGE < len(rows) else "",
    })


def _returned(timeline: list[dict]) -> dict | None:
    """The last return for corrections, when the draft is one (its reason and every correction)."""
    back = [e for e in timeline if e["type"] == "application.returned"]
    return back[-1] if back else None


def _page(request: Request, session: Session, principal: Principal, app_id: int, *, errors: dict[str, str] | None = None,
          form: dict[str, Any] | None = None, done: str = "", status: int = 200) -> Response:
    app = service.get(session, principal, app_id)
    out = views.detail(session, app, reader=principal)
    timeline = service.timeline(session, principal, app_id)
    open_request = next((r for r in reversed(out.information_requests) if r.responded_at is None), None)
    actions = set(out.allowed_actions)
    return render(request, "ui/applications/page.html", {
        "case": out, "timeline": timeline, "check_titles": CHECK_TITLES,
        "open_request": open_request if "respond" in actions else None,
        "returned": _returned(timeline) if app.status == S.draft else None,
        "can_withdraw": "withdraw" in actions, "is_draft": app.status == S.draft,
        "types": get_pack().licence_types, "use_categories": get_pack().end_use_categories, "tz": get_pack().tz,
        "errors": errors or {}, "form": form or {}, "done": done,
        **documents_context(app),
    }, status=status)


@router.get("/applications/{app_id}", name="application")
def application_page(request: Request, principal: SignedInPrincipal, session: SessionDep, app_id: AppId,
                     done: str = "") -> Response:
    if allowed(principal, "application.review"):
        return RedirectResponse(f"/cases/{app_id}", status_code=303)  # the ministry's page of the case
    require(principal, "application.draft")
    return _page(request, session, principal, app_id, done=done[:20])


def _text(form, name: str) -> str:
    return str(form.get(name) or "")[:5000].strip()


async def _act(request: Request, principal: Principal, session: Session, app_id: int, field: str,
               run: Callable[[str], object], message: str, done: str) -> Response:
    """One action of the exporter's on the case: ``run`` with what was typed in ``field``; the
    field's ``message`` (marked with N_) beside it when too short, a refusal in the summary."""
    form = await request.form()
    check_csrf(request, form.get(CSRF_FIELD))
    require(principal, "application.draft")
    locale = request_locale(request)
    typed = {field: _text(form, field)}
    try:
        run(typed[field])
    except ValidationError:
        return _page(request, session, principal, app_id, form=typed, status=400, errors={field: gettext(locale, message)})
    except Problem as exc:
        session.rollback()
        return _page(request, session, principal, app_id, form=typed, status=exc.status,
                     errors={"summary": problem_text(locale, exc)})
    return RedirectResponse(f"/applications/{app_id}?done={done}", status_code=303)


@router.post("/applications/{app_id}/respond")
async def respond(request: Request, principal: SignedInPrincipal, session: SessionDep, app_id: AppId) -> Response:
    return await _act(request, principal, session, app_id, "response",
                      lambda text: service.respond(session, principal, app_id, RespondIn(response=text).response),
                      N_("Write your answer to the request (at least 3 characters)."), "answered")


@router.post("/applications/{app_id}/respond/documents")
async def respond_document(request: Request, principal: SignedInPrincipal, session: SessionDep, app_id: AppId) -> Response:
    """A document added to the answer of an open request for information."""
    require(principal, "application.draft")
    doc_type, errors = await receive_upload(request, session, principal, app_id)
    if errors:
        return _page(request, session, principal, app_id, errors=errors, form={"doc_type": doc_type}, status=400)
    return RedirectResponse(f"/applications/{app_id}?done=uploaded#respond", status_code=303)


@router.post("/applications/{app_id}/withdraw")
async def withdraw(request: Request, principal: SignedInPrincipal, session: SessionDep, app_id: AppId) -> Response:
    return await _act(request, principal, session, app_id, "reason",
                      lambda text: service.withdraw(session, principal, app_id, ReasonIn(reason=text).reason),
                      N_("Say why you withdraw the application (at least 3 characters)."), "withdrawn")
