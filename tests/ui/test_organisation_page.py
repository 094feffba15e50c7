"""The organisation and compliance profile page: an exporter reads its own and changes its
contacts and profile; reviewers open any; another exporter's is not found; eligibility says what
it lacks and why in the reader's language."""

from __future__ import annotations

import datetime as dt

import pytest

from rarex.core.authz import Role
from rarex.parties.models import ComplianceProfile, Organisation, Violation
from tests.chinese import assert_chinese
from tests.factories import make_org, make_user
from tests.ui.helpers import HTML, csrf_of, post_form, sign_in


@pytest.fixture
def orgs(session):
    org = make_org(session, name="Baotou Page Magnetics Co., Ltd.", has_icp=False, export_experience_years=1,
                   stable_channels=True, foreign_control_list_affiliate=False)
    other = make_org(session, name="Ganzhou Page Other Co., Ltd.")
    session.add(Violation(org_id=org.id, kind="administrative", decided_on=dt.date.today() - dt.timedelta(days=400),
                          description="late usage report", legal_ref="ECL Art. 39"))
    for role, name, o in [(Role.exporter, "exp", org), (Role.exporter, "exp_b", other), (Role.officer, "off", None),
                          (Role.auditor, "aud", None), (Role.customs, "cus", None)]:
        make_user(session, role, o, name)
    session.commit()
    return org, other


def test_the_exporter_reads_its_own_organisation_with_what_eligibility_lacks(client, orgs):
    org, _ = orgs
    sign_in(client, "exp")
    page = client.get("/organisation", headers=HTML)
    assert page.status_code == 200
    text = page.text
    assert "Baotou Page Magnetics" in text and org.uscc in text
    assert 'data-testid="condition-internal_compliance_system"' in text and "Not met" in text
    assert "What eligibility lacks, and why" in text and "internal export-control compliance system" in text
    assert "late usage report" in text and "Administrative penalty" in text
    assert "Stated, not verified" not in text and "tag-active\">Verified" in text  # make_org verifies the facts
    assert 'data-testid="edit-profile"' in text and 'data-testid="edit-contact"' in text


def test_the_page_in_chinese_shows_the_services_chinese_reasons(client, orgs):
    sign_in(client, "exp")
    text = client.get("/organisation", params={"lang": "zh"}, headers=HTML).text
    assert "合规档案未记载出口管制内部合规制度" in text and "不符合通用许可的条件" in text
    assert '<span lang="en">' not in text
    assert "the compliance profile records" not in text
    assert "组织与合规档案" in text


def test_the_exporter_changes_its_contacts_and_a_bad_email_stays_beside_the_field(client, orgs, session):
    org, _ = orgs
    sign_in(client, "exp")
    bad = post_form(client, f"/organisations/{org.id}/contact", "/organisation", address="1 Rare Earth Road",
                    contact_name="Li Wei", contact_email="not-an-address", contact_phone="")
    assert bad.status_code == 400 and 'id="contact_email-error"' in bad.text and 'value="not-an-address"' in bad.text
    assert 'value="1 Rare Earth Road"' in bad.text
    ok = post_form(client, f"/organisations/{org.id}/contact", "/organisation", address="1 Rare Earth Road",
                   contact_name="Li Wei", contact_email="li.wei@example.com", contact_phone="+86 472 000 0000")
    assert ok.status_code == 303 and ok.headers["location"] == "/organisation?done=contact"
    session.expire_all()
    assert session.get(Organisation, org.id).contact_email == "li.wei@example.com"


def test_the_exporter_states_its_profile_and_eligibility_follows(client, orgs, session):
    org, _ = orgs
    sign_in(client, "exp")
    form = dict(has_icp="yes", icp_established_on="2020-01-01", icp_last_audit_on="2019-01-01",
                export_experience_years="6", stable_channels="yes", foreign_control_list_affiliate="no",
                briefings_attended="2", last_briefing_on="2024-05-01", notes="")
    bad = post_form(client, f"/organisations/{org.id}/profile", "/organisation", **form)
    assert bad.status_code == 400 and 'id="icp_last_audit_on-error"' in bad.text and 'value="2019-01-01"' in bad.text
    typo = post_form(client, f"/organisations/{org.id}/profile", "/organisation", **{**form, "export_experience_years": "six"})
    assert typo.status_code == 400 and 'id="export_experience_years-error"' in typo.text and 'value="six"' in typo.text
    session.expire_all()
    assert session.get(ComplianceProfile, org.id).has_icp is False  # nothing was changed
    audit = (dt.date.today() - dt.timedelta(days=60)).isoformat()
    ok = post_form(client, f"/organisations/{org.id}/profile", "/organisation", **{**form, "icp_last_audit_on": audit})
    assert ok.status_code == 303
    session.expire_all()
    profile = session.get(ComplianceProfile, org.id)
    assert profile.has_icp is True and profile.export_experience_years == 6
    text = client.get("/organisation", headers=HTML).text
    assert "Stated, not verified" in text and "no officer has verified" in text


def test_another_exporters_organisation_is_not_found_and_its_forms_refused(client, orgs, session):
    org, other = orgs
    sign_in(client, "exp")
    assert client.get(f"/organisations/{other.id}", headers=HTML).status_code == 404
    page = client.get("/organisation", headers=HTML)
    r = client.post(f"/organisations/{other.id}/contact", headers=HTML, follow_redirects=False,
                    data={"csrf_token": csrf_of(page.text), "address": "taken over", "contact_name": "", "contact_email": "",
                          "contact_phone": ""})
    assert r.status_code == 404
    session.expire_all()
    assert session.get(Organisation, other.id).address != "taken over"


def test_a_missing_or_forged_token_is_refused(client, orgs, session):
    org, _ = orgs
    sign_in(client, "exp")
    for token in (None, "forged"):
        data = {"address": "forged road", "contact_name": "", "contact_email": "", "contact_phone": ""}
        if token:
            data["csrf_token"] = token
        r = client.post(f"/organisations/{org.id}/contact", data=data, headers=HTML, follow_redirects=False)
        assert r.status_code == 403
    session.expire_all()
    assert session.get(Organisation, org.id).address != "forged road"


@pytest.mark.parametrize("user", ["off", "aud"])
def test_reviewers_open_any_organisation_but_change_nothing(client, orgs, user):
    org, other = orgs
    sign_in(client, user)
    listing = client.get("/organisation", headers=HTML, follow_redirects=True)
    assert listing.status_code == 200 and f"/organisations/{org.id}" in listing.text and f"/organisations/{other.id}" in listing.text
    page = client.get(f"/organisations/{org.id}", headers=HTML)
    assert page.status_code == 200 and 'data-testid="conditions"' in page.text
    assert 'data-testid="edit-profile"' not in page.text
    csv = client.get("/organisations", params={"format": "csv"})
    assert csv.headers["content-type"].startswith("text/csv") and org.uscc in csv.text


def test_customs_has_no_organisation_page(client, orgs):
    org, _ = orgs
    sign_in(client, "cus")
    assert client.get(f"/organisations/{org.id}", headers=HTML).status_code == 403


def test_every_reason_on_the_chinese_page_is_the_services_chinese(client, orgs, session):
    from markupsafe import escape

    from rarex.eligibility.service import evaluate, today
    from rarex.policy.service import get_pack

    org, _ = orgs
    sign_in(client, "exp")
    text = client.get("/organisation", params={"lang": "zh"}, headers=HTML).text
    result = evaluate(session, session.get(Organisation, org.id), "general", today(get_pack()))
    for c in result.conditions:
        assert_chinese(c.reason_zh)
        assert str(escape(c.reason_zh)) in text and str(escape(c.reason)) not in text
        assert c.label_zh in text


def test_an_officer_verifies_the_facts_as_shown_and_a_change_meanwhile_verifies_nothing(client, orgs, session):
    org, _ = orgs
    sign_in(client, "exp")
    assert post_form(client, f"/organisations/{org.id}/profile", "/organisation", has_icp="yes", icp_established_on="",
                     icp_last_audit_on="", export_experience_years="6", stable_channels="yes",
                     foreign_control_list_affiliate="no", briefings_attended="0", last_briefing_on="",
                     notes="").status_code == 303
    client.cookies.clear()
    sign_in(client, "off")
    page = client.get(f"/organisations/{org.id}", headers=HTML).text
    assert 'data-testid="verify-profile"' in page and "Stated, not verified" in page
    # the exporter changes a fact after the officer read the page
    profile = session.get(ComplianceProfile, org.id)
    profile.export_experience_years = 7
    session.commit()
    stale = client.post(f"/organisations/{org.id}/verify", headers=HTML, follow_redirects=False,
                        data={"csrf_token": csrf_of(page), "checked": page.split('name="checked" value="')[1].split('"')[0]
                              .replace("&#34;", '"'), "note": "audit report 2026"})
    assert stale.status_code == 409 and 'id="note-error"' in stale.text and "audit report 2026" in stale.text
    session.expire_all()
    assert session.get(ComplianceProfile, org.id).verified_at is None
    fresh = client.get(f"/organisations/{org.id}", headers=HTML).text
    ok = client.post(f"/organisations/{org.id}/verify", headers=HTML, follow_redirects=False,
                     data={"csrf_token": csrf_of(fresh), "checked": fresh.split('name="checked" value="')[1].split('"')[0]
                           .replace("&#34;", '"'), "note": "audit report 2026"})
    assert ok.status_code == 303
    session.expire_all()
    verified = session.get(ComplianceProfile, org.id)
    assert verified.verified_at is not None and verified.unverified == []


def test_an_exporter_cannot_verify_its_own_profile(client, orgs):
    org, _ = orgs
    sign_in(client, "exp")
    page = client.get("/organisation", headers=HTML).text
    assert 'data-testid="verify-profile"' not in page
    r = client.post(f"/organisations/{org.id}/verify", headers=HTML, follow_redirects=False,
                    data={"csrf_token": csrf_of(page), "checked": "{}", "note": "self"})
    assert r.status_code == 403
