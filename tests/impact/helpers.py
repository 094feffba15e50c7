"""A small world of cases, licences and shipments for impact reports, and drafts to run over it.

Everything is dated relative to today (licence validity, shipment dates); the law's own dates
(the November 2025 suspension) stay the law's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import yaml

from rarex.applications.models import Application, ApplicationItem, ApplicationStatus
from rarex.licences.models import Licence, LicenceLine, LicenceStatus
from rarex.policy import models as m
from rarex.policy.service import get_pack
from rarex.shipments.models import Shipment, ShipmentLine, ShipmentStatus
from tests.factories import make_org, make_party

DESCRIPTIONS = {"1C909.b": "Holmium oxide 99.9%", "1C905.b": "Dysprosium oxide 99.5%", "1E902.a": "NdFeB magnet making know-how"}


def today() -> dt.date:
    return get_pack().today()


def pack_without(*, amendments: tuple[str, ...] = (), entries: tuple[str, ...] = ()) -> m.Pack:
    """The shipped pack as it stood before some of its records were written into it."""
    pack = get_pack()
    fields = {name: getattr(pack, name) for name in m.Pack.model_fields}
    fields["amendments"] = [a for a in pack.amendments if a.code not in amendments]
    fields["entries"] = [e for e in pack.entries if e.code not in entries]
    return m.Pack(**fields)


def suspension_draft() -> str:
    """The November 2025 suspension exactly as the pack holds it, written as a draft."""
    pack = get_pack()
    a = next(x for x in pack.amendments if x.code == "2025-70-suspension")
    return yaml.safe_dump({
        "code": "replay-2025-70", "description_en": "Ann. 2025 No. 70 replayed as a draft",
        "description_zh": "第70号公告作为草案重放", "effective_from": a.from_, "legal_ref": a.legal_ref,
        "amendments": [a.model_dump(mode="python", by_alias=True, exclude_defaults=False)],
    }, allow_unicode=True, sort_keys=False)


def draft(**sections) -> str:
    head = {"code": "test-draft", "description_en": "A test draft", "description_zh": "测试草案",
            "effective_from": sections.pop("effective_from", dt.date(2026, 1, 1)), "legal_ref": "Draft announcement"}
    return yaml.safe_dump(head | sections, allow_unicode=True, sort_keys=False)


@dataclass
class World:
    org: object
    ids: dict[str, int] = field(default_factory=dict)


def _app(session, org, party, code: str, status: ApplicationStatus, n: int) -> Application:
    app = Application(reference=f"IMP{n:07d}", org_id=org.id, licence_type="general", status=status, conditions=[],
                      end_user_id=party.id, end_use="magnets", end_use_category="civil")
    app.items = [ApplicationItem(line_no=1, control_code=code, hs_code="", description=DESCRIPTIONS[code],
                                 quantity=Decimal(10), unit="kg", value=Decimal("100.00"), currency="USD")]
    session.add(app)
    session.flush()
    return app


def _licence(session, org, party, codes: list[str], n: int, *, status=LicenceStatus.active, valid_to=None) -> Licence:
    app = _app(session, org, party, codes[0], ApplicationStatus.approved, 500 + n)
    lic = Licence(number=f"CNDU-G2026-77{n:04d}", licence_type="general", status=status, org_id=org.id, application_id=app.id,
                  end_user_id=party.id, end_use="magnets", end_use_category="civil", conditions=[],
                  valid_from=today() - dt.timedelta(days=60), valid_to=valid_to or today() + dt.timedelta(days=300))
    lic.lines = [LicenceLine(line_no=i, control_code=c, hs_code="", description=DESCRIPTIONS[c], end_user_id=party.id,
                             unit="kg", licensed=Decimal(100), value=Decimal("1000.00"), currency="USD")
                 for i, c in enumerate(codes, start=1)]
    session.add(lic)
    session.flush()
    return lic


def _ship(session, lic: Licence, declaration: str, days_ago: int, status=ShipmentStatus.recorded) -> Shipment:
    ll = lic.lines[0]
    on = today() - dt.timedelta(days=days_ago)
    sh = Shipment(declaration=declaration, licence_id=lic.id, status=status, shipped_on=on, port="CNTSN", content_hash="0" * 64,
                  recorded_at=dt.datetime(on.year, on.month, on.day, 2, tzinfo=dt.UTC), recorded_by_name="customs",
                  lines=[ShipmentLine(line_no=1, licence_line_id=ll.id, item=ll.control_code, end_user=str(ll.end_user_id),
                                      quantity=Decimal(5), unit="kg", drawn=Decimal(5), drawn_unit="kg")])
    session.add(sh)
    session.flush()
    return sh


def build_world(session, code: str = "1C909.b", *, export_years: int = 3) -> World:
    """For ``code``, to a civil German end user: one pending application and one draft (not
    pending); an active licence (with a No. 18 Dy oxide line too) and an expired one; shipments
    89 days ago (inside the 90-day window), 90 days ago (outside) and a cancelled one."""
    org = make_org(session, export_experience_years=export_years)
    de = make_party(session, org, country="DE", end_user_category="civil")
    w = World(org=org)
    w.ids["pending"] = _app(session, org, de, code, ApplicationStatus.submitted, 1).id
    w.ids["draft_app"] = _app(session, org, de, code, ApplicationStatus.draft, 2).id
    lic = _licence(session, org, de, [code, "1C905.b"], 1)
    w.ids["licence"] = lic.id
    w.ids["expired"] = _licence(session, org, de, [code], 2, status=LicenceStatus.expired,
                                valid_to=today() - dt.timedelta(days=1)).id
    w.ids["inside"] = _ship(session, lic, "IMPSHIP000000001", 89).id
    w.ids["outside"] = _ship(session, lic, "IMPSHIP000000002", 90).id
    w.ids["cancelled"] = _ship(session, lic, "IMPSHIP000000003", 3, status=ShipmentStatus.cancelled).id
    session.commit()
    return w


def touched(report) -> set[tuple[str, int, int]]:
    return {(r.subject, r.id, r.line_no) for r in report.rows}
