"""The buyer's pages: a buyer's own cover (``/buyer``), an exporter's view of one end user's cover
with the invitation of a buyer account (``/parties/{id}/cover``), and the one-time page where an
invited buyer sets its password (``/invitation``).

The same services as ``GET /api/v1/buyer/cover``, ``POST /api/v1/buyer/invitations`` and
``POST /api/v1/auth/invitation``. The invitation link is shown once, on the page that answers
the invitation; only its hash is kept.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import RedirectResponse, Response

from rarex.buyers import service
from rarex.buyers.schemas import CoverOut, InvitationOut
from rarex.core.authz import Principal, allowed, require
from rarex.core.db import MAX_ROW_ID
from rarex.core.errors import Conflict, InvalidInput, NotFound
from rarex.users import invitations
from rarex.web.deps import SessionDep
from rarex.web.i18n import gettext, request_locale
from rarex.web.ui.auth import password_problem
from rarex.web.ui.render import render
from rarex.web.ui.session import CSRF_FIELD, PagePrincipal, SignedInPrincipal, check_csrf

router = APIRouter(include_in_schema=False)

PartyId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]


def _cover_page(request: Request, principal: Principal, out: CoverOut, *, own: bool, form: dict[str, str] | None = None,
                errors: dict[str, str] | None = None, invited: InvitationOut | None = None, status: int = 200) -> Response:
    link = str(request.base_url).rstrip("/") + invited.set_password_path if invited else None
    return render(request, "ui/buyer/cover.html", {
        "cover": out, "own": own, "can_invite": not own and allowed(principal, "buyer.invite"),
        "form": form or {"username": "", "display_name": ""}, "errors": errors or {}, "invited": invited, "link": link,
    }, status=status)


@router.get("/buyer", name="buyer_home")
def buyer_home(request: Request, principal: SignedInPrincipal, session: SessionDep) -> Response:
    require(principal, "buyer.cover.read")
    if principal.party_id is None:
        raise NotFound("this page is a buyer's own view; see an end user's cover from its page")
    return _cover_page(request, principal, service.cover(session, principal), own=True)


@router.get("/parties/{party_id}/cover", name="party_cover")
def party_cover(request: Request, principal: SignedInPrincipal, session: SessionDep, party_id: PartyId) -> Response:
    out = service.cover(session, principal, party_id)
    return _cover_page(request, principal, out, own=principal.party_id == party_id)


@router.post("/parties/{party_id}/cover")
async def invite_buyer(request: Request, principal: SignedInPrincipal, session: SessionDep, party_id: PartyId) -> Response:
    data = await request.form()
    check_csrf(request, data.get(CSRF_FIELD))
    require(principal, "buyer.invite")
    locale = request_locale(request)
    form = {k: str(data.get(k) or "")[:200].strip() for k in ("username", "display_name")}
    errors: dict[str, str] = {}
    invited = None
    try:
        invited = service.invite(session, principal, party_id=party_id, username=form["username"],
                                 display_name=form["display_name"])
    except InvalidInput:
        errors["username"] = gettext(locale, "Use 1 to 64 letters, digits or . _ - @")
    except Conflict:
        errors["username"] = gettext(locale, "This username is taken.")
    if errors:
        session.rollback()
    out = service.cover(session, principal, party_id)
    return _cover_page(request, principal, out, own=False, form=form if errors else None, errors=errors, invited=invited,
                       status=400 if errors else 200)


def _invitation_page(request: Request, token: str, username: str | None, errors: dict[str, str], status: int) -> Response:
    return render(request, "ui/buyer/invitation.html", {"token": token, "username": username, "errors": errors},
                  status=status)


@router.get("/invitation", name="invitation")
def invitation_page(request: Request, session: SessionDep, _: PagePrincipal, token: str = "") -> Response:
    token = token[:200]
    try:
        user = invitations.invitation_user(session, token, lock=False)
    except InvalidInput:
        return _invitation_page(request, token, None, {}, 404)
    return _invitation_page(request, token, user.username, {}, 200)


@router.post("/invitation")
async def accept_invitation(request: Request, session: SessionDep, _: PagePrincipal) -> Response:
    """Open to anyone holding the link; whoever is signed in on this browser stays so (the form's
    token is that session's, hence PagePrincipal)."""
    data = await request.form()
    check_csrf(request, data.get(CSRF_FIELD))
    locale = request_locale(request)
    token = str(data.get("token") or "")[:200]
    password, again = str(data.get("password") or "")[:1024], str(data.get("password_again") or "")[:1024]
    try:
        user = invitations.invitation_user(session, token)
    except InvalidInput:
        return _invitation_page(request, token, None, {}, 404)
    errors: dict[str, str] = {}
    if password != again:
        errors["password_again"] = gettext(locale, "The two passwords differ.")
    else:
        try:
            invitations.accept(session, token, password)
        except InvalidInput as exc:
            errors["password"] = password_problem(locale, exc)
    if errors:
        session.rollback()
        return _invitation_page(request, token, user.username, errors, 400)
    return RedirectResponse("/sign-in?next=/buyer", status_code=303)

