"""The customs desk: find a licence by its number (typed or scanned), see what remains on each
line, record a declaration against it, cancel one with a reason.

The page calls the same services as ``/api/v1/licences/{number}/shipments``, so the same lock,
the same checks and the same audit apply: a declaration that would exceed what remains is
refused whole, and the page says which line and by how much, in the officer's language.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from rarex.core.authz import Principal, require
from rarex.core.errors import InvalidInput, Problem
from rarex.licences import service as licences
from rarex.licences import views as licence_views
from rarex.policy.service import get_pack
from rarex.shipments import service as shipments
from rarex.shipments import views as shipment_views
from rarex.shipments.schemas import CancelIn, ShipmentIn
from rarex.web.deps import SessionDep
from rarex.web.i18n import gettext, request_locale
from rarex.web.ui.render import render
from rarex.web.ui.session import CSRF_FIELD, SignedInPrincipal, check_csrf

router = APIRouter(include_in_schema=False)

#: How many of a licence's declarations the desk lists, newest first.
RECENT = 50


def _licence_context(session: Session, principal: Principal, number: str) -> dict[str, Any]:
    lic = licences.get(session, principal, number)
    out = licence_views.detail(session, lic)
    recent = shipments.list_for_licence(session, principal, lic.number, limit=RECENT, newest_first=True)
    return {"licence": out, "shipments": shipment_views.details(session, recent)}


@router.get("/customs", name="customs_desk")
def desk(request: Request, principal: SignedInPrincipal, number: str = "") -> Response:
    require(principal, "shipment.record")
    number = number.strip().upper()[:40]
    if number:
        return RedirectResponse(f"/customs/licences/{quote(number)}", status_code=303)
    pack = get_pack()
    # An example in the pack's own numbering, of this year: it neither hard-codes a format nor ages.
    example = pack.licence_number(next(iter(pack.licence_types)), pack.today().year, 12)
    return render(request, "ui/customs/desk.html", {"number": "", "example": example})


@router.get("/customs/licences/{number}", name="customs_licence")
def licence_page(request: Request, principal: SignedInPrincipal, session: SessionDep, number: str,
                 recorded: str = "", again: str = "", cancelled: str = "") -> Response:
    require(principal, "shipment.record")
    ctx = _licence_context(session, principal, number[:40])
    ctx.update(form=_blank_form(), errors={}, line_errors={}, notice=_notice(recorded, again, cancelled))
    return render(request, "ui/customs/licence.html", ctx)


def _blank_form() -> dict[str, Any]:
    return {"declaration": "", "date": get_pack().today().isoformat(), "port": "", "quantities": {}}


def _notice(recorded: str, again: str, cancelled: str) -> dict[str, str] | None:
    for kind, value in (("recorded", recorded), ("again", again), ("cancelled", cancelled)):
        if value:
            return {"kind": kind, "declaration": value[:40]}
    return None


@router.post("/customs/licences/{number}/shipments")
async def record(request: Request, principal: SignedInPrincipal, session: SessionDep, number: str) -> Response:
    form = await request.form()
    check_csrf(request, form.get(CSRF_FIELD))
    require(principal, "shipment.record")
    locale = request_locale(request)
    lic = licences.get(session, principal, number[:40])
    typed: dict[str, Any] = {
        "declaration": str(form.get("declaration") or "")[:40].strip(),
        "date": str(form.get("date") or "")[:10].strip(),
        "port": str(form.get("port") or "")[:64].strip(),
        "quantities": {line.line_no: str(form.get(f"line-{line.line_no}") or "")[:32].strip() for line in lic.lines},
    }
    errors: dict[str, str] = {}
    line_errors: dict[int, str] = {}
    lines: list[dict[str, Any]] = []
    for line in lic.lines:
        text = typed["quantities"][line.line_no]
        if not text:
            continue
        try:
            quantity = Decimal(text.replace(",", ""))
        except InvalidOperation:
            line_errors[line.line_no] = gettext(locale, "Enter a number, such as 250 or 12.5.")
            continue
        if quantity <= 0:
            line_errors[line.line_no] = gettext(locale, "Enter a quantity above zero, or leave the line empty.")
            continue
        lines.append({"item": line.control_code, "end_user": str(line.end_user_id or ""), "quantity": str(quantity),
                      "unit": line.unit, "_line_no": line.line_no})
    if not typed["declaration"]:
        errors["declaration"] = gettext(locale, "Enter the export declaration number.")
    if not lines and not line_errors:
        errors["line-1"] = gettext(locale, "Enter the quantity shipped on at least one line.")
    if not errors and not line_errors:
        try:
            body = ShipmentIn.model_validate({**{k: typed[k] for k in ("declaration", "date", "port")},
                                              "lines": [{k: v for k, v in ln.items() if k != "_line_no"} for ln in lines]})
        except ValidationError as exc:
            _validation_errors(locale, exc, errors)
        else:
            try:
                shipment, created = shipments.record(session, principal, lic.number, body)
            except Problem as exc:
                _service_error(locale, exc, errors, line_errors, [ln["_line_no"] for ln in lines], lic)
            else:
                param = "recorded" if created else "again"
                return RedirectResponse(f"/customs/licences/{quote(lic.number)}?{param}={quote(shipment.declaration)}",
                                        status_code=303)
    session.rollback()  # nothing of a refused declaration stays, and the page shows the lines as they are
    ctx = _licence_context(session, principal, lic.number)
    ctx.update(form=typed, errors=errors, line_errors=line_errors, notice=None)
    return render(request, "ui/customs/licence.html", ctx, status=409 if errors.get("summary") else 400)


def _validation_errors(locale: str, exc: ValidationError, errors: dict[str, str]) -> None:
    for e in exc.errors():
        field = str(e["loc"][0]) if e["loc"] else ""
        if field == "declaration":
            errors["declaration"] = gettext(locale, "A declaration number has letters and digits only (with . _ or -), "
                                                    "at most 40.")
        elif field == "date":
            errors["date"] = gettext(locale, "Enter the declaration date as YYYY-MM-DD.")
        elif field == "port":
            errors["port"] = gettext(locale, "The port code is too long.")
        else:
            errors["line-1"] = gettext(locale, "Check the quantities.")


def _service_error(locale: str, exc: Problem, errors: dict[str, str], line_errors: dict[int, str],
                   declared: list[int], lic) -> None:
    """The service's refusal beside the field it concerns, in the page's language."""
    if exc.slug == "quantity-exceeded":
        for over in exc.extra.get("lines", []):
            line_errors[int(over["licence_line"])] = gettext(
                locale, "%(requested)s %(unit)s is more than the %(remaining)s %(unit)s that remain on this line.",
                requested=over["requested"], remaining=over["remaining"], unit=over["unit"])
        errors["summary"] = gettext(locale, "The declaration was refused: it would exceed what remains. Nothing was drawn.")
    elif exc.slug == "prohibited":
        errors["summary"] = gettext(locale, "A prohibition covers this shipment (%(refs)s): it may not be exported. "
                                            "Nothing was drawn.", refs=", ".join(exc.extra.get("legal_refs", [])) or "—")
    elif exc.slug == "licence-not-usable":
        errors["summary"] = gettext(locale, "This licence cannot be drawn on in its present state. Nothing was drawn.")
    elif exc.slug == "declaration-conflict":
        errors["declaration"] = gettext(locale, "This declaration number was already recorded with other goods or "
                                                "on another licence.")
    elif isinstance(exc, InvalidInput) and exc.extra.get("field") == "date":
        errors["date"] = gettext(locale, "The date is outside the licence's validity (%(start)s to %(end)s).",
                                 start=lic.valid_from.isoformat(), end=lic.valid_to.isoformat())
    else:
        raise exc


@router.get("/customs/shipments/{declaration}/cancel", name="customs_cancel")
def cancel_page(request: Request, principal: SignedInPrincipal, session: SessionDep, declaration: str) -> Response:
    require(principal, "shipment.cancel")
    shipment = shipment_views.one(session, shipments.get(session, principal, declaration[:40]))
    return render(request, "ui/customs/cancel.html", {"shipment": shipment, "reason": "", "errors": {}})


@router.post("/customs/shipments/{declaration}/cancel")
async def cancel(request: Request, principal: SignedInPrincipal, session: SessionDep, declaration: str) -> Response:
    form = await request.form()
    check_csrf(request, form.get(CSRF_FIELD))
    require(principal, "shipment.cancel")
    locale = request_locale(request)
    reason = str(form.get("reason") or "")[:5000].strip()
    if len(reason) < 3:
        shipment = shipment_views.one(session, shipments.get(session, principal, declaration[:40]))
        errors = {"reason": gettext(locale, "Say why the declaration is cancelled (at least 3 characters).")}
        return render(request, "ui/customs/cancel.html", {"shipment": shipment, "reason": reason, "errors": errors},
                      status=400)
    done = shipments.cancel(session, principal, declaration[:40], CancelIn(reason=reason).reason)
    number = shipment_views.one(session, done).licence
    return RedirectResponse(f"/customs/licences/{quote(number)}?cancelled={quote(done.declaration)}", status_code=303)
