"""Service functions other packages call directly (applications, eligibility checks)."""

from __future__ import annotations

import datetime as dt

import pytest

from rarex.core.authz import Principal, Role
from rarex.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from rarex.parties import service
from rarex.parties.models import Violation
from tests.factories import make_org, make_party, valid_uscc

SYSTEM = Principal.system("test")


def exporter_of(org) -> Principal:
    return Principal(user_id=None, username="exp", role=Role.exporter, org_id=org.id)


def test_get_party_for_org_returns_only_that_organisations_party(tx):
    a, b = make_org(tx), make_org(tx)
    pa, pb = make_party(tx, a), make_party(tx, b)
    assert service.get_party_for_org(tx, exporter_of(a), pa.id, a.id) is pa
    assert service.get_party_for_org(tx, SYSTEM, pb.id, b.id) is pb
    with pytest.raises(NotFound):  # another exporter's party, even when naming that exporter
        service.get_party_for_org(tx, exporter_of(a), pb.id, b.id)
    with pytest.raises(NotFound):  # visible to staff, but not on this organisation's file
        service.get_party_for_org(tx, SYSTEM, pb.id, a.id)
    for missing in (987654, 2**40, 0, -1):  # any int another service passes is a 404, never a database error
        with pytest.raises(NotFound):
            service.get_party_for_org(tx, SYSTEM, missing, a.id)
        with pytest.raises(NotFound):
            service.get_organisation(tx, SYSTEM, missing)


def test_list_violations_filters_by_kind_and_date_for_eligibility_rules(tx):
    org = make_org(tx)
    admin = Principal(user_id=None, username="adm", role=Role.admin)
    service.record_violation(tx, admin, org.id, kind="criminal", decided_on=dt.date(2012, 1, 1), description="smuggling")
    service.record_violation(tx, admin, org.id, kind="serious_administrative", decided_on="2023-07-01", description="x")
    service.record_violation(tx, admin, org.id, kind="administrative", decided_on="2024-02-02", description="y")
    recent_serious = service.list_violations(
        tx, SYSTEM, org.id, kinds=["serious_administrative", "criminal"], decided_on_or_after=dt.date(2021, 1, 1)
    )
    assert [(v.kind, v.decided_on) for v in recent_serious] == [("serious_administrative", dt.date(2023, 7, 1))]
    kinds = [v.kind for v in service.list_violations(tx, SYSTEM, org.id)]
    assert kinds == ["criminal", "serious_administrative", "administrative"]
    with pytest.raises(InvalidInput, match="kind"):
        service.list_violations(tx, SYSTEM, org.id, kinds=["minor"])


def test_only_admin_records_violations(tx):
    org = make_org(tx)
    for role in (Role.exporter, Role.officer, Role.senior_officer, Role.auditor):
        with pytest.raises(Forbidden):
            service.record_violation(tx, Principal(None, "x", role, org.id), org.id, kind="criminal",
                                     decided_on="2020-01-01", description="x")
    assert tx.query(Violation).count() == 0


def test_legal_date_today_is_accepted_and_tomorrow_is_in_the_future(tx, monkeypatch):
    org = make_org(tx)
    monkeypatch.setattr(service, "regime_today", lambda: dt.date(2025, 3, 1))
    service.update_compliance_profile(tx, SYSTEM, org.id, icp_last_audit_on=dt.date(2025, 3, 1))
    with pytest.raises(InvalidInput, match="in the future"):
        service.update_compliance_profile(tx, SYSTEM, org.id, icp_last_audit_on=dt.date(2025, 3, 2))


@pytest.mark.parametrize(
    "value,needle",
    [("123", "has 3 characters"), ("91110000MA0000001!", "invalid format"), (valid_uscc(3)[:-1] + "Y", "check digit")],
)
def test_normalise_uscc_says_what_is_wrong(value, needle):
    with pytest.raises(InvalidInput, match=needle):
        service.normalise_uscc(value)


def test_find_organisation_by_id_or_code(tx):
    org, other = make_org(tx), make_org(tx)
    assert service.find_organisation(tx, SYSTEM, str(org.id)) is org
    assert service.find_organisation(tx, SYSTEM, org.uscc.lower()) is org
    with pytest.raises(NotFound):
        service.find_organisation(tx, exporter_of(org), other.uscc)
    with pytest.raises(NotFound):
        service.find_organisation(tx, exporter_of(org), str(other.id))
    with pytest.raises(InvalidInput):
        service.find_organisation(tx, SYSTEM, "acme")


def test_create_party_needs_an_organisation_for_the_system_principal(tx):
    org = make_org(tx)
    with pytest.raises(InvalidInput, match="organisation"):
        service.create_party(tx, SYSTEM, name="Acme", country="DE")
    assert service.create_party(tx, SYSTEM, org_id=org.id, name="Acme", country="DE").org_id == org.id
    with pytest.raises(NotFound):  # an exporter cannot file a party under another organisation
        service.create_party(tx, exporter_of(org), org_id=org.id + 1, name="Acme", country="DE")


def test_unknown_field_is_refused_by_the_service_too(tx):
    org = make_org(tx)
    with pytest.raises(InvalidInput, match="uscc"):
        service.update_organisation(tx, SYSTEM, org.id, uscc=valid_uscc(77))


def test_duplicate_code_conflicts_in_the_service(tx):
    org = make_org(tx)
    with pytest.raises(Conflict):
        service.create_organisation(tx, SYSTEM, name_zh="重复", name_en="Dup", uscc=org.uscc)
