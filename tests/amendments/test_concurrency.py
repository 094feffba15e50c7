"""Races an amendment must survive: two requests on one licence at once (one pending at most),
and a decision racing the holder's withdrawal (exactly one wins; the loser gets a 409)."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from rarex.amendments import service
from rarex.amendments.models import Amendment
from rarex.amendments.schemas import AmendmentIn
from rarex.core.authz import Principal, Role
from rarex.core.db import unit_of_work
from rarex.core.errors import Conflict
from rarex.users.models import User


def principal(session, username: str) -> Principal:
    u = session.execute(select(User).where(User.username == username)).scalar_one()
    return Principal(u.id, u.username, Role(u.role), u.org_id)


def race(*calls) -> list:
    """Run each call in its own thread and transaction, released together; return outcomes."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i, fn):
        barrier.wait()
        try:
            with unit_of_work() as s:
                results[i] = fn(s)
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test inspects
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def test_two_requests_at_once_leave_one_pending(aw, session):
    n = aw.licence()
    exp = principal(session, "exp")
    bodies = [AmendmentIn(changes=[{"kind": "change_quantity", "line_no": 1, "quantity": q}], reason="contract changed")
              for q in ("1000", "900")]
    results = race(*(lambda s, b=b: service.request(s, exp, n, b).id for b in bodies))
    assert sorted(type(r).__name__ for r in results) == ["Conflict", "int"], results
    assert session.scalar(select(func.count()).select_from(Amendment)) == 1
    assert aw.row(n).status == "under_amendment"


def test_decision_racing_withdrawal_one_wins(aw, session):
    n = aw.licence()
    am = aw.ask(n, [{"kind": "change_quantity", "line_no": 1, "quantity": "1000"}])
    aw.recommend(am["id"])
    sen, exp = principal(session, "sen"), principal(session, "exp")
    results = race(
        lambda s: service.decide(s, sen, am["id"], "approve", "agree").status,
        lambda s: service.withdraw(s, exp, am["id"], "not needed").status,
    )
    wins = [r for r in results if not isinstance(r, Exception)]
    losses = [r for r in results if isinstance(r, Exception)]
    assert len(wins) == 1 and len(losses) == 1 and isinstance(losses[0], Conflict), results
    lic = aw.row(n)
    assert lic.status == "active"
    assert lic.version == (2 if wins[0] == "approved" else 1)
