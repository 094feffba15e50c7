"""Licence types, validity, documents and deadlines as the pack states them."""

from __future__ import annotations

import datetime as dt

import pytest

D = dt.date.fromisoformat


def test_individual_licence(pack):
    t = pack.licence_types["individual"]
    assert (t.max_validity_months, t.default_validity_months, t.max_end_users) == (12, 12, 1)
    assert t.repeated_exports is False and t.ends_when_used is True and t.legal_ref == "DUR Art. 15"
    assert t.valid_to(D("2026-03-15")) == D("2027-03-14")
    with pytest.raises(ValueError, match="at most 12 months"):
        t.valid_to(D("2026-03-15"), 13)


def test_general_licence(pack):
    t = pack.licence_types["general"]
    assert (t.max_validity_months, t.default_validity_months, t.max_end_users) == (36, 12, None)
    assert t.repeated_exports is True
    assert t.valid_to(D("2025-12-02")) == D("2026-12-01")
    assert t.valid_to(D("2025-12-02"), 36) == D("2028-12-01")
    with pytest.raises(ValueError):
        t.valid_to(D("2025-12-02"), 37)
    assert [c.code for c in pack.eligibility("general")] == [
        "internal_compliance_system", "export_record", "stable_channels_and_end_users",
    ]
    excl = {c.code: c for c in pack.exclusions("general")}
    assert excl["serious_administrative_penalty"].lookback_years == 5
    assert excl["watch_list_party"].subject == "party"
    assert all(c.legal_ref for c in excl.values())


@pytest.mark.parametrize(
    "start, months, end",
    [("2026-01-31", 1, "2026-02-28"), ("2024-02-29", 12, "2025-02-28"), ("2026-03-01", 1, "2026-03-31"), ("2026-01-01", 12, "2026-12-31")],
)
def test_validity_ends_the_day_before_the_same_day(pack, start, months, end):
    assert pack.licence_types["general"].valid_to(D(start), months) == D(end)


def test_registration_voucher_is_per_shipment(pack):
    t = pack.licence_types["registration_voucher"]
    assert t.per_shipment and t.max_validity_months is None
    assert len(t.cases) == 6 and all(c.legal_ref.startswith("DUR Art. 19") for c in t.cases.values())
    assert {c.code for c in pack.exclusions("registration_voucher")} >= {"criminal_penalty", "watch_list_party"}
    with pytest.raises(ValueError):
        t.valid_to(D("2026-01-01"))


def test_required_documents(pack):
    base = ["identity_documents", "contract", "technical_description", "end_user_certificate", "end_use_certificate"]
    assert pack.required_documents("individual") == base
    assert pack.required_documents("general") == base + [
        "compliance_statement", "licence_use_statement", "export_channels_statement",
    ]
    assert all(pack.document_types[c].legal_ref for c in pack.required_documents("general"))
    with pytest.raises(KeyError):
        pack.required_documents("global")


def test_deadlines(pack):
    d = pack.deadlines
    assert d.decision_working_days == 45 and d.decision.legal_ref == "DUR Art. 17 para. 1"
    assert d.amendment_working_days == 20 and d.amendment.legal_ref == "DUR Art. 18 para. 3"
    # only the three DUR Art. 17 para. 3 stops: a request for information is not one (FACTS 1.6)
    assert set(d.clock_stop_kinds) == {"technical_identification", "expert_opinion", "on_site_check"}
    assert {k.legal_ref for k in d.clock_stop_kinds.values()} == {"DUR Art. 17 para. 3"}
    assert d.amendment.counted_from == "acceptance" and "counted_from" not in d.amendment.field_confidence
    acc = d.acceptance
    assert (acc.working_days, acc.counted_from, acc.deemed_accepted_on) == (5, "receipt", "receipt")
    assert acc.legal_ref.startswith("Administrative Licensing Law Art. 32") and "Art. 82" in acc.legal_ref
    assert all(k.label_en and k.label_zh and k.legal_ref for k in d.clock_stop_kinds.values())
    assert d.no_deadline_cases["state_council_referral"].legal_ref == "DUR Art. 17 para. 2"
    assert d.no_deadline_cases["watch_list_party"].legal_ref == "DUR Art. 26 para. 2"


def test_suspension_is_an_amendment_record(pack):
    (a,) = pack.amendments
    assert a.suspends_announcements == ["2025-55", "2025-56", "2025-57", "2025-58", "2025-61", "2025-62"]
    assert (a.from_, a.until, a.until_inclusive) == (D("2025-11-07"), D("2026-11-10"), True)
    assert a.field_confidence["until"] == "unconfirmed"
