"""Licences to draw on, built directly in the database, and a shipment body builder.

General licences are arranged as rows (the general-application flow is another package's
work): one approved application and a licence with the quantity lines a test asks for.
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from rarex.applications.models import Application, ApplicationStatus
from rarex.licences.models import Licence, LicenceLine, LicenceStatus
from rarex.policy.service import get_pack

_seq = itertools.count(1)


def today() -> dt.date:
    return get_pack().today()


def make_licence(
    session,
    org_id: int,
    lines: list[tuple[str, int | None, str, str]],
    *,
    licence_type: str = "general",
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    status: LicenceStatus = LicenceStatus.active,
    status_reason: str | None = None,
) -> Licence:
    """A licence with ``lines`` of (item, end user party id, licensed quantity, unit)."""
    n = next(_seq)
    app = Application(reference=f"T{n:09d}", org_id=org_id, licence_type=licence_type, status=ApplicationStatus.approved,
                      conditions=[])
    session.add(app)
    session.flush()
    lic = Licence(
        number=f"CNDU-{licence_type[0].upper()}2025-{900000 + n}",
        licence_type=licence_type, status=status, status_reason=status_reason, org_id=org_id, application_id=app.id,
        end_user_id=lines[0][1], end_use="magnet production", conditions=[],
        valid_from=valid_from or today() - dt.timedelta(days=30), valid_to=valid_to or today() + dt.timedelta(days=300),
    )
    lic.lines = [
        LicenceLine(line_no=i, control_code=item, hs_code="2846901993", description=f"{item} test goods", end_user_id=eu,
                    unit=unit, licensed=Decimal(q), value=Decimal("1000.00"), currency="USD")
        for i, (item, eu, q, unit) in enumerate(lines, start=1)
    ]
    session.add(lic)
    session.flush()
    return lic


def body(declaration: str, *lines: tuple, date: dt.date | None = None, port: str = "CNTSN") -> dict:
    """A POST body; each line is (item, end_user, quantity[, unit])."""
    return {
        "declaration": declaration,
        "date": (date or today()).isoformat(),
        "port": port,
        "lines": [{"item": ln[0], "end_user": str(ln[1]), "quantity": str(ln[2]), **({"unit": ln[3]} if len(ln) > 3 else {})}
                  for ln in lines],
    }


def drawn(session, number: str) -> list[Decimal]:
    """The drawn quantity of each line of licence ``number``, as committed."""
    session.expire_all()
    lic = session.query(Licence).filter_by(number=number).one()
    return [line.drawn for line in lic.lines]


def status(session, number: str) -> str:
    session.expire_all()
    return str(session.query(Licence).filter_by(number=number).one().status)
