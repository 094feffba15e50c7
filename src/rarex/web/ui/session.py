"""Who is signed in to the pages, and proof that a form came from our own page (CSRF).

A page session is an ordinary rarex token (users/service.py) carried in an HttpOnly,
SameSite=Lax cookie instead of an ``Authorization`` header, so it lives on the server: sign-out
revokes it, and an admin who deactivates a user or revokes their tokens ends every session of
theirs at once. The cookie is ``Secure`` whenever the request came over HTTPS (directly, or
through a proxy in ``RAREX_TRUSTED_PROXIES`` that says so).

CSRF: every form carries a token that only our own page can know. Signed in, it is an HMAC of
the session token (which page scripts cannot read: the cookie is HttpOnly), so it needs no
storage and dies with the session. Before sign-in (the sign-in form itself) it is a random
value set in a cookie of its own and repeated in the form (double submit). SameSite=Lax
already keeps the session cookie off cross-site POSTs; the token covers older browsers and
same-site attackers.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from rarex.core.authz import Principal
from rarex.core.db import unit_of_work
from rarex.core.errors import Forbidden
from rarex.parties.models import Organisation, Party
from rarex.users.models import User
from rarex.web.clients import is_https
from rarex.web.deps import SessionDep

SESSION_COOKIE = "rarex_session"
ANON_CSRF_COOKIE = "rarex_csrf"
CSRF_FIELD = "csrf_token"


class SignInRequired(Exception):
    """A page needs a signed-in user; the handler sends the browser to the sign-in page."""

    def __init__(self, next_path: str):
        self.next_path = next_path


class CsrfRejected(Forbidden):
    slug, title = "csrf-rejected", "Form not accepted"


def session_token(request: Request) -> str | None:
    token = request.cookies.get(SESSION_COOKIE)
    return token if token and len(token) < 200 else None


def csrf_for_session(token: str) -> str:
    return hmac.new(token.encode(), b"rarex page form", hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Who:
    """What the page header says of the signed-in user."""

    username: str
    display_name: str
    role: str
    org_name_zh: str | None
    org_name_en: str | None


def page_principal(request: Request, session: SessionDep) -> Principal | None:
    """The signed-in user of this request, or None (no cookie, or a revoked or expired session)."""
    return identify(request, session)


def identify_alone(request: Request) -> Principal | None:
    """:func:`page_principal` in a read-only transaction of its own, for a handler that holds none."""
    with unit_of_work(readonly=True) as session:
        return identify(request, session)


def identify(request: Request, session: Session) -> Principal | None:
    from rarex.users.service import principal_for_token

    token = session_token(request)
    principal = principal_for_token(session, token) if token else None
    request.state.principal = principal
    if principal is not None:
        row = session.execute(
            select(User.display_name, Organisation.name_zh, Organisation.name_en, Party.name, Party.name_local)
            .outerjoin(Organisation, Organisation.id == User.org_id)
            .outerjoin(Party, Party.id == User.party_id)  # a buyer speaks for its end user
            .where(User.id == principal.user_id)
        ).one()
        request.state.who = Who(principal.username, row.display_name or principal.username, str(principal.role or ""),
                                row.name_zh or row.name_local or row.name, row.name_en or row.name)
    return principal


def required_principal(request: Request, principal: Annotated[Principal | None, Depends(page_principal)]) -> Principal:
    if principal is None:
        path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise SignInRequired(path)
    return principal


PagePrincipal = Annotated[Principal | None, Depends(page_principal)]
SignedInPrincipal = Annotated[Principal, Depends(required_principal)]


def csrf_token(request: Request) -> str:
    """The token this request's forms must carry. Before sign-in it may set the anonymous cookie."""
    token = session_token(request)
    if token and getattr(request.state, "principal", None) is not None:
        return csrf_for_session(token)
    anon = request.cookies.get(ANON_CSRF_COOKIE)
    if not anon or len(anon) > 100:
        anon = getattr(request.state, "new_anon_csrf", None) or secrets.token_urlsafe(24)
        request.state.new_anon_csrf = anon
    return anon


def attach_anon_csrf(request: Request, response: Response) -> None:
    """Set the anonymous CSRF cookie if :func:`csrf_token` minted one for this response."""
    anon = getattr(request.state, "new_anon_csrf", None)
    if anon:
        response.set_cookie(ANON_CSRF_COOKIE, anon, httponly=True, samesite="lax", secure=is_https(request), path="/")


def check_csrf(request: Request, submitted: object, *, signed_in: bool | None = None) -> None:
    """403 unless the form's token matches the session's (or, signed out, the anonymous cookie's).

    ``signed_in`` says which to expect when the handler has not resolved the user itself (one
    that must not hold a request transaction, such as the change of password).
    """
    if not isinstance(submitted, str) or not submitted:
        raise CsrfRejected("the form had no security token; reload the page and try again", reason="missing")
    token = session_token(request)
    if signed_in is None:
        signed_in = getattr(request.state, "principal", None) is not None
    if token and signed_in:
        expected = csrf_for_session(token)
    else:
        expected = request.cookies.get(ANON_CSRF_COOKIE) or ""
    if not expected or not hmac.compare_digest(submitted.encode(), expected.encode()):
        raise CsrfRejected("the form's security token did not match; reload the page and try again", reason="mismatch")


def start_session(request: Request, response: Response, token: str, max_age: int) -> None:
    response.set_cookie(SESSION_COOKIE, token, max_age=max_age, httponly=True, samesite="lax",
                        secure=is_https(request), path="/")
    response.delete_cookie(ANON_CSRF_COOKIE, path="/")


def end_session(request: Request, response: Response, session: Session) -> None:
    from rarex.users.service import revoke_token

    token = session_token(request)
    if token:
        revoke_token(session, token)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=is_https(request))
