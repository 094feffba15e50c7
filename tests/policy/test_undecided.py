"""Codes and words that do not decide: controlled is true, false or null (undetermined) with what decides."""

from __future__ import annotations

import datetime as dt

import pytest

from rarex.policy.classify import classify
from rarex.policy.loader import PackError, load_pack

D = dt.date.fromisoformat
ON = D("2026-01-15")  # No. 18 in force; No. 57 (1C909 Ho) suspended by No. 70


def cands(r) -> list[str]:
    return [c.code for c in r.candidates]


def out(r) -> dict[str, str]:
    return {x.code: x.reason for x in r.ruled_out}


@pytest.mark.parametrize("hs", ["8505111000", "8505.11", "850511"])
def test_heading_8505_11_alone_is_undetermined(pack, hs):
    r = classify(pack, on=ON, hs_code=hs)
    assert r.controlled is None and r.entries == []
    assert cands(r) == ["1C902.a", "1C904.a", "1C905.a"]
    assert all(c.decided_by == "composition" for c in r.candidates)
    assert {c.code: c.decides_en for c in r.candidates}["1C904.a"] == "it contains terbium, in any amount"
    (kind,) = r.goods_kinds
    assert kind.code == "rare_earth_permanent_magnets" and "composition" in kind.decides_en
    assert [e.code for e in r.not_in_force] == ["1C909.a"]  # Ho: a candidate once No. 57 applies again


def test_naming_ndfeb_rules_out_smco_but_not_tb_or_dy(pack):
    r = classify(pack, on=ON, hs_code="8505111000", description="sintered NdFeB magnet N52")
    assert r.controlled is None and cands(r) == ["1C904.a", "1C905.a"]
    assert out(r) == {"1C902.a": "the description names NdFeB"}
    assert any("Undetermined" in n and "What decides" in n for n in r.notes)


@pytest.mark.parametrize("description", [
    "NdFeB magnet, Tb- and Dy-free", "NdFeB magnet without Tb or Dy", "NdFeB magnet free of terbium and dysprosium",
    "不含铽和镝的钕铁硼磁体",
])
def test_a_description_ruling_every_candidate_out_is_not_controlled(pack, description):
    r = classify(pack, on=ON, hs_code="8505111000", description=description)
    assert r.controlled is False and r.candidates == [] and r.entries == []
    assert set(out(r)) == {"1C902.a", "1C904.a", "1C905.a"}
    assert any("not on the control list" in n for n in r.notes)


def test_the_same_description_is_undetermined_once_holmium_applies_again(pack):
    """Both sides of the No. 70 suspension's end: the Ho entry becomes a candidate again."""
    assert classify(pack, on=D("2026-11-10"), description="NdFeB magnet, Tb- and Dy-free").controlled is False
    after = classify(pack, on=D("2026-11-11"), description="NdFeB magnet, Tb- and Dy-free")
    assert after.controlled is None and cands(after) == ["1C909.a"]


@pytest.mark.parametrize("kwargs, code", [
    ({"hs_code": "8505111000", "description": "NdFeB magnet with 0.11% Tb"}, "1C904.a"),
    ({"hs_code": "8505111000", "element": "Dy"}, "1C905.a"),
    ({"description": "含镝钕铁硼磁体"}, "1C905.a"),
])
def test_composition_decides(pack, kwargs, code):
    r = classify(pack, on=ON, **kwargs)
    assert r.controlled is True and code in [e.code for e in r.entries]


def test_a_word_alone_names_the_kind(pack):
    r = classify(pack, on=ON, description="rare-earth permanent magnets")
    assert r.controlled is None and cands(r) == ["1C902.a", "1C904.a", "1C905.a"]
    assert r.candidates[0].matched_on == ["goods_kind"]


def test_before_no18_the_magnet_heading_is_not_controlled(pack):
    r = classify(pack, on=D("2025-04-03"), hs_code="8505111000")
    assert r.controlled is False and {e.code for e in r.not_in_force} == {"1C902.a", "1C904.a", "1C905.a", "1C909.a"}
    assert classify(pack, on=D("2025-04-04"), hs_code="8505111000").controlled is None


@pytest.mark.parametrize("hs, expected", [
    ("8486909110", {"1C902.a"}),
    ("2846901993", {"1C902.b", "1C903.b", "1C904.b", "1C905.b", "1C906.b", "1C907.b", "1C908.b"}),
])
def test_shared_reference_codes_are_undetermined(pack, hs, expected):
    r = classify(pack, on=ON, hs_code=hs)
    assert r.controlled is None and set(cands(r)) == expected
    assert any(f"{hs} is also used for goods that are not controlled" in n for n in r.notes)


def test_a_description_decides_a_shared_code(pack):
    r = classify(pack, on=ON, hs_code="8486909110", description="GdFe sputtering target")
    assert r.controlled is True and [e.code for e in r.entries] == ["1C903.a"]
    assert r.candidates == [] and out(r) == {"1C902.a": "the description names Gd, not Sm"}


def test_oxide_mixture_is_decided_by_composition(pack):
    r = classify(pack, on=ON, hs_code="2846901993", description="La-Ce oxide mixture")
    assert r.controlled is None  # naming La and Ce does not say no listed oxide is in it
    free = "La-Ce oxide mixture, free of Sm, Gd, Tb, Dy, Lu, Sc and Y"
    assert classify(pack, on=ON, hs_code="2846901993", description=free).controlled is False


def test_form_alone_is_undetermined(pack):
    r = classify(pack, on=ON, form="oxide")
    assert r.controlled is None and r.entries == [] and len(r.candidates) == 7
    assert all(c.decided_by == "element" for c in r.candidates)


def test_shared_code_without_a_record_is_refused_by_the_loader(pack_copy):
    root = pack_copy(control_list=('  semiconductor_equipment_parts_8486909110:\n    label_en:',
                                   '  semiconductor_equipment_parts_8486909110:\n    label_en:'))
    text = (root / "control_list.yaml").read_text(encoding="utf-8")
    (root / "control_list.yaml").write_text(text.replace('customs_codes: ["8486909110"]', 'customs_codes: ["8486909199"]'),
                                            encoding="utf-8")
    with pytest.raises(PackError, match=r"control_list.yaml:\d+: entries\[0\].customs_codes\[2\]: 8486909110 is shared with "
                                        "uncontrolled goods but no mixed_goods record names it"):
        load_pack(root)


def test_a_candidate_must_be_a_known_entry(pack_copy):
    root = pack_copy(control_list=("      1C909.a:\n", "      1C999.a:\n"))
    with pytest.raises(PackError, match=r"control_list.yaml:\d+: mixed_goods.rare_earth_permanent_magnets.candidates.1C999.a: "
                                        "unknown entry '1C999.a'"):
        load_pack(root)


def test_a_plain_magnet_is_undetermined_and_a_ferrite_magnet_is_not_controlled(pack):
    """Penalty cases of 2026: magnets declared as plain "magnets" held 0.11-0.2% Tb."""
    plain = classify(pack, on=ON, description="magnets")
    assert plain.controlled is None and cands(plain) == ["1C902.a", "1C904.a", "1C905.a"]
    ferrite = classify(pack, on=ON, description="ferrite magnet")
    assert ferrite.controlled is False and set(out(ferrite)) == {"1C902.a", "1C904.a", "1C905.a", "1C909.a"}
