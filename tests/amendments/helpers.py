"""A world with an issued licence, and a driver for amendments over the HTTP API.

Licences are issued the way users get them (an application driven to approval through the
API, tests/applications/helpers). A *general* licence is that licence with its type changed in
the database: the general-licence eligibility rules are another package's business, and type
is all the amendment rules read. Shipments are simulated by setting a line's ``drawn``
directly, so these tests do not depend on the shipment service's rules either.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select, update

from rarex.amendments.models import Amendment, LicenceVersion
from rarex.core.audit import AuditEvent
from rarex.licences.models import Licence, LicenceLine
from rarex.policy.service import get_pack
from tests.applications.helpers import World, build_world
from tests.factories import make_party

API = "/api/v1"


@dataclass
class AmendWorld:
    w: World
    session: object

    @property
    def client(self):
        return self.w.client

    def licence(self, licence_type: str = "individual") -> str:
        """A freshly issued, active licence of the owner organisation."""
        number = self.w.to_state("approved")["licence_number"]
        if licence_type != "individual":
            self.session.execute(update(Licence).where(Licence.number == number).values(licence_type=licence_type))
        return number

    def row(self, number: str) -> Licence:
        self.session.expire_all()
        return self.session.execute(select(Licence).where(Licence.number == number)).scalar_one()

    def set_drawn(self, number: str, line_no: int, drawn: str) -> None:
        """Stand in for customs: as if shipments had drawn ``drawn`` on the line."""
        lic = self.row(number)
        self.session.execute(update(LicenceLine).where(LicenceLine.licence_id == lic.id, LicenceLine.line_no == line_no)
                             .values(drawn=Decimal(drawn)))

    def party(self, country: str = "DE", org=None) -> int:
        p = make_party(self.session, org or self.w.org, country=country)
        self.session.commit()
        return p.id

    def get_licence(self, number: str, who=None) -> dict:
        r = self.client.get(f"{API}/licences/{number}", headers=who or self.w.exporter)
        assert r.status_code == 200, r.text
        return r.json()

    def ask(self, number: str, changes: list[dict], *, who=None, expect: int = 201, reason: str = "contract changed"):
        r = self.client.post(f"{API}/licences/{number}/amendments", json={"changes": changes, "reason": reason},
                             headers=self.w.exporter if who is None else who)
        assert r.status_code == expect, f"{r.status_code} {r.text}"
        return r.json()

    def act(self, amendment_id: int, action: str, who: dict, body: dict | None = None, expect: int = 200) -> dict:
        r = self.client.post(f"{API}/amendments/{amendment_id}/{action}", json=body, headers=who)
        assert r.status_code == expect, f"{action}: {r.status_code} {r.text}"
        return r.json()

    def accept(self, amendment_id: int, who=None, expect: int = 200) -> dict:
        return self.act(amendment_id, "accept", who or self.w.officer, None, expect)

    def recommend(self, amendment_id: int, outcome: str = "approve", who=None, expect: int = 200) -> dict:
        """Accept the request first if it is still pending (its 20 days run from acceptance)."""
        r = self.client.get(f"{API}/amendments/{amendment_id}", headers=self.w.officer)
        if r.status_code == 200 and r.json()["status"] == "pending":
            self.accept(amendment_id)
        return self.act(amendment_id, "recommend", who or self.w.officer,
                        {"recommendation": outcome, "reasons": "non-key change, documents in order"}, expect)

    def decide(self, amendment_id: int, outcome: str = "approve", who=None, expect: int = 200) -> dict:
        return self.act(amendment_id, "decide", who or self.w.senior,
                        {"decision": outcome, "reasons": "agree with the officer"}, expect)

    def approve(self, number: str, changes: list[dict]) -> dict:
        am = self.ask(number, changes)
        self.recommend(am["id"])
        return self.decide(am["id"])

    def versions(self, number: str, who=None) -> list[dict]:
        r = self.client.get(f"{API}/licences/{number}/versions", headers=who or self.w.exporter)
        assert r.status_code == 200, r.text
        return r.json()

    def counts(self) -> dict:
        """Rows that an amendment writes: compared before and after a refused request."""
        s = self.session
        s.expire_all()
        return {
            "amendments": s.scalar(select(func.count()).select_from(Amendment)),
            "versions": s.scalar(select(func.count()).select_from(LicenceVersion)),
            "events": s.scalar(select(func.count()).select_from(AuditEvent)),
            "lines": s.scalar(select(func.count()).select_from(LicenceLine)),
            "licences": [tuple(r) for r in s.execute(select(Licence.number, Licence.status, Licence.version, Licence.valid_to)
                                                      .order_by(Licence.id)).all()],
        }

    def limit(self, number: str) -> dt.date:
        lic = self.row(number)
        lt = get_pack().licence_types[lic.licence_type]
        return lt.valid_to(lic.valid_from, lt.max_validity_months)


def amend_world(client, session) -> AmendWorld:
    return AmendWorld(build_world(client, session), session)
