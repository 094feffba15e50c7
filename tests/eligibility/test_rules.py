"""The general licence's conditions, each met and not met, judged against profiles and violations
as of a date; thresholds come from the pack, and unevaluable conditions say why."""

from __future__ import annotations

import datetime as dt

import pytest

from rarex.eligibility import service
from rarex.eligibility.schemas import ConditionStatus as C
from rarex.eligibility.schemas import Overall
from rarex.parties.models import Violation
from rarex.policy.service import get_pack
from tests.factories import make_org, make_party
from tests.screening.helpers import make_list

ON = dt.date(2026, 3, 10)
GOOD = dict(has_icp=True, icp_established_on=dt.date(2020, 1, 1), icp_last_audit_on=dt.date(2025, 9, 1),
            export_experience_years=6, stable_channels=True, foreign_control_list_affiliate=False)


def org_with(session, **profile):
    return make_org(session, **{**GOOD, **profile})


def violation(session, org, kind: str, decided_on: dt.date, description: str = "export without licence") -> Violation:
    v = Violation(org_id=org.id, kind=kind, decided_on=decided_on, description=description, legal_ref="ECL Art. 34")
    session.add(v)
    session.flush()
    return v


def judge(session, org, on=ON, licence_type="general", pack=None, parties=None):
    session.expire_all()
    return service.evaluate(session, org, licence_type, on, pack=pack, parties=parties)


def cond(result, code):
    return next(c for c in result.conditions if c.code == code)


def pack_with(condition: str | None = None, licence_type: str = "general", **changes):
    """The shipped pack with one condition's fields or one licence type's fields changed."""
    pack = get_pack()
    if condition:
        conds = {**pack.conditions, condition: pack.conditions[condition].model_copy(update=changes)}
        return pack.model_copy(update={"conditions": conds})
    types = {**pack.licence_types, licence_type: pack.licence_types[licence_type].model_copy(update=changes)}
    return pack.model_copy(update={"licence_types": types})


# --- the shape of the answer -------------------------------------------------------------------


def test_every_condition_of_the_pack_has_an_evaluator_and_its_thresholds():
    pack = get_pack()
    assert set(pack.conditions) <= set(service.EVALUATORS)
    assert pack.conditions["serious_administrative_penalty"].lookback_years == 5
    assert pack.conditions["internal_compliance_system"].max_audit_age_months == 12
    assert pack.conditions["internal_compliance_system"].field_confidence["max_audit_age_months"] == "unconfirmed"
    assert pack.conditions["export_record"].min_export_years == 1


def test_a_clean_exporter_is_eligible_pending_review_of_what_only_the_authority_can_judge(session):
    r = judge(session, org_with(session))
    assert r.status == Overall.pending_review and r.failing == []
    assert r.needs_review == ["mofcom_other_exclusion", "watch_list_party", "control_list_party"]
    assert [c.code for c in r.conditions] == [
        "internal_compliance_system", "export_record", "stable_channels_and_end_users", "criminal_penalty",
        "serious_administrative_penalty", "foreign_control_list_affiliate", "mofcom_other_exclusion", "watch_list_party", "control_list_party"]
    assert {c.code: c.status for c in r.conditions if c.code not in r.needs_review} == dict.fromkeys(
        ["internal_compliance_system", "export_record", "stable_channels_and_end_users", "criminal_penalty",
         "serious_administrative_penalty", "foreign_control_list_affiliate"], C.met)
    for c in r.conditions:
        assert c.legal_ref and c.reason and c.label_zh
    assert cond(r, "mofcom_other_exclusion").legal_ref == "DUR Art. 20 (4)"
    assert "MOFCOM" in cond(r, "mofcom_other_exclusion").reason
    watch = cond(r, "watch_list_party")
    assert watch.status == C.cannot_evaluate and "screened against the watch list" in watch.reason
    assert "pending officer review" in r.summary


def test_without_the_unevaluable_exclusions_a_clean_exporter_is_eligible(session):
    pack = pack_with(exclusions=["criminal_penalty", "serious_administrative_penalty", "foreign_control_list_affiliate"])
    r = judge(session, org_with(session), pack=pack)
    assert r.status == Overall.eligible and r.failing == r.needs_review == []
    assert "all 6 conditions are met" in r.summary


def test_a_licence_type_without_conditions_is_simply_eligible(session):
    r = judge(session, make_org(session, has_icp=False, export_experience_years=0), licence_type="individual")
    assert r.status == Overall.eligible and r.conditions == []


def test_failing_conditions_are_named_and_beat_review(session):
    org = org_with(session, has_icp=False, stable_channels=False)
    r = judge(session, org)
    assert r.status == Overall.not_eligible
    assert r.failing == ["internal_compliance_system", "stable_channels_and_end_users"]
    assert "not eligible" in r.summary and "DUR Art. 16 para. 2 (1)" in r.summary and "DUR Art. 16 para. 2 (3)" in r.summary


def test_unknown_licence_type_is_invalid_input(session):
    from rarex.core.errors import InvalidInput

    with pytest.raises(InvalidInput, match="unknown licence type"):
        judge(session, org_with(session), licence_type="golden")


# --- internal compliance system ----------------------------------------------------------------


def test_icp_missing_fails(session):
    c = cond(judge(session, org_with(session, has_icp=False)), "internal_compliance_system")
    assert c.status == C.not_met and "no internal export-control compliance system" in c.reason
    assert c.legal_ref == "DUR Art. 16 para. 2 (1); ECL Art. 14"


def test_icp_established_after_the_date_fails(session):
    c = cond(judge(session, org_with(session, icp_established_on=dt.date(2026, 4, 1), icp_last_audit_on=None)),
             "internal_compliance_system")
    assert c.status == C.not_met and "2026-04-01" in c.reason


def test_icp_audit_within_the_packs_age_is_met_up_to_the_corresponding_day(session):
    # 12 months after 2025-03-10 ends on 2026-03-10: still met on that day, review the next.
    org = org_with(session, icp_last_audit_on=dt.date(2025, 3, 10))
    c = cond(judge(session, org, on=dt.date(2026, 3, 10)), "internal_compliance_system")
    assert c.status == C.met and c.thresholds == {"max_audit_age_months": 12}
    c = cond(judge(session, org, on=dt.date(2026, 3, 11)), "internal_compliance_system")
    assert c.status == C.cannot_evaluate
    assert "more than 12 months" in c.reason and "2026-03-10" in c.reason and "officer" in c.reason


def test_icp_without_audit_goes_to_an_officer_not_a_refusal(session):
    r = judge(session, org_with(session, icp_last_audit_on=None))
    c = cond(r, "internal_compliance_system")
    assert c.status == C.cannot_evaluate and "no audit" in c.reason
    assert r.status == Overall.pending_review and "internal_compliance_system" in r.needs_review


def test_icp_audit_age_is_read_from_the_pack(session):
    org = org_with(session, icp_last_audit_on=dt.date(2024, 6, 1))
    assert cond(judge(session, org), "internal_compliance_system").status == C.cannot_evaluate
    pack = pack_with("internal_compliance_system", max_audit_age_months=24)
    assert cond(judge(session, org, pack=pack), "internal_compliance_system").status == C.met


# --- export record, stable channels ----------------------------------------------------------


def test_export_record(session):
    c = cond(judge(session, org_with(session, export_experience_years=0)), "export_record")
    assert c.status == C.not_met and "0 year(s)" in c.reason and "individual licences" in c.reason
    c = cond(judge(session, org_with(session, export_experience_years=1)), "export_record")
    assert c.status == C.met and c.thresholds == {"min_export_years": 1}
    pack = pack_with("export_record", min_export_years=3)
    assert cond(judge(session, org_with(session, export_experience_years=2), pack=pack), "export_record").status == C.not_met


def test_stable_channels(session):
    c = cond(judge(session, org_with(session, stable_channels=False)), "stable_channels_and_end_users")
    assert c.status == C.not_met and "stable_channels" in c.reason
    assert cond(judge(session, org_with(session)), "stable_channels_and_end_users").status == C.met


# --- exclusions --------------------------------------------------------------------------------


@pytest.mark.parametrize("decided_on", [dt.date(1998, 5, 4), dt.date(2021, 3, 10), dt.date(2026, 3, 10)])
def test_a_criminal_penalty_excludes_at_any_age(session, decided_on):
    org = org_with(session)
    violation(session, org, "criminal", decided_on)
    r = judge(session, org)
    c = cond(r, "criminal_penalty")
    assert c.status == C.not_met and str(decided_on) in c.reason and "whatever its age" in c.reason
    assert r.status == Overall.not_eligible and r.failing == ["criminal_penalty"]
    assert c.evidence["criminal_penalties"][0]["decided_on"] == decided_on


def test_no_criminal_penalty_is_met(session):
    org = org_with(session)
    violation(session, org, "administrative", dt.date(2025, 1, 1))
    c = cond(judge(session, org), "criminal_penalty")
    assert c.status == C.met and "responsible managers" in c.reason


def test_a_penalty_decided_after_the_date_is_not_yet_known(session):
    org = org_with(session)
    violation(session, org, "criminal", dt.date(2026, 3, 11))
    assert cond(judge(session, org), "criminal_penalty").status == C.met
    assert cond(judge(session, org, on=dt.date(2026, 3, 11)), "criminal_penalty").status == C.not_met


@pytest.mark.parametrize("on,status", [
    (dt.date(2025, 6, 14), C.not_met),
    (dt.date(2025, 6, 15), C.not_met),  # the corresponding day ends the five years (Civil Code Art. 202)
    (dt.date(2025, 6, 16), C.met),
    (dt.date(2026, 3, 10), C.met),
])
def test_serious_administrative_penalty_both_sides_of_five_years(session, on, status):
    org = org_with(session, icp_last_audit_on=None)
    violation(session, org, "serious_administrative", dt.date(2020, 6, 15))
    c = cond(judge(session, org, on=on), "serious_administrative_penalty")
    assert c.status == status, c.reason
    assert c.thresholds == {"lookback_years": 5} and c.legal_ref == "DUR Art. 20 (2)"
    if status == C.not_met:
        assert "2020-06-15" in c.reason and "from 2025-06-16 this condition is met" in c.reason
        assert c.evidence["excluded_through"] == dt.date(2025, 6, 15)
    else:
        assert "no longer count" in c.reason


def test_lookback_from_a_leap_day_ends_on_the_last_day_of_february(session):
    org = org_with(session)
    violation(session, org, "serious_administrative", dt.date(2020, 2, 29))
    assert cond(judge(session, org, on=dt.date(2025, 2, 28)), "serious_administrative_penalty").status == C.not_met
    assert cond(judge(session, org, on=dt.date(2025, 3, 1)), "serious_administrative_penalty").status == C.met


def test_lookback_is_read_from_the_pack(session):
    org = org_with(session)
    violation(session, org, "serious_administrative", dt.date(2022, 1, 10))
    assert cond(judge(session, org), "serious_administrative_penalty").status == C.not_met
    pack = pack_with("serious_administrative_penalty", lookback_years=3)
    c = cond(judge(session, org, pack=pack), "serious_administrative_penalty")
    assert c.status == C.met and c.thresholds == {"lookback_years": 3} and "within 3 years" in c.reason


def test_ordinary_administrative_penalties_do_not_exclude_but_are_mentioned(session):
    org = org_with(session)
    violation(session, org, "administrative", dt.date(2025, 11, 1), "late report")
    c = cond(judge(session, org), "serious_administrative_penalty")
    assert c.status == C.met and "1 ordinary administrative penalty" in c.reason and "ECL Art. 39" in c.reason


def test_lookback_counts_from_today_in_the_packs_time_zone(session, monkeypatch):
    """At 01:00 in Beijing on 2025-06-16 (17:00 UTC the day before) the five years are over."""
    org = org_with(session)
    violation(session, org, "serious_administrative", dt.date(2020, 6, 15))
    monkeypatch.setattr(service, "utcnow", lambda: dt.datetime(2025, 6, 15, 17, 0, tzinfo=dt.UTC))
    assert service.today(get_pack()) == dt.date(2025, 6, 16)
    from rarex.core.authz import Principal

    r = service.eligibility(session, Principal.system(), org.id)
    assert r.on == dt.date(2025, 6, 16)
    assert cond(r, "serious_administrative_penalty").status == C.met
    monkeypatch.setattr(service, "utcnow", lambda: dt.datetime(2025, 6, 15, 15, 59, tzinfo=dt.UTC))
    assert cond(service.eligibility(session, Principal.system(), org.id), "serious_administrative_penalty").status == C.not_met


@pytest.mark.parametrize("value,status", [(None, C.cannot_evaluate), (True, C.not_met), (False, C.met)])
def test_foreign_control_list_affiliate(session, value, status):
    c = cond(judge(session, org_with(session, foreign_control_list_affiliate=value)), "foreign_control_list_affiliate")
    assert c.status == status and c.legal_ref == "DUR Art. 20 (3)"
    if value is None:
        assert "foreign_control_list_affiliate" in c.reason and "answer it" in c.reason
    if value:
        assert "individual licences" in c.reason


def test_without_a_watch_list_imported_the_officer_checks_the_parties(session):
    org = org_with(session)
    a, b = make_party(session, org, name="Nordmagnet AB", country="SE"), make_party(session, org, name="Kobe Motors KK", country="JP")
    c = cond(judge(session, org, parties=[("consignee", a), ("end_user", b)]), "watch_list_party")
    assert c.status == C.cannot_evaluate and "cn-watch-list" in c.reason
    assert "Nordmagnet AB (SE)" in c.reason and "Kobe Motors KK (JP)" in c.reason
    assert [p["party_id"] for p in c.evidence["parties"]] == [a.id, b.id]


WATCHED = {"id": "wl-1", "name": "Kobe Motors Kabushiki Kaisha", "countries": ["jp"]}


def test_parties_clear_of_the_watch_list_meet_the_condition(session):
    make_list(session, "cn-watch-list", [WATCHED], imported_at=dt.datetime(2025, 1, 2, tzinfo=dt.UTC))
    org = org_with(session)
    a = make_party(session, org, name="Nordmagnet AB", country="SE")
    c = cond(judge(session, org, parties=[("end_user", a)]), "watch_list_party")
    assert c.status == C.met and "cn-watch-list version 1" in c.reason
    assert c.evidence["list"] == "cn-watch-list"


def test_a_party_matching_the_watch_list_goes_to_the_officer(session):
    make_list(session, "cn-watch-list", [WATCHED], imported_at=dt.datetime(2025, 1, 2, tzinfo=dt.UTC))
    org = org_with(session)
    b = make_party(session, org, name="Kobe Motors KK", country="JP")
    r = judge(session, org, parties=[("end_user", b)])
    c = cond(r, "watch_list_party")
    assert c.status == C.cannot_evaluate and "Kobe Motors KK ~ Kobe Motors Kabushiki Kaisha (wl-1" in c.reason
    assert [h["entity_id"] for h in c.evidence["hits"]] == ["wl-1"] and "watch_list_party" in r.needs_review


def test_a_watch_list_imported_after_the_evaluation_date_is_not_read(session):
    make_list(session, "cn-watch-list", [WATCHED], imported_at=dt.datetime.combine(ON, dt.time(12), tzinfo=dt.UTC))
    org = org_with(session)
    b = make_party(session, org, name="Kobe Motors KK", country="JP")
    on_the_day = cond(judge(session, org, parties=[("end_user", b)]), "watch_list_party")
    day_before = cond(judge(session, org, on=ON - dt.timedelta(days=1), parties=[("end_user", b)]), "watch_list_party")
    assert "possible watch-list match" in on_the_day.reason
    assert "had been imported" in day_before.reason


def test_a_condition_without_an_evaluator_goes_to_an_officer(session, monkeypatch):
    monkeypatch.delitem(service.EVALUATORS, "stable_channels_and_end_users")
    c = cond(judge(session, org_with(session)), "stable_channels_and_end_users")
    assert c.status == C.cannot_evaluate and "no rule" in c.reason


def test_a_missing_threshold_goes_to_an_officer(session):
    pack = pack_with("serious_administrative_penalty", lookback_years=None)
    c = cond(judge(session, org_with(session), pack=pack), "serious_administrative_penalty")
    assert c.status == C.cannot_evaluate and "lookback_years" in c.reason
