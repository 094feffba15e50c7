"""Demo shipments and general licences: the customs side of the demo history.

Individual licences of 2025 are shipped once each (they end when used, DUR Art. 15), a few
days to weeks after approval, so monthly drawdowns follow the application months, which are
shaped like FACTS.md section 5's 2025 export volumes. From December 2025 three large, well-run
exporters hold year-long general licences for named customers (as reported for the first
general licences, FACTS.md section 4) and ship to them every month.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from rarex.applications import service as apps
from rarex.applications.schemas import ApplicationIn, ItemIn, Outcome
from rarex.core.authz import Principal
from rarex.demo import restricted
from rarex.licences.models import Licence, LicenceStatus
from rarex.parties.models import Party
from rarex.shipments import service as shipments
from rarex.shipments.schemas import ShipmentIn, ShipmentLineIn

PORTS = ["CNTSN", "CNNGB", "CNSHA", "CNXMN", "CNSZX"]  # Tianjin, Ningbo, Shanghai, Xiamen, Shenzhen
GENERAL_HOLDERS = 3
#: (control code, HS reference, description, yearly kg per customer)
GENERAL_ITEMS = [
    ("1C905.a", "8505111000", "Sintered NdFeB permanent magnets containing Dy", 36000),
    ("1C904.a", "8505111000", "Sintered NdFeB permanent magnets containing Tb", 18000),
]


def _at(day: dt.date, tz, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=tz).astimezone(dt.UTC)


class Declarations:
    """Customs declaration numbers: 18 digits like China's, unique within the demo."""

    def __init__(self) -> None:
        self.n = 0

    def next(self, day: dt.date) -> str:
        self.n += 1
        return f"2234{day:%Y}{self.n:010d}"


def ship_individual_licences(session: Session, rng: random.Random, pack, customs: Principal, today: dt.date,
                             numbers: Declarations) -> int:
    """One shipment per approved individual licence, drawing what was licensed."""
    count = 0
    lics = session.execute(select(Licence).where(Licence.licence_type == "individual").order_by(Licence.id)).scalars().all()
    for lic in lics:
        day = lic.valid_from + dt.timedelta(days=rng.randint(3, 25))
        if day > min(lic.valid_to, today) or lic.status != LicenceStatus.active:
            continue
        lines = [ShipmentLineIn(item=line.control_code, end_user=str(line.end_user_id), quantity=line.licensed, unit=line.unit)
                 for line in lic.lines]
        shipments.record(session, customs, lic.number,
                         ShipmentIn(declaration=numbers.next(day), date=day, port=rng.choice(PORTS), lines=lines),
                         at=_at(day, pack.tz, 14))
        count += 1
    return count


def general_licences(session: Session, rng: random.Random, pack, cal, staff: dict, holders: list, today: dt.date,
                     numbers: Declarations, pdf: bytes) -> tuple[int, int]:
    """Year-long general licences for the first holders, then monthly shipments to each customer."""
    issued = shipped = 0
    for exporter in holders[:GENERAL_HOLDERS]:
        customers = session.execute(select(Party).where(Party.org_id == exporter.org_id).order_by(Party.id)).scalars().all()[:4]
        items = [
            ItemIn(control_code=code, hs_code=hs, description=desc, end_user_id=c.id, unit="kg", currency="USD",
                   quantity=Decimal(round(kg * rng.uniform(0.6, 1.4))), value=Decimal(round(kg * 70 * rng.uniform(0.9, 1.1))))
            for c in customers for code, hs, desc, kg in GENERAL_ITEMS
        ]
        body = ApplicationIn(licence_type="general", consignee_id=customers[0].id, end_user_id=customers[0].id,
                             end_use="Permanent magnets for the customers' electric motors, under long-term supply contracts",
                             end_use_category="civil",
                             requested_validity_months=12, items=items)
        applied = dt.date(2025, 11, 17) + dt.timedelta(days=issued)
        app = apps.create(session, exporter, body, at=_at(applied, pack.tz, 9))
        for doc_type in pack.required_documents("general"):
            apps.add_document(session, exporter, app.id, doc_type=doc_type, filename=f"{doc_type}.pdf",
                              content_type="application/pdf", data=pdf)
        apps.submit(session, exporter, app.id, at=_at(applied, pack.tz, 11))
        restricted.clear_hits(session, staff["officer1"], app.id, at=_at(cal.add_working_days(applied, 1), pack.tz, 9))
        apps.accept(session, staff["officer1"], app.id, at=_at(cal.add_working_days(applied, 1), pack.tz))
        apps.recommend(session, staff["officer1"], app.id, Outcome.approve, "Large producer with a working ICP and "
                       "stable customers; compliance statement reviewed.", at=_at(cal.add_working_days(applied, 8), pack.tz))
        _, lic = apps.decide(session, staff["senior1"], app.id, Outcome.approve, "General licence granted for one year.",
                             at=_at(dt.date(2025, 12, 2), pack.tz, 15))
        issued += 1
        month = dt.date(2025, 12, 10)
        while month <= min(today, lic.valid_to):
            day = month + dt.timedelta(days=rng.randint(0, 12))
            if day > today:
                break
            lines = []
            for line in lic.lines:
                q = min(line.remaining, (line.licensed / 12 * Decimal(str(round(rng.uniform(0.7, 1.2), 2)))).quantize(Decimal(1)))
                if q > 0:
                    lines.append(ShipmentLineIn(item=line.control_code, end_user=str(line.end_user_id), quantity=q, unit="kg"))
            if lines:
                shipments.record(session, staff["customs1"], lic.number,
                                 ShipmentIn(declaration=numbers.next(day), date=day, port=rng.choice(PORTS), lines=lines),
                                 at=_at(day, pack.tz, 14))
                session.expire_all()  # the draw was written in SQL: reload the lines
                shipped += 1
                if lic.status != LicenceStatus.active:
                    break
            month = (month.replace(day=1) + dt.timedelta(days=32)).replace(day=10)
    return issued, shipped
