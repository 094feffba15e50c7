"""Amendments through the pages: the holder's request form on a licence, the amendment's page
(its changes, the 20-working-day clock, the timeline, and exactly the actions the signed-in
role may take on it now: accept, recommend, decide, withdraw), and the list officers work from.

The request form offers what amendments/service.py accepts: a line's licensed quantity, the
last day of validity, a line's description or HS code, the consignee address note. The end
user is a key element (DUR Art. 18 para. 2): the form says so and points to applying again
from the licence (ui/licence_use.py). Every action calls the same service as its API endpoint;
a refusal comes back on the same page, beside the field it concerns, with nothing changed.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from rarex.amendments import service, views
from rarex.amendments.flows import AMENDMENT
from rarex.amendments.models import OPEN_STATUSES, Amendment, AmendmentStatus
from rarex.amendments.schemas import (
    AmendmentIn,
    AmendmentSummary,
    ChangeQuantity,
    CorrectDetail,
    DecideIn,
    ExtendValidity,
    RecommendIn,
    WithdrawIn,
)
from rarex.applications import replacement
from rarex.core.authz import Principal, allowed, require
from rarex.core.db import MAX_ROW_ID
from rarex.core.errors import InvalidInput, Problem
from rarex.licences import service as licences
from rarex.licences import views as licence_views
from rarex.licences.models import Licence
from rarex.policy.service import get_pack
from rarex.web.csvout import csv_response
from rarex.web.deps import SessionDep
from rarex.web.i18n import N_, gettext, request_locale
from rarex.web.ui.cases import problem_text
from rarex.web.ui.licence_extras import may_reapply, may_request_amendment
from rarex.web.ui.render import render
from rarex.web.ui.session import CSRF_FIELD, SignedInPrincipal, check_csrf

router = APIRouter(include_in_schema=False)

AmendmentId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]
Number = Annotated[str, Path(min_length=1, max_length=40)]
PAGE = 50
#: The list sorts in memory (the deadline is worked out per row); beyond this, filter first.
MAX_LISTED = 10_000

#: Each page action: the state-machine transition it is, and the permission it needs.
ACTIONS = {
    "accept": ("accept", "amendment.review"),
    "recommend": ("recommend", "amendment.review"),
    "decide": ("decide", "amendment.decide"),
    "withdraw": ("withdraw", "amendment.withdraw"),
}


def _sort_deadline(a: AmendmentSummary):
    return (not a.overdue, a.working_days_left is None, a.working_days_left or 0, a.id)


SORTS = {
    "deadline": (_sort_deadline, False),
    "requested": (lambda a: (a.requested_at, a.id), True),
    "licence": (lambda a: (a.licence, a.id), False),
    "status": (lambda a: (a.status.value, a.id), False),
}


def _actions(principal: Principal, am: Amendment) -> list[str]:
    """What this user may do to the amendment now: the state machine's, the role's; a senior officer
    who recommended it may not also decide it (countersigning needs a second officer)."""
    open_ = set(AMENDMENT.allowed_actions(am.status))
    names = [name for name, (transition, permission) in ACTIONS.items()
             if transition in open_ and allowed(principal, permission)]
    if principal.user_id is not None and principal.user_id == am.recommended_by:
        names = [n for n in names if n != "decide"]
    return names


# --- the list -------------------------------------------------------------------------------------


@router.get("/amendments", name="amendments")
def amendments_list(request: Request, principal: SignedInPrincipal, session: SessionDep,
                    status: Annotated[str, Query(max_length=20)] = "open",
                    licence: Annotated[str, Query(max_length=40)] = "",
                    sort: Literal["deadline", "requested", "licence", "status"] = "deadline",
                    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
                    format: Literal["html", "csv"] = "html") -> Response:
    """Amendments the caller may see (an exporter its own): open ones by default, the most urgent first."""
    require(principal, "amendment.read")
    one = AmendmentStatus(status) if status in {s.value for s in AmendmentStatus} else None
    rows = service.list_(session, principal, status=one, licence=licence.strip() or None, limit=MAX_LISTED + 1)
    if status == "open":
        rows = [a for a in rows if a.status in OPEN_STATUSES]
    truncated = len(rows) > MAX_LISTED
    key, reverse = SORTS[sort]
    items = sorted(views.summaries(session, rows[:MAX_LISTED]), key=key, reverse=reverse)
    if format == "csv":
        return csv_response(items, "amendments.csv", AmendmentSummary)
    query = {"status": status, "licence": licence, "sort": sort}
    return render(request, "ui/amendments/list.html", {
        "rows": items[(page - 1) * PAGE: page * PAGE], "total": len(items), "truncated": truncated, "page": page,
        "status": status, "statuses": [s.value for s in AmendmentStatus], "licence": licence, "sort": sort,
        "sort_query": {s: urlencode(query | {"sort": s}) for s in SORTS},
        "csv_query": urlencode(query | {"format": "csv"}),
        "prev_query": urlencode(query | {"page": page - 1}) if page > 1 else "",
        "next_query": urlencode(query | {"page": page + 1}) if page * PAGE < len(items) else "",
    })


# --- one amendment --------------------------------------------------------------------------------


def _page(request: Request, session: Session, principal: Principal, amendment_id: int, *,
          errors: dict[str, str] | None = None, form: dict[str, str] | None = None, done: str = "",
          status: int = 200) -> Response:
    am = service.get(session, principal, amendment_id)  # amendment.read; an exporter its own only (404 otherwise)
    out = views.detail(session, am, reader=principal)
    lic = session.get(Licence, am.licence_id)
    assert lic is not None
    lines = {line.line_no: line for line in licence_views.detail(session, lic).lines}
    return render(request, "ui/amendments/page.html", {
        "am": out, "lines": lines, "timeline": service.timeline(session, principal, am.id),
        "actions": _actions(principal, am), "recommender_is_me": principal.user_id is not None
        and principal.user_id == am.recommended_by and allowed(principal, "amendment.decide"),
        "errors": errors or {}, "form": form or {}, "done": done,
    }, status=status)


@router.get("/amendments/{amendment_id}", name="amendment")
def amendment_page(request: Request, principal: SignedInPrincipal, session: SessionDep, amendment_id: AmendmentId,
                   done: str = "") -> Response:
    return _page(request, session, principal, amendment_id, done=done[:30])


def _text(form, name: str, limit: int = 5000) -> str:
    """A form field as typed, trimmed, with the browser's CRLF line ends made LF as stored."""
    return str(form.get(name) or "")[:limit].replace("\r\n", "\n").strip()


@router.post("/amendments/{amendment_id}/{action}")
async def act(request: Request, principal: SignedInPrincipal, session: SessionDep, amendment_id: AmendmentId,
              action: str) -> Response:
    form = await request.form()
    check_csrf(request, form.get(CSRF_FIELD))
    locale = request_locale(request)
    if action not in ACTIONS:
        return _page(request, session, principal, amendment_id, status=404,
                     errors={"summary": gettext(locale, "There is no such action on an amendment.")})
    typed = {"action": action, "reason": _text(form, "reason"), "outcome": _text(form, "outcome", 20)}
    try:
        if action == "accept":
            service.accept(session, principal, amendment_id)
        elif action == "recommend":
            rec = RecommendIn(recommendation=typed["outcome"], reasons=typed["reason"])
            service.recommend(session, principal, amendment_id, rec.recommendation, rec.reasons)
        elif action == "decide":
            dec = DecideIn(decision=typed["outcome"], reasons=typed["reason"])
            service.decide(session, principal, amendment_id, dec.decision, dec.reasons)
        else:
            service.withdraw(session, principal, amendment_id, WithdrawIn(reason=typed["reason"]).reason)
    except ValidationError as exc:
        session.rollback()
        errors = {}
        for e in exc.errors():
            field = "reason" if e["loc"] and e["loc"][0] in ("reason", "reasons") else "outcome"
            errors[f"{action}-{field}"] = gettext(locale, "Give your reasons (at least 3 characters).") \
                if field == "reason" else gettext(locale, "Choose approve or refuse.")
        return _page(request, session, principal, amendment_id, form=typed, status=400, errors=errors)
    except Problem as exc:
        session.rollback()
        return _page(request, session, principal, amendment_id, form=typed, status=exc.status,
                     errors={"summary": problem_text(locale, exc)})
    return RedirectResponse(f"/amendments/{amendment_id}?done={action}", status_code=303)


# --- the holder's request ---------------------------------------------------------------------------

#: The page's words for a change the service refused, per kind of form field (its own words on English pages).
FIELD_MESSAGES = {
    "quantity": N_("This quantity cannot be asked for: a licensed quantity never goes below what has already been "
                   "drawn, and it must differ from the quantity licensed now."),
    "quantity-format": N_("Enter a quantity greater than 0, with at most 6 decimal places."),
    "valid_to": N_("This date cannot be asked for: an amendment may extend validity (not shorten it), up to the "
                   "longest validity the licence type allows."),
    "valid_to-format": N_("Enter a date as YYYY-MM-DD."),
    "description": N_("A line's description cannot be empty."),
    "hs_code": N_("An HS code is 4 to 10 digits."),
    "address_note": N_("This consignee address note cannot be used."),
}


def _form_page(request: Request, session: Session, principal: Principal, number: str, *,
               form: dict[str, str] | None = None, errors: dict[str, str] | None = None, status: int = 200) -> Response:
    require(principal, "amendment.request")
    lic = licences.get(session, principal, number)  # an exporter's own licence only (404 otherwise)
    out = licence_views.detail(session, lic)
    pack = get_pack()
    today = pack.today()
    pending = service.open_for(session, lic.id)
    lt = pack.licence_types.get(lic.licence_type)
    defaults = {"valid_to": lic.valid_to.isoformat(), "address_note": lic.consignee_address_note or "", "reason": ""}
    for line in out.lines:
        defaults |= {f"quantity-{line.line_no}": str(line.licensed), f"description-{line.line_no}": line.description,
                     f"hs_code-{line.line_no}": line.hs_code}
    return render(request, "ui/amendments/form.html", {
        "licence": out, "pending_id": pending.id if pending else None,
        "can_request": may_request_amendment(principal, lic, pending.id if pending else None, today),
        "can_reapply": may_reapply(principal, lic, replacement.open_replacement(session, lic), today),
        "limit": service.validity_limit(lic, lt), "form": defaults | (form or {}), "errors": errors or {},
    }, status=status)


@router.get("/licences/{number}/amend", name="amend")
def amend_form(request: Request, principal: SignedInPrincipal, session: SessionDep, number: Number) -> Response:
    return _form_page(request, session, principal, number)


def _changes(lic: Licence, typed: dict[str, str]) -> tuple[list, list[tuple[str, str]], dict[str, str]]:
    """The changes the form asks for (fields left as they are ask for none), each with its form
    field and kind; and the fields whose format is wrong, by form field -> message kind."""
    changes: list = []
    where: list[tuple[str, str]] = []
    bad: dict[str, str] = {}

    def add(field: str, kind: str, make) -> None:
        try:
            changes.append(make())
            where.append((field, kind))
        except ValidationError:
            bad[field] = f"{kind}-format" if kind in ("quantity", "valid_to") else kind

    for line in lic.lines:
        n = line.line_no
        q = typed.get(f"quantity-{n}", str(line.licensed))
        try:
            same = q == "" or Decimal(q) == line.licensed
        except InvalidOperation:
            same = False
        if not same:
            add(f"quantity-{n}", "quantity", lambda n=n, q=q: ChangeQuantity(kind="change_quantity", line_no=n, quantity=q))
        for name in ("description", "hs_code"):
            value = typed.get(f"{name}-{n}", getattr(line, name))
            if value != getattr(line, name):
                add(f"{name}-{n}", name, lambda n=n, name=name, value=value: CorrectDetail(
                    kind="correct_detail", field=name, line_no=n, value=value))
    valid_to = typed.get("valid_to", "")
    if valid_to and valid_to != lic.valid_to.isoformat():
        add("valid_to", "valid_to", lambda: ExtendValidity(kind="extend_validity", valid_to=valid_to))
    note = typed.get("address_note", lic.consignee_address_note or "")
    if note != (lic.consignee_address_note or ""):
        add("address_note", "address_note", lambda: CorrectDetail(
            kind="correct_detail", field="consignee_address_note", value=note))
    return changes, where, bad


@router.post("/licences/{number}/amend")
async def amend(request: Request, principal: SignedInPrincipal, session: SessionDep, number: Number) -> Response:
    form = await request.form()
    check_csrf(request, form.get(CSRF_FIELD))
    require(principal, "amendment.request")
    locale = request_locale(request)
    lic = licences.get(session, principal, number)
    keys = ["valid_to", "address_note", "reason"] + [f"{k}-{line.line_no}" for line in lic.lines
                                                       for k in ("quantity", "description", "hs_code")]
    # A field the form did not send asks for no change (a browser sends them all).
    typed = {k: _text(form, k, 5000 if k == "reason" else 2000) for k in keys if k in form or k == "reason"}
    changes, where, bad = _changes(lic, typed)
    errors = {field: gettext(locale, FIELD_MESSAGES[kind]) for field, kind in bad.items()}
    if not changes and not bad:
        errors["changes"] = gettext(locale, "Change at least one thing: a quantity, the last day of validity or a "
                                            "detail.")
    if len(typed["reason"]) < 3:
        errors["reason"] = gettext(locale, "Say why you ask for the amendment (at least 3 characters).")
    if errors:
        return _form_page(request, session, principal, number, form=typed, errors=errors, status=400)
    try:
        am = service.request(session, principal, number, AmendmentIn(changes=changes, reason=typed["reason"]))
    except InvalidInput as exc:
        session.rollback()
        errors = {}
        for e in exc.extra.get("errors", []):
            field, kind = where[e["change_index"]]
            errors.setdefault(field, e["message"] if locale == "en" else gettext(locale, FIELD_MESSAGES[kind]))
        return _form_page(request, session, principal, number, form=typed, status=422,
                          errors=errors or {"summary": problem_text(locale, exc)})
    except Problem as exc:
        session.rollback()
        return _form_page(request, session, principal, number, form=typed, status=exc.status,
                          errors={"summary": problem_text(locale, exc)})
    return RedirectResponse(f"/amendments/{am.id}?done=requested", status_code=303)

