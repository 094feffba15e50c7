"""A general-licence driver over the HTTP API: build_world's exporter, officers and parties, two
more end users, an exporter whose profile meets the general licence's conditions, and drafts
with four lines for three end users."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update

from rarex.parties.models import ComplianceProfile
from rarex.policy.service import get_pack
from tests.applications.helpers import build_world
from tests.factories import make_party

ELIGIBLE = dict(has_icp=True, icp_established_on=dt.date(2019, 4, 1), export_experience_years=6, stable_channels=True,
                foreign_control_list_affiliate=False)


def line(code: str, end_user: int | None, quantity: str, unit: str = "kg", value: str = "10000.00") -> dict:
    return {"control_code": code, "hs_code": "2846901993", "description": f"{code} goods", "quantity": quantity,
            "unit": unit, "value": value, "currency": "USD", "end_user_id": end_user}


class GeneralWorld:
    """build_world's exporter, officers and parties, plus two more end users and a general-licence driver."""

    def __init__(self, client, session):
        self.w = build_world(client, session)
        self.session = session
        self.client = client
        self.end_users = [self.w.end_user, make_party(session, self.w.org, name="Nordmagnet AB", country="SE").id,
                          make_party(session, self.w.org, name="Kobe Motors KK", country="JP", end_user_category="civil").id]
        self.set_profile(**ELIGIBLE, icp_last_audit_on=get_pack().today() - dt.timedelta(days=90))

    def set_profile(self, **fields) -> None:
        """The profile as an officer verified it (tests of verification live in tests/eligibility)."""
        self.session.execute(update(ComplianceProfile).where(ComplianceProfile.org_id == self.w.org.id).values(**fields))
        profile = self.session.get(ComplianceProfile, self.w.org.id, populate_existing=True)
        profile.verified_values = profile.fact_values()
        self.session.commit()

    def lines(self) -> list[dict]:
        a, b, c = self.end_users
        return [line("1C905.b", a, "1200"), line("1C905.b", b, "800.5"), line("1C902.a", b, "2", "t"),
                line("1C906.a", c, "350")]

    def draft(self, expect: int = 201, **overrides) -> dict:
        body = {"licence_type": "general", "consignee_id": self.w.consignee,
                "end_use": "Sintering of NdFeB magnets for EV traction motors and wind turbines", "end_use_category": "civil",
                "items": self.lines()}
        body.update(overrides)
        r = self.client.post("/api/v1/applications", json=body, headers=self.w.exporter)
        assert r.status_code == expect, r.text
        return r.json()

    def submitted(self, **overrides) -> dict:
        app = self.draft(**overrides)
        self.w.upload_required(app["id"], "general")
        return self.w.act(app["id"], "submit", self.w.exporter)

    def approved(self, **overrides) -> dict:
        """A general application driven to approval; the answer carries the licence number."""
        app = self.submitted(**overrides)
        self.w.act(app["id"], "accept", self.w.officer)
        self.w.act(app["id"], "recommend", self.w.officer, {"recommendation": "approve", "reasons": "eligible, customers known"})
        return self.w.act(app["id"], "decide", self.w.senior, {"decision": "approve", "reasons": "countersigned"})
