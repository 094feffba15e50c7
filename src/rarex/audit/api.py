"""Audit log for auditors: read events, verify the chain."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from rarex.audit import service
from rarex.audit.schemas import AuditEventOut, AuditEventPage, VerifyOut
from rarex.core import audit
from rarex.core.authz import require
from rarex.web.deps import PrincipalDep, SessionDep
from rarex.web.paging import Cursor, Limit, decode_cursor, next_cursor

router = APIRouter(prefix="/api/v1/audit", tags=["audit"])


@router.get("/events", response_model=AuditEventPage)
def events(
    principal: PrincipalDep,
    session: SessionDep,
    stream: Annotated[str | None, Query(max_length=120, description="e.g. application:12")] = None,
    type: Annotated[str | None, Query(max_length=64, description="e.g. licence.issued")] = None,
    subject_type: Annotated[str | None, Query(max_length=40)] = None,
    limit: Limit = 100,
    cursor: Cursor = None,
) -> AuditEventPage:
    rows = service.list_events(
        session, principal, stream=stream, type=type, subject_type=subject_type,
        after_id=decode_cursor(cursor), limit=limit + 1,
    )
    items = [AuditEventOut.model_validate(r) for r in rows[:limit]]
    return AuditEventPage(items=items, next_cursor=next_cursor(rows, limit))


@router.get("/verify", response_model=VerifyOut, summary="Recompute the hash chains; report the first bad event")
def verify(principal: PrincipalDep, session: SessionDep) -> VerifyOut:
    require(principal, "audit.verify")
    return VerifyOut.model_validate(audit.verify(session).as_dict())
