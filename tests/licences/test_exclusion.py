"""Exclusion revokes general licences (DUR Art. 20 para. 2): the moment a fact that excludes the
holder is recorded, its general licences stop (customs refused) and a revocation citing the
condition waits for a senior officer's signature; individual licences are not touched."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from rarex.cli.main import app as cli_app
from rarex.core.audit import AuditEvent
from rarex.eligibility.service import period_end
from rarex.policy.service import get_pack
from tests.applications.general_helpers import GeneralWorld
from tests.licences.helpers import control_body
from tests.test_access_matrix import shipment_body

API = "/api/v1"


@pytest.fixture
def g(client, session):
    return GeneralWorld(client, session)


def violation(g, kind: str, decided_on: dt.date, expect: int = 201) -> dict:
    r = g.client.post(f"{API}/organisations/{g.w.org.id}/violations", headers=g.w.admin, json={
        "kind": kind, "decided_on": decided_on.isoformat(), "description": "export beyond the licence", "legal_ref": "ECL Art. 34"})
    assert r.status_code == expect, r.text
    return r.json()


def licence(g, number: str, who=None) -> dict:
    r = g.client.get(f"{API}/licences/{number}", headers=who or g.w.officer)
    assert r.status_code == 200, r.text
    return r.json()


def ship(g, number: str, declaration: str):
    return g.client.post(f"{API}/licences/{number}/shipments", json=shipment_body(g.w.end_user, declaration),
                         headers=g.w.customs)


def events(g, number: str) -> list[AuditEvent]:
    g.session.expire_all()
    return list(g.session.execute(select(AuditEvent).where(AuditEvent.stream == f"licence:{number}")
                                  .order_by(AuditEvent.seq)).scalars())


def pending(g, who) -> list[str]:
    r = g.client.get(f"{API}/licences/pending-revocations", headers=who)
    assert r.status_code == 200, r.text
    return [x["number"] for x in r.json()["items"]]


def test_a_criminal_penalty_stops_general_licences_at_once_and_a_senior_signs_the_revocation(g):
    general = g.approved()["licence_number"]
    individual = g.w.to_state("approved")["licence_number"]
    assert ship(g, general, "EXCL-BEFORE").status_code == 201

    violation(g, "criminal", dt.date(2024, 5, 1))

    lic = licence(g, general)
    assert lic["status"] == "suspended"
    assert lic["status_ground"] == {"code": "art20_exclusion", "label_en": lic["status_ground"]["label_en"],
                                    "label_zh": "出口经营者出现不得适用通用许可或登记的情形", "legal_ref": "DUR Art. 20 para. 2"}
    proposal = lic["pending_revocation"]
    assert proposal["ground"]["code"] == "art20_exclusion" and "DUR Art. 20 (1)" in proposal["reason"]
    assert "criminally punished" in proposal["reason"]
    assert lic["allowed_actions"] == ["sign_revocation", "revoke"]
    r = ship(g, general, "EXCL-AFTER")
    assert r.status_code == 409 and r.json()["current_state"] == "suspended", "customs is refused from that moment"

    assert licence(g, individual)["status"] == "active" and licence(g, individual)["pending_revocation"] is None
    assert ship(g, individual, "EXCL-INDIVIDUAL").status_code == 201, "individual licences are not touched"

    types = [e.type for e in events(g, general)]
    assert types[-2:] == ["licence.suspended", "licence.revocation_proposed"]
    proposed = events(g, general)[-1]
    assert proposed.after["condition"] == "criminal_penalty" and proposed.after["ground"] == "art20_exclusion"

    assert pending(g, g.w.officer) == [general] and pending(g, g.w.exporter) == [general]
    assert pending(g, g.w.other_exporter) == []

    for role in ("officer", "exporter", "customs", "auditor", "admin"):
        r = g.client.post(f"{API}/licences/{general}/sign-revocation", json={"reason": "agreed"}, headers=getattr(g.w, role))
        assert r.status_code in (403, 404), (role, r.text)
    for action in ("reinstate", "withdraw", "order-amendment"):
        r = g.client.post(f"{API}/licences/{general}/{action}", json=control_body(action), headers=g.w.senior)
        assert r.status_code == 409 and "sign the revocation" in r.json()["detail"], action

    r = g.client.post(f"{API}/licences/{general}/sign-revocation", json={"reason": "the law says shall revoke"},
                      headers=g.w.senior)
    assert r.status_code == 200, r.text
    signed = r.json()
    assert signed["status"] == "revoked" and signed["status_ground"]["code"] == "art20_exclusion"
    assert signed["pending_revocation"] is None and signed["allowed_actions"] == []
    last = events(g, general)[-1]
    assert last.type == "licence.revoked" and last.after["signed"] is True and last.after["legal_ref"] == "DUR Art. 20 para. 2"
    assert pending(g, g.w.officer) == []
    r = g.client.post(f"{API}/licences/{general}/sign-revocation", json={"reason": "again"}, headers=g.w.senior)
    assert r.status_code == 409 and r.json()["current_state"] == "revoked"
    assert licence(g, individual)["status"] in ("active", "exhausted")


def test_an_ordinary_administrative_penalty_excludes_nothing(g):
    general = g.approved()["licence_number"]
    violation(g, "administrative", dt.date(2024, 5, 1))
    lic = licence(g, general)
    assert lic["status"] == "active" and lic["pending_revocation"] is None
    assert [e.type for e in events(g, general)][-1] == "licence.issued"


def _first_day_within(today: dt.date, months: int) -> dt.date:
    """The earliest decision date whose lookback period still covers ``today``."""
    d = today - dt.timedelta(days=months * 31)
    while period_end(d, months) < today:
        d += dt.timedelta(days=1)
    return d


@pytest.mark.parametrize("inside", [True, False])
def test_a_serious_administrative_penalty_on_both_sides_of_the_lookback(g, inside):
    years = get_pack().conditions["serious_administrative_penalty"].lookback_years
    assert years is not None
    general = g.approved()["licence_number"]
    first = _first_day_within(get_pack().today(), 12 * years)
    violation(g, "serious_administrative", first if inside else first - dt.timedelta(days=1))
    lic = licence(g, general)
    if inside:
        assert lic["status"] == "suspended" and "DUR Art. 20 (2)" in lic["pending_revocation"]["reason"]
    else:
        assert lic["status"] == "active" and lic["pending_revocation"] is None


def test_a_stated_tie_to_a_foreign_control_list_party_stops_general_licences(g):
    general = g.approved()["licence_number"]
    profile = g.client.get(f"{API}/organisations/{g.w.org.id}/compliance-profile", headers=g.w.exporter).json()
    body = {k: profile[k] for k in ("has_icp", "icp_established_on", "icp_last_audit_on", "export_experience_years",
                                    "briefings_attended", "last_briefing_on", "stable_channels", "notes")}
    r = g.client.put(f"{API}/organisations/{g.w.org.id}/compliance-profile", headers=g.w.exporter,
                     json={**body, "foreign_control_list_affiliate": True})
    assert r.status_code == 200, r.text
    lic = licence(g, general)
    assert lic["status"] == "suspended" and "DUR Art. 20 (3)" in lic["pending_revocation"]["reason"]
    assert events(g, general)[-1].after["condition"] == "foreign_control_list_affiliate"


def test_a_licence_already_suspended_keeps_its_ground_and_gets_the_proposal(g):
    general = g.approved()["licence_number"]
    r = g.client.post(f"{API}/licences/{general}/suspend", json=control_body("suspend"), headers=g.w.senior)
    assert r.status_code == 200
    violation(g, "criminal", dt.date(2024, 5, 1))
    lic = licence(g, general)
    assert lic["status"] == "suspended" and lic["status_ground"]["code"] == "factors_changed"
    assert lic["pending_revocation"]["ground"]["code"] == "art20_exclusion"
    assert [e.type for e in events(g, general)][-2:] == ["licence.suspended", "licence.revocation_proposed"]
    violation(g, "criminal", dt.date(2024, 6, 1))
    assert [e.type for e in events(g, general)].count("licence.revocation_proposed") == 1, "proposed once"


def test_a_general_licence_under_amendment_is_suspended_and_its_amendment_lapses(g):
    general = g.approved()["licence_number"]
    r = g.client.post(f"{API}/licences/{general}/amendments", headers=g.w.exporter,
                      json={"changes": [{"kind": "change_quantity", "line_no": 1, "quantity": "1300"}], "reason": "more"})
    assert r.status_code == 201, r.text
    violation(g, "criminal", dt.date(2024, 5, 1))
    assert licence(g, general)["status"] == "suspended"
    am = g.client.get(f"{API}/amendments/{r.json()['id']}", headers=g.w.officer).json()
    assert am["status"] == "lapsed" and "DUR Art. 20" in am["closed_reason"]


def test_cli_lists_and_signs_pending_revocations(g):
    general = g.approved()["licence_number"]
    violation(g, "criminal", dt.date(2024, 5, 1))
    runner = CliRunner()
    r = runner.invoke(cli_app, ["licences", "pending-revocations", "--json"])
    assert r.exit_code == 0, r.output
    assert [x["number"] for x in json.loads(r.stdout)] == [general]
    r = runner.invoke(cli_app, ["licences", "sign-revocation", general, "--reason", "signed at the console", "--json"])
    assert r.exit_code == 0 and json.loads(r.stdout)["status"] == "revoked", r.output
    r = runner.invoke(cli_app, ["licences", "sign-revocation", general, "--reason", "again"])
    assert r.exit_code == 2 and "no revocation" in r.stderr
