"""``rarex demo generate``: many cases written in bulk, still what the services would have left."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import func, select
from typer.testing import CliRunner

from rarex.applications.deadline import deadline_info
from rarex.applications.models import Application
from rarex.applications.queue import queue
from rarex.cli.main import app as cli
from rarex.core.authz import Principal, Role
from rarex.core.db import unit_of_work
from rarex.demo import clock, generate, loader
from rarex.licences.models import Licence, LicenceLine
from rarex.policy.service import get_pack
from rarex.shipments import service as shipments
from rarex.shipments.models import Shipment, ShipmentLine
from rarex.shipments.schemas import ShipmentIn, ShipmentLineIn
from rarex.users.models import User

TODAY = dt.date(2027, 3, 10)


def test_generated_cases_are_consistent_for_the_queue_and_the_services(db):
    with unit_of_work() as s:
        demo = loader.load(s, password="demo-password-1", scale=0.05, today=TODAY)
    with unit_of_work() as s:
        before = s.execute(select(func.count()).select_from(Application)).scalar()
        result = generate.generate(s, 400, 60, today=TODAY)
    assert result.applications == 400 and result.shipments == 60 and 0 < result.open_cases < 400
    pack = get_pack()
    with unit_of_work() as s:
        apps = s.execute(select(Application)).scalars().all()
        assert len(apps) == before + 400
        assert len({a.reference for a in apps}) == len(apps)
        # every case has the clock the services would give it: no generated case is late
        late = [a.reference for a in apps if a.decided_on is None and a.status != "withdrawn"
                and deadline_info(a, pack, TODAY).overdue]
        assert late == [demo.stages["overdue"]]
        assert not [a.reference for a in apps if a.decided_on and deadline_info(a, pack, a.decided_on).overdue]
        # every approval has its licence, lines as applied for; a shipped one is exhausted
        approved = {a.id for a in apps if a.status == "approved"}
        assert approved == {lic.application_id for lic in s.execute(select(Licence)).scalars()}
        shipped = s.execute(select(Licence).join(Shipment, Shipment.licence_id == Licence.id)).scalars().all()
        assert len(shipped) >= 60 and all(lic.status == "exhausted" or lic.licence_type == "general" for lic in shipped)
        drawn = dict(s.execute(select(ShipmentLine.licence_line_id, func.sum(ShipmentLine.drawn))
                               .group_by(ShipmentLine.licence_line_id)).all())
        for line in s.execute(select(LicenceLine)).scalars():
            assert line.drawn == drawn.get(line.id, 0) and line.drawn <= line.licensed
        officer = s.execute(select(User).where(User.username == "officer1")).scalar_one()
        rows = queue(s, Principal(user_id=officer.id, username="officer1", role=Role.officer, org_id=None), today=TODAY)
        assert len(rows) == sum(1 for a in apps if a.status in {"submitted", "under_review", "information_requested",
                                                                 "recommended"})
        assert rows[0].case.reference == demo.stages["overdue"]
        active = s.execute(select(Licence).where(Licence.licence_type == "individual", Licence.status == "active",
                                                 Licence.valid_to >= TODAY, Licence.id > 0)
                           .order_by(Licence.id.desc())).scalars().first()
    # the services carry on from the generated rows: numbers do not collide, drawing works
    with unit_of_work() as s:
        customs = s.execute(select(User).where(User.username == "customs1")).scalar_one()
        who = Principal(user_id=customs.id, username="customs1", role=Role.customs, org_id=None)
        lines = [ShipmentLineIn(item=x.control_code, end_user=str(x.end_user_id), quantity=x.licensed, unit=x.unit)
                 for x in active.lines]
        shipments.record(s, who, active.number, ShipmentIn(declaration="223420279999999999", date=TODAY - dt.timedelta(days=1),
                                                           port="CNSHA", lines=lines), at=clock.at(TODAY, pack.tz, 9))
    with unit_of_work() as s:
        assert s.get(Licence, active.id).status == "exhausted"


def test_demo_generate_cli(db, monkeypatch):
    monkeypatch.setattr(clock, "SHAPE", [1])
    monkeypatch.setattr(clock, "PLATEAU", [0])
    r = CliRunner().invoke(cli, ["demo", "generate", "--applications", "50", "--shipments", "5", "--today", "2027-03-10",
                                 "--json"], env={"RAREX_DEMO_PASSWORD": "fixed-demo-password"})
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["applications"] == 50 and out["shipments"] <= 5 and out["licences"] > 0
