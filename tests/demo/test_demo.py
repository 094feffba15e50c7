"""The demo history: built relative to the day it is loaded, live on any day, realistic
(approval near 70%), all through the real rules, deterministic for a day, and loaded once."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from rarex.applications.deadline import ClockState, deadline_info
from rarex.applications.flows import OPEN
from rarex.applications.models import Application, ClockStop, InformationRequest
from rarex.cli.main import app as cli
from rarex.core import audit
from rarex.core.db import get_engine, unit_of_work
from rarex.demo import cases, clock, loader
from rarex.licences.models import Licence
from rarex.policy.service import get_pack
from rarex.shipments.models import Shipment
from rarex.users.models import User
from tests.conftest import _wipe

SCALE = 0.1  # a tenth of the monthly volumes: every stage is still planted
#: Stage -> (status, clock state) the case shows today.
EXPECTED = {
    "just_submitted": ("submitted", ClockState.awaiting_acceptance),
    "awaiting_acceptance": ("submitted", ClockState.awaiting_acceptance),
    "deemed_accepted": ("under_review", ClockState.running),
    "information_requested": ("information_requested", ClockState.running),
    "under_review": ("under_review", ClockState.running),
    "clock_stopped": ("under_review", ClockState.stopped),
    "referred": ("under_review", ClockState.no_deadline),
    "recommended": ("recommended", ClockState.running),
    "near_deadline": ("under_review", ClockState.running),
    "overdue": ("under_review", ClockState.running),
}


def _days():
    today = get_pack().today()
    return [today, today + dt.timedelta(days=400), dt.date(2027, 7, 19), dt.date(2029, 3, 6)]


def _fingerprint(s) -> list:
    """What the history holds, without the wall-clock moments the loader cannot backdate."""
    tz = get_pack().tz
    rows = [(a.reference, a.status, a.licence_type, a.submitted_at and a.submitted_at.astimezone(tz).date(), a.accepted_on,
             a.decided_on, a.decision, [(i.control_code, i.quantity) for i in a.items])
            for a in s.execute(select(Application).order_by(Application.id)).scalars()]
    rows += [(lic.number, lic.status, lic.valid_from, lic.valid_to, [(x.control_code, x.licensed, x.drawn) for x in lic.lines])
             for lic in s.execute(select(Licence).order_by(Licence.id)).scalars()]
    rows += list(s.execute(select(Shipment.declaration, Shipment.shipped_on, Shipment.port).order_by(Shipment.id)).all())
    return rows


def _check_live(s, result, today: dt.date) -> None:
    pack = get_pack()
    # about twenty months of applications, never before the items came under control
    start = clock.history_start(today, loader.controlled_from(pack))
    assert start == max(clock.add_months(today, -20), dt.date(2025, 4, 4))
    individual = s.execute(select(Application).where(Application.licence_type == "individual")).scalars().all()
    received = sorted(a.submitted_at.astimezone(pack.tz).date() for a in individual)
    assert start <= received[0] <= start + dt.timedelta(days=31) and received[-1] == today
    # general licences: none before December 2025, several in force today with a shipment yesterday
    general = s.execute(select(Licence).where(Licence.licence_type == "general")).scalars().all()
    assert min(g.valid_from for g in general) >= dt.date(2025, 12, 2)
    yesterday = today - dt.timedelta(days=1)
    live = [g for g in general if g.status == "active" and g.valid_from <= today <= g.valid_to
            and s.execute(select(Shipment.id).where(Shipment.licence_id == g.id, Shipment.shipped_on == yesterday)).first()]
    assert len({g.org_id for g in live}) >= 3, [(g.number, g.status, g.valid_from, g.valid_to) for g in general]
    assert all(0 < line.drawn < line.licensed for g in live for line in g.lines if line.drawn)
    assert {g.status for g in general} <= {"active", "expired"}
    # individual licences: some in force with their quantity left, some expired, suspended, revoked
    statuses = {lic.status for lic in s.execute(select(Licence).where(Licence.licence_type == "individual")).scalars()}
    assert {"active", "exhausted", "expired", "suspended", "revoked"} <= statuses
    assert s.execute(select(func.count()).select_from(Licence).where(
        Licence.licence_type == "individual", Licence.status == "active", Licence.valid_to >= today)).scalar() > 0
    # an open case at every stage of the clock, as planted
    by_ref = {a.reference: a for a in s.execute(select(Application).where(Application.status.in_(list(OPEN)))).scalars()}
    assert set(result.stages) == set(cases.STAGES)
    for stage, ref in result.stages.items():
        info = deadline_info(by_ref[ref], pack, today)
        assert (by_ref[ref].status, info.clock_state) == EXPECTED[stage], (stage, info.explanation_en)
        if info.clock_state == ClockState.awaiting_acceptance:
            assert info.acceptance_due >= today
    clocks = {stage: deadline_info(by_ref[ref], pack, today) for stage, ref in result.stages.items()}
    assert clocks["deemed_accepted"].deemed_accepted
    assert 0 < clocks["near_deadline"].working_days_left <= 5
    assert clocks["overdue"].overdue and clocks["overdue"].working_days_left < 0
    # no open case is late except the one meant to be, none sits past its acceptance window
    late = [ref for ref, a in by_ref.items() if deadline_info(a, pack, today).overdue]
    assert late == [result.stages["overdue"]]
    assert not [ref for ref, a in by_ref.items() if a.status == "submitted"
                and deadline_info(a, pack, today).acceptance_due < today]
    # decided cases were decided within their 45 working days
    decided = s.execute(select(Application).where(Application.decided_on.is_not(None))).scalars().all()
    assert decided and not [a.reference for a in decided if deadline_info(a, pack, a.decided_on).overdue]


@pytest.mark.parametrize("which", range(4), ids=["today", "today+400", "2027", "2029"])
def test_demo_history_is_live_on_any_day(db, which):
    today = _days()[which]
    if db != "sqlite" and which:
        pytest.skip("the other days run on SQLite only: the history is the same on both, and loading it takes seconds")
    with unit_of_work() as s:
        result = loader.load(s, password="demo-password-1", scale=SCALE, today=today)
    assert result.loaded and result.today == today
    with unit_of_work() as s:
        _check_live(s, result, today)


def test_demo_history_is_realistic_deterministic_and_idempotent(db):
    today = dt.date(2027, 7, 19)
    with unit_of_work() as s:
        first = loader.load(s, password="demo-password-1", scale=SCALE, today=today)
    assert first.loaded and first.organisations == 20
    assert {"exporter1", "officer1", "senior1", "customs1", "auditor1", "admin1"} <= set(first.passwords)
    with unit_of_work() as s:
        before = _fingerprint(s)
        events = s.execute(select(func.count()).select_from(audit.AuditEvent)).scalar()
    with unit_of_work() as s:
        again = loader.load(s, scale=SCALE, today=today)
        assert not again.loaded
        assert s.execute(select(func.count()).select_from(User)).scalar() == len(first.passwords)
    with unit_of_work() as s:
        assert _fingerprint(s) == before  # the second load changed nothing
        assert s.execute(select(func.count()).select_from(audit.AuditEvent)).scalar() == events
        statuses = dict(s.execute(select(Application.status, func.count()).group_by(Application.status)).all())
        approved, refused = statuses.get("approved", 0), statuses.get("refused", 0)
        assert 0.55 <= approved / (approved + refused) <= 0.85, statuses
        assert s.execute(select(func.count()).select_from(Licence)).scalar() == approved  # general ones included
        # the clock as the law has it: only DUR Art. 17 stops (expert opinions here), requests
        # for information, some cases deemed accepted
        assert {k for (k,) in s.execute(select(ClockStop.kind))} == {"expert_opinion"}
        assert s.execute(select(func.count()).select_from(InformationRequest)).scalar() > 0
        assert s.execute(select(func.count()).where(Application.deemed_accepted.is_(True))).scalar() > 0
        assert audit.verify(s).ok
    # the same day gives the same history
    _wipe(get_engine())
    with unit_of_work() as s:
        loader.load(s, password="demo-password-1", scale=SCALE, today=today)
    with unit_of_work() as s:
        assert _fingerprint(s) == before


def test_demo_load_cli_prints_passwords_once(db, monkeypatch):
    monkeypatch.setattr(clock, "SHAPE", [1])
    monkeypatch.setattr(clock, "PLATEAU", [0])
    runner = CliRunner()
    r = runner.invoke(cli, ["demo", "load", "--json", "--today", "2026-06-01"], env={"RAREX_DEMO_PASSWORD": "fixed-demo-password"})
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["loaded"] is True and out["passwords"]["admin1"] == "fixed-demo-password"
    assert out["today"] == "2026-06-01" and set(out["open_cases"]) == set(cases.STAGES)
    r = runner.invoke(cli, ["demo", "load"])
    assert r.exit_code == 0 and "already loaded" in r.stdout
    r = runner.invoke(cli, ["demo", "load", "--today", "tomorrow"])
    assert r.exit_code == 2 and "YYYY-MM-DD" in r.output
