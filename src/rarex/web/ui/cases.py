"""A case as an officer works it: the application, its documents (viewable in the browser), the
automated checks, screening hits with their explanations and resolve buttons, the legal clock,
the timeline, and exactly the actions the signed-in role may take on it now.

Every action calls the same service function as its API endpoint; a refusal comes back on the
same page, above the forms, with nothing changed.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Path, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from rarex.applications import service, views
from rarex.applications.flows import APPLICATION
from rarex.applications.schemas import (
    ClockRestartIn,
    ClockStopIn,
    DecideIn,
    InformationRequestIn,
    Outcome,
    ReasonIn,
    RecommendIn,
    ReturnIn,
)
from rarex.core.authz import Principal, allowed, require
from rarex.core.db import MAX_ROW_ID
from rarex.core.errors import Problem
from rarex.policy.service import get_pack
from rarex.screening import cases as screening
from rarex.screening.models import HitStatus
from rarex.web.deps import SessionDep
from rarex.web.i18n import gettext, request_locale
from rarex.web.ui.render import render
from rarex.web.ui.session import CSRF_FIELD, SignedInPrincipal, check_csrf

router = APIRouter(include_in_schema=False)

CaseId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]
#: Each page action: the state-machine transition it is, and the permission it needs.
ACTIONS = {
    "accept": ("accept", "application.review"),
    "return": ("return", "application.review"),
    "request-information": ("request_information", "application.review"),
    "stop-clock": ("stop_clock", "application.review"),
    "restart-clock": ("restart_clock", "application.review"),
    "recommend": ("recommend", "application.review"),
    "refer": ("refer", "application.refer"),
    "decide": ("decide", "application.decide"),
}
#: Documents a browser may show inline; anything else downloads.
INLINE = {"application/pdf", "image/png", "image/jpeg"}


def _actions(principal: Principal, status, clock_stopped: bool) -> list[str]:
    """The actions this user may take on the case now: the state machine's, the role's, and of the
    two clock actions the one that fits (the service allows one stop at a time)."""
    open_ = set(APPLICATION.allowed_actions(status))
    open_.discard("stop_clock" if clock_stopped else "restart_clock")
    return [name for name, (transition, permission) in ACTIONS.items() if transition in open_ and allowed(principal, permission)]


def _page(request: Request, session: Session, principal: Principal, case_id: int, *, errors: dict[str, str] | None = None,
          form: dict[str, Any] | None = None, done: str = "", status: int = 200) -> Response:
    app = service.get(session, principal, case_id)
    out = views.detail(session, app, reader=principal)
    hits = screening.list_hits(session, principal, application_id=app.id, limit=500) \
        if allowed(principal, "screening.hits.read") else []
    return render(request, "ui/officer/case.html", {
        "case": out, "hits": hits, "timeline": service.timeline(session, principal, app.id),
        "actions": _actions(principal, app.status, out.deadline_info.stopped_by is not None), "stop_kinds": get_pack().deadlines.clock_stop_kinds,
        "can_resolve": allowed(principal, "screening.resolve"), "errors": errors or {}, "form": form or {}, "done": done,
        "outcomes": [o.value for o in Outcome],
        "user_categories": get_pack().end_user_categories, "use_categories": get_pack().end_use_categories,
    }, status=status)


@router.get("/cases/{case_id}", name="case")
def case_page(request: Request, principal: SignedInPrincipal, session: SessionDep, case_id: CaseId, done: str = "") -> Response:
    require(principal, "application.review")
    return _page(request, session, principal, case_id, done=done[:30])


@router.get("/cases/{case_id}/documents/{doc_id}", name="case_document")
def document(principal: SignedInPrincipal, session: SessionDep, case_id: CaseId,
             doc_id: Annotated[int, Path(ge=1, le=MAX_ROW_ID)]) -> Response:
    """The document as uploaded, shown in the browser when it is a PDF or an image. It is
    sandboxed (no script, no form, no same-origin access), whatever it holds."""
    doc, data = service.get_document(session, principal, case_id, doc_id)
    disposition = "inline" if doc.content_type in INLINE else "attachment"
    return Response(data, media_type=doc.content_type, headers={
        "Content-Disposition": f"{disposition}; filename*=UTF-8''{quote(doc.filename)}",
        "Content-Security-Policy": "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; plugin-types application/pdf",
        "X-Content-Type-Options": "nosniff",
    })


def _text(form, name: str, limit: int = 5000) -> str:
    return str(form.get(name) or "")[:limit].strip()


@router.post("/cases/{case_id}/{action}")
async def act(request: Request, principal: SignedInPrincipal, session: SessionDep, case_id: CaseId, action: str) -> Response:
    form = await request.form()
    check_csrf(request, form.get(CSRF_FIELD))
    locale = request_locale(request)
    if action not in ACTIONS:
        return _page(request, session, principal, case_id, status=404,
                     errors={"summary": gettext(locale, "There is no such action on a case.")})
    typed: dict[str, Any] = {k: _text(form, k) for k in ("reason", "corrections", "request", "kind", "outcome", "recommendation",
                                          "decision", "conditions")}
    typed["special_approval"] = form.get("special_approval") == "yes"
    try:
        _run(session, principal, case_id, action, typed)
    except ValidationError as exc:
        session.rollback()
        field = str(exc.errors()[0]["loc"][0]) if exc.errors() and exc.errors()[0]["loc"] else "reason"
        return _page(request, session, principal, case_id, form={**typed, "action": action}, status=400,
                     errors={f"{action}-{field}": gettext(locale, "Fill in this field (at least 3 characters), or choose one of "
                                                                  "the options.")})
    except Problem as exc:
        session.rollback()
        return _page(request, session, principal, case_id, form={**typed, "action": action}, status=exc.status,
                     errors={"summary": problem_text(locale, exc)})
    return RedirectResponse(f"/cases/{case_id}?done={action}", status_code=303)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _run(session: Session, principal: Principal, case_id: int, action: str, f: dict[str, Any]) -> None:
    if action == "accept":
        service.accept(session, principal, case_id)
    elif action == "return":
        body = ReturnIn(reason=f["reason"], corrections=_lines(f["corrections"]))
        service.return_to_applicant(session, principal, case_id, body.reason, body.corrections)
    elif action == "request-information":
        service.request_information(session, principal, case_id, InformationRequestIn(request=f["request"]).request)
    elif action == "stop-clock":
        stop = ClockStopIn(kind=f["kind"], reason=f["reason"])
        service.stop_clock(session, principal, case_id, stop.kind, stop.reason)
    elif action == "restart-clock":
        service.restart_clock(session, principal, case_id, ClockRestartIn(outcome=f["outcome"]).outcome)
    elif action == "refer":
        service.refer_to_state_council(session, principal, case_id, ReasonIn(reason=f["reason"]).reason)
    elif action == "recommend":
        rec = RecommendIn(recommendation=f["recommendation"], reasons=f["reason"], conditions=_lines(f["conditions"]))
        service.recommend(session, principal, case_id, rec.recommendation, rec.reasons, rec.conditions)
    else:
        dec = DecideIn(decision=f["decision"], reasons=f["reason"], conditions=_lines(f["conditions"]),
                       special_approval=f["special_approval"])
        service.decide(session, principal, case_id, dec.decision, dec.reasons, dec.conditions,
                       special_approval=dec.special_approval)


def problem_text(locale: str, exc: Problem) -> str:
    """The refusal in the page's language; the service's own words (English) only on English pages."""
    general = {
        409: gettext(locale, "This cannot be done in the case's present state, or a rule of the regime forbids it. "
                             "Nothing was changed."),
        403: gettext(locale, "Your role does not allow this action. Nothing was changed."),
        422: gettext(locale, "Something you entered was not accepted. Nothing was changed."),
    }.get(exc.status, gettext(locale, "The action could not be done. Nothing was changed."))
    return general if locale != "en" else f"{general} {exc.detail}"


@router.post("/cases/{case_id}/hits/{hit_id}/resolve")
async def resolve_hit(request: Request, principal: SignedInPrincipal, session: SessionDep, case_id: CaseId,
                      hit_id: Annotated[int, Path(ge=1, le=MAX_ROW_ID)]) -> Response:
    form = await request.form()
    check_csrf(request, form.get(CSRF_FIELD))
    locale = request_locale(request)
    resolution, reason = _text(form, "resolution", 40), _text(form, "reason")
    hit = screening.get_hit(session, principal, hit_id)
    if hit.application_id != case_id or resolution not in (HitStatus.false_positive.value, HitStatus.confirmed.value) \
            or len(reason) < 3:
        return _page(request, session, principal, case_id, status=400, form={"hit": hit_id, "reason": reason},
                     errors={f"hit-{hit_id}": gettext(locale, "Choose false positive or confirmed, and give the reason "
                                                              "(at least 3 characters).")})
    try:
        screening.resolve(session, principal, hit_id, HitStatus(resolution), reason)
    except Problem as exc:
        session.rollback()
        return _page(request, session, principal, case_id, status=exc.status, errors={"summary": problem_text(locale, exc)})
    return RedirectResponse(f"/cases/{case_id}?done=resolved", status_code=303)
