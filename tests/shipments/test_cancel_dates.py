"""A cancellation judges the licence's validity on its own date (``at``), not on today."""

from __future__ import annotations

import datetime as dt

from rarex.core.authz import Principal, Role
from rarex.core.db import unit_of_work
from rarex.shipments import service
from rarex.shipments.schemas import ShipmentIn
from tests.factories import make_org, make_party
from tests.shipments.helpers import make_licence, status, today

CUSTOMS = Principal(user_id=None, username="customs-test", role=Role.customs)
DY = "1C905.b"


def _exhausted_licence(session, valid_to: dt.date):
    org = make_org(session)
    end_user = make_party(session, org)
    lic = make_licence(session, org.id, [(DY, end_user.id, "10", "kg")], valid_from=valid_to - dt.timedelta(days=90),
                       valid_to=valid_to)
    data = ShipmentIn(declaration="DATED-1", date=valid_to - dt.timedelta(days=5), port="CNTSN",
                      lines=[{"item": DY, "end_user": str(end_user.id), "quantity": "10", "unit": "kg"}])
    with unit_of_work() as s:
        service.record(s, CUSTOMS, lic.number, data)
    assert status(session, lic.number) == "exhausted"
    return lic


def _noon(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 4, 0, tzinfo=dt.UTC)  # noon in Asia/Shanghai


def test_a_cancellation_dated_within_validity_replenishes_though_today_is_past_it(session):
    lic = _exhausted_licence(session, valid_to=today() - dt.timedelta(days=10))
    with unit_of_work() as s:
        service.cancel(s, CUSTOMS, "DATED-1", "broker withdrew the declaration", at=_noon(lic.valid_to))
    assert status(session, lic.number) == "active"


def test_a_cancellation_dated_after_validity_expires_though_today_is_within_it(session):
    lic = _exhausted_licence(session, valid_to=today() + dt.timedelta(days=10))
    with unit_of_work() as s:
        service.cancel(s, CUSTOMS, "DATED-1", "broker withdrew the declaration",
                       at=_noon(lic.valid_to + dt.timedelta(days=1)))
    assert status(session, lic.number) == "expired"
