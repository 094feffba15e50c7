"""Sign-in, sign-out, the change of one's own password, and the language switch.

Sign-in goes through users/signin.py like the API's token endpoint, so the same throttle,
the same argon2 check outside any transaction and the same audit apply; the page only carries
the token in a cookie (ui/session.py) instead of handing it out.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from rarex.core.errors import Forbidden, InvalidInput, TooManyRequests, Unauthenticated
from rarex.core.settings import get_settings
from rarex.users import signin
from rarex.web.clients import client_address, is_https
from rarex.web.deps import SessionDep
from rarex.web.i18n import LANG_COOKIE, LOCALES, gettext, request_locale
from rarex.web.ui.render import render
from rarex.web.ui.session import (
    CSRF_FIELD,
    PagePrincipal,
    SignedInPrincipal,
    SignInRequired,
    check_csrf,
    end_session,
    identify_alone,
    session_token,
    start_session,
)

router = APIRouter(include_in_schema=False)

HOME = "/home"


def safe_next(value: object) -> str:
    """A local path to go on to after sign-in; anything else (another host, a scheme) is home."""
    if isinstance(value, str) and value.startswith("/") and not value.startswith(("//", "/\\")) and len(value) < 2000 \
            and not any(c in value for c in "\r\n\x00"):
        return value
    return HOME


def _form_text(form, name: str, limit: int = 200) -> str:
    value = form.get(name)
    return value[:limit] if isinstance(value, str) else ""


@router.get("/sign-in", name="sign_in")
def sign_in_page(request: Request, principal: PagePrincipal, next: str = HOME) -> Response:
    if principal is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return render(request, "ui/sign_in.html", {"next": safe_next(next), "username": "", "errors": {}})


@router.post("/sign-in")
async def sign_in(request: Request) -> Response:
    form = await request.form()
    check_csrf(request, form.get(CSRF_FIELD))
    locale = request_locale(request)
    username, password = _form_text(form, "username", 64).strip(), _form_text(form, "password", 1024)
    next_path = safe_next(form.get("next"))
    errors: dict[str, str] = {}
    if not username:
        errors["username"] = gettext(locale, "Enter your username.")
    if not password:
        errors["password"] = gettext(locale, "Enter your password.")
    status = 400
    if not errors:
        try:
            done = signin.sign_in(username, password, client_address(request))
        except Unauthenticated:
            errors["password"] = gettext(locale, "The username or password is wrong.")
            status = 401
        except TooManyRequests as exc:
            errors["password"], status = _throttled(locale, exc), 429
        else:
            response = RedirectResponse("/account/password" if done.must_change_password else next_path, status_code=303)
            start_session(request, response, done.token, get_settings().token_ttl_minutes * 60)
            return response
    return render(request, "ui/sign_in.html", {"next": next_path, "username": username, "errors": errors}, status=status)


@router.post("/sign-out")
async def sign_out(request: Request, principal: PagePrincipal, session: SessionDep) -> Response:
    form = await request.form()
    check_csrf(request, form.get(CSRF_FIELD))
    response = RedirectResponse("/sign-in?signed_out=1", status_code=303)
    end_session(request, response, session)
    return response


@router.get("/account/password", name="change_password")
def change_password_page(request: Request, principal: SignedInPrincipal) -> Response:
    return render(request, "ui/password.html", {"errors": {}, "done": False})


@router.post("/account/password")
async def change_password(request: Request) -> Response:
    # No request session: users/signin.py resolves the session token in its own short
    # transactions around the password hashes (on SQLite a held write lock would block them).
    token = session_token(request)
    if token is None:
        raise SignInRequired("/account/password")
    form = await request.form()
    check_csrf(request, form.get(CSRF_FIELD), signed_in=True)
    locale = request_locale(request)
    current, new, again = (_form_text(form, f, 1024) for f in ("current_password", "new_password", "confirm_password"))
    errors: dict[str, str] = {}
    done = False
    if not current:
        errors["current_password"] = gettext(locale, "Enter your current password.")
    if not new:
        errors["new_password"] = gettext(locale, "Enter a new password.")
    elif new != again:
        errors["confirm_password"] = gettext(locale, "The two new passwords differ.")
    status = 400
    if not errors:
        try:
            signin.change_own_password(token, current, new, client_address(request))
        except Unauthenticated:  # the session itself is gone: sign in again
            raise SignInRequired("/account/password") from None
        except Forbidden as exc:
            if exc.slug != "wrong-password":
                raise
            errors["current_password"] = gettext(locale, "The current password is wrong.")
            status = 403
        except TooManyRequests as exc:
            errors["current_password"], status = _throttled(locale, exc), 429
        except InvalidInput as exc:
            field = exc.extra.get("field") or "new_password"
            errors[field if field in ("current_password", "new_password") else "new_password"] = password_problem(locale, exc)
        else:
            done = True
    identify_alone(request)  # for the page's header, after the change (the other sessions are gone now)
    if done:
        return render(request, "ui/password.html", {"errors": {}, "done": True})
    return render(request, "ui/password.html", {"errors": errors, "done": False}, status=status)


def _throttled(locale: str, exc: TooManyRequests) -> str:
    return gettext(locale, "Too many failed attempts. Try again in %(seconds)s seconds.", seconds=exc.retry_after or 1)


def password_problem(locale: str, exc: InvalidInput) -> str:
    """The password policy's verdict in the page's language (users/passwords.py gives a code)."""
    code = exc.extra.get("reason", "")
    messages = {
        "too_short": gettext(locale, "Use at least %(n)s characters.", n=exc.extra.get("min_length", 12)),
        "contains_username": gettext(locale, "Do not use your username in your password."),
        "common": gettext(locale, "This password is too common; choose another."),
        "same_as_current": gettext(locale, "The new password must differ from the current one."),
    }
    return messages.get(code, gettext(locale, "Choose another password."))


@router.get("/language/{code}", name="switch_language")
def switch_language(request: Request, code: str, next: str = "/") -> Response:
    """Remember the language for the next pages (a year) and come back to where the user was."""
    response = RedirectResponse(safe_next(next), status_code=303)
    if code in LOCALES:
        response.set_cookie(LANG_COOKIE, code, max_age=365 * 86400, samesite="lax", secure=is_https(request), path="/")
    return response
