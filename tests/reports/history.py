"""A small fixed history (``build_history``) whose every figure is worked out by hand in the tests (dates relative
to the day the tests run: K is the first day of the month before last, M of last month, B of this
month, all in Beijing time)."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from decimal import Decimal

from rarex.applications.models import Application, ApplicationItem, ClockStop
from rarex.licences.models import Licence, LicenceLine
from rarex.policy.service import get_pack
from rarex.shipments.models import Shipment, ShipmentLine
from tests.factories import make_org, make_party

UTC = dt.UTC
_n = itertools.count(1)


def month_starts(today: dt.date) -> tuple[dt.date, dt.date, dt.date]:
    b = today.replace(day=1)
    m = (b - dt.timedelta(days=1)).replace(day=1)
    k = (m - dt.timedelta(days=1)).replace(day=1)
    return k, m, b


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def code(element: str) -> str:
    return next(e.code for e in get_pack().entries if e.element == element)


@dataclass
class Builder:
    session: object

    def app(self, org, party, *, submitted: dt.datetime, element: str, status: str = "under_review",
            licence_type: str = "individual", accepted_on: dt.date | None = None, decided_on: dt.date | None = None,
            withdrawn_at: dt.datetime | None = None) -> Application:
        n = next(_n)
        a = Application(reference=f"T{n:06d}", org_id=org.id, licence_type=licence_type, status=status,
                        end_user_id=party.id, consignee_id=party.id, end_use="magnets", end_use_category="civil",
                        submitted_at=submitted, accepted_on=accepted_on, decided_on=decided_on, withdrawn_at=withdrawn_at,
                        decided_at=at(decided_on, 7) if decided_on else None, conditions=[])
        a.items = [ApplicationItem(line_no=1, control_code=code(element), description="oxide", quantity=Decimal(1),
                                   unit="kg", value=Decimal(1), currency="USD")]
        self.session.add(a)
        self.session.flush()
        return a

    def stop(self, app: Application, started_on: dt.date, ended_on: dt.date | None) -> None:
        self.session.add(ClockStop(application_id=app.id, kind="expert_opinion", request="r", started_on=started_on,
                                   ended_on=ended_on))
        self.session.flush()

    def licence(self, app: Application, *, issued_at: dt.datetime, element: str, licensed: str, unit: str = "kg",
                drawn: str = "0", status: str = "active", valid_to: dt.date | None = None) -> Licence:
        n = next(_n)
        lic = Licence(number=f"TL-{n:05d}", licence_type=app.licence_type, status=status, org_id=app.org_id,
                      application_id=app.id, end_user_id=app.end_user_id, consignee_id=app.consignee_id,
                      valid_from=issued_at.date(), valid_to=valid_to or issued_at.date() + dt.timedelta(days=365),
                      issued_at=issued_at, conditions=[])
        lic.lines = [LicenceLine(line_no=1, control_code=code(element), description="oxide", unit=unit,
                                 licensed=Decimal(licensed), drawn=Decimal(drawn), value=Decimal(1), currency="USD")]
        self.session.add(lic)
        self.session.flush()
        return lic

    def ship(self, lic: Licence, shipped_on: dt.date, quantity: str, *, cancelled: bool = False) -> None:
        n = next(_n)
        line = lic.lines[0]
        s = Shipment(declaration=f"D{n:08d}", licence_id=lic.id, status="cancelled" if cancelled else "recorded",
                     shipped_on=shipped_on, content_hash="x" * 64, recorded_at=at(shipped_on, 3), recorded_by_name="customs")
        s.lines = [ShipmentLine(line_no=1, licence_line_id=line.id, item=line.control_code, end_user="", quantity=Decimal(quantity),
                                unit=line.unit, drawn=Decimal(quantity), drawn_unit=line.unit)]
        self.session.add(s)
        self.session.flush()


@dataclass
class History:
    today: dt.date
    k: dt.date
    m: dt.date
    b: dt.date
    apps: dict
    licences: dict
    orgs: dict


def build_history(session) -> History:
    """Four exporters A-D; applications a1-a7 and licences L1-L3 as the test module describes."""
    today = get_pack().today()
    k, m, b = month_starts(today)
    bl = Builder(session)
    orgs = {x: make_org(session, name=f"Exporter {x}") for x in "ABCD"}
    de = {x: make_party(session, orgs[x], country="DE") for x in "ABCD"}
    jp = {x: make_party(session, orgs[x], country="JP") for x in "AC"}
    fr = make_party(session, orgs["D"], country="FR")
    last_of_k = m - dt.timedelta(days=1)
    apps = {
        # 15:30Z on K's last day is 23:30 in Beijing: K. 16:30Z is 00:30 the next day: M.
        "a1": bl.app(orgs["A"], de["A"], submitted=at(last_of_k, 15, 30), element="Dy", status="approved",
                     accepted_on=last_of_k, decided_on=m + dt.timedelta(days=1)),
        "a2": bl.app(orgs["B"], de["B"], submitted=at(last_of_k, 16, 30), element="Dy", status="refused",
                     accepted_on=m, decided_on=m + dt.timedelta(days=20)),
        "a3": bl.app(orgs["C"], jp["C"], submitted=at(m + dt.timedelta(days=1), 2), element="Tb", status="approved",
                     licence_type="general", accepted_on=m + dt.timedelta(days=1), decided_on=m + dt.timedelta(days=10)),
        "a4": bl.app(orgs["A"], jp["A"], submitted=at(k + dt.timedelta(days=3), 2), element="Tb", status="withdrawn",
                     withdrawn_at=at(m + dt.timedelta(days=2), 3)),
        "a5": bl.app(orgs["D"], de["D"], submitted=at(k + dt.timedelta(days=4), 2), element="Dy",
                     accepted_on=today - dt.timedelta(days=100)),
        "a6": bl.app(orgs["D"], fr, submitted=at(today, 0, 30) - dt.timedelta(hours=8), element="Dy", accepted_on=today),
        # Received before the period; decided in M after far more than 45 working days.
        "a7": bl.app(orgs["B"], de["B"], submitted=at(k - dt.timedelta(days=90), 2), element="Dy", status="approved",
                     accepted_on=k - dt.timedelta(days=90), decided_on=m + dt.timedelta(days=3)),
    }
    bl.stop(apps["a2"], m + dt.timedelta(days=3), m + dt.timedelta(days=10))
    lic = {
        "L1": bl.licence(apps["a1"], issued_at=at(m + dt.timedelta(days=1), 2), element="Dy", licensed="1000", drawn="600"),
        "L2": bl.licence(apps["a3"], issued_at=at(last_of_k, 16, 30), element="Tb", licensed="2", unit="t", drawn="0.5"),
        "L3": bl.licence(apps["a7"], issued_at=at(last_of_k, 15), element="Dy", licensed="500", drawn="500",
                         status="exhausted"),
    }
    bl.ship(lic["L1"], m + dt.timedelta(days=2), "400")
    bl.ship(lic["L1"], b, "200")
    bl.ship(lic["L1"], m + dt.timedelta(days=4), "300", cancelled=True)
    bl.ship(lic["L2"], m + dt.timedelta(days=3), "0.5")
    bl.ship(lic["L3"], last_of_k, "500")
    session.commit()
    return History(today, k, m, b, apps, lic, orgs)
