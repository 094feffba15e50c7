"""The demo's fictional restricted-party list: imported whole, before any application, once."""

from __future__ import annotations

from sqlalchemy import func, select

from rarex.core.audit import AuditEvent
from rarex.core.authz import Principal
from rarex.core.db import unit_of_work
from rarex.demo import clock, data, loader, restricted
from rarex.screening import lists


def test_demo_list_is_imported_whole_before_the_first_application(db, monkeypatch):
    monkeypatch.setattr(clock, "SHAPE", [1])
    monkeypatch.setattr(clock, "PLATEAU", [0])
    with unit_of_work() as s:
        loader.load(s, password="demo-password-1")
    with unit_of_work() as s:
        loader.load(s)
        lst = lists.get_list(s, Principal.system("t"), restricted.LIST_NAME)
        [version] = lst.versions  # loading again adds no version
        assert (version.entry_count, version.rejected_count) == (41, 0)
        entities = lists.entities(s, version.id, limit=100)
        # applications are backdated (months before the load), so the audit log's order tells what came first
        first = dict(s.execute(select(AuditEvent.subject_type, func.min(AuditEvent.id)).group_by(AuditEvent.subject_type)).all())
        assert first["screening_list"] < first["application"]
    names = [e.name for e in entities]
    assert "深圳星河远航电子贸易有限公司" in names and "香港嘉禾環球貿易有限公司" in names
    assert {"cn", "hk", "tw", "de", "us", "ru", "ir", "kp", "ae"} <= {c for e in entities for c in e.countries}
    assert {e.schema for e in entities} == {"Company", "Organization", "Vessel", "Person"}
    # the end user the list names under another spelling, and the near misses, are demo parties
    end_users = {name for name, *_ in data.END_USERS}
    assert {"Morava Laser Optics s.r.o.", "Pacific Coast Audio Inc.", "Great Lakes Servo Corporation",
            "Hanbit Motor Co., Ltd."} <= end_users
    assert {"MORAVA LASER-OPTICS, s. r. o.", "Pacific Coast Audio Labs, Inc.", "Great Lakes Sonar Corporation",
            "Hanbit Motors Trading FZE"} <= set(names)
