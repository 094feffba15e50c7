"""The API's and CLI's view of shipments (the licence number instead of its row id)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from rarex.licences.models import Licence
from rarex.shipments.models import Shipment
from rarex.shipments.schemas import ShipmentLineOut, ShipmentOut, ShipmentRow


def detail(shipment: Shipment, licence_number: str) -> ShipmentOut:
    return ShipmentOut(
        declaration=shipment.declaration,
        licence=licence_number,
        status=shipment.status,
        date=shipment.shipped_on,
        port=shipment.port,
        lines=[
            ShipmentLineOut(line_no=sl.line_no, item=sl.item, end_user=sl.end_user, quantity=sl.quantity, unit=sl.unit,
                            drawn=sl.drawn, drawn_unit=sl.drawn_unit)
            for sl in shipment.lines
        ],
        recorded_at=shipment.recorded_at,
        recorded_by=shipment.recorded_by_name,
        cancelled_at=shipment.cancelled_at,
        cancelled_by=shipment.cancelled_by_name,
        cancel_reason=shipment.cancel_reason,
    )


def details(session: Session, shipments: Sequence[Shipment]) -> list[ShipmentOut]:
    ids = {s.licence_id for s in shipments}
    numbers = dict(session.execute(select(Licence.id, Licence.number).where(Licence.id.in_(ids))).all()) if ids else {}
    return [detail(s, numbers[s.licence_id]) for s in shipments]


def one(session: Session, shipment: Shipment) -> ShipmentOut:
    return details(session, [shipment])[0]


def csv_rows(items: Sequence[ShipmentOut]) -> list[ShipmentRow]:
    """One row per line: the first eight columns re-import with ``rarex shipments import``."""
    return [
        ShipmentRow(declaration=s.declaration, licence=s.licence, date=s.date, port=s.port, item=line.item,
                    end_user=line.end_user, quantity=line.quantity, unit=line.unit, drawn=line.drawn,
                    drawn_unit=line.drawn_unit, status=s.status, recorded_at=s.recorded_at, cancelled_at=s.cancelled_at)
        for s in items
        for line in s.lines
    ]
