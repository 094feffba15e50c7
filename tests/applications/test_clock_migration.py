"""Migration c10c4acce9a1 on a database holding data: stored ``information_request`` clock stops
(recorded under a wrong rule) become information requests and stop pausing the clock; other
stops stay; amendments an officer already took up are accepted on their request date, pending
ones wait for acceptance. And back again."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import MetaData, insert, text

from rarex.core import migrate
from tests.party_edits.test_migration import engine  # noqa: F401  (the fixture: an empty database per backend)

BEFORE, AFTER = "c4e1d7a9b2f3", "c10c4acce9a1"
NOW = dt.datetime(2026, 5, 4, 2, 0, tzinfo=dt.UTC)
DAY = dt.date(2026, 5, 4)


def _fill(conn) -> dict[str, int]:
    t = MetaData()
    t.reflect(conn)
    T = t.tables

    def add(table: str, **values) -> int:
        return conn.execute(insert(T[table]).values(**values).returning(T[table].c.id)).scalar_one()

    org = add("organisations", name_zh="包头测试", name_en="Baotou Test", uscc="91150200MA0N000000", address="",
              contact_name="", contact_email="", contact_phone="", created_at=NOW)
    app = add("applications", reference="APP-1", status="under_review", org_id=org, licence_type="individual",
              end_use="magnets", created_at=NOW, conditions=[], accepted_on=DAY, submitted_at=NOW, accepted_at=NOW)
    stop = {"application_id": app, "started_at": NOW}
    info = add("application_clock_stops", kind="information_request", request="send the certificate",
               response="sent", started_on=DAY, ended_on=DAY + dt.timedelta(days=7), ended_at=NOW + dt.timedelta(days=7),
               **stop)
    expert = add("application_clock_stops", kind="expert_opinion", request="ask the panel", started_on=DAY, **stop)
    lic = add("licences", number="CNDU-I2026-000001", licence_type="individual", status="active", org_id=org,
              application_id=app, end_use="magnets", conditions=[], valid_from=DAY, valid_to=DAY,
              consignee_address_note="", version=1, issued_at=NOW)
    amendment = {"licence_id": lic, "org_id": org, "base_version": 1, "changes": [], "reason": "x", "requested_at": NOW,
                 "requested_on": DAY}
    pending = add("licence_amendments", status="pending", **amendment)
    recommended = add("licence_amendments", status="recommended", **amendment)
    return {"app": app, "info": info, "expert": expert, "pending": pending, "recommended": recommended}


def test_information_request_stops_become_requests_and_amendments_taken_up_are_accepted(engine):  # noqa: F811
    migrate.upgrade(engine, BEFORE)
    with engine.begin() as conn:
        ids = _fill(conn)
    migrate.upgrade(engine, AFTER)
    with engine.connect() as conn:
        kinds = conn.execute(text("SELECT id, kind FROM application_clock_stops")).all()
        assert [tuple(k) for k in kinds] == [(ids["expert"], "expert_opinion")]
        req = conn.execute(text("SELECT application_id, request, response, responded_at IS NOT NULL "
                                "FROM application_information_requests")).one()
        assert tuple(req) == (ids["app"], "send the certificate", "sent", True)
        rows = dict(conn.execute(text("SELECT id, accepted_on FROM licence_amendments")).all())
        assert rows[ids["pending"]] is None and str(rows[ids["recommended"]]) == DAY.isoformat()
        assert conn.execute(text("SELECT count(*) FROM applications WHERE deemed_accepted")).scalar_one() == 0

    migrate.downgrade(engine, BEFORE)
    with engine.connect() as conn:
        kinds = sorted(k for (k,) in conn.execute(text("SELECT kind FROM application_clock_stops")))
        assert kinds == ["expert_opinion", "information_request"]
        started = conn.execute(text("SELECT started_on FROM application_clock_stops WHERE kind = 'information_request'"))
        assert str(started.scalar_one()) == DAY.isoformat()
