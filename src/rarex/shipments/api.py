"""Shipments API: customs records and cancels declarations; readers see a licence's shipments.

``POST /api/v1/licences/{number}/shipments`` answers 201 for a new declaration and 200 with the
original shipment when the same declaration is sent again (nothing is drawn twice).
"""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Path, Response

from rarex.shipments import service, views
from rarex.shipments.models import ShipmentStatus
from rarex.shipments.schemas import CancelIn, ShipmentIn, ShipmentOut, ShipmentPage, ShipmentRow
from rarex.web.csvout import csv_response
from rarex.web.deps import PrincipalDep, SessionDep
from rarex.web.paging import Cursor, Limit, decode_cursor, next_cursor

LicenceNo = Annotated[str, Path(min_length=1, max_length=40, description="Licence number, e.g. CNDU-G2025-000001")]
Declaration = Annotated[str, Path(min_length=1, max_length=40, description="Export declaration number")]

router = APIRouter(prefix="/api/v1", tags=["shipments"])

@router.post(
    "/licences/{number}/shipments", response_model=ShipmentOut, status_code=201, responses={
        200: {"model": ShipmentOut, "description": "this declaration was already recorded with the same content; nothing drawn"},
        409: {"description": "licence not active, quantity exceeded, or the declaration number is used by other content"},
        422: {"description": "bad input, a date outside validity, an item or end user not on the licence, a unit mismatch"},
    },
    summary="Customs: record an export declaration (all lines drawn, or none)",
)
def record(number: LicenceNo, body: ShipmentIn, principal: PrincipalDep, session: SessionDep, response: Response) -> ShipmentOut:
    shipment, created = service.record(session, principal, number, body)
    response.status_code = 201 if created else 200
    response.headers["Location"] = f"/api/v1/shipments/{quote(shipment.declaration)}"
    return views.detail(shipment, number)  # a resend with another licence is a 409, so this is its licence


@router.get("/licences/{number}/shipments", response_model=ShipmentPage, summary="A licence's shipments")
def list_for_licence(
    number: LicenceNo,
    principal: PrincipalDep,
    session: SessionDep,
    status: ShipmentStatus | None = None,
    limit: Limit = 50,
    cursor: Cursor = None,
    format: Literal["json", "csv"] = "json",
):
    rows = service.list_for_licence(session, principal, number, status=status, after_id=decode_cursor(cursor), limit=limit + 1)
    items = views.details(session, rows[:limit])
    if format == "csv":
        return csv_response(views.csv_rows(items), f"shipments-{number}.csv", ShipmentRow)
    return ShipmentPage(items=items, next_cursor=next_cursor(rows, limit))


@router.get("/shipments/{declaration}", response_model=ShipmentOut, summary="One shipment by declaration number")
def get(declaration: Declaration, principal: PrincipalDep, session: SessionDep) -> ShipmentOut:
    return views.one(session, service.get(session, principal, declaration))


@router.post("/shipments/{declaration}/cancel", response_model=ShipmentOut,
             summary="Customs: cancel a declaration; its quantity returns to the licence")
def cancel(declaration: Declaration, body: CancelIn, principal: PrincipalDep, session: SessionDep) -> ShipmentOut:
    return views.one(session, service.cancel(session, principal, declaration, body.reason))
