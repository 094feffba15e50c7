"""Sign-in, the caller's own identity and password, and user administration."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.security import HTTPAuthorizationCredentials

from rarex.core.authz import require
from rarex.core.db import MAX_ROW_ID
from rarex.core.errors import Unauthenticated
from rarex.users import service, signin
from rarex.users.schemas import (
    PasswordChange,
    PasswordReset,
    TokenOut,
    TokenRequest,
    TokensRevoked,
    UserIn,
    UserOut,
)
from rarex.web.clients import client_address
from rarex.web.deps import PrincipalDep, SessionDep, bearer

router = APIRouter(prefix="/api/v1", tags=["auth and users"])

UserId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]


@router.post("/auth/token", response_model=TokenOut, summary="Exchange username and password for a bearer token")
def token(body: TokenRequest, request: Request) -> TokenOut:
    """429 with Retry-After after repeated failures (per account, per address; see the README)."""
    # No request session: signin opens its own short transactions around the password check.
    done = signin.sign_in(body.username, body.password, client_address(request))
    return TokenOut(access_token=done.token, expires_at=done.expires_at, must_change_password=done.must_change_password)


@router.post("/auth/logout", status_code=204, summary="Revoke the token this request carries")
def logout(request: Request, principal: PrincipalDep, session: SessionDep) -> None:
    service.revoke_token(session, request.headers["authorization"].split(" ", 1)[1].strip())


@router.get("/me", response_model=UserOut, summary="The signed-in user")
def me(principal: PrincipalDep, session: SessionDep) -> UserOut:
    require(principal, "me.read")
    return UserOut.model_validate(service.get_user(session, principal.username))


@router.post("/me/password", status_code=204, summary="Change your own password (give the current one)")
def change_password(
    body: PasswordChange,
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> None:
    """Throttled like sign-in. Your other tokens are revoked; the one you send stays valid."""
    if credentials is None:
        raise Unauthenticated("send 'Authorization: Bearer <token>'; get a token from POST /api/v1/auth/token")
    # The token is resolved inside signin's own transactions, not a request session held open
    # across the password hashes.
    signin.change_own_password(credentials.credentials, body.current_password, body.new_password, client_address(request))


@router.get("/users", response_model=list[UserOut], summary="List users (admin, auditor)")
def users(principal: PrincipalDep, session: SessionDep) -> list[UserOut]:
    return [UserOut.model_validate(u) for u in service.list_users(session, principal)]


@router.post("/users", response_model=UserOut, status_code=201, summary="Create a user (admin)")
def create(body: UserIn, principal: PrincipalDep, session: SessionDep) -> UserOut:
    user = service.create_user(session, principal, **body.model_dump())
    return UserOut.model_validate(user)


@router.post("/users/{user_id}/deactivate", response_model=UserOut, summary="Deactivate a user and revoke their tokens (admin)")
def deactivate(user_id: UserId, principal: PrincipalDep, session: SessionDep) -> UserOut:
    return UserOut.model_validate(service.set_active(session, principal, user_id, False))


@router.post("/users/{user_id}/activate", response_model=UserOut, summary="Activate a deactivated user (admin)")
def activate(user_id: UserId, principal: PrincipalDep, session: SessionDep) -> UserOut:
    return UserOut.model_validate(service.set_active(session, principal, user_id, True))


@router.post("/users/{user_id}/password", response_model=UserOut,
             summary="Reset a user's password (admin); they must change it before anything else")
def reset_password(user_id: UserId, body: PasswordReset, principal: PrincipalDep, session: SessionDep) -> UserOut:
    return UserOut.model_validate(service.reset_password(session, principal, user_id, body.new_password))


@router.post("/users/{user_id}/revoke-tokens", response_model=TokensRevoked, summary="Sign a user out everywhere (admin)")
def revoke_tokens(user_id: UserId, principal: PrincipalDep, session: SessionDep) -> TokensRevoked:
    return TokensRevoked(user_id=user_id, tokens_revoked=service.revoke_tokens(session, principal, user_id))
