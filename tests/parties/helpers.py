"""Shared arrangements for the parties tests: one world of two exporters and every role."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from rarex.core.audit import AuditEvent
from rarex.core.authz import Role
from rarex.parties.models import ComplianceProfile, Organisation, Party, Violation
from rarex.users.service import issue_token
from tests.factories import make_org, make_party, make_user


@dataclass
class World:
    org: Organisation  # the exporter's own organisation
    other: Organisation  # another exporter's
    party: Party  # on org's file
    other_party: Party  # on other's file
    headers: dict[str, dict[str, str]]  # role name -> Authorization header; "exporter" belongs to org


def bearer(session, user) -> dict[str, str]:
    """A token without a password round-trip (login() is tested in the users suite)."""
    token, _ = issue_token(session, user)
    return {"Authorization": f"Bearer {token}"}


def build_world(session) -> World:
    org, other = make_org(session), make_org(session)
    party, other_party = make_party(session, org), make_party(session, other, country="JP")
    headers = {}
    for role in Role:
        user = make_user(session, role, org if role == Role.exporter else None)
        headers[role.value] = bearer(session, user)
    headers["other_exporter"] = bearer(session, make_user(session, Role.exporter, other))
    session.commit()
    return World(org, other, party, other_party, headers)


def counts(session) -> dict[str, int]:
    """Rows in every table this package writes, plus audit events; ends the read transaction
    so the test session never holds SQLite's write lock while the app is serving."""
    out = {
        m.__tablename__: session.execute(select(func.count()).select_from(m)).scalar_one()
        for m in (Organisation, ComplianceProfile, Violation, Party, AuditEvent)
    }
    session.commit()
    return out


def events(session, type: str) -> list[AuditEvent]:
    rows = list(session.execute(select(AuditEvent).where(AuditEvent.type == type).order_by(AuditEvent.id)).scalars())
    session.commit()
    return rows


def assert_problem(resp, status: int, *needles: str) -> dict:
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"].startswith("application/problem+json"), resp.headers["content-type"]
    body = resp.json()
    assert body["status"] == status
    for needle in needles:
        assert needle in body["detail"], body["detail"]
    return body
