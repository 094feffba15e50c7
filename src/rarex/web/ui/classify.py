"""The classification helper: describe an item (and, if you like, the deal) and a date, and see
whether it is controlled on that date, the entries it is or may be with their control codes and
legal basis, what decides between candidates, the technology catalogue's word, whether a licence
is needed and which licence types are open (licence determination), and the pack's caveat.

It calls the same services as ``POST /api/v1/policy/classify`` and ``POST
/api/v1/policy/determine``; it only reads, so the form is a GET that a person can bookmark. An
exporter's question about licence types is answered with its own organisation's eligibility.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import ValidationError

from rarex.core.authz import allowed
from rarex.core.errors import InvalidInput
from rarex.determination.schemas import DetermineIn
from rarex.determination.service import determine
from rarex.parties.models import Organisation
from rarex.parties.service import get_organisation
from rarex.policy.classify import classify
from rarex.policy.service import get_pack
from rarex.web.deps import SessionDep
from rarex.web.i18n import gettext, request_locale
from rarex.web.ui.parties import countries
from rarex.web.ui.render import render
from rarex.web.ui.session import SignedInPrincipal

router = APIRouter(include_in_schema=False)

ITEM = ("description", "element", "form", "hs_code", "code")
DEAL = ("destination", "end_user_category", "end_use_category")
LIMITS = {"description": 2000, "element": 40, "form": 40, "hs_code": 20, "code": 16, "destination": 3,
          "end_user_category": 40, "end_use_category": 40, "on": 10}


def _messages(locale: str) -> dict[str, str]:
    return {
        "description": gettext(locale, "Describe the item (at most 2000 characters), or give its element, form, customs "
                                       "code or control code."),
        "element": gettext(locale, "Give a rare-earth element by its symbol or name, such as Dy or 镝."),
        "form": gettext(locale, "Choose a form from the list."),
        "hs_code": gettext(locale, "Enter a customs code of 4 to 10 digits, such as 2846901940."),
        "code": gettext(locale, "Enter a control code of the pack, such as 1C902.a, or leave it empty."),
        "on": gettext(locale, "Enter a date such as 2026-01-31."),
        "destination": gettext(locale, "Choose the country the item goes to."),
        "end_user_category": gettext(locale, "Choose what kind of end user receives the item."),
        "end_use_category": gettext(locale, "Choose a kind of end use from the list."),
    }


@router.get("/classify", name="classify")
def classify_page(request: Request, principal: SignedInPrincipal, session: SessionDep) -> Response:
    locale = request_locale(request)
    pack = get_pack()
    typed = {k: str(request.query_params.get(k) or "")[:LIMITS[k]].strip() for k in (*ITEM, *DEAL, "on")}
    asked = any(typed[k] for k in ITEM)
    can_determine = allowed(principal, "determination.run")
    errors: dict[str, str] = {}
    result: dict[str, Any] = {}
    if asked:
        result, errors = _answer(session, principal, typed, can_determine)
    elif "description" in request.query_params:  # the form was sent empty
        errors = {"description": ""}
    messages = _messages(locale)
    return render(request, "ui/classify.html", {
        "form": typed, "errors": {k: messages[k] for k in errors}, "today": pack.today(),
        "forms": [(code, f.label_zh if locale == "zh" else f.label_en) for code, f in pack.forms.items()],
        "countries": countries(locale), "can_determine": can_determine,
        "user_categories": [(c, x.label_zh if locale == "zh" else x.label_en) for c, x in pack.end_user_categories.items()],
        "use_categories": [(c, x.label_zh if locale == "zh" else x.label_en) for c, x in pack.end_use_categories.items()],
        "types": pack.licence_types, **result,
    }, status=400 if errors else 200)


def _answer(session, principal, typed: dict[str, str], can_determine: bool) -> tuple[dict[str, Any], dict[str, str]]:
    pack = get_pack()
    try:
        on = dt.date.fromisoformat(typed["on"]) if typed["on"] else pack.today()
    except ValueError:
        return {}, {"on": ""}
    item = {k: typed[k] or None for k in ITEM}
    deal = can_determine and bool(typed["destination"] or typed["end_user_category"])
    try:
        missing = {k: "" for k in ("destination", "end_user_category") if deal and not typed[k]}
        if not deal or missing:
            return {"classification": classify(pack, on=on, **item), "on": on, "caveat": pack.caveat_said(on)}, missing
        body = DetermineIn(on=on, **item, **{k: typed[k] or None for k in DEAL})
        org: Organisation | None = get_organisation(session, principal, principal.org_id) if principal.org_id else None
        d = determine(pack, body, session=session, org=org)
    except InvalidInput as exc:
        return {}, {_field(exc.extra.get("field")): ""}
    except ValidationError as exc:
        return {}, {_field(exc.errors()[0]["loc"][0] if exc.errors() and exc.errors()[0]["loc"] else None): ""}
    return {"classification": d.classification, "determination": d, "on": on, "caveat": pack.caveat_said(on),
            "org": org}, {}


def _field(name: object) -> str:
    """The form field an error belongs to (the description when the service names none of them)."""
    return str(name) if name in (*ITEM, *DEAL) else "description"
