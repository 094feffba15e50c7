"""Request-scoped dependencies: one transaction per request, and the caller's identity.

A request's transaction is admitted first (:mod:`rarex.web.admission`), and is read-only when
the request cannot change anything: GET and HEAD, and POST endpoints marked :func:`read_only`
(a search whose query is too rich for a URL). Read-only requests never take SQLite's write
lock, so reads do not queue behind shipments.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Annotated, TypeVar

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from rarex.core.authz import Principal
from rarex.core.db import is_busy, unit_of_work
from rarex.core.errors import ServiceBusy, Unauthenticated
from rarex.web.admission import Admission

bearer = HTTPBearer(auto_error=False, description="A token from POST /api/v1/auth/token")


F = TypeVar("F", bound=Callable)
_READ_ONLY = "__rarex_read_only__"


def read_only(endpoint: F) -> F:
    """Mark an endpoint that is not GET but only reads, so its transaction is read-only.

    Place it below the route decorator. The database enforces the promise on PostgreSQL
    (READ ONLY transaction): an endpoint that writes after all fails in every test.
    """
    setattr(endpoint, _READ_ONLY, True)
    return endpoint


def is_read_only(request: Request) -> bool:
    if request.method in ("GET", "HEAD"):
        return True
    return getattr(getattr(request.scope.get("route"), "endpoint", None), _READ_ONLY, False)


async def admitted(request: Request) -> AsyncIterator[None]:
    """Hold one of this process's database slots for the request (503 when none frees up)."""
    state = request.app.state
    if not hasattr(state, "admission"):
        state.admission = Admission.from_settings()
    async with state.admission.slot():
        yield


def get_session(request: Request, _: Annotated[None, Depends(admitted, scope="function")]) -> Iterator[Session]:
    """Commit when the endpoint returns, roll back when it raises: no partial writes.

    A database that stays busy beyond its bounded waits (pool, lock) is a 503, never a 500.
    """
    try:
        with unit_of_work(readonly=is_read_only(request)) as session:
            yield session
    except Exception as exc:
        if is_busy(exc):
            raise ServiceBusy("the database is busy; retry shortly") from exc
        raise


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
