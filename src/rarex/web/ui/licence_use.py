"""A licence after it is issued, as its holder and the ministry follow it: the usage report for a
period (licence/usage.py, the same report as ``GET /api/v1/licences/{n}/usage-report``), the
licence's shipments, its versions, and applying again from it when an end user is to be added
or replaced (applications/replacement.py: the end user is a key element, so that is a new
application, never an amendment, DUR Art. 18 para. 2). The reapply form lives on the licence
page (ui/licences.py), which shows its errors; what that page shows of all this is
ui/licence_extras.py.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Annotated, Literal
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from rarex.amendments import service as amendments
from rarex.amendments import views as amendment_views
from rarex.applications import replacement
from rarex.applications.schemas import ItemIn, NewEndUserIn, ReapplyIn
from rarex.core.authz import allowed
from rarex.core.db import MAX_ROW_ID
from rarex.core.errors import InvalidInput, Problem
from rarex.documents import service as documents
from rarex.licences import service as licences
from rarex.licences import usage
from rarex.licences.models import Licence
from rarex.policy.service import get_pack
from rarex.shipments import service as shipments
from rarex.shipments import views as shipment_views
from rarex.shipments.models import ShipmentStatus
from rarex.shipments.schemas import ShipmentRow
from rarex.web.csvout import csv_response
from rarex.web.deps import SessionDep
from rarex.web.i18n import N_, gettext, request_locale
from rarex.web.ui.cases import problem_text
from rarex.web.ui.licences import licence_page_response
from rarex.web.ui.render import render
from rarex.web.ui.session import CSRF_FIELD, SignedInPrincipal, check_csrf

router = APIRouter(include_in_schema=False)

Number = Annotated[str, Path(min_length=1, max_length=40)]
PAGE = 50
#: Shipments of one licence are sorted in memory; a licence has hundreds, not millions.
MAX_SHIPMENTS = 100_000
SHIPMENT_SORTS = {
    "newest": (lambda s: (s.date, s.declaration), True),
    "oldest": (lambda s: (s.date, s.declaration), False),
    "declaration": (lambda s: s.declaration, False),
    "port": (lambda s: (s.port, s.date), False),
}
CENT = Decimal("0.01")


# --- the usage report ---------------------------------------------------------------------------


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        raise InvalidInput(f"{text!r} is not a date") from None


@router.get("/licences/{number}/usage", name="licence_usage")
def usage_page(request: Request, principal: SignedInPrincipal, session: SessionDep, number: Number,
               date_from: Annotated[str, Query(alias="from", max_length=20)] = "",
               date_to: Annotated[str, Query(alias="to", max_length=20)] = "",
               format: Literal["html", "csv"] = "html") -> Response:
    """The holder's usage report for a period (default: the current reporting period), or its CSV."""
    locale = request_locale(request)
    errors: dict[str, str] = {}
    dates: dict[str, dt.date | None] = {}
    for key, text in (("from", date_from.strip()), ("to", date_to.strip())):
        try:
            dates[key] = _date(text)
        except InvalidInput:
            dates[key] = None
            errors[f"period-{key}"] = gettext(locale, "Enter a date as YYYY-MM-DD, for example %(example)s.",
                                              example=get_pack().today().isoformat())
    try:
        report = usage.usage_report(session, principal, number, date_from=dates["from"], date_to=dates["to"])
    except InvalidInput:  # from after to: the default period instead, and say why
        errors["period-to"] = gettext(locale, "The last day must not be before the first day.")
        report = usage.usage_report(session, principal, number)
    if format == "csv" and not errors:
        return csv_response(usage.csv_rows(report), f"usage-{number}-{report.period_from}-{report.period_to}.csv",
                            usage.UsageCsvRow)
    return render(request, "ui/licence/usage.html", {
        "report": report, "errors": errors, "form": {"from": date_from, "to": date_to},
        "csv_query": urlencode({"from": report.period_from.isoformat(), "to": report.period_to.isoformat(),
                                "format": "csv"}),
    }, status=400 if errors else 200)


# --- shipments of the licence ---------------------------------------------------------------------


@router.get("/licences/{number}/shipments", name="licence_shipments")
def shipments_page(request: Request, principal: SignedInPrincipal, session: SessionDep, number: Number,
                   status: Annotated[str, Query(max_length=20)] = "",
                   sort: Literal["newest", "oldest", "declaration", "port"] = "newest",
                   page: Annotated[int, Query(ge=1, le=100_000)] = 1,
                   format: Literal["html", "csv"] = "html") -> Response:
    """A licence's declarations, by status, sorted, a page at a time or as CSV (one row per line)."""
    wanted = ShipmentStatus(status) if status in {s.value for s in ShipmentStatus} else None
    lic = licences.get(session, principal, number)  # 404 for another organisation's licence
    rows = shipments.list_for_licence(session, principal, lic.number, status=wanted, limit=MAX_SHIPMENTS)
    key, reverse = SHIPMENT_SORTS[sort]
    items = sorted(shipment_views.details(session, rows), key=key, reverse=reverse)
    if format == "csv":
        return csv_response(shipment_views.csv_rows(items), f"shipments-{lic.number}.csv", ShipmentRow)
    query = {"status": status, "sort": sort}
    return render(request, "ui/licence/shipments.html", {
        "number": lic.number, "shipments": items[(page - 1) * PAGE: page * PAGE], "total": len(items), "page": page,
        "status": status, "statuses": [s.value for s in ShipmentStatus], "sort": sort, "sorts": list(SHIPMENT_SORTS),
        "csv_query": urlencode(query | {"format": "csv"}),
        "prev_query": urlencode(query | {"page": page - 1}) if page > 1 else "",
        "next_query": urlencode(query | {"page": page + 1}) if page * PAGE < len(items) else "",
    })


# --- versions ---------------------------------------------------------------------------------------


@router.get("/licences/{number}/versions", name="licence_versions")
def versions_page(request: Request, principal: SignedInPrincipal, session: SessionDep, number: Number) -> Response:
    """Every version of the licence, newest first; each made by an amendment links to it."""
    lic, past = amendments.versions(session, principal, number)
    out = amendment_views.versions(session, lic, past)
    return render(request, "ui/licence/versions.html", {
        "number": lic.number, "versions": list(reversed(out)), "can_read_amendments": allowed(principal, "amendment.read"),
        "documented": documents.documented_versions(session, lic.id),
    })


# --- applying again ------------------------------------------------------------------------------------

#: The page's words for what the replacement service refused, per form field.
REAPPLY_MESSAGES = {
    "reapply-end_user": N_("Choose one of your organisation's parties that is not already an end user of this licence."),
    "reapply-replaces": N_("Choose an end user of this licence, or none to add the new end user beside them."),
    "reapply-line": N_("Choose the licence line whose item the new end user is to receive."),
    "reapply-quantity": N_("Enter a quantity greater than 0, with at most 6 decimal places."),
    "reapply-confirm": N_("Confirm that you understand this licence will be replaced."),
}


def _row_id(text: str) -> int | None:
    return int(text) if text.isascii() and text.isdigit() and 0 < int(text) <= MAX_ROW_ID else None


def _reapply_body(lic: Licence, typed: dict[str, str]) -> tuple[ReapplyIn | None, list[str]]:
    """The request to the replacement service, or the fields to fix (keys of REAPPLY_MESSAGES)."""
    bad: list[str] = [] if typed["confirm"] == "yes" else ["reapply-confirm"]
    end_user, replaces = _row_id(typed["end_user"]), _row_id(typed["replaces"])
    if end_user is None:
        bad.append("reapply-end_user")
    if typed["replaces"] and replaces is None:
        bad.append("reapply-replaces")
    items: list[ItemIn] = []
    if replaces is None:  # an added end user needs its line: the item of one of the licence's lines
        line = next((ln for ln in lic.lines if str(ln.line_no) == typed["line"]), None)
        if line is None:
            bad.append("reapply-line")
        try:
            quantity = Decimal(typed["quantity"])
            if line is not None:
                unit_value = line.value / line.licensed if line.licensed > 0 else Decimal(0)
                items.append(ItemIn(control_code=line.control_code, hs_code=line.hs_code, description=line.description,
                                    quantity=quantity, unit=line.unit, currency=line.currency,
                                    value=(unit_value * quantity).quantize(CENT, rounding=ROUND_HALF_UP)))
        except (InvalidOperation, ValidationError):
            bad.append("reapply-quantity")
    if bad:
        return None, bad
    assert end_user is not None
    return ReapplyIn(end_users=[NewEndUserIn(end_user_id=end_user, replaces_end_user_id=replaces, items=items)]), []


def _reapply_field(problem_field: str) -> str:
    for part, key in (("replaces_end_user_id", "reapply-replaces"), ("end_user_id", "reapply-end_user"),
                      ("items", "reapply-quantity")):
        if part in problem_field:
            return key
    return "summary"


@router.post("/licences/{number}/reapply")
async def reapply(request: Request, principal: SignedInPrincipal, session: SessionDep, number: Number) -> Response:
    """Draft the application that replaces the licence; the licence page then links to it."""
    form = await request.form()
    check_csrf(request, form.get(CSRF_FIELD))
    locale = request_locale(request)
    typed = {k: str(form.get(k) or "")[:40].strip() for k in ("end_user", "replaces", "line", "quantity", "confirm")}
    shown = {f"reapply-{k}": v for k, v in typed.items()} | {"action": "reapply"}
    lic = licences.get(session, principal, number)
    body, bad = _reapply_body(lic, typed)
    if body is None:
        return licence_page_response(request, session, principal, number, status=400, form=shown,
                                     errors={k: gettext(locale, REAPPLY_MESSAGES[k]) for k in bad})
    try:
        app = replacement.reapply(session, principal, number, body)
    except Problem as exc:
        session.rollback()
        fields = [e.get("field", "") for e in exc.extra.get("errors", [])] or [str(exc.extra.get("field") or "")]
        if exc.status == 404:  # the party named is not on the holder's file (the licence itself was found above)
            key, status = "reapply-end_user", 422
        else:
            key, status = (_reapply_field(fields[0]) if exc.status in (400, 422) else "summary"), exc.status
        message = gettext(locale, REAPPLY_MESSAGES[key]) if key != "summary" else problem_text(locale, exc)
        if key != "summary" and locale == "en":
            message = f"{message} {exc.detail}"
        return licence_page_response(request, session, principal, number, status=status, form=shown,
                                     errors={key: message})
    return RedirectResponse(f"/licences/{quote(number)}?done=reapplied&application={app.id}", status_code=303)
