"""The officer's queue page: open cases most urgent first (applications/queue.py), filtered by
status, licence type, element and flag, a page at a time or as CSV."""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel

from rarex.applications.flows import OPEN
from rarex.applications.models import ApplicationStatus
from rarex.applications.queue import FLAGS, queue
from rarex.policy.service import get_pack
from rarex.web.csvout import csv_response
from rarex.web.deps import SessionDep
from rarex.web.ui.render import render
from rarex.web.ui.session import SignedInPrincipal

router = APIRouter(include_in_schema=False)

PAGE = 50
Short = Annotated[str, Query(max_length=40)]


class QueueCsvRow(BaseModel):
    reference: str
    organisation: str
    licence_type: str
    status: str
    clock_state: str
    acceptance_due: str
    deadline: str
    days_to_act: str
    overdue: bool
    open_hits: int


@router.get("/officer/queue", name="officer_queue")
def officer_queue(request: Request, principal: SignedInPrincipal, session: SessionDep,
                  status: Short = "", type: Short = "", element: Short = "", flag: Short = "",
                  page: Annotated[int, Query(ge=1, le=100_000)] = 1, format: Literal["html", "csv"] = "html") -> Response:
    pack = get_pack()
    statuses = [ApplicationStatus(status)] if status in {s.value for s in OPEN} else None
    rows = queue(session, principal, statuses=statuses, licence_type=type if type in pack.licence_types else None,
                 element=element if element in pack.elements else None, flag=flag if flag in FLAGS else None)
    if format == "csv":
        return csv_response([QueueCsvRow(
            reference=r.case.reference, organisation=r.case.organisation, licence_type=r.case.licence_type,
            status=r.case.status.value, clock_state=r.case.clock_state.value,
            acceptance_due=str(r.case.acceptance_due or ""), deadline=str(r.case.deadline or ""),
            days_to_act="" if r.days_to_act is None else str(r.days_to_act), overdue=r.case.overdue, open_hits=r.open_hits,
        ) for r in rows], "queue.csv", QueueCsvRow)
    filters = {k: v for k, v in {"status": status, "type": type, "element": element, "flag": flag}.items() if v}
    shown = rows[(page - 1) * PAGE: page * PAGE]
    return render(request, "ui/officer/queue.html", {
        "rows": shown, "total": len(rows), "page": page, "pages": max(1, -(-len(rows) // PAGE)),
        "filters": filters, "statuses": sorted(s.value for s in OPEN), "types": list(pack.licence_types),
        "elements": pack.elements, "flags": FLAGS,
        "csv_query": urlencode(filters | {"format": "csv"}),
        "prev_query": urlencode(filters | {"page": page - 1}) if page > 1 else "",
        "next_query": urlencode(filters | {"page": page + 1}) if page * PAGE < len(rows) else "",
    })
