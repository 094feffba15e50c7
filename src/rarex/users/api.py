"""Sign-in, the caller's own identity, and user administration."""

from __future__ import annotations

from fastapi import APIRouter, Request

from rarex.core.authz import require
from rarex.users import service
from rarex.users.schemas import TokenOut, TokenRequest, UserIn, UserOut
from rarex.web.deps import PrincipalDep, SessionDep

router = APIRouter(prefix="/api/v1", tags=["auth and users"])


@router.post("/auth/token", response_model=TokenOut, summary="Exchange username and password for a bearer token")
def token(body: TokenRequest, session: SessionDep) -> TokenOut:
    user = service.authenticate(session, body.username, body.password)
    tok, expires = service.issue_token(session, user)
    return TokenOut(access_token=tok, expires_at=expires)


@router.post("/auth/logout", status_code=204, summary="Revoke the token this request carries")
def logout(request: Request, principal: PrincipalDep, session: SessionDep) -> None:
    service.revoke_token(session, request.headers["authorization"].split(" ", 1)[1].strip())


@router.get("/me", response_model=UserOut, summary="The signed-in user")
def me(principal: PrincipalDep, session: SessionDep) -> UserOut:
    require(principal, "me.read")
    return UserOut.model_validate(service.get_user(session, principal.username))


@router.get("/users", response_model=list[UserOut], summary="List users (admin, auditor)")
def users(principal: PrincipalDep, session: SessionDep) -> list[UserOut]:
    return [UserOut.model_validate(u) for u in service.list_users(session, principal)]


@router.post("/users", response_model=UserOut, status_code=201, summary="Create a user (admin)")
def create(body: UserIn, principal: PrincipalDep, session: SessionDep) -> UserOut:
    user = service.create_user(session, principal, **body.model_dump())
    return UserOut.model_validate(user)
