"""A licence as the ministry's officers see it: what remains per line, its status with the ground
and legal reference, the links to the licence it replaced or that replaced it, prohibitions
that stop its use today, its timeline; and for a senior officer exactly the grounded actions
the licence allows now (suspend, reinstate, order an amendment, withdraw 撤回, revoke 撤销),
each with a coded ground of the pack and a reason, and the signature of a revocation proposed
when an exclusion arose. Also the list of revocations awaiting signature."""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from rarex.core.authz import Principal, allowed, require
from rarex.core.errors import Problem
from rarex.documents import service as documents
from rarex.licences import service, views
from rarex.licences.flows import GROUND_REQUIRED, GROUNDED_ACTIONS
from rarex.licences.models import LicenceStatus
from rarex.licences.schemas import LicenceSummary
from rarex.policy.service import get_pack
from rarex.web.csvout import csv_response
from rarex.web.deps import SessionDep
from rarex.web.i18n import gettext, request_locale
from rarex.web.paging import Cursor, decode_cursor, next_cursor
from rarex.web.ui.cases import problem_text
from rarex.web.ui.licence_extras import licence_extras
from rarex.web.ui.render import render
from rarex.web.ui.session import CSRF_FIELD, SignedInPrincipal, check_csrf

router = APIRouter(include_in_schema=False)

Number = Annotated[str, Path(min_length=1, max_length=40)]
PAGE = 50


def _page(request: Request, session: Session, principal: Principal, number: str, *, errors: dict[str, str] | None = None,
          form: dict[str, str] | None = None, done: str = "", status: int = 200) -> Response:
    lic = service.get(session, principal, number)  # licence.read; an exporter sees its own only (404 otherwise)
    out = views.detail(session, lic)
    pack = get_pack()
    actions = [a for a in GROUNDED_ACTIONS if a in out.allowed_actions] if allowed(principal, "licence.control") else []
    if out.pending_revocation is not None:
        actions = []  # the law leaves one way: sign the revocation (DUR Art. 20 para. 2)
    return render(request, "ui/officer/licence.html", {
        "licence": out, "timeline": service.timeline(session, principal, number), "actions": actions,
        "grounds": {a: pack.grounds_for(a) for a in actions}, "ground_required": GROUND_REQUIRED,
        "can_sign": out.pending_revocation is not None and allowed(principal, "licence.control"),
        "errors": errors or {}, "form": form or {}, "done": done,
        "document": documents.latest_document(session, lic.id),
        **licence_extras(session, principal, lic),  # usage, shipments, versions, amendment, applying again
    }, status=status)


#: The licence page with a form's errors, for the forms it carries that other modules handle.
licence_page_response = _page


@router.get("/licences/{number}", name="licence")
def licence_page(request: Request, principal: SignedInPrincipal, session: SessionDep, number: Number,
                 done: str = "") -> Response:
    return _page(request, session, principal, number, done=done[:30])


@router.post("/licences/{number}/{action}")
async def act(request: Request, principal: SignedInPrincipal, session: SessionDep, number: Number, action: str) -> Response:
    form = await request.form()
    check_csrf(request, form.get(CSRF_FIELD))
    locale = request_locale(request)
    reason = str(form.get("reason") or "")[:5000].strip()
    ground = str(form.get("ground") or "")[:64].strip() or None
    typed = {"action": action, "reason": reason, "ground": ground or ""}
    if action not in {*GROUNDED_ACTIONS, "sign-revocation"}:
        return _page(request, session, principal, number, status=404,
                     errors={"summary": gettext(locale, "There is no such action on a licence.")})
    if len(reason) < 3:
        return _page(request, session, principal, number, status=400, form=typed,
                     errors={f"{action}-reason": gettext(locale, "Every action that changes a licence needs a reason "
                                                                 "(at least 3 characters).")})
    try:
        if action == "sign-revocation":
            service.sign_revocation(session, principal, number, reason)
        else:
            service.control(session, principal, number, action, reason, ground)
    except Problem as exc:
        session.rollback()
        field = f"{action}-ground" if exc.status == 400 else "summary"
        message = gettext(locale, "Choose a ground that supports this action.") if exc.status == 400 \
            else problem_text(locale, exc)
        return _page(request, session, principal, number, status=exc.status, form=typed, errors={field: message})
    return RedirectResponse(f"/licences/{quote(number)}?done={action}", status_code=303)


@router.get("/licences", name="licences")
def licences(request: Request, principal: SignedInPrincipal, session: SessionDep,
             status: Annotated[str, Query(max_length=32)] = "", cursor: Cursor = None,
             format: Literal["html", "csv"] = "html") -> Response:
    """Licences by number: an exporter's own, or every licence for the ministry; by status, paged, or CSV."""
    wanted = LicenceStatus(status) if status in {s.value for s in LicenceStatus} else None
    limit = 100_000 if format == "csv" else PAGE
    rows = service.list_(session, principal, status=wanted, after_id=decode_cursor(cursor), limit=limit + 1)
    items = views.summaries(session, rows[:limit])
    if format == "csv":
        return csv_response(items, "licences.csv", LicenceSummary)
    after = next_cursor(rows, limit)
    return render(request, "ui/licences.html", {
        "licences": items, "status": status, "statuses": [s.value for s in LicenceStatus],
        "csv_query": urlencode({"status": status, "format": "csv"}),
        "next_query": urlencode({"status": status, "cursor": after}) if after else "",
    })


@router.get("/officer/pending-revocations", name="pending_revocations")
def pending(request: Request, principal: SignedInPrincipal, session: SessionDep) -> Response:
    require(principal, "application.review")
    rows = views.summaries(session, service.pending_revocations(session, principal, limit=500))
    return render(request, "ui/officer/pending_revocations.html", {"rows": rows})
