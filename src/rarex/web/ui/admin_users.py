"""Administration of users: who has an account, in which role and organisation; add one, deactivate
or activate it, end its sessions, reset its password. Auditors see the list and change nothing.

Each action goes through users/service.py, so the same rules and the same audit apply as to
``/api/v1/users``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel
from sqlalchemy.orm import Session

from rarex.core.authz import Principal, Role, allowed, require
from rarex.core.db import MAX_ROW_ID
from rarex.core.errors import Conflict, InvalidInput, NotFound
from rarex.parties.service import list_organisations
from rarex.users import service
from rarex.users.models import User
from rarex.web.csvout import csv_response
from rarex.web.deps import SessionDep
from rarex.web.i18n import gettext, label, request_locale
from rarex.web.ui.auth import password_problem
from rarex.web.ui.render import render
from rarex.web.ui.session import CSRF_FIELD, SignedInPrincipal, check_csrf

router = APIRouter(include_in_schema=False)

UserId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]

SORTS = {"username": lambda u: u.username.lower(), "role": lambda u: (u.role.value, u.username.lower()),
         "created": lambda u: u.created_at}


class UserRow(BaseModel):
    id: int
    username: str
    display_name: str
    role: str
    organisation: str
    active: bool
    must_change_password: bool
    created_at: str


def _orgs(session: Session, principal: Principal) -> dict[int, Any]:
    return {o.id: o for o in list_organisations(session, principal)}


@router.get("/admin/users", name="admin_users")
def users(request: Request, principal: SignedInPrincipal, session: SessionDep,
          sort: Literal["username", "role", "created"] = "username", format: Literal["html", "csv"] = "html") -> Response:
    rows = sorted(service.list_users(session, principal), key=SORTS[sort])
    orgs = _orgs(session, principal)
    if format == "csv":
        return csv_response([UserRow(id=u.id, username=u.username, display_name=u.display_name, role=u.role.value,
                                     organisation=orgs[u.org_id].name_en if u.org_id in orgs else "", active=u.active,
                                     must_change_password=u.must_change_password, created_at=u.created_at.isoformat())
                             for u in rows], "users.csv", UserRow)
    return render(request, "ui/admin/users.html", {"users": rows, "orgs": orgs, "sort": sort,
                                                    "can_manage": allowed(principal, "user.manage")})


@router.get("/admin/users/new", name="admin_user_new")
def new_user_page(request: Request, principal: SignedInPrincipal, session: SessionDep) -> Response:
    require(principal, "user.manage")
    return _new_form(request, session, principal, {"username": "", "display_name": "", "role": "", "org_id": ""}, {})


def _new_form(request: Request, session: Session, principal: Principal, form: dict[str, str], errors: dict[str, str],
              status: int = 200) -> Response:
    zh = request_locale(request) == "zh"
    return render(request, "ui/admin/user_new.html", {
        "form": form, "errors": errors, "role_pairs": [(r.value, label(request_locale(request), "role", r.value)) for r in Role if r != Role.buyer],
        "org_pairs": [(o.id, o.name_zh if zh else o.name_en) for o in _orgs(session, principal).values()],
    }, status=status)


@router.post("/admin/users/new")
async def create_user(request: Request, principal: SignedInPrincipal, session: SessionDep) -> Response:
    form_data = await request.form()
    check_csrf(request, form_data.get(CSRF_FIELD))
    require(principal, "user.manage")
    locale = request_locale(request)
    form = {k: str(form_data.get(k) or "")[:200].strip() for k in ("username", "display_name", "role", "org_id")}
    password = str(form_data.get("password") or "")[:1024]
    errors: dict[str, str] = {}
    if not form["username"]:
        errors["username"] = gettext(locale, "Enter a username.")
    if form["role"] not in {r.value for r in Role if r != Role.buyer}:  # buyers are invited (rarex.buyers)
        errors["role"] = gettext(locale, "Choose a role.")
    if not password:
        errors["password"] = gettext(locale, "Enter a first password; the user changes it after signing in.")
    org_id = int(form["org_id"]) if form["org_id"].isdigit() and len(form["org_id"]) < 12 else None
    if not errors:
        try:
            user = service.create_user(session, principal, username=form["username"], role=form["role"], password=password,
                                       org_id=org_id, display_name=form["display_name"])
        except InvalidInput as exc:
            field = exc.extra.get("field", "")
            if field == "password":
                errors["password"] = password_problem(locale, exc)
            elif field == "org":
                errors["org_id"] = (gettext(locale, "An exporter belongs to an organisation: choose one.")
                                    if form["role"] == Role.exporter.value else
                                    gettext(locale, "Staff of the authority belong to no organisation: leave it empty."))
            else:
                errors["username"] = gettext(locale, "Use 1 to 64 letters, digits or . _ - @")
        except Conflict:
            errors["username"] = gettext(locale, "This username is taken.")
        except NotFound:
            errors["org_id"] = gettext(locale, "Choose an organisation from the list.")
        else:
            return RedirectResponse(f"/admin/users/{user.id}?done=created", status_code=303)
    session.rollback()
    return _new_form(request, session, principal, form, errors, status=400)


def _user(session: Session, principal: Principal, user_id: int) -> User:
    require(principal, "user.read")
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"user {user_id} not found")
    return user


@router.get("/admin/users/{user_id}", name="admin_user")
def user_page(request: Request, principal: SignedInPrincipal, session: SessionDep, user_id: UserId, done: str = "") -> Response:
    return _user_page(request, session, principal, user_id, {}, done=done[:20])


def _user_page(request: Request, session: Session, principal: Principal, user_id: int, errors: dict[str, str],
               *, done: str = "", status: int = 200) -> Response:
    user = _user(session, principal, user_id)
    org = _orgs(session, principal).get(user.org_id) if user.org_id else None
    return render(request, "ui/admin/user.html", {"user": user, "org": org, "errors": errors, "done": done,
                                                   "can_manage": allowed(principal, "user.manage"),
                                                   "is_self": user.id == principal.user_id}, status=status)


@router.post("/admin/users/{user_id}/{action}")
async def user_action(request: Request, principal: SignedInPrincipal, session: SessionDep, user_id: UserId,
                      action: Literal["deactivate", "activate", "end-sessions", "reset-password"]) -> Response:
    form = await request.form()
    check_csrf(request, form.get(CSRF_FIELD))
    require(principal, "user.manage")
    if action in ("deactivate", "activate"):
        service.set_active(session, principal, user_id, action == "activate")
    elif action == "end-sessions":
        service.revoke_tokens(session, principal, user_id)
    else:
        try:
            service.reset_password(session, principal, user_id, str(form.get("new_password") or "")[:1024])
        except InvalidInput as exc:
            session.rollback()
            return _user_page(request, session, principal, user_id,
                              {"new_password": password_problem(request_locale(request), exc)}, status=400)
    return RedirectResponse(f"/admin/users/{user_id}?done={action}", status_code=303)
