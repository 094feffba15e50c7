"""An exporter drafts an application one thing per page: start (licence type, end use), items,
parties, documents, then check the answers (the automated checks with their reasons) and submit.

Each step saves the draft through the same service functions as ``POST``/``PATCH
/api/v1/applications`` and the document endpoints, with the same schemas (ApplicationIn,
ApplicationPatch, ItemIn); a refusal comes back beside the field that caused it, with what
the user typed kept. A draft is resumed from the list or its page (``/applications/{id}``),
which leads to the check page with a "Change" link for every step. A returned application is
a draft again and is corrected through the same steps.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from rarex.applications import service, uploads, views
from rarex.applications.models import Application
from rarex.applications.models import ApplicationStatus as S
from rarex.applications.schemas import ApplicationIn, ApplicationPatch, CheckOut, ItemIn
from rarex.core.authz import Principal, allowed, require
from rarex.core.db import MAX_ROW_ID
from rarex.core.errors import PayloadTooLarge, Problem
from rarex.core.settings import get_settings
from rarex.core.units import UNITS
from rarex.parties.service import list_parties
from rarex.policy.service import get_pack
from rarex.web.deps import SessionDep
from rarex.web.i18n import N_, gettext, request_locale
from rarex.web.ui.cases import problem_text
from rarex.web.ui.render import render
from rarex.web.ui.session import CSRF_FIELD, SignedInPrincipal, check_csrf

router = APIRouter(include_in_schema=False)

AppId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]
#: The steps in order: (slug, title). The check page is the last.
STEPS = (("start", N_("Licence and end use")), ("items", N_("Items")), ("parties", N_("Consignee and end user")),
         ("documents", N_("Documents")), ("check", N_("Check your answers")))
ITEM_FIELDS = ("control_code", "description", "hs_code", "quantity", "unit", "value", "currency", "end_user_id")
MAX_ROWS = 200
#: What each automated check looks at, in the page's words (its reason stays the service's).
CHECK_TITLES = {
    "completeness": N_("Items, end use and required documents"), "controlled": N_("Items on the control list"),
    "parties": N_("Consignee and end users named"), "validity": N_("Validity asked for"),
    "eligibility": N_("Eligibility for the licence type"), "prohibitions": N_("Prohibitions"),
    "control_list": N_("Parties on the control list"), "screening": N_("Restricted-party screening"),
}

_ITEM_MESSAGES = {
    "control_code": N_("Choose the item from the control list."),
    "description": N_("Describe the item (at most 2000 characters)."),
    "hs_code": N_("Enter the customs code as 4 to 10 digits, or leave it empty."),
    "quantity": N_("Enter a quantity greater than 0, such as 1250.5."),
    "unit": N_("Choose a unit."),
    "value": N_("Enter the value, 0 or more with at most two decimals, such as 312625.00."),
    "currency": N_("Enter a three-letter currency code such as USD."),
    "end_user_id": N_("Choose one of your end users."),
}


def _draft(session: Session, principal: Principal, app_id: int) -> Application:
    """The caller's own draft (another organisation's: 404); a case past drafting goes to its page."""
    require(principal, "application.draft")
    return service.get(session, principal, app_id)


def _not_draft(app: Application) -> Response | None:
    return RedirectResponse(f"/applications/{app.id}", status_code=303) if app.status != S.draft else None


async def _posted(request: Request, session: Session, principal: Principal, app_id: int) -> tuple[Any, Application]:
    """A step's form, once its token is checked, and the caller's draft it is about."""
    form = await request.form()
    check_csrf(request, form.get(CSRF_FIELD))
    return form, _draft(session, principal, app_id)


def _saved(session: Session, principal: Principal, app_id: int, patch: ApplicationPatch) -> Problem | None:
    """Save a step through the API's own service; the refusal, if any, with nothing changed."""
    try:
        service.update(session, principal, app_id, patch)
    except Problem as exc:
        session.rollback()
        return exc
    return None


def _step(request: Request, template: str, app: Application | None, step: str, ctx: dict[str, Any],
          *, status: int = 200) -> Response:
    """A step's page; "Back" leads to the step before (from the first, to the application or the list)."""
    slugs = [slug for slug, _ in STEPS]
    at = slugs.index(step)
    back = f"/applications/{app.id}/{slugs[at - 1]}" if app and at else f"/applications/{app.id}" if app else "/applications"
    return render(request, template, {"app": app, "steps": STEPS, "step": step, "back": back, "errors": {}, **ctx},
                  status=status)


def pairs(coded: dict[str, Any], locale: str) -> list[tuple[str, str]]:
    """(code, label in the page's language) of the pack's coded things, for a select."""
    return [(code, c.label_zh if locale == "zh" else c.label_en) for code, c in coded.items()]


def _text(form, name: str, limit: int = 5000) -> str:
    return str(form.get(name) or "")[:limit].strip()


# --- start: licence type and end use ------------------------------------------------------


def _start_page(request: Request, app: Application | None, form: dict[str, str], errors: dict[str, str],
                status: int = 200) -> Response:
    pack = get_pack()
    return _step(request, "ui/applications/start.html", app, "start", {
        "form": form, "errors": errors,
        "licence_types": [lt for lt in pack.licence_types.values() if lt.kind == "licence"],
        "use_pairs": pairs(pack.end_use_categories, request_locale(request)),
    }, status=status)


@router.get("/applications/new", name="application_new")
def new_application(request: Request, principal: SignedInPrincipal) -> Response:
    require(principal, "application.draft")
    return _start_page(request, None, {"licence_type": "", "end_use_category": "", "end_use": "",
                                       "requested_validity_months": ""}, {})


def _start_typed(form) -> dict[str, str]:
    return {k: _text(form, k, 5000 if k == "end_use" else 40)
            for k in ("licence_type", "end_use_category", "end_use", "requested_validity_months")}


def _start_errors(locale: str, typed: dict[str, str], *, new: bool) -> dict[str, str]:
    errors = {}
    pack = get_pack()
    if new and typed["licence_type"] not in {c for c, lt in pack.licence_types.items() if lt.kind == "licence"}:
        errors["licence_type"] = gettext(locale, "Choose the kind of licence you apply for.")
    if typed["end_use_category"] not in pack.end_use_categories:
        errors["end_use_category"] = gettext(locale, "Choose what the items will be used for.")
    if len(typed["end_use"]) < 3:
        errors["end_use"] = gettext(locale, "Describe the end use: what the items will become and where.")
    months = typed["requested_validity_months"]
    if months and not (months.isdigit() and 1 <= int(months) <= 120):
        errors["requested_validity_months"] = gettext(locale, "Enter a number of months from 1 to 120, or leave it empty.")
    return errors


def _problem_field(locale: str, exc: Problem, fields: dict[str, str], fallback: str) -> dict[str, str]:
    """A service's refusal beside the field it names (``fields``: field -> message), else in the summary."""
    field = str(exc.extra.get("field", ""))
    if field in fields:
        return {field: fields[field]}
    return {fallback: problem_text(locale, exc)}


@router.post("/applications/new")
async def create_application(request: Request, principal: SignedInPrincipal, session: SessionDep) -> Response:
    form = await request.form()
    check_csrf(request, form.get(CSRF_FIELD))
    require(principal, "application.draft")
    locale = request_locale(request)
    typed = _start_typed(form)
    errors = _start_errors(locale, typed, new=True)
    if not errors:
        try:
            app = service.create(session, principal, ApplicationIn(
                licence_type=typed["licence_type"], end_use=typed["end_use"], end_use_category=typed["end_use_category"],
                requested_validity_months=int(typed["requested_validity_months"]) if typed["requested_validity_months"] else None))
            return RedirectResponse(f"/applications/{app.id}/items", status_code=303)
        except Problem as exc:
            session.rollback()
            errors = _problem_field(locale, exc, {"requested_validity_months": gettext(
                locale, "That is longer than this kind of licence may be valid."),
                "licence_type": gettext(locale, "Choose the kind of licence you apply for.")}, "licence_type")
    return _start_page(request, None, typed, errors, status=400)


@router.get("/applications/{app_id}/start", name="application_start")
def start_page(request: Request, principal: SignedInPrincipal, session: SessionDep, app_id: AppId) -> Response:
    app = _draft(session, principal, app_id)
    return _not_draft(app) or _start_page(request, app, {
        "licence_type": app.licence_type, "end_use_category": app.end_use_category, "end_use": app.end_use,
        "requested_validity_months": str(app.requested_validity_months or "")}, {})


@router.post("/applications/{app_id}/start")
async def save_start(request: Request, principal: SignedInPrincipal, session: SessionDep, app_id: AppId) -> Response:
    form, app = await _posted(request, session, principal, app_id)
    if (moved := _not_draft(app)) is not None:
        return moved
    locale = request_locale(request)
    typed = {**_start_typed(form), "licence_type": app.licence_type}  # the type is chosen once; a new draft changes it
    errors = _start_errors(locale, typed, new=False)
    if not errors:
        months = typed["requested_validity_months"]
        refused = _saved(session, principal, app_id, ApplicationPatch(
            end_use=typed["end_use"], end_use_category=typed["end_use_category"],
            requested_validity_months=int(months) if months else None))
        if refused is None:
            return RedirectResponse(f"/applications/{app_id}/items", status_code=303)
        app = _draft(session, principal, app_id)
        errors = _problem_field(locale, refused, {"requested_validity_months": gettext(
            locale, "That is longer than this kind of licence may be valid.")}, "end_use")
    return _start_page(request, app, typed, errors, status=400)


# --- items ---------------------------------------------------------------------------------


def _blank_row() -> dict[str, str]:
    return {**dict.fromkeys(ITEM_FIELDS, ""), "unit": "kg", "currency": "USD"}


def _several_end_users(app: Application) -> bool:
    lt = get_pack().licence_types[app.licence_type]
    return lt.max_end_users is None or lt.max_end_users > 1


def _items_page(request: Request, session: Session, principal: Principal, app: Application, rows: list[dict[str, str]],
                errors: dict[str, str], status: int = 200) -> Response:
    pack = get_pack()
    several = _several_end_users(app)
    return _step(request, "ui/applications/items.html", app, "items", {
        "rows": rows, "errors": errors, "units": list(UNITS), "entries": pack.entries_in_force(pack.today()),
        "several_end_users": several,
        "bad_rows": {int(k.split("-")[1]) for k in errors if k.startswith("items-") and k.split("-")[1].isdigit()},
        "end_users": list_parties(session, principal, org_id=app.org_id, limit=500) if several else [],
    }, status=status)


@router.get("/applications/{app_id}/items", name="application_items")
def items_page(request: Request, principal: SignedInPrincipal, session: SessionDep, app_id: AppId) -> Response:
    app = _draft(session, principal, app_id)
    rows = [{f: "" if getattr(i, f) is None else str(getattr(i, f)) for f in ITEM_FIELDS} for i in app.items]
    return _not_draft(app) or _items_page(request, session, principal, app, rows or [_blank_row()], {})


def _rows_of(form) -> list[dict[str, str]]:
    count = _text(form, "rows", 4)
    n = min(int(count), MAX_ROWS) if count.isdigit() else 0
    return [{f: _text(form, f"items-{i}-{f}", 2000) for f in ITEM_FIELDS} for i in range(n)]


def _items_of(locale: str, rows: list[dict[str, str]]) -> tuple[list[ItemIn], dict[str, str]]:
    """The rows as ItemIn, and an error beside each field that is wrong."""
    items: list[ItemIn] = []
    errors: dict[str, str] = {}
    for i, row in enumerate(rows):
        try:
            items.append(ItemIn(**{k: v for k, v in row.items() if v != "" or k == "hs_code"}))
        except ValidationError as exc:
            for err in exc.errors():
                field = str(err["loc"][0]) if err["loc"] else "control_code"
                field = field if field in _ITEM_MESSAGES else "control_code"
                errors.setdefault(f"items-{i}-{field}", gettext(locale, _ITEM_MESSAGES[field]))
    return items, errors


def _item_problem(locale: str, exc: Problem) -> dict[str, str]:
    """The service's refusal of a line (``items[n].control_code``, ``items[n]``) beside that line."""
    field = str(exc.extra.get("field", ""))
    if field.startswith("items[") and "]" in field:
        n, _, rest = field[len("items["):].partition("]")
        name = rest.lstrip(".") or "control_code"
        if n.isdigit() and name in _ITEM_MESSAGES:
            message = gettext(locale, "This item appears twice for the same end user: combine the lines.") if not rest \
                else gettext(locale, _ITEM_MESSAGES[name])
            return {f"items-{n}-{name}": message}
    return {"items": problem_text(locale, exc)}


@router.post("/applications/{app_id}/items")
async def save_items(request: Request, principal: SignedInPrincipal, session: SessionDep, app_id: AppId) -> Response:
    form, app = await _posted(request, session, principal, app_id)
    if (moved := _not_draft(app)) is not None:
        return moved
    locale = request_locale(request)
    rows = _rows_of(form)
    action = _text(form, "action", 20)
    if action == "add":
        return _items_page(request, session, principal, app, [*rows, _blank_row()][:MAX_ROWS], {})
    if action.startswith("remove-") and action[7:].isdigit():
        gone = int(action[7:])
        rows = [r for i, r in enumerate(rows) if i != gone]
        return _items_page(request, session, principal, app, rows or [_blank_row()], {})
    rows = [r for r in rows if any(v for k, v in r.items() if k not in ("unit", "currency"))]
    items, errors = _items_of(locale, rows)
    if not rows:
        errors = {"items-0-control_code": gettext(locale, "Add at least one item.")}
    if not errors:
        if (refused := _saved(session, principal, app_id, ApplicationPatch(items=items))) is None:
            return RedirectResponse(f"/applications/{app_id}/parties", status_code=303)
        app = _draft(session, principal, app_id)
        errors = _item_problem(locale, refused)
    return _items_page(request, session, principal, app, rows or [_blank_row()], errors, status=400)


# --- parties -------------------------------------------------------------------------------


def _parties_page(request: Request, session: Session, principal: Principal, app: Application, form: dict[str, str],
                  errors: dict[str, str], status: int = 200) -> Response:
    return _step(request, "ui/applications/parties.html", app, "parties", {
        "form": form, "errors": errors,
        "choices": [(p.id, f"{p.name} ({p.country})") for p in list_parties(session, principal, org_id=app.org_id, limit=500)],
    }, status=status)


@router.get("/applications/{app_id}/parties", name="application_parties")
def parties_page(request: Request, principal: SignedInPrincipal, session: SessionDep, app_id: AppId) -> Response:
    app = _draft(session, principal, app_id)
    return _not_draft(app) or _parties_page(request, session, principal, app, {
        "consignee_id": str(app.consignee_id or ""), "end_user_id": str(app.end_user_id or "")}, {})


@router.post("/applications/{app_id}/parties")
async def save_parties(request: Request, principal: SignedInPrincipal, session: SessionDep, app_id: AppId) -> Response:
    form, app = await _posted(request, session, principal, app_id)
    if (moved := _not_draft(app)) is not None:
        return moved
    locale = request_locale(request)
    typed = {k: _text(form, k, 20) for k in ("consignee_id", "end_user_id")}
    errors: dict[str, str] = {}
    if not _row_id(typed["consignee_id"]):
        errors["consignee_id"] = gettext(locale, "Choose the consignee: who receives the goods abroad.")
    if not _row_id(typed["end_user_id"]):
        errors["end_user_id"] = gettext(locale, "Choose the end user: who finally uses the items.")
    if not errors:
        refused = _saved(session, principal, app_id, ApplicationPatch(
            consignee_id=int(typed["consignee_id"]), end_user_id=int(typed["end_user_id"])))
        if refused is None:
            return RedirectResponse(f"/applications/{app_id}/documents", status_code=303)
        app = _draft(session, principal, app_id)
        errors = {"end_user_id": gettext(locale, "Choose one of your organisation's parties.") if refused.status == 404
                  else problem_text(locale, refused)}
    return _parties_page(request, session, principal, app, typed, errors, status=400)


def _row_id(text: str) -> bool:
    return text.isdigit() and 0 < int(text) <= MAX_ROW_ID


# --- documents -----------------------------------------------------------------------------


def documents_context(app: Application) -> dict[str, Any]:
    """What a documents form needs: the pack's types, the required ones and those still missing."""
    pack = get_pack()
    required = pack.required_documents(app.licence_type)
    have = {d.doc_type for d in app.documents}
    return {"doc_types": pack.document_types, "required": required, "missing": [d for d in required if d not in have],
            "max_mb": round(get_settings().max_upload_bytes / 1_048_576, 1)}


def _documents_page(request: Request, app: Application, errors: dict[str, str], doc_type: str = "",
                    status: int = 200) -> Response:
    return _step(request, "ui/applications/documents.html", app, "documents", {
        **documents_context(app), "errors": errors, "doc_type": doc_type}, status=status)


@router.get("/applications/{app_id}/documents", name="application_documents")
def documents_page(request: Request, principal: SignedInPrincipal, session: SessionDep, app_id: AppId) -> Response:
    app = _draft(session, principal, app_id)
    return _not_draft(app) or _documents_page(request, app, {})


def upload_problem(locale: str, exc: Problem) -> dict[str, str]:
    field = str(exc.extra.get("field", ""))
    if isinstance(exc, PayloadTooLarge):
        return {"file": gettext(locale, "The file is too large. Upload a smaller PDF, PNG or JPEG.")}
    if field == "doc_type":
        return {"doc_type": gettext(locale, "Choose what kind of document this is.")}
    if field == "file" or exc.status == 415:
        return {"file": gettext(locale, "Choose a PDF, PNG or JPEG file whose name ends in .pdf, .png, .jpg or .jpeg "
                                        "and whose content is of that kind.")}
    return {"file": problem_text(locale, exc)}


async def receive_upload(request: Request, session: Session, principal: Principal, app_id: int) -> tuple[str, dict[str, str]]:
    """Store the document a page's upload form sent, through the API's own path: who may add
    documents, whether the case takes them and whether there is room are settled before the body
    is read; the body is read only up to the limit; the form token is checked before anything is
    stored. Returns (the document type chosen, errors by field)."""
    locale = request_locale(request)
    service.check_upload_allowed(session, principal, app_id)
    session.commit()
    try:
        form = await uploads.read_form(request, get_settings().max_upload_bytes, fields=3)
    except PayloadTooLarge as exc:  # refused before a byte is stored; the form token was never read
        return "", upload_problem(locale, exc)
    try:
        check_csrf(request, form.get(CSRF_FIELD))
        doc_type = str(form.get("doc_type") or "")[:uploads.DOC_TYPE_MAX]
        try:
            _, file, data = await uploads.document_fields(form)
            service.add_document(session, principal, app_id, doc_type=doc_type, filename=file.filename,
                                 content_type=file.content_type, data=data)
        except Problem as exc:
            session.rollback()
            return doc_type, upload_problem(locale, exc)
    finally:
        await form.close()
    return doc_type, {}


@router.post("/applications/{app_id}/documents")
async def upload_document(request: Request, principal: SignedInPrincipal, session: SessionDep, app_id: AppId) -> Response:
    app = _draft(session, principal, app_id)
    if (moved := _not_draft(app)) is not None:
        return moved
    doc_type, errors = await receive_upload(request, session, principal, app_id)
    if errors:
        return _documents_page(request, _draft(session, principal, app_id), errors, doc_type, status=400)
    return RedirectResponse(f"/applications/{app_id}/documents", status_code=303)


@router.post("/applications/{app_id}/documents/{doc_id}/remove")
async def remove_document(request: Request, principal: SignedInPrincipal, session: SessionDep, app_id: AppId,
                          doc_id: Annotated[int, Path(ge=1, le=MAX_ROW_ID)]) -> Response:
    form = await request.form()
    check_csrf(request, form.get(CSRF_FIELD))
    app = _draft(session, principal, app_id)
    where = f"/applications/{app_id}/documents" if app.status == S.draft else f"/applications/{app_id}#respond"
    try:
        service.remove_document(session, principal, app_id, doc_id)
    except Problem as exc:
        session.rollback()
        if app.status != S.draft:
            raise
        return _documents_page(request, _draft(session, principal, app_id), {"file": problem_text(request_locale(request), exc)},
                               status=exc.status)
    return RedirectResponse(where, status_code=303)


# --- check your answers and submit ----------------------------------------------------------


def visible_precheck(session: Session, principal: Principal, app_id: int) -> list[CheckOut]:
    """The automated checks as they would run on submission, as this reader may see them."""
    out = [CheckOut(check=n, outcome=o.outcome, message=o.message, details=o.details)
           for n, o in service.precheck(session, principal, app_id)]
    return views.visible_checks(out, allowed(principal, "deliberation.read"))


def _check_page(request: Request, session: Session, principal: Principal, app_id: int, errors: dict[str, str],
                status: int = 200) -> Response:
    app = _draft(session, principal, app_id)
    if (moved := _not_draft(app)) is not None:
        return moved
    pack = get_pack()
    return _step(request, "ui/applications/check.html", app, "check", {
        "case": views.detail(session, app, reader=principal), "checks": visible_precheck(session, principal, app_id),
        "check_titles": CHECK_TITLES, "errors": errors, "licence_types": pack.licence_types,
        "acceptance_days": pack.deadlines.acceptance.working_days,
        "use_categories": pack.end_use_categories, "entries": {e.code: e for e in pack.entries},
        **documents_context(app),
    }, status=status)


@router.get("/applications/{app_id}/check", name="application_check")
def check_page(request: Request, principal: SignedInPrincipal, session: SessionDep, app_id: AppId) -> Response:
    return _check_page(request, session, principal, app_id, {})


@router.post("/applications/{app_id}/submit")
async def submit(request: Request, principal: SignedInPrincipal, session: SessionDep, app_id: AppId) -> Response:
    form = await request.form()
    check_csrf(request, form.get(CSRF_FIELD))
    app = _draft(session, principal, app_id)
    if (moved := _not_draft(app)) is not None:
        return moved
    try:
        service.submit(session, principal, app_id)
    except Problem as exc:
        session.rollback()
        return _check_page(request, session, principal, app_id, {"submit": problem_text(request_locale(request), exc)},
                           status=exc.status)
    return RedirectResponse(f"/applications/{app_id}?done=submitted", status_code=303)
