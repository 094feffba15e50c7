"""Organisations, compliance profiles and violations through the API: what is stored, what is
audited, and that refused input changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import valid_uscc
from tests.parties.helpers import assert_problem, counts, events

FUTURE = (dt.date.today() + dt.timedelta(days=3)).isoformat()


def _org_body(**kw):
    body = {"name_zh": "包头稀土磁材有限公司", "name_en": "Baotou RE Magnets Co., Ltd.", "uscc": valid_uscc(4242)}
    body.update(kw)
    return body


def test_admin_creates_organisation_with_normalised_code_default_profile_and_audit_event(client, session, world):
    code = valid_uscc(4242)
    spaced = f" {code[:6]} {code[6:12]}-{code[12:]} ".lower()
    body = _org_body(uscc=spaced, address="  8 Steel Rd  ")
    r = client.post("/api/v1/organisations", json=body, headers=world.headers["admin"])
    assert r.status_code == 201, r.text
    org = r.json()
    assert org["uscc"] == code and org["address"] == "8 Steel Rd"
    assert org["profile"]["has_icp"] is False and org["profile"]["export_experience_years"] == 0
    assert org["profile"]["stable_channels"] is False and org["violations"] == []
    [ev] = events(session, "organisation.created")
    assert (ev.subject_type, ev.subject_id, ev.actor_role) == ("organisation", str(org["id"]), "admin")
    assert ev.before is None and ev.after["uscc"] == code and ev.after["profile"]["has_icp"] is False
    assert client.get(f"/api/v1/organisations/{org['id']}", headers=world.headers["officer"]).json() == org


@pytest.mark.parametrize(
    "uscc,needle",
    [
        (valid_uscc(7)[:-1] + ("0" if valid_uscc(7)[-1] != "0" else "1"), "check digit"),
        ("91110000MA00001", "has 15 characters; it must have 18"),
        ("9111000OMA0000001X", "invalid format"),
        ("91110000MA000000I1", "invalid format"),
    ],
    ids=["check-digit", "length", "letter-in-region", "forbidden-letter"],
)
def test_bad_credit_code_is_422_saying_what_is_wrong_and_writes_nothing(client, session, world, uscc, needle):
    before = counts(session)
    r = client.post("/api/v1/organisations", json=_org_body(uscc=uscc), headers=world.headers["admin"])
    body = assert_problem(r, 422, needle)
    assert body["field"] == "uscc"
    assert counts(session) == before


def test_duplicate_credit_code_is_409_and_writes_nothing(client, session, world):
    before = counts(session)
    r = client.post("/api/v1/organisations", json=_org_body(uscc=world.org.uscc.lower()), headers=world.headers["admin"])
    assert_problem(r, 409, world.org.uscc)
    assert counts(session) == before


@pytest.mark.parametrize(
    "body",
    [
        _org_body(name_zh="   "),
        _org_body(name_en=""),
        {k: v for k, v in _org_body().items() if k != "name_en"},
        _org_body(name_en="x" * 201),
        _org_body(contact_email="not-an-address"),
        _org_body(country="CN"),
        _org_body(uscc=None),
    ],
    ids=["blank-zh", "empty-en", "missing-en", "long-en", "bad-email", "extra-field", "null-code"],
)
def test_bad_organisation_input_is_422_and_writes_nothing(client, session, world, body):
    before = counts(session)
    assert_problem(client.post("/api/v1/organisations", json=body, headers=world.headers["admin"]), 422)
    assert counts(session) == before


def test_patch_changes_contact_details_and_audits_only_what_changed(client, session, world):
    r = client.patch(
        f"/api/v1/organisations/{world.org.id}",
        json={"contact_email": "export@baotou.example.cn", "contact_name": world.org.contact_name},
        headers=world.headers["exporter"],
    )
    assert r.status_code == 200 and r.json()["contact_email"] == "export@baotou.example.cn"
    [ev] = events(session, "organisation.updated")
    assert ev.before == {"contact_email": world.org.contact_email}
    assert ev.after == {"contact_email": "export@baotou.example.cn"}
    assert ev.actor_role == "exporter"
    # the same values again change nothing and record nothing
    r = client.patch(f"/api/v1/organisations/{world.org.id}", json={"contact_email": "export@baotou.example.cn"},
                     headers=world.headers["exporter"])
    assert r.status_code == 200 and len(events(session, "organisation.updated")) == 1


@pytest.mark.parametrize(
    "body",
    [{"name_zh": "改名公司"}, {"uscc": valid_uscc(5)}, {"address": None}, {"contact_email": "a@b"}, {"contact_phone": "1" * 51}],
    ids=["rename", "recode", "null", "bad-email", "long-phone"],
)
def test_patch_refuses_bad_or_forbidden_changes_and_writes_nothing(client, session, world, body):
    before = counts(session)
    r = client.patch(f"/api/v1/organisations/{world.org.id}", json=body, headers=world.headers["admin"])
    assert_problem(r, 422)
    assert counts(session) == before
    org = client.get(f"/api/v1/organisations/{world.org.id}", headers=world.headers["admin"]).json()
    assert org["name_zh"] == world.org.name_zh


@pytest.mark.parametrize(
    "path,status",
    [("abc", 422), ("0", 422), ("-3", 422), ("99999999999", 422), ("999999", 404), ("1.5", 422)],
)
def test_bad_organisation_ids(client, world, path, status):
    for suffix in ("", "/compliance-profile", "/violations"):
        assert_problem(client.get(f"/api/v1/organisations/{path}{suffix}", headers=world.headers["admin"]), status)


# --- compliance profile --------------------------------------------------------------------

PROFILE = {
    "has_icp": True,
    "icp_established_on": "2019-03-01",
    "icp_last_audit_on": "2025-02-10",
    "export_experience_years": 12,
    "briefings_attended": 4,
    "last_briefing_on": "2025-06-18",
    "stable_channels": True,
    "notes": "ICP certified by external counsel",
}


def test_exporter_replaces_its_profile_and_the_change_is_audited(client, session, world):
    url = f"/api/v1/organisations/{world.org.id}/compliance-profile"
    r = client.put(url, json=PROFILE, headers=world.headers["exporter"])
    assert r.status_code == 200, r.text
    assert {k: r.json()[k] for k in PROFILE} == PROFILE
    [ev] = events(session, "compliance_profile.updated")
    assert ev.stream == f"organisation:{world.org.id}"
    assert ev.before["export_experience_years"] == 5 and ev.after["export_experience_years"] == 12
    assert ev.before["icp_established_on"] is None and ev.after["icp_established_on"] == "2019-03-01"
    assert "has_icp" not in ev.after  # was already true: only changes are recorded
    assert client.get(url, headers=world.headers["auditor"]).json() == r.json()
    # PUT replaces: leaving the dates out clears them
    r = client.put(url, json={k: v for k, v in PROFILE.items() if not k.endswith("_on")}, headers=world.headers["exporter"])
    assert r.json()["icp_established_on"] is None and r.json()["last_briefing_on"] is None


@pytest.mark.parametrize(
    "change,needle",
    [
        ({"icp_last_audit_on": FUTURE}, "in the future"),
        ({"decided_on": "2020-01-01"}, "decided_on"),
        ({"export_experience_years": 101}, "export_experience_years"),
        ({"export_experience_years": -1}, "export_experience_years"),
        ({"briefings_attended": 0}, "last_briefing_on is set but briefings_attended is 0"),
        ({"icp_established_on": "2025-03-01", "icp_last_audit_on": "2024-01-01"}, "before icp_established_on"),
        ({"has_icp": None}, "has_icp"),
        ({"last_briefing_on": "18/06/2025"}, "last_briefing_on"),
    ],
    ids=["future", "extra", "too-many-years", "negative-years", "briefing-without-count", "audit-before-icp", "null", "bad-date"],
)
def test_bad_profile_is_422_and_writes_nothing(client, session, world, change, needle):
    before = counts(session)
    r = client.put(f"/api/v1/organisations/{world.org.id}/compliance-profile", json={**PROFILE, **change},
                   headers=world.headers["exporter"])
    assert_problem(r, 422, needle)
    assert counts(session) == before
    profile = client.get(f"/api/v1/organisations/{world.org.id}/compliance-profile", headers=world.headers["exporter"]).json()
    assert profile["export_experience_years"] == 5 and profile["icp_established_on"] is None


def test_missing_profile_field_is_422(client, world):
    body = {k: v for k, v in PROFILE.items() if k != "stable_channels"}
    assert_problem(client.put(f"/api/v1/organisations/{world.org.id}/compliance-profile", json=body,
                              headers=world.headers["exporter"]), 422, "stable_channels")


# --- violations ----------------------------------------------------------------------------


def test_admin_records_violation_shown_with_the_organisation_and_audited(client, session, world):
    body = {"kind": "serious_administrative", "decided_on": "2022-05-04", "description": " export beyond licence ",
            "legal_ref": "ECL Art. 34"}
    r = client.post(f"/api/v1/organisations/{world.org.id}/violations", json=body, headers=world.headers["admin"])
    assert r.status_code == 201, r.text
    v = r.json()
    assert v["kind"] == "serious_administrative" and v["description"] == "export beyond licence" and v["org_id"] == world.org.id
    [ev] = events(session, "violation.recorded")
    assert ev.stream == f"organisation:{world.org.id}" and ev.before is None
    assert ev.after == {"violation_id": v["id"], "kind": "serious_administrative", "decided_on": "2022-05-04",
                        "description": "export beyond licence", "legal_ref": "ECL Art. 34"}
    # the exporter sees its own record, on the organisation and in the list
    org = client.get(f"/api/v1/organisations/{world.org.id}", headers=world.headers["exporter"]).json()
    assert org["violations"] == [v]
    assert client.get(f"/api/v1/organisations/{world.org.id}/violations", headers=world.headers["exporter"]).json() == [v]
    assert client.get(f"/api/v1/organisations/{world.other.id}/violations", headers=world.headers["admin"]).json() == []


@pytest.mark.parametrize(
    "change,needle",
    [
        ({"kind": "minor"}, "kind"),
        ({"decided_on": FUTURE}, "in the future"),
        ({"description": "   "}, "description"),
        ({"penalty_rmb": 500000}, "penalty_rmb"),
    ],
    ids=["bad-kind", "future", "blank-description", "extra"],
)
def test_bad_violation_is_422_and_writes_nothing(client, session, world, change, needle):
    before = counts(session)
    body = {"kind": "administrative", "decided_on": "2021-01-01", "description": "late report", **change}
    r = client.post(f"/api/v1/organisations/{world.org.id}/violations", json=body, headers=world.headers["admin"])
    assert_problem(r, 422, needle)
    assert counts(session) == before


def test_violation_for_missing_organisation_is_404_and_writes_nothing(client, session, world):
    before = counts(session)
    body = {"kind": "administrative", "decided_on": "2021-01-01", "description": "late report"}
    assert_problem(client.post("/api/v1/organisations/424242/violations", json=body, headers=world.headers["admin"]), 404)
    assert counts(session) == before
