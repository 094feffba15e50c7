"""Licence determination from the pack alone (no exporter named): both sides of every date."""

from __future__ import annotations

import pytest

from rarex.core.errors import InvalidInput
from rarex.determination.schemas import DetermineIn
from rarex.determination.service import determine
from rarex.policy.service import get_pack

DY_OXIDE = {"element": "Dy", "form": "oxide"}


def run(**kw):
    return determine(get_pack(), DetermineIn(**kw))


def types(d) -> dict:
    return {t.type: t.available for t in d.licence_types}


def test_every_licence_type_of_the_pack_is_answered():
    d = run(**DY_OXIDE, destination="DE", end_user_category="civil", end_use_category="civil", on="2026-01-06")
    assert [t.type for t in d.licence_types] == list(get_pack().licence_types)
    assert all(t.reasons for t in d.licence_types)


@pytest.mark.parametrize("user, use", [("military", None), ("military_capability", None), ("civil", "military"),
                                       ("civil", "military_capability")])
def test_japanese_military_end_user_or_use_both_sides_of_2026_01_06(user, use):
    before = run(**DY_OXIDE, destination="JP", end_user_category=user, end_use_category=use, on="2026-01-05")
    assert before.licence_required is True and before.prohibited is False
    assert types(before)["individual"] is True
    after = run(**DY_OXIDE, destination="JP", end_user_category=user, end_use_category=use, on="2026-01-06")
    assert after.licence_required is True and after.prohibited is True
    assert set(types(after).values()) == {False}
    assert any(r.legal_ref == "MOFCOM Ann. 2026 No. 1" and r.rule.startswith("prohibited:") for r in after.reasons)


def test_civil_japanese_end_user_needs_the_usual_licence():
    d = run(**DY_OXIDE, destination="JP", end_user_category="civil", end_use_category="civil",
            end_use="motors for household appliances", on="2026-01-06")
    assert d.licence_required is True and d.prohibited is False
    assert types(d) == {"individual": True, "general": None, "registration_voucher": None}
    assert any(r.rule.startswith("not covered") and r.legal_ref == "MOFCOM Ann. 2026 No. 1" for r in d.reasons)
    assert d.query["end_use"] == "motors for household appliances"


def test_an_unknown_end_use_to_japan_is_not_read_as_civil():
    d = run(**DY_OXIDE, destination="JP", end_user_category="civil", on="2026-01-06")
    assert d.prohibited is None and types(d)["individual"] is None
    assert any("end use's (given: unknown) category, which is not known" in r.rule for r in d.reasons)
    assert run(**DY_OXIDE, destination="JP", end_user_category="civil", on="2026-01-05").prohibited is False


def test_other_destinations_are_not_covered():
    d = run(**DY_OXIDE, destination="DEU", end_user_category="military", on="2026-01-06")
    assert d.prohibited is False and d.licence_required is True and d.query["destination"] == "DE"


def test_an_uncontrolled_item_needs_no_licence():
    d = run(element="Nd", form="oxide", destination="JP", end_user_category="civil", end_use_category="civil",
            on="2026-01-06")
    assert d.licence_required is False and d.prohibited is False
    assert set(types(d).values()) == {False}
    assert any(r.legal_ref == "ECL Art. 12 para. 3; DUR Art. 14 para. 3" for r in d.reasons)


def test_the_catch_all_for_a_wmd_end_use():
    d = run(element="Nd", form="oxide", destination="DE", end_user_category="civil", end_use_category="wmd",
            on="2026-01-06")
    assert d.licence_required is True and types(d)["individual"] is True


def test_an_undecided_customs_code_is_neither_yes_nor_no():
    d = run(hs_code="8505111000", destination="DE", end_user_category="civil", end_use_category="civil", on="2026-01-06")
    assert d.licence_required is None and d.prohibited is False
    assert types(d)["individual"] is True  # open, if a licence is needed at all
    individual = next(t for t in d.licence_types if t.type == "individual")
    assert any("if a licence is needed at all" in r for r in individual.reasons)
    assert {r.rule.split(" ")[2] for r in d.reasons if r.rule.startswith("may be")} == {"1C902.a", "1C904.a", "1C905.a"}


def test_an_undecided_code_to_a_japanese_military_user_may_be_prohibited():
    d = run(hs_code="8505111000", destination="JP", end_user_category="military", on="2026-01-06")
    assert d.licence_required is None and d.prohibited is None
    assert any(r.rule.startswith("prohibited if the item is one of the candidates") for r in d.reasons)


def test_prohibited_technology_whatever_the_destination_and_the_no70_suspension():
    for on in ("2023-12-21", "2026-01-15", "2026-11-11"):
        d = run(description="NdFeB magnet manufacturing technology", destination="DE", end_user_category="civil",
                end_use_category="civil", on=on)
        assert d.prohibited is True and set(types(d).values()) == {False}, on
    d = run(description="NdFeB magnet manufacturing technology", destination="DE", end_user_category="civil",
            end_use_category="civil", on="2023-12-20")
    assert d.prohibited is False and d.licence_required is False


def test_restricted_technology_needs_the_catalogue_licence_not_a_dual_use_type():
    d = run(description="rare-earth mining technology", destination="DE", end_user_category="civil",
            end_use_category="civil", on="2026-01-15")
    assert d.licence_required is True and d.prohibited is False
    assert set(types(d).values()) == {False}
    assert all("technology-export licence" in t.reasons[0] for t in d.licence_types)


def test_registration_only_for_its_cases():
    base = dict(**DY_OXIDE, destination="DE", end_user_category="civil", end_use_category="civil", on="2026-01-06")
    assert types(run(**base))["registration_voucher"] is None
    reg = next(t for t in run(**base).licence_types if t.type == "registration_voucher")
    assert any("DUR Art. 19" in r for r in reg.reasons)
    with_case = next(t for t in run(**base, registration_case="repair_test_inbound").licence_types
                     if t.type == "registration_voucher")
    assert with_case.available is None  # the case fits; the exporter's Art. 20 exclusions still decide
    assert any("the shipment is the case" in r for r in with_case.reasons)


@pytest.mark.parametrize("kw, message", [
    ({"destination": "XX", "end_user_category": "civil"}, "destination 'XX' is not an ISO 3166-1"),
    ({"destination": "JP", "end_user_category": "pirate"}, "unknown end user category 'pirate'"),
    ({"destination": "JP", "end_user_category": "civil", "end_use_category": "fun"}, "unknown end use category 'fun'"),
    ({"destination": "JP", "end_user_category": "civil", "registration_case": "x"}, "unknown registration case 'x'"),
])
def test_bad_input(kw, message):
    with pytest.raises(InvalidInput, match=message):
        run(**DY_OXIDE, **kw)


def test_caveat_after_the_review_date():
    base = dict(**DY_OXIDE, destination="DE", end_user_category="civil", end_use_category="civil")
    assert run(**base, on="2026-04-01").caveat is None
    assert "2026-04-01" in run(**base, on="2026-04-02").caveat
