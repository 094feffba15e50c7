"""A small world of users and parties, and a driver that walks an application through its
states over the HTTP API, as the real users would."""

from __future__ import annotations

from dataclasses import dataclass

from rarex.core.authz import Role
from rarex.policy.service import get_pack
from tests.factories import bearer, make_org, make_party, make_user

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class World:
    client: object
    org: object
    other_org: object
    consignee: int
    end_user: int
    exporter: dict
    other_exporter: dict
    officer: dict
    senior: dict
    senior2: dict
    customs: dict
    auditor: dict
    admin: dict

    def draft(self, **overrides) -> dict:
        body = {
            "licence_type": "individual",
            "consignee_id": self.consignee,
            "end_user_id": self.end_user,
            "end_use": "Sintering of Dy-containing NdFeB magnets for EV traction motors",
            "requested_validity_months": 6,
            "items": [{
                "control_code": "1C905.b", "hs_code": "2846901993", "description": "Dysprosium oxide 99.5%",
                "quantity": "1250.5", "unit": "kg", "value": "312625.00", "currency": "USD",
            }],
        }
        body.update(overrides)
        r = self.client.post("/api/v1/applications", json=body, headers=self.exporter)
        assert r.status_code == 201, r.text
        return r.json()

    def upload_required(self, app_id: int, licence_type: str = "individual") -> None:
        for doc_type in get_pack().required_documents(licence_type):
            r = self.client.post(f"/api/v1/applications/{app_id}/documents", headers=self.exporter,
                                 data={"doc_type": doc_type}, files={"file": (f"{doc_type}.pdf", PDF, "application/pdf")})
            assert r.status_code == 201, r.text

    def act(self, app_id: int, action: str, who: dict, body: dict | None = None, expect: int = 200) -> dict:
        r = self.client.post(f"/api/v1/applications/{app_id}/{action}", json=body, headers=who)
        assert r.status_code == expect, f"{action}: {r.status_code} {r.text}"
        return r.json()

    def to_state(self, state: str) -> dict:
        """A fresh application driven to ``state`` through the API."""
        app = self.draft()
        i = app["id"]
        if state == "draft":
            return app
        if state == "withdrawn":
            return self.act(i, "withdraw", self.exporter, {"reason": "no longer needed"})
        self.upload_required(i)
        app = self.act(i, "submit", self.exporter)
        if state == "submitted":
            return app
        app = self.act(i, "accept", self.officer)
        if state == "under_review":
            return app
        if state == "information_requested":
            return self.act(i, "request-information", self.officer, {"request": "Send the end-use certificate signed by the CEO"})
        app = self.act(i, "recommend", self.officer, {"recommendation": "approve", "reasons": "civil end use verified"})
        if state == "recommended":
            return app
        if state == "approved":
            return self.act(i, "decide", self.senior, {"decision": "approve", "reasons": "agree with the officer"})
        if state == "refused":
            return self.act(i, "decide", self.senior, {"decision": "refuse", "reasons": "end use not credible"})
        raise ValueError(state)


def build_world(client, session) -> World:
    org = make_org(session, name="Baotou Test Magnetics Co., Ltd.")
    other = make_org(session, name="Ganzhou Other Rare Earth Co., Ltd.")
    consignee = make_party(session, org, name="Magnetwerk Test GmbH", country="DE")
    end_user = make_party(session, org, name="Antriebstechnik Test AG", country="DE")
    users = {
        "exp": make_user(session, Role.exporter, org, "exp"),
        "exp_b": make_user(session, Role.exporter, other, "exp_b"),
        "off": make_user(session, Role.officer, None, "off"),
        "sen": make_user(session, Role.senior_officer, None, "sen"),
        "sen2": make_user(session, Role.senior_officer, None, "sen2"),
        "cus": make_user(session, Role.customs, None, "cus"),
        "aud": make_user(session, Role.auditor, None, "aud"),
        "adm": make_user(session, Role.admin, None, "adm"),
    }
    session.commit()
    h = {k: bearer(session, u) for k, u in users.items()}
    return World(client, org, other, consignee.id, end_user.id, h["exp"], h["exp_b"], h["off"], h["sen"], h["sen2"],
                 h["cus"], h["aud"], h["adm"])
