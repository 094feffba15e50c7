"""The holder's periodic usage report (DUR Art. 18 para. 1): per licence line, what was licensed,
drawn in the period, drawn to the period's end and what remains, with the shipments behind it.

Why built from shipments and not from the line's ``drawn`` column: the report must be
reproducible for any past period, and only the declarations carry dates. A cancelled
declaration gave its quantity back, so it counts in no period. Quantities are the ones drawn,
in the licence line's unit (a declaration in t against a kg line shows both).

The regulation sets no reporting frequency (MOFCOM fixes it in the licence), so the period is
the pack's ``usage_report.period_months`` for the licence type, calendar-aligned in the pack's
time zone; without ``from``/``to`` the report covers the current period, clipped to the
licence's validity (the last period of an expired licence, the first of one not yet valid).
A licence type without ``usage_report`` in the pack reports over its whole validity.

The response models live here rather than in ``licences/schemas.py`` because nothing else uses
them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from rarex.core.authz import Principal
from rarex.core.db import utcnow
from rarex.core.errors import InvalidInput
from rarex.core.units import plain
from rarex.licences import service
from rarex.licences.models import Licence, LicenceStatus
from rarex.parties.models import Organisation
from rarex.parties.versions import resolve
from rarex.policy.models import Confidence, Pack
from rarex.policy.service import get_pack
from rarex.shipments.models import Shipment, ShipmentLine, ShipmentStatus

# --- what the report says ------------------------------------------------------------------------


class UsageShipment(BaseModel):
    declaration: str
    shipped_on: dt.date
    port: str
    quantity: Decimal = Field(description="As declared to customs")
    unit: str = Field(description="The declared unit")
    drawn: Decimal = Field(description="What the declaration drew, in the licence line's unit")


class UsageLine(BaseModel):
    line_no: int
    item: str
    end_user: str
    end_user_name: str
    description: str
    unit: str
    licensed: Decimal
    drawn_in_period: Decimal
    drawn_to_date: Decimal = Field(description="Drawn by declarations dated up to the period's last day")
    remaining: Decimal = Field(description="Licensed less drawn to date")
    shipments: list[UsageShipment] = Field(description="Recorded declarations dated in the period, oldest first")


class ReportingBasis(BaseModel):
    period_months: int | None = Field(description="The pack's reporting period; None: whole validity")
    legal_ref: str
    confidence: Confidence


class UsageReportOut(BaseModel):
    licence: str
    type: str
    status: LicenceStatus
    holder: str
    org_id: int
    valid_from: dt.date
    valid_to: dt.date
    period_from: dt.date
    period_to: dt.date
    basis: ReportingBasis
    generated_at: dt.datetime
    lines: list[UsageLine]


class UsageCsvRow(BaseModel):
    """One row per (line, shipment in the period); a line without shipments has one row with blanks."""

    licence: str
    period_from: dt.date
    period_to: dt.date
    line_no: int
    item: str
    end_user: str
    end_user_name: str
    unit: str
    licensed: Decimal
    drawn_in_period: Decimal
    drawn_to_date: Decimal
    remaining: Decimal
    declaration: str | None = None
    shipped_on: dt.date | None = None
    port: str | None = None
    quantity: Decimal | None = None
    quantity_unit: str | None = None
    drawn: Decimal | None = None


# --- the period ---------------------------------------------------------------------------------


def default_period(lic: Licence, pack: Pack, today: dt.date) -> tuple[dt.date, dt.date]:
    """The reporting period containing ``today`` (or the validity day nearest it), clipped to validity."""
    rule = pack.licence_types[lic.licence_type].usage_report if lic.licence_type in pack.licence_types else None
    if rule is None:
        return lic.valid_from, lic.valid_to
    anchor = min(max(today, lic.valid_from), lic.valid_to)
    start, end = rule.period_of(anchor)
    return max(start, lic.valid_from), min(end, lic.valid_to)


def _period(lic: Licence, pack: Pack, date_from: dt.date | None, date_to: dt.date | None, today: dt.date):
    rule = pack.licence_types[lic.licence_type].usage_report if lic.licence_type in pack.licence_types else None
    if date_from is None and date_to is None:
        return default_period(lic, pack, today)
    if date_from is None:  # the start of the reporting period the end falls in
        date_from = max(rule.period_of(date_to)[0], lic.valid_from) if rule else lic.valid_from
    if date_to is None:  # the end of the reporting period the start falls in
        date_to = min(rule.period_of(date_from)[1], lic.valid_to) if rule else lic.valid_to
    if date_from > date_to:
        raise InvalidInput(f"from {date_from} is after to {date_to}", field="from")
    return date_from, date_to


# --- the report ---------------------------------------------------------------------------------


def usage_report(
    session: Session, actor: Principal, number: str, *, date_from: dt.date | None = None, date_to: dt.date | None = None,
    today: dt.date | None = None,
) -> UsageReportOut:
    """The report for licence ``number`` over [from, to]; whoever may read the licence may read it."""
    lic = service.get(session, actor, number)
    pack = get_pack()
    now = utcnow()
    today = today or now.astimezone(pack.tz).date()
    start, end = _period(lic, pack, date_from, date_to, today)
    rule = pack.licence_types[lic.licence_type].usage_report if lic.licence_type in pack.licence_types else None
    basis = (ReportingBasis(period_months=rule.period_months, legal_ref=rule.legal_ref, confidence=rule.confidence)
             if rule else ReportingBasis(period_months=None, legal_ref="DUR Art. 18 para. 1", confidence="confirmed"))

    rows = session.execute(
        select(ShipmentLine, Shipment)
        .join(Shipment, Shipment.id == ShipmentLine.shipment_id)
        .where(Shipment.licence_id == lic.id, Shipment.status == ShipmentStatus.recorded, Shipment.shipped_on <= end)
        .order_by(Shipment.shipped_on, Shipment.id, ShipmentLine.line_no)
    ).all()
    to_date: dict[int, Decimal] = defaultdict(Decimal)
    in_period: dict[int, list[tuple[ShipmentLine, Shipment]]] = defaultdict(list)
    for sl, sh in rows:
        to_date[sl.licence_line_id] += sl.drawn
        if sh.shipped_on >= start:
            in_period[sl.licence_line_id].append((sl, sh))

    # End users as the licence was decided on, whatever was edited on file since.
    names = {ref: p.name for ref, p in resolve(session, ((line.end_user_id, line.end_user_version_id)
                                                         for line in lic.lines)).items()}
    holder = session.execute(select(Organisation.name_en).where(Organisation.id == lic.org_id)).scalar_one()
    lines = []
    for line in lic.lines:
        shipped = in_period[line.id]
        drawn_to_date = plain(to_date[line.id])
        lines.append(UsageLine(
            line_no=line.line_no, item=line.control_code, end_user=str(line.end_user_id or ""),
            end_user_name=names.get((line.end_user_id, line.end_user_version_id), ""), description=line.description,
            unit=line.unit,
            licensed=plain(line.licensed), drawn_in_period=plain(sum((sl.drawn for sl, _ in shipped), Decimal(0))),
            drawn_to_date=drawn_to_date, remaining=plain(line.licensed - drawn_to_date),
            shipments=[UsageShipment(declaration=sh.declaration, shipped_on=sh.shipped_on, port=sh.port,
                                     quantity=plain(sl.quantity), unit=sl.unit, drawn=plain(sl.drawn))
                       for sl, sh in shipped],
        ))
    return UsageReportOut(
        licence=lic.number, type=lic.licence_type, status=lic.status, holder=holder, org_id=lic.org_id,
        valid_from=lic.valid_from, valid_to=lic.valid_to, period_from=start, period_to=end, basis=basis,
        generated_at=now, lines=lines,
    )


def csv_rows(report: UsageReportOut) -> list[UsageCsvRow]:
    out = []
    for line in report.lines:
        base = dict(licence=report.licence, period_from=report.period_from, period_to=report.period_to,
                    line_no=line.line_no, item=line.item, end_user=line.end_user, end_user_name=line.end_user_name,
                    unit=line.unit, licensed=line.licensed, drawn_in_period=line.drawn_in_period,
                    drawn_to_date=line.drawn_to_date, remaining=line.remaining)
        if not line.shipments:
            out.append(UsageCsvRow(**base))
        for s in line.shipments:
            out.append(UsageCsvRow(**base, declaration=s.declaration, shipped_on=s.shipped_on, port=s.port,
                                   quantity=s.quantity, quantity_unit=s.unit, drawn=s.drawn))
    return out
