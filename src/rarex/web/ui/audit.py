"""The auditor's pages: the audit log by subject, type or stream, newest or oldest first, a page
at a time or as CSV, and the verification of every hash chain with its result."""

from __future__ import annotations

import json
from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel

from rarex.audit import service
from rarex.audit.schemas import AuditEventOut, VerifyOut
from rarex.core import audit
from rarex.core.authz import require
from rarex.web.csvout import csv_response
from rarex.web.deps import SessionDep
from rarex.web.paging import Cursor, decode_cursor, next_cursor
from rarex.web.ui.render import render
from rarex.web.ui.session import SignedInPrincipal

router = APIRouter(include_in_schema=False)

PAGE = 50
#: A CSV export holds at most this many events; narrow the filter for more.
CSV_LIMIT = 10_000
FilterText = Annotated[str, Query(max_length=120)]


class AuditRow(BaseModel):
    """One event as a spreadsheet row: before and after as JSON text."""

    id: int
    occurred_at: str
    stream: str
    seq: int
    type: str
    actor: str
    actor_role: str
    subject_type: str
    subject_id: str
    reason: str
    before: str
    after: str
    hash: str


def _row(e: AuditEventOut) -> AuditRow:
    return AuditRow(id=e.id, occurred_at=e.occurred_at.isoformat(), stream=e.stream, seq=e.seq, type=e.type, actor=e.actor,
                    actor_role=e.actor_role or "", subject_type=e.subject_type, subject_id=e.subject_id,
                    reason=e.reason or "", before=json.dumps(e.before, ensure_ascii=False, sort_keys=True),
                    after=json.dumps(e.after, ensure_ascii=False, sort_keys=True), hash=e.hash)


@router.get("/audit", name="audit_log")
def audit_log(request: Request, principal: SignedInPrincipal, session: SessionDep,
              subject_type: FilterText = "", type: FilterText = "", stream: FilterText = "",
              order: Literal["newest", "oldest"] = "newest", cursor: Cursor = None,
              format: Literal["html", "csv"] = "html") -> Response:
    require(principal, "audit.read")
    filters = {"subject_type": subject_type.strip(), "type": type.strip(), "stream": stream.strip()}
    limit = CSV_LIMIT if format == "csv" else PAGE
    rows = service.list_events(session, principal, **{k: v or None for k, v in filters.items()},
                               after_id=decode_cursor(cursor), limit=limit + 1, newest_first=order == "newest")
    events = [AuditEventOut.model_validate(r) for r in rows[:limit]]
    if format == "csv":
        return csv_response([_row(e) for e in events], "audit-events.csv", AuditRow)
    shown = {k: v for k, v in filters.items() if v} | {"order": order}
    after = next_cursor(rows, limit)
    return render(request, "ui/audit/log.html", {
        "events": events, "filters": filters, "order": order,
        "csv_query": urlencode(shown | {"format": "csv"}),
        "next_query": urlencode(shown | {"cursor": after}) if after else "",
    })


@router.get("/audit/verify", name="audit_verify")
def verify(request: Request, principal: SignedInPrincipal, session: SessionDep) -> Response:
    require(principal, "audit.verify")
    result = VerifyOut.model_validate(audit.verify(session).as_dict())
    return render(request, "ui/audit/verify.html", {"result": result})
