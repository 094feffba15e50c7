"""The demo history: idempotent, realistic (approval near 70%), and all through the real rules."""

from __future__ import annotations

import json

from sqlalchemy import func, select
from typer.testing import CliRunner

from rarex.applications.deadline import deadline_info
from rarex.applications.models import Application, ClockStop, InformationRequest
from rarex.cli.main import app as cli
from rarex.core import audit
from rarex.core.db import unit_of_work
from rarex.demo import loader
from rarex.licences.models import Licence
from rarex.policy.service import get_pack
from rarex.users.models import User


def test_demo_history_is_realistic_and_idempotent(db):
    with unit_of_work() as s:
        first = loader.load(s, password="demo-password-1", scale=0.25)
    assert first.loaded and first.organisations == 20
    assert {"exporter1", "officer1", "senior1", "customs1", "auditor1", "admin1"} <= set(first.passwords)
    with unit_of_work() as s:
        again = loader.load(s, scale=0.25)
        assert not again.loaded
        statuses = dict(s.execute(select(Application.status, func.count()).group_by(Application.status)).all())
        assert s.execute(select(func.count()).select_from(User)).scalar() == len(first.passwords)
        approved, refused = statuses.get("approved", 0), statuses.get("refused", 0)
        assert 0.6 <= approved / (approved + refused) <= 0.8, statuses
        assert s.execute(select(func.count()).select_from(Licence)).scalar() == approved  # general ones included
        # general licences for the large producers from December 2025, drawn down monthly, never over the cap
        assert first.general_licences == 3 and first.shipments > 0
        general = s.execute(select(Licence).where(Licence.licence_type == "general")).scalars().all()
        assert {g.valid_from.isoformat() for g in general} == {"2025-12-02"}
        assert all(0 < line.drawn <= line.licensed for g in general for line in g.lines)
        # 2025 individual licences are valid at most a year: all expired by now except late ones
        assert s.execute(select(func.min(Application.submitted_at))).scalar().year == 2025
        # the clock as the law has it: only DUR Art. 17 stops (expert opinions here), some cases
        # deemed accepted, and decided cases decided within their 45 working days
        kinds = {k for (k,) in s.execute(select(ClockStop.kind))}
        assert kinds == {"expert_opinion"}
        assert s.execute(select(func.count()).select_from(InformationRequest)).scalar() > 0
        assert s.execute(select(func.count()).where(Application.deemed_accepted.is_(True))).scalar() > 0
        assert s.execute(select(func.count()).where(Application.status == "submitted")).scalar() == sum(
            1 for a in s.execute(select(Application).where(Application.status == "submitted")).scalars()
            if deadline_info(a, get_pack(), get_pack().today()).clock_state == "awaiting_acceptance")
        decided = s.execute(select(Application).where(Application.decided_on.is_not(None))).scalars().all()
        assert decided and not [a.reference for a in decided if deadline_info(a, get_pack(), a.decided_on).overdue]
        assert audit.verify(s).ok
        names = [n for (n,) in s.execute(select(User.username))]
    assert "admin1" in names


def test_demo_load_cli_prints_passwords_once(db, monkeypatch):
    monkeypatch.setattr(loader, "MONTHS_2025", {6: 3})
    monkeypatch.setattr(loader, "OPEN_CASES", 1)
    runner = CliRunner()
    r = runner.invoke(cli, ["demo", "load", "--json"], env={"RAREX_DEMO_PASSWORD": "fixed-demo-password"})
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["loaded"] is True and out["passwords"]["admin1"] == "fixed-demo-password"
    r = runner.invoke(cli, ["demo", "load"])
    assert r.exit_code == 0 and "already loaded" in r.stdout
