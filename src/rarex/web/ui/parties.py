"""An exporter's consignees and end users: the list (search, country, CSV), putting a party on
file, and editing one. An edit is a new version of the party; cases and licences keep the
version they were decided on, and a key element of a party named on a live case or licence
cannot change (party_edits/), which the page explains beside the field."""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Any, Literal

import pycountry
from babel import Locale
from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import RedirectResponse, Response

from rarex.core.authz import Principal, allowed, require
from rarex.core.db import MAX_ROW_ID
from rarex.core.errors import Conflict, InvalidInput
from rarex.parties import service
from rarex.parties.schemas import PartyOut
from rarex.party_edits.service import edit_party
from rarex.policy.service import get_pack
from rarex.web.csvout import csv_response
from rarex.web.deps import SessionDep
from rarex.web.i18n import gettext, request_locale
from rarex.web.paging import Cursor, decode_cursor, next_cursor
from rarex.web.ui.render import render
from rarex.web.ui.session import CSRF_FIELD, SignedInPrincipal, check_csrf

router = APIRouter(include_in_schema=False)

PartyId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]
FIELDS = ("name", "name_local", "country", "end_user_category", "address", "business", "website")
PAGE = 50


@lru_cache
def countries(locale: str) -> list[tuple[str, str]]:
    """(code, name in the page's language), sorted by name, for the country select."""
    names = Locale.parse("zh_Hans" if locale == "zh" else locale).territories
    return sorted(((c.alpha_2, names.get(c.alpha_2, c.name)) for c in pycountry.countries), key=lambda p: p[1])


@router.get("/parties", name="parties")
def parties(request: Request, principal: SignedInPrincipal, session: SessionDep,
            q: Annotated[str, Query(max_length=200)] = "", country: Annotated[str, Query(max_length=2)] = "",
            cursor: Cursor = None, format: Literal["html", "csv"] = "html") -> Response:
    limit = 100_000 if format == "csv" else PAGE
    rows = service.list_parties(session, principal, q=q or None, country=country or None,
                                after_id=decode_cursor(cursor), limit=limit + 1)
    if format == "csv":
        return csv_response([PartyOut.model_validate(p) for p in rows[:limit]], "parties.csv", PartyOut)
    after = next_cursor(rows, limit)
    return render(request, "ui/parties/list.html", {
        "parties": rows[:limit], "q": q, "country": country, "next_cursor": after,
        "countries": dict(countries(request_locale(request))), "can_write": allowed(principal, "party.write"),
    })


@router.get("/parties/new", name="party_new")
def new_party_page(request: Request, principal: SignedInPrincipal) -> Response:
    return _form(request, principal, None, dict.fromkeys(FIELDS, ""), {})  # the category is chosen, never assumed


def _form(request: Request, principal: Principal, party: Any, form: dict[str, str], errors: dict[str, str],
          status: int = 200, versions: list | None = None, done: str = "") -> Response:
    require(principal, "party.write" if party is None else "party.read")
    return render(request, "ui/parties/form.html", {
        "party": party, "form": form, "errors": errors, "versions": versions or [], "done": done,
        "countries": countries(request_locale(request)), "country_names": dict(countries(request_locale(request))),
        "category_pairs": [(code, c.label_zh if request_locale(request) == "zh" else c.label_en)
                           for code, c in get_pack().end_user_categories.items()],
        "can_write": allowed(principal, "party.write"),
    }, status=status)


def _typed(form_data) -> dict[str, str]:
    return {k: str(form_data.get(k) or "")[:2000].strip() for k in FIELDS}


def _field_errors(locale: str, exc: Exception) -> dict[str, str]:
    if isinstance(exc, Conflict) and exc.slug == "party-in-use":
        message = gettext(locale, "This party is named on a live case or licence, which was decided on this value. "
                                  "Nothing was changed: put the party on file again with the new details and apply again.")
        return dict.fromkeys(exc.extra.get("fields", ["name"]), message)
    if isinstance(exc, Conflict):
        return {"name": gettext(locale, "Someone changed this party at the same time. Reload the page and try again.")}
    assert isinstance(exc, InvalidInput)
    field = exc.extra.get("field", "name")
    messages = {
        "name": gettext(locale, "Enter the party's name (at most 300 characters)."),
        "name_local": gettext(locale, "The name in its own script is too long."),
        "country": gettext(locale, "Choose the country of a foreign party."),
        "website": gettext(locale, "Enter a web address such as https://example.com, or leave it empty."),
        "address": gettext(locale, "The address is too long."),
        "business": gettext(locale, "The description of the business is too long."),
        "end_user_category": gettext(locale, "Choose what kind of end user this is."),
    }
    return {field if field in messages else "name": messages.get(field, messages["name"])}


@router.post("/parties/new")
async def create_party(request: Request, principal: SignedInPrincipal, session: SessionDep) -> Response:
    form_data = await request.form()
    check_csrf(request, form_data.get(CSRF_FIELD))
    form = _typed(form_data)
    try:
        party = service.create_party(session, principal, org_id=None, **form)
    except (InvalidInput, Conflict) as exc:
        session.rollback()
        return _form(request, principal, None, form, _field_errors(request_locale(request), exc), status=400)
    return RedirectResponse(f"/parties/{party.id}?done=created", status_code=303)


@router.get("/parties/{party_id}", name="party")
def party_page(request: Request, principal: SignedInPrincipal, session: SessionDep, party_id: PartyId,
               done: str = "") -> Response:
    party = service.get_party(session, principal, party_id)
    return _form(request, principal, party, {f: getattr(party, f) for f in FIELDS}, {},
                 versions=service.party_versions(session, principal, party_id), done=done[:20])


@router.post("/parties/{party_id}")
async def update_party(request: Request, principal: SignedInPrincipal, session: SessionDep, party_id: PartyId) -> Response:
    form_data = await request.form()
    check_csrf(request, form_data.get(CSRF_FIELD))
    form = _typed(form_data)
    try:
        edit_party(session, principal, party_id, **form)
    except (InvalidInput, Conflict) as exc:
        session.rollback()
        party = service.get_party(session, principal, party_id)
        return _form(request, principal, party, form, _field_errors(request_locale(request), exc), status=_status(exc),
                     versions=service.party_versions(session, principal, party_id))
    return RedirectResponse(f"/parties/{party_id}?done=saved", status_code=303)


def _status(exc: Exception) -> int:
    return 409 if isinstance(exc, Conflict) else 400
