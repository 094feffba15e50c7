"""Demo shipments and licences after the decision: the customs side of the demo history.

Individual licences are shipped once each (they end when used, DUR Art. 15), a few days to
weeks after approval, so monthly drawdowns follow the application months; the most recent are
not shipped yet and keep their quantity, the oldest unshipped ones expire, and a senior officer
has suspended a few and revoked one. From December 2025 large, well-run exporters hold
year-long general licences for named customers (as reported for the first general licences,
FACTS.md section 4), renewed a little before each year ends, and ship under them every week or
two up to yesterday.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from rarex.applications import service as apps
from rarex.applications.models import Application
from rarex.applications.schemas import ApplicationIn, ItemIn, Outcome
from rarex.core.authz import Principal
from rarex.core.calendar import WorkingCalendar
from rarex.demo import clock, restricted
from rarex.licences import service as licences
from rarex.licences.models import Licence, LicenceStatus
from rarex.parties.models import Party
from rarex.shipments import service as shipments
from rarex.shipments.schemas import ShipmentIn, ShipmentLineIn

PORTS = ["CNTSN", "CNNGB", "CNSHA", "CNXMN", "CNSZX"]  # Tianjin, Ningbo, Shanghai, Xiamen, Shenzhen
#: (control code, HS reference, description, yearly kg per customer)
GENERAL_ITEMS = [
    ("1C905.a", "8505111000", "Sintered NdFeB permanent magnets containing Dy", 36000),
    ("1C904.a", "8505111000", "Sintered NdFeB permanent magnets containing Tb", 18000),
]
#: A watch-listed end user bars a general licence (DUR Art. 26): holders name other customers.
WATCH_LISTED = "Morava Laser Optics s.r.o."


class Declarations:
    """Customs declaration numbers: 18 digits like China's, unique within the demo (and the
    same for the same day's history)."""

    def __init__(self, seed: int) -> None:
        self.n = (seed % 997) * 10_000

    def next(self, day: dt.date) -> str:
        self.n += 1
        return f"2234{day:%Y}{self.n:010d}"


def ship_individual_licences(session: Session, rng: random.Random, pack, customs: Principal, today: dt.date,
                             numbers: Declarations) -> int:
    """One shipment per approved individual licence, drawing what was licensed; about one in
    eight is never used (it expires), and the last month's are mostly still to ship."""
    count = 0
    lics = session.execute(select(Licence).where(Licence.licence_type == "individual").order_by(Licence.id)).scalars().all()
    for lic in lics:
        day = lic.valid_from + dt.timedelta(days=rng.randint(3, 40))
        if rng.random() < 0.12 or day >= min(lic.valid_to, today) or lic.status != LicenceStatus.active:
            continue
        lines = [ShipmentLineIn(item=line.control_code, end_user=str(line.end_user_id), quantity=line.licensed, unit=line.unit)
                 for line in lic.lines]
        shipments.record(session, customs, lic.number,
                         ShipmentIn(declaration=numbers.next(day), date=day, port=rng.choice(PORTS), lines=lines),
                         at=clock.at(day, pack.tz, 14))
        count += 1
    return count


def control_some(session: Session, rng: random.Random, pack, staff: dict, today: dt.date) -> None:
    """A senior officer's actions on recent individual licences still in force (before their
    export: the shipments skip them): two suspended while the end use is checked, one revoked
    after an illegal transfer came to light."""
    active = session.execute(select(Licence).where(
        Licence.licence_type == "individual", Licence.status == LicenceStatus.active, Licence.valid_to >= today,
    ).order_by(Licence.id)).scalars().all()
    if len(active) < 6:  # keep most in force
        return
    picked = rng.sample(active[-12:], 3)
    senior = staff["senior2"]
    for lic, action, ground, reason in (
        (picked[0], "suspend", "end_user_or_use_changed", "The end user announced a new defence programme; the end use "
                                                         "is being checked again before any export."),
        (picked[1], "suspend", "end_user_or_use_changed", "The consignee changed its registered business; checking "
                                                         "whether the goods still reach the named end user."),
        (picked[2], "revoke", "illegal_transfer", "Customs found goods of an earlier licence re-exported from the "
                                                  "consignee's free-zone warehouse without permission."),
    ):
        day = max(lic.valid_from + dt.timedelta(days=1), today - dt.timedelta(days=rng.randint(3, 20)))
        if day >= today:
            continue
        licences.control(session, senior, lic.number, action, reason, ground, at=clock.at(day, pack.tz, 16))


@dataclass
class _Held:
    number: str
    valid_from: dt.date
    valid_to: dt.date
    lines: list[tuple[str, int, str, Decimal]]  # (item, end user id, unit, licensed)
    drawn: dict[int, Decimal] = field(default_factory=dict)


class GeneralLicences:
    """Each holder's yearly general licences, and the shipments under them."""

    def __init__(self, session: Session, rng: random.Random, pack, cal: WorkingCalendar, staff: dict, today: dt.date,
                 numbers: Declarations, pdf: bytes):
        self.session, self.rng, self.pack, self.cal, self.staff = session, rng, pack, cal, staff
        self.today, self.numbers, self.pdf = today, numbers, pdf
        self.held: list[list[_Held]] = []

    def _at(self, day: dt.date, hour: int = 10) -> dt.datetime:
        return clock.at(day, self.pack.tz, hour)

    def _apply(self, exporter: Principal, grant: dt.date) -> Application | None:
        """The application that leads to a grant on ``grant``: submitted three weeks before,
        accepted next day, recommended three days before; each step taken only if before today."""
        s, cal, rng, today = self.session, self.cal, self.rng, self.today
        customers = [p for p in s.execute(select(Party).where(Party.org_id == exporter.org_id).order_by(Party.id)).scalars()
                     if p.name != WATCH_LISTED][:4]
        submitted = clock.working_days_back(cal, grant, 15)
        if submitted >= today:
            return None
        items = [
            ItemIn(control_code=code, hs_code=hs, description=desc, end_user_id=c.id, unit="kg", currency="USD",
                   quantity=Decimal(round(kg * rng.uniform(0.6, 1.4))), value=Decimal(round(kg * 70 * rng.uniform(0.9, 1.1))))
            for c in customers for code, hs, desc, kg in GENERAL_ITEMS
        ]
        body = ApplicationIn(licence_type="general", consignee_id=customers[0].id, end_user_id=customers[0].id,
                             end_use="Permanent magnets for the customers' electric motors, under long-term supply contracts",
                             end_use_category="civil", requested_validity_months=12, items=items)
        app = apps.create(s, exporter, body, at=self._at(submitted, 9))
        for doc_type in self.pack.required_documents("general"):
            apps.add_document(s, exporter, app.id, doc_type=doc_type, filename=f"{doc_type}.pdf",
                              content_type="application/pdf", data=self.pdf)
        apps.submit(s, exporter, app.id, at=self._at(submitted, 11))
        accepted = cal.add_working_days(submitted, 1)
        if accepted >= today:
            return app
        restricted.clear_hits(s, self.staff["officer1"], app.id, at=self._at(accepted, 9))
        apps.accept(s, self.staff["officer1"], app.id, at=self._at(accepted))
        recommended = clock.working_days_back(cal, grant, 3)
        if recommended >= today:
            return app
        apps.recommend(s, self.staff["officer1"], app.id, Outcome.approve, "Large producer with a working ICP and "
                       "stable customers; compliance statement reviewed.", at=self._at(recommended))
        return app

    def chain(self, exporter: Principal, first: dt.date) -> tuple[int, int]:
        """Grant ``exporter`` a general licence on ``first`` (moved to a working day) and renew it
        each year on the last working day of the old one, up to today. Returns (licences,
        applications)."""
        grant, issued, made = clock.next_working_day(self.cal, first), 0, 0
        held: list[_Held] = []
        while True:
            app = self._apply(exporter, grant)
            if app is None:
                break
            made += 1
            if grant >= self.today:
                break  # the renewal is still under review
            _, lic = apps.decide(self.session, self.staff["senior1"], app.id, Outcome.approve,
                                 "General licence granted for one year." if not held else "General licence renewed for one year.",
                                 at=self._at(grant, 15))
            issued += 1
            held.append(_Held(lic.number, lic.valid_from, lic.valid_to,
                              [(x.control_code, x.end_user_id, x.unit, x.licensed) for x in lic.lines]))
            grant = clock.working_days_back(self.cal, lic.valid_to + dt.timedelta(days=1), 1)
        self.held.append(held)
        return issued, made

    def ship(self, start: dt.date) -> int:
        """Shipments every week or two under each holder's newest licence in force, and one
        dated yesterday, so the customs desk always shows yesterday's exports."""
        rng, count = self.rng, 0
        yesterday = self.today - dt.timedelta(days=1)
        for held in self.held:
            if not held:
                continue
            days = []
            day = max(held[0].valid_from, start) + dt.timedelta(days=rng.randint(3, 8))
            while day < yesterday:
                days.append(day)
                day += dt.timedelta(days=rng.randint(9, 16))
            days.append(yesterday)
            for day in days:
                lic = next((h for h in reversed(held) if h.valid_from <= day <= h.valid_to), None)
                if lic is None:
                    continue
                lines = []
                for i in sorted(rng.sample(range(len(lic.lines)), min(len(lic.lines), rng.randint(1, 3)))):
                    item, end_user, unit, licensed = lic.lines[i]
                    left = licensed - lic.drawn.get(i, Decimal(0))
                    q = min(left, Decimal(max(1, round(licensed * Decimal(str(round(rng.uniform(0.02, 0.045), 3)))))))
                    if q > 0:
                        lines.append(ShipmentLineIn(item=item, end_user=str(end_user), quantity=q, unit=unit))
                        lic.drawn[i] = lic.drawn.get(i, Decimal(0)) + q
                if lines:
                    shipments.record(self.session, self.staff["customs1"], lic.number,
                                     ShipmentIn(declaration=self.numbers.next(day), date=day, port=rng.choice(PORTS),
                                                lines=lines), at=self._at(day, 14))
                    count += 1
        return count
