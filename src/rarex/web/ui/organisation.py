"""An exporter's organisation and compliance profile: its details, the facts of its profile
(each verified by an officer or only stated), its recorded violations, and its eligibility for a
licence type condition by condition, with what it lacks and why in the reader's language.

An exporter sees its own organisation (``/organisation``) and may change its address and
contacts and its compliance profile, as ``PATCH /organisations/{id}`` and ``PUT
.../compliance-profile`` allow; the ministry's reviewers and auditors open any organisation at
``/organisations/{id}``. Another exporter's organisation is not found.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel
from sqlalchemy.orm import Session

from rarex.core.authz import Principal, allowed, require
from rarex.core.db import MAX_ROW_ID
from rarex.core.errors import Conflict, InvalidInput
from rarex.core.inputs import InputDate
from rarex.eligibility.service import evaluate, today
from rarex.parties import service, verification
from rarex.parties.models import VERIFIED_FACTS
from rarex.parties.service import ORG_CONTACT, PROFILE_FIELDS, profile_of
from rarex.policy.service import get_pack
from rarex.web.csvout import csv_response
from rarex.web.deps import SessionDep
from rarex.web.i18n import gettext, request_locale
from rarex.web.paging import Cursor, decode_cursor, next_cursor
from rarex.web.ui.render import render
from rarex.web.ui.session import CSRF_FIELD, SignedInPrincipal, check_csrf

router = APIRouter(include_in_schema=False)

OrgId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]
CONTACT = tuple(ORG_CONTACT)
PROFILE = tuple(PROFILE_FIELDS)
DATES = ("icp_established_on", "icp_last_audit_on", "last_briefing_on")
NUMBERS = {"export_experience_years": (0, 100), "briefings_attended": (0, 10_000)}
YES_NO = ("has_icp", "stable_channels")
PAGE = 50


def _messages(locale: str) -> dict[str, str]:
    """What to say beside a field the service or the page refused."""
    return {
        "address": gettext(locale, "The address is too long."),
        "contact_name": gettext(locale, "The contact's name is too long."),
        "contact_email": gettext(locale, "Enter an e-mail address such as name@example.com, or leave it empty."),
        "contact_phone": gettext(locale, "The telephone number is too long."),
        "has_icp": gettext(locale, "Choose yes or no."),
        "stable_channels": gettext(locale, "Choose yes or no."),
        "foreign_control_list_affiliate": gettext(locale, "Choose yes, no or not stated."),
        "icp_established_on": gettext(locale, "Enter a date that has passed, such as 2020-01-31, or leave it empty."),
        "icp_last_audit_on": gettext(locale, "Enter a date that has passed and is not before the system was established, "
                                             "or leave it empty."),
        "last_briefing_on": gettext(locale, "Enter a date that has passed, such as 2020-01-31, or leave it empty."),
        "export_experience_years": gettext(locale, "Enter a whole number of years from 0 to 100."),
        "briefings_attended": gettext(locale, "Enter a whole number from 0 to 10000; it cannot be 0 when a last "
                                              "briefing date is given."),
        "notes": gettext(locale, "The notes are too long."),
    }


def _as_form(obj: Any, fields: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for f in fields:
        v = getattr(obj, f)
        out[f] = "" if v is None else ("yes" if v is True else "no" if v is False else str(v))
    return out


def _page(request: Request, session: Session, principal: Principal, org_id: int, *, licence_type: str = "general",
          on: dt.date | None = None, errors: dict[str, str] | None = None, contact: dict[str, str] | None = None,
          profile_form: dict[str, str] | None = None, note: str = "", done: str = "", status: int = 200) -> Response:
    require(principal, "eligibility.read")
    org = service.get_organisation(session, principal, org_id)  # another exporter's: not found
    pack = get_pack()
    if licence_type not in pack.licence_types:
        licence_type = "general"
    day = on or today(pack)
    profile = profile_of(session, org)
    result = evaluate(session, org, licence_type, day, pack=pack)
    can_edit = allowed(principal, "organisation.update")
    return render(request, "ui/organisation/page.html", {
        "org": org, "profile": profile, "violations": service.list_violations(session, principal, org.id),
        "facts": VERIFIED_FACTS, "unverified": set(profile.unverified), "result": result, "pack": pack, "on": day,
        "today": today(pack), "licence_type": licence_type,
        "types": [(code, t.label_zh if request_locale(request) == "zh" else t.label_en)
                  for code, t in pack.licence_types.items() if t.eligibility or t.exclusions],
        "lacking": [c for c in result.conditions if c.status != "met"],
        "caveat": pack.caveat_said(day), "can_edit": can_edit, "own": principal.org_id == org.id,
        "errors": errors or {}, "contact": contact or _as_form(org, CONTACT),
        "profile_form": profile_form or _as_form(profile, PROFILE), "done": done,
        "action": request.url.path, "can_verify": allowed(principal, "compliance_profile.verify"),
        "checked": json.dumps(profile.fact_values(), sort_keys=True), "note": note,
    }, status=status)


@router.get("/organisation", name="own_organisation")
def own_organisation(request: Request, principal: SignedInPrincipal, session: SessionDep,
                     licence_type: Annotated[str, Query(max_length=32)] = "general",
                     on: Annotated[InputDate | None, Query()] = None, done: str = "") -> Response:
    """The signed-in exporter's own organisation; staff, who belong to none, get the list."""
    if principal.org_id is None:
        return RedirectResponse("/organisations", status_code=303)
    return _page(request, session, principal, principal.org_id, licence_type=licence_type, on=on, done=done[:20])


class OrganisationRow(BaseModel):
    id: int
    name_zh: str
    name_en: str
    uscc: str


@router.get("/organisations", name="organisations")
def organisations(request: Request, principal: SignedInPrincipal, session: SessionDep, cursor: Cursor = None,
                  format: Literal["html", "csv"] = "html") -> Response:
    """Every organisation the caller may see (an exporter: its own), by number; CSV of all."""
    require(principal, "eligibility.read")
    after = decode_cursor(cursor)
    rows = [OrganisationRow.model_validate(o, from_attributes=True)
            for o in service.list_organisations(session, principal) if o.id > after]
    if format == "csv":
        return csv_response(rows, "organisations.csv", OrganisationRow)
    return render(request, "ui/organisation/list.html", {"organisations": rows[:PAGE], "next_cursor": next_cursor(rows, PAGE)})


@router.get("/organisations/{org_id}", name="organisation")
def organisation(request: Request, principal: SignedInPrincipal, session: SessionDep, org_id: OrgId,
                 licence_type: Annotated[str, Query(max_length=32)] = "general",
                 on: Annotated[InputDate | None, Query()] = None, done: str = "") -> Response:
    return _page(request, session, principal, org_id, licence_type=licence_type, on=on, done=done[:20])


def _back(request: Request, org_id: int, principal: Principal, done: str) -> RedirectResponse:
    base = "/organisation" if principal.org_id == org_id else f"/organisations/{org_id}"
    return RedirectResponse(f"{base}?done={done}", status_code=303)


@router.post("/organisations/{org_id}/contact")
async def change_contact(request: Request, principal: SignedInPrincipal, session: SessionDep, org_id: OrgId) -> Response:
    form = await request.form()
    check_csrf(request, form.get(CSRF_FIELD))
    typed = {f: str(form.get(f) or "")[:5000].strip() for f in CONTACT}
    try:
        service.update_organisation(session, principal, org_id, **typed)
    except InvalidInput as exc:
        session.rollback()
        field = str(exc.extra.get("field")) if exc.extra.get("field") in CONTACT else "address"
        return _page(request, session, principal, org_id, contact=typed, status=400,
                     errors={field: _messages(request_locale(request))[field]})
    return _back(request, org_id, principal, "contact")


def _profile_values(typed: dict[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """The profile as the service takes it, and the fields the page could not read."""
    values: dict[str, Any] = {"notes": typed["notes"]}
    bad: list[str] = []
    for f in YES_NO:
        if typed[f] not in ("yes", "no"):
            bad.append(f)
        values[f] = typed[f] == "yes"
    affiliate = typed["foreign_control_list_affiliate"]
    if affiliate not in ("yes", "no", ""):
        bad.append("foreign_control_list_affiliate")
    values["foreign_control_list_affiliate"] = {"yes": True, "no": False}.get(affiliate)
    for f in DATES:
        try:
            values[f] = dt.date.fromisoformat(typed[f]) if typed[f] else None
        except ValueError:
            bad.append(f)
    for f, (lo, hi) in NUMBERS.items():
        text = typed[f] or "0"
        if not text.isdigit() or not lo <= int(text) <= hi:
            bad.append(f)
        else:
            values[f] = int(text)
    return values, dict.fromkeys(bad, "")


@router.post("/organisations/{org_id}/profile")
async def change_profile(request: Request, principal: SignedInPrincipal, session: SessionDep, org_id: OrgId) -> Response:
    form = await request.form()
    check_csrf(request, form.get(CSRF_FIELD))
    typed = {f: str(form.get(f) or "")[:5000].strip() for f in PROFILE}
    messages = _messages(request_locale(request))
    values, bad = _profile_values(typed)
    try:
        if bad:
            require(principal, "organisation.update")
            service.get_organisation(session, principal, org_id)  # refuse another's before saying what is wrong
        else:
            service.update_compliance_profile(session, principal, org_id, **values)
    except InvalidInput as exc:
        session.rollback()
        bad = {str(exc.extra.get("field")) if exc.extra.get("field") in PROFILE else "notes": ""}
    if bad:
        return _page(request, session, principal, org_id, profile_form=typed, status=400,
                     errors={f: messages[f] for f in bad})
    return _back(request, org_id, principal, "profile")


@router.post("/organisations/{org_id}/verify")
async def verify_profile(request: Request, principal: SignedInPrincipal, session: SessionDep, org_id: OrgId) -> Response:
    """An officer verifies the facts as the page showed them; if the exporter changed one since,
    nothing is verified and the page shows the profile as it is now."""
    form = await request.form()
    check_csrf(request, form.get(CSRF_FIELD))
    locale = request_locale(request)
    note = str(form.get("note") or "")[:20_000].strip()
    try:
        checked = json.loads(str(form.get("checked") or "{}"))
    except ValueError:
        checked = None
    try:
        if not isinstance(checked, dict):
            raise InvalidInput("the facts checked are not readable", field="values")
        verification.verify_profile(session, principal, org_id, note=note, expected=checked)
    except Conflict:
        session.rollback()
        return _page(request, session, principal, org_id, note=note, status=409, errors={"note": gettext(
            locale, "The exporter changed the profile after you read it. Nothing was verified: read it again, then "
                    "verify what it says now.")})
    except InvalidInput as exc:
        session.rollback()
        message = (gettext(locale, "The note is too long.") if exc.extra.get("field") == "note"
                   else gettext(locale, "Reload the page and verify again."))
        return _page(request, session, principal, org_id, note=note, status=400, errors={"note": message})
    return _back(request, org_id, principal, "verified")
