"""No overdraw and no double recording under concurrency, on SQLite and PostgreSQL.

Threads call the service through their own unit of work (one session and transaction each,
as separate requests would), released together by a barrier. Counts and time are bounded:
the machine is small and shared.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from threading import Barrier

from sqlalchemy import func, select

from rarex.core.audit import AuditEvent, verify
from rarex.core.authz import Principal, Role
from rarex.core.db import unit_of_work
from rarex.core.errors import Problem
from rarex.shipments import service
from rarex.shipments.models import Shipment
from rarex.shipments.schemas import ShipmentIn
from tests.factories import make_org, make_party
from tests.shipments.helpers import drawn, make_licence, status, today

CUSTOMS = Principal(user_id=None, username="customs-test", role=Role.customs)
DY = "1C905.b"


def shipment(declaration: str, end_user: int, quantity: str) -> ShipmentIn:
    return ShipmentIn(declaration=declaration, date=today(), port="CNTSN",
                      lines=[{"item": DY, "end_user": str(end_user), "quantity": quantity, "unit": "kg"}])


def attempt(number: str, data: ShipmentIn, barrier: Barrier | None = None) -> str:
    """One customs request in its own transaction: 'created', 'replayed' or the refusal's slug."""
    if barrier is not None:
        barrier.wait(timeout=60)
    try:
        with unit_of_work() as session:
            _, created = service.record(session, CUSTOMS, number, data)
        return "created" if created else "replayed"
    except Problem as exc:
        return exc.slug


def arrange(session, cap: str):
    org = make_org(session)
    end_user = make_party(session, org)
    lic = make_licence(session, org.id, [(DY, end_user.id, cap, "kg"), ("1C902.a", end_user.id, "5", "t")])
    return lic, end_user.id


def test_64_clients_on_one_line_get_exactly_what_the_cap_admits(session):
    n, q = 17, Decimal("1.5")
    lic, eu = arrange(session, str(n * q + Decimal("0.75")))  # room for 17 shipments and half of an 18th
    clients = 64
    barrier = Barrier(clients)
    with ThreadPoolExecutor(clients) as pool:
        results = list(pool.map(lambda i: attempt(lic.number, shipment(f"RACE-{i:03d}", eu, str(q)), barrier), range(clients)))
    assert results.count("created") == n, results
    assert set(results) == {"created", "quantity-exceeded"}
    line_drawn = drawn(session, lic.number)
    assert line_drawn == [n * q, Decimal(0)]
    assert session.scalar(select(func.count()).select_from(Shipment)) == n
    accepted = session.execute(select(Shipment)).scalars().all()
    assert sum(sl.drawn for s in accepted for sl in s.lines) == line_drawn[0] <= n * q + Decimal("0.75")
    assert status(session, lic.number) == "active"
    assert verify(session).ok


def test_the_same_declaration_1000_times_from_16_threads_is_recorded_and_drawn_once(session):
    lic, eu = arrange(session, "100")
    data = shipment("SAME-0001", eu, "2.5")
    with ThreadPoolExecutor(16) as pool:
        results = list(pool.map(lambda _: attempt(lic.number, data), range(1000)))
    assert results.count("created") == 1 and results.count("replayed") == 999
    assert drawn(session, lic.number) == [Decimal("2.5"), Decimal(0)]
    assert session.scalar(select(func.count()).select_from(Shipment)) == 1
    assert session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.type == "shipment.recorded")) == 1


def test_one_declaration_sent_to_two_licences_at_once_is_recorded_once(session):
    """The race the licence lock cannot see: the unique number decides, the loser gets a 409."""
    a, eu = arrange(session, "100")
    b = make_licence(session, a.org_id, [(DY, eu, "100", "kg")])
    barrier = Barrier(16)
    jobs = [(a.number if i % 2 else b.number) for i in range(16)]
    with ThreadPoolExecutor(16) as pool:
        results = list(pool.map(lambda number: attempt(number, shipment("BOTH-1", eu, "1"), barrier), jobs))
    assert results.count("created") == 1
    assert set(results) <= {"created", "replayed", "declaration-conflict"}
    assert sum(drawn(session, a.number)) + sum(drawn(session, b.number)) == Decimal(1)
    assert session.scalar(select(func.count()).select_from(Shipment)) == 1
