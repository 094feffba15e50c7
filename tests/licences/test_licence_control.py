"""Suspension, reinstatement, revocation (senior officers only) and expiry."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from rarex.core.authz import Principal
from rarex.licences import service
from rarex.licences.models import Licence
from tests.applications.helpers import build_world
from tests.licences.helpers import control_body


@pytest.fixture
def world(client, session):
    return build_world(client, session)


def issue(w) -> str:
    return w.to_state("approved")["licence_number"]


def post(w, number, action, who, reason="material change in end use", ground: str | None = None):
    return w.client.post(f"/api/v1/licences/{number}/{action}", json=control_body(action, reason, ground),
                         headers=getattr(w, who))


def test_suspend_reinstate_revoke_and_forbidden_transitions(world):
    w = world
    n = issue(w)
    assert post(w, n, "reinstate", "senior").status_code == 409
    r = post(w, n, "suspend", "senior")
    assert r.status_code == 200 and r.json()["status"] == "suspended" and r.json()["status_reason"]
    r = post(w, n, "suspend", "senior")
    assert r.status_code == 409 and r.json()["current_state"] == "suspended"
    assert post(w, n, "reinstate", "senior").json()["status"] == "active"
    assert post(w, n, "revoke", "senior").json()["status"] == "revoked"
    for action in ("suspend", "reinstate", "revoke"):
        r = post(w, n, action, "senior")
        assert r.status_code == 409 and r.json()["current_state"] == "revoked"


@pytest.mark.parametrize("role", ["exporter", "officer", "customs", "auditor", "admin"])
def test_only_senior_officers_control_licences(world, role):
    w = world
    n = issue(w)
    r = post(w, n, "suspend", role)
    assert r.status_code == 403, r.text


def test_reason_is_required(world):
    w = world
    n = issue(w)
    r = w.client.post(f"/api/v1/licences/{n}/suspend", json={}, headers=w.senior)
    assert r.status_code == 422 and "reason" in r.text


def test_licence_visibility_by_role(world):
    w = world
    n = issue(w)
    for role in ("exporter", "officer", "senior", "customs", "auditor"):
        assert w.client.get(f"/api/v1/licences/{n}", headers=getattr(w, role)).status_code == 200, role
    assert w.client.get(f"/api/v1/licences/{n}", headers=w.other_exporter).status_code == 404
    assert w.client.get(f"/api/v1/licences/{n}", headers=w.admin).status_code == 403
    assert w.client.get(f"/api/v1/licences/{n}").status_code == 401
    assert w.client.get("/api/v1/licences", headers=w.other_exporter).json()["items"] == []
    csv = w.client.get("/api/v1/licences?format=csv", headers=w.officer)
    assert csv.status_code == 200 and csv.text.splitlines()[0].startswith("number,") and n in csv.text


def test_expiry_on_both_sides_of_valid_to(world, session):
    w = world
    n = issue(w)
    lic = session.execute(select(Licence).where(Licence.number == n)).scalar_one()
    system = Principal.system("test")
    assert service.expire_due(session, system, lic.valid_to) == []
    assert lic.status == "active"
    expired = service.expire_due(session, system, lic.valid_to + dt.timedelta(days=1))
    assert [x.number for x in expired] == [n] and lic.status == "expired"
    session.commit()
    r = post(w, n, "suspend", "senior")
    assert r.status_code == 409 and r.json()["current_state"] == "expired"


def test_server_start_expires_licences_past_validity(world, session):
    """``rarex serve`` runs the expiry job before serving (lifespan)."""
    from fastapi.testclient import TestClient

    from rarex.web.app import create_app

    w = world
    n = issue(w)
    lic = session.execute(select(Licence).where(Licence.number == n)).scalar_one()
    lic.valid_to = lic.valid_from - dt.timedelta(days=1)  # validity already over
    session.flush()
    with TestClient(create_app(run_startup_jobs=True)):
        pass
    session.expire_all()
    lic = session.execute(select(Licence).where(Licence.number == n)).scalar_one()
    assert lic.status == "expired" and lic.expired_at is not None
