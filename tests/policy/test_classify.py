"""Classification: what an exporter learns about an item on a date."""

from __future__ import annotations

import datetime as dt

import pytest

from rarex.core.errors import InvalidInput
from rarex.policy.classify import classify

D = dt.date.fromisoformat
ON = D("2026-01-15")  # No. 18 in force, Nos. 56/57/62 suspended, before reviewed_until


def codes(result) -> list[str]:
    return [e.code for e in result.entries]


def candidates(result) -> list[str]:
    return [c.code for c in result.candidates]


def test_dysprosium_oxide(pack):
    r = classify(pack, on=ON, element="Dy", form="oxide")
    assert r.controlled and codes(r) == ["1C905.b"]
    e = r.entries[0]
    assert e.matched_on == ["element", "form"] and e.announcement == "2025-18"
    assert e.legal_ref == "MOFCOM/GAC Ann. 2025 No. 18, annex, 1C905.b"
    assert r.caveat is None and r.pack == "cn-dual-use" and r.pack_reviewed_until == D("2026-04-01")


@pytest.mark.parametrize("element", ["dy", "Dysprosium", "DYSPROSIUM", "镝"])
def test_element_by_symbol_or_name_any_case(pack, element):
    assert codes(classify(pack, on=ON, element=element, form="oxide")) == ["1C905.b"]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"element": "Tb", "form": "metal_alloy", "description": "sintered NdFeB magnet, 0.2% Tb"},
        {"description": "Tb-containing NdFeB magnet"},
        {"description": "含铽钕铁硼永磁体"},
    ],
)
def test_terbium_ndfeb_magnet(pack, kwargs):
    r = classify(pack, on=ON, **kwargs)
    assert r.controlled and codes(r) == ["1C904.a"]
    assert any("0.11-0.2% Tb" in n for n in r.entries[0].notes)


def test_smco_magnet(pack):
    r = classify(pack, on=ON, description="SmCo permanent magnet")
    assert r.controlled and codes(r) == ["1C902.a"] and r.entries[0].matched_on == ["description", "goods_kind"]


@pytest.mark.parametrize("element", ["Nd", "Ce", "neodymium", "铈"])
def test_unlisted_rare_earth_is_not_controlled(pack, element):
    r = classify(pack, on=ON, element=element, form="oxide")
    assert r.controlled is False and r.entries == [] and r.not_in_force == []
    assert any("is not itself on the control list" in n for n in r.notes)
    assert any("ECL Art. 12 para. 3" in n for n in r.notes)  # the catch-all still applies


def test_before_no18_nothing_is_controlled(pack):
    before = classify(pack, on=D("2025-04-03"), element="Dy", form="oxide")
    assert not before.controlled and [e.code for e in before.not_in_force] == ["1C905.b"]
    assert before.not_in_force[0].status == "not_yet_effective"
    assert classify(pack, on=D("2025-04-04"), element="Dy", form="oxide").controlled


def test_hs_only_match_on_shared_code_is_undetermined(pack):
    r = classify(pack, on=ON, hs_code="3824999922")
    assert r.controlled is None and r.entries == []
    assert set(candidates(r)) == {"1C902.a", "1C902.b", "1C902.c", "1C903.b", "1C903.c"}
    assert all(c.matched_on == ["hs_code"] and c.decided_by == "description" for c in r.candidates)
    assert [k.code for k in r.goods_kinds] == ["other_chemical_preparations_3824999922"]
    assert any("never decides control on its own; the item description does" in n for n in r.notes)
    assert any("3824999922 is also used for goods that are not controlled" in n for n in r.notes)


def test_a_reference_code_alone_never_decides(pack):
    """Even a code that names one entry's goods only proposes it: the description decides (FACTS.md section 2)."""
    r = classify(pack, on=ON, hs_code="2846.90.1940")
    assert r.controlled is None and candidates(r) == ["1C902.b"]
    assert "Samarium oxide" in r.candidates[0].decides_en
    decided = classify(pack, on=ON, hs_code="2846901940", element="Sm", form="oxide")
    assert decided.controlled is True and codes(decided) == ["1C902.b"]


def test_hs_prefix_matches_both_ways(pack):
    assert candidates(classify(pack, on=ON, hs_code="2846.90.1940")) == ["1C902.b"]
    short = classify(pack, on=ON, hs_code="284690")
    assert {"1C902.b", "1C903.b", "1C905.c"} <= set(candidates(short))
    # a 10-digit code finds the 8-digit reference line of No. 57 (suspended on ON)
    long = classify(pack, on=ON, hs_code="2805301910")
    assert set(candidates(long)) == {"1C902.a", "1C903.a", "1C906.a"}
    assert {e.code for e in long.not_in_force} == {f"1C9{n:02d}.a" for n in range(9, 14)}


def test_hs_code_never_removes_a_match(pack):
    r = classify(pack, on=ON, element="Dy", form="metal_alloy", hs_code="7208100000")
    assert codes(r) == ["1C905.a"] and r.entries[0].matched_on == ["element", "form"]
    assert any("not among the reference codes" in n for n in r.notes)


def test_a_code_no_entry_or_record_names_is_not_controlled(pack):
    r = classify(pack, on=ON, hs_code="7208100000")
    assert r.controlled is False and r.entries == r.candidates == []
    assert any("ECL Art. 12 para. 3" in n for n in r.notes)


def test_suspended_entries_are_reported_with_why(pack):
    r = classify(pack, on=ON, element="Ho")
    assert not r.controlled
    assert [e.code for e in r.not_in_force] == ["1C909.a", "1C909.b", "1C909.c"]
    e = r.not_in_force[0]
    assert e.status == "suspended" and e.suspended_through == D("2026-11-10")
    assert "suspended by MOFCOM/GAC Ann. 2025 No. 70" in e.reason


def test_after_the_suspension_with_caveat(pack):
    r = classify(pack, on=D("2026-11-11"), element="holmium", form="metal_alloy")
    assert r.controlled and codes(r) == ["1C909.a"]
    assert r.caveat and "2026-04-01" in r.caveat


def test_caveat_on_both_sides_of_reviewed_until(pack):
    assert classify(pack, on=D("2026-04-01"), element="Dy").caveat is None
    assert classify(pack, on=D("2026-04-02"), element="Dy").caveat is not None


def test_technology_and_extractants(pack):
    tech = classify(pack, on=D("2025-10-20"), description="NdFeB magnet making technology")
    assert tech.controlled and codes(tech) == ["1E902.a"]
    # 1E902 is suspended by No. 70; "technology" alone leaves the catalogue's technologies open
    alone = classify(pack, on=ON, form="technology")
    assert alone.controlled is None and alone.prohibited is None and alone.entries == []
    assert {e.code for e in alone.not_in_force} == {"1E902.a", "1E902.b"}
    ext = classify(pack, on=D("2026-11-11"), description="P507 extractant")
    assert codes(ext) == ["1C914.c"]


def test_scope_guidance_note_for_assemblies(pack):
    r = classify(pack, on=ON, element="Tb", description="motor rotor assembly with Tb magnets")
    assert any("generally outside No. 18" in n for n in r.notes)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"element": "Xx"}, "unknown element 'Xx'"),
        ({"element": "Fe"}, "unknown element 'Fe'"),
        ({"element": "Dy", "form": "powder"}, "unknown form 'powder'"),
        ({"hs_code": "284"}, "must be 4 to 10 digits"),
        ({"hs_code": "28469019401"}, "must be 4 to 10 digits"),
        ({"hs_code": "2846ab"}, "must be 4 to 10 digits"),
        ({}, "give at least one of"),
        ({"element": "  ", "description": ""}, "give at least one of"),
    ],
)
def test_invalid_input(pack, kwargs, message):
    with pytest.raises(InvalidInput, match=message):
        classify(pack, on=ON, **kwargs)
