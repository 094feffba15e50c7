"""A busy database: reads go on, writes that cannot get a lock in time get 503 + Retry-After.

The finding: 45 parallel GET /me on SQLite gave 31 × 500 after 30 s (every request took the
write lock), and a full PostgreSQL pool gave 500s.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import exc as sa_exc
from sqlalchemy import select, text

from rarex.core.authz import Role
from rarex.core.db import get_engine, is_busy, unit_of_work
from rarex.core.errors import ServiceBusy
from rarex.shipments.models import Shipment
from rarex.users.models import User
from rarex.web.admission import Admission
from tests.busy import writer_holding_the_lock
from tests.factories import bearer, make_org, make_party, make_user
from tests.shipments.helpers import body, make_licence


@pytest.fixture
def world(session):
    org = make_org(session)
    party = make_party(session, org)
    lic = make_licence(session, org.id, [("1C905.b", party.id, "100", "kg")])
    customs = make_user(session, Role.customs)
    session.commit()
    return {"number": lic.number, "end_user": party.id, "customs": bearer(session, customs)}


def _assert_busy(resp):
    assert resp.status_code == 503, resp.text
    assert resp.headers["Retry-After"] == "1"
    assert resp.headers["content-type"].startswith("application/problem+json")
    assert resp.json()["type"].endswith("/busy")


def test_reads_go_on_while_a_writer_holds_the_lock(client, world, short_waits):
    headers = world["customs"]
    # A read that took the write lock would wait the 0.3 s lock timeout and answer 503.
    with writer_holding_the_lock():
        me = client.get("/api/v1/me", headers=headers)
        licence = client.get(f"/api/v1/licences/{world['number']}", headers=headers)
        search = client.post("/api/v1/screening/search", json={"name": "Nobody Trading"}, headers=headers)
    assert me.status_code == 200, me.text
    assert me.json()["role"] == "customs"
    assert licence.status_code == 200, licence.text
    assert search.status_code == 200, search.text


def test_a_write_that_cannot_get_the_lock_is_a_503_with_retry_after_and_changes_nothing(client, world, short_waits, session):
    headers = world["customs"]
    shipment = body("D-BUSY-1", ("1C905.b", world["end_user"], "5", "kg"))
    url = f"/api/v1/licences/{world['number']}/shipments"
    with writer_holding_the_lock():
        resp = client.post(url, json=shipment, headers=headers)
    _assert_busy(resp)
    assert session.execute(select(Shipment).where(Shipment.declaration == "D-BUSY-1")).first() is None
    # Once the writer is gone the same request goes through: a 503 is worth retrying.
    again = client.post(url, json=shipment, headers=headers)
    assert again.status_code == 201, again.text


def test_every_connection_waits_for_a_lock_only_as_long_as_the_settings_say(short_waits):
    """The busy answer comes after the configured wait (0.3 s here), not the drivers' 30 s.

    Read from the connection itself rather than timed: a timing fails on a loaded machine.
    """
    engine = get_engine()
    assert engine.pool.timeout() == pytest.approx(0.3)
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 300
        else:
            assert conn.exec_driver_sql("SHOW lock_timeout").scalar() == "300ms"


def test_a_request_that_cannot_get_a_pooled_connection_is_a_503(client, world, monkeypatch, short_waits):
    monkeypatch.setenv("RAREX_DB_POOL_SIZE", "1")
    monkeypatch.setenv("RAREX_DB_MAX_OVERFLOW", "0")
    from rarex.core.db import reset_engine
    from rarex.core.settings import get_settings

    get_settings.cache_clear()
    reset_engine()
    held = get_engine().connect()  # the pool's only connection
    try:
        _assert_busy(client.get("/api/v1/me", headers=world["customs"]))
    finally:
        held.close()
    assert client.get("/api/v1/me", headers=world["customs"]).status_code == 200


def test_a_full_admission_gate_answers_503_at_once_and_lets_database_free_requests_through(client, world):
    gate = Admission(slots=1, timeout=0.2)
    client.app.state.admission = gate
    client.portal.call(gate._semaphore.acquire)  # another request holds the only slot
    try:
        resp = client.get("/api/v1/me", headers=world["customs"])
        _assert_busy(resp)
        assert client.get("/healthz").status_code == 200
    finally:
        gate._semaphore.release()
    assert client.get("/api/v1/me", headers=world["customs"]).status_code == 200


def run_in_new_loop(scenario):
    """asyncio.run in a thread of its own: a browser test's Playwright may hold this thread's loop."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, scenario()).result(timeout=30)


def test_admission_waits_for_a_slot_that_frees_up_in_time():
    async def scenario():
        gate = Admission(slots=1, timeout=1.0)
        order = []

        async def holder():
            async with gate.slot():
                order.append("first in")
                await asyncio.sleep(0.1)
            order.append("first out")

        async def waiter():
            await asyncio.sleep(0.01)
            async with gate.slot():
                order.append("second in")

        await asyncio.gather(holder(), waiter())
        return order

    assert run_in_new_loop(scenario) == ["first in", "first out", "second in"]


def test_admission_refuses_after_its_timeout():
    async def scenario():
        gate = Admission(slots=1, timeout=0.1)
        async with gate.slot():
            with pytest.raises(ServiceBusy):
                async with gate.slot():
                    pass
        async with gate.slot():  # free again afterwards
            return True

    assert run_in_new_loop(scenario)


def test_read_only_unit_of_work_does_not_queue_behind_a_writer_and_a_write_does(db, short_waits):
    with writer_holding_the_lock():
        with unit_of_work(readonly=True) as s:
            assert s.execute(select(User)).all() == []
        with pytest.raises(sa_exc.OperationalError) as caught, unit_of_work() as s:
            s.execute(text("UPDATE licence_lines SET drawn = drawn WHERE id = 0"))
    assert is_busy(caught.value)


def test_read_only_unit_of_work_refuses_writes_and_the_next_write_is_not_affected(db):
    """A read path that writes after all fails on both databases, and the pooled connection
    it used is a normal read-write one for the next unit of work."""
    with pytest.raises(sa_exc.DBAPIError, match="read-only|readonly"), unit_of_work(readonly=True) as s:
        s.execute(text("UPDATE licence_lines SET drawn = drawn WHERE id = 0"))
    with unit_of_work() as s:
        assert s.execute(text("UPDATE licence_lines SET drawn = drawn WHERE id = 0")).rowcount == 0


def test_is_busy_tells_waiting_from_errors():
    locked = sa_exc.OperationalError("BEGIN IMMEDIATE", {}, sqlite3.OperationalError("database is locked"))
    assert is_busy(locked)
    assert is_busy(sa_exc.TimeoutError("QueuePool limit of size 5 overflow 10 reached"))
    assert not is_busy(sa_exc.OperationalError("SELECT", {}, sqlite3.OperationalError("no such table: users")))
    assert not is_busy(sa_exc.IntegrityError("INSERT", {}, sqlite3.IntegrityError("UNIQUE constraint failed")))
    assert not is_busy(ValueError("database is locked"))


def test_a_pooled_connection_used_read_only_writes_again_in_every_mode(db):
    """The read-only flag belongs to one transaction, not to the connection it ran on: the same
    pooled connection then writes in a transaction and in autocommit mode."""
    from sqlalchemy.orm import Session

    from rarex.core.db import make_engine, readonly_engine

    engine = make_engine(get_engine().url.render_as_string(hide_password=False), pool_size=1, max_overflow=0)
    update = text("UPDATE licence_lines SET drawn = drawn WHERE id = 0")
    try:
        with Session(readonly_engine(engine)) as s:
            s.execute(select(User)).all()
            s.commit()
        with Session(engine.execution_options(isolation_level="AUTOCOMMIT")) as s:
            assert s.execute(update).rowcount == 0
        with Session(readonly_engine(engine)) as s:
            s.execute(select(User)).all()
            s.commit()
        with Session(engine) as s:
            assert s.execute(update).rowcount == 0
            s.commit()
    finally:
        engine.dispose()


def test_sqlite_writers_of_one_process_queue_in_turn_and_postgresql_writers_do_not(db, short_waits):
    """On SQLite a second write unit of work waits for the first one's turn to end (and is
    busy after the lock timeout); on PostgreSQL row locks decide, so it starts at once."""
    from rarex.core.db import WriterQueueTimeout

    first_in, release = threading.Event(), threading.Event()

    def first_writer():
        with unit_of_work():
            first_in.set()
            release.wait(10)

    holder = threading.Thread(target=first_writer)
    holder.start()
    try:
        assert first_in.wait(10)
        if db == "sqlite":
            with pytest.raises(WriterQueueTimeout) as caught, unit_of_work():
                pass
            assert is_busy(caught.value)
        else:
            with unit_of_work() as s:
                assert s.execute(select(User)).all() == []
        with unit_of_work(readonly=True) as s:  # readers never queue
            assert s.execute(select(User)).all() == []
    finally:
        release.set()
        holder.join(10)
    with unit_of_work() as s:  # the turn is free again
        s.execute(select(User)).all()
