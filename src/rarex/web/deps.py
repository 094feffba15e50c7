"""Request-scoped dependencies: one transaction per request, and the caller's identity."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from rarex.core.authz import Principal
from rarex.core.db import unit_of_work
from rarex.core.errors import Unauthenticated

bearer = HTTPBearer(auto_error=False, description="A token from POST /api/v1/auth/token")


def get_session() -> Iterator[Session]:
    """Commit when the endpoint returns, roll back when it raises: no partial writes."""
    with unit_of_work() as session:
        yield session


# scope="function": commit before the response is sent, so a failed commit is never reported as success.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def get_principal_optional(
    request: Request,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal | None:
    from rarex.users.service import principal_for_token

    if credentials is None:
        return None
    principal = principal_for_token(session, credentials.credentials)
    if principal is None:
        raise Unauthenticated("the bearer token is invalid, revoked or expired")
    request.state.principal = principal
    return principal


def get_principal(principal: Annotated[Principal | None, Depends(get_principal_optional)]) -> Principal:
    if principal is None:
        raise Unauthenticated("send 'Authorization: Bearer <token>'; get a token from POST /api/v1/auth/token")
    return principal


PrincipalDep = Annotated[Principal, Depends(get_principal)]
OptionalPrincipalDep = Annotated[Principal | None, Depends(get_principal_optional)]
