"""The export-technology catalogue (FACTS.md 1.14): its own dated instrument, independent of 1E902."""

from __future__ import annotations

import datetime as dt

import pytest

from rarex.policy.classify import classify
from rarex.policy.loader import PackError, load_pack
from tests.policy.conftest import line_of

D = dt.date.fromisoformat
MAGNET_TECH = "NdFeB magnet manufacturing technology"


def tech(result) -> dict[str, str]:
    return {t.code: t.category for t in result.technology}


def test_magnet_technology_is_not_listed_the_day_before_the_2023_revision(pack):
    r = classify(pack, on=D("2023-12-20"), description=MAGNET_TECH)
    assert r.prohibited is False and r.controlled is False and r.technology == []
    (nl,) = r.technology_not_listed
    assert nl.code == "re-permanent-magnet-manufacturing"
    assert "listed from 2023-12-21 (MOFCOM/MOST Ann. 2023 No. 57)" in nl.reason


def test_magnet_technology_is_prohibited_from_the_2023_revision(pack):
    r = classify(pack, on=D("2023-12-21"), description=MAGNET_TECH)
    assert r.prohibited is True and r.controlled is True
    (t,) = r.technology
    assert (t.code, t.category, t.effect, t.revision) == ("re-permanent-magnet-manufacturing", "prohibited", "prohibited", "2023-57")
    assert t.legal_ref.startswith("MOFCOM/MOST Ann. 2023 No. 57") and t.listed_since == D("2023-12-21")
    assert t.confidence == "reported"


@pytest.mark.parametrize("on", ["2025-11-06", "2025-11-07", "2026-01-15", "2026-11-10", "2026-11-11"])
def test_the_no70_suspension_of_1e902_does_not_touch_the_catalogue(pack, on):
    r = classify(pack, on=D(on), description=MAGNET_TECH)
    assert r.prohibited is True and tech(r) == {"re-permanent-magnet-manufacturing": "prohibited"}
    suspended = D("2025-11-07") <= D(on) <= D("2026-11-10")
    assert ([e.code for e in r.entries] == []) is suspended  # 1E902.a itself, in force or not
    if suspended:
        assert [e.code for e in r.not_in_force] == ["1E902.a"]
        assert any("the suspension does not touch it" in n for n in r.notes)


def test_chinese_description_and_magnet_kinds(pack):
    for description in ("钕铁硼磁体制备技术", "SmCo manufacturing know-how", "cerium magnet production technology"):
        assert classify(pack, on=D("2026-01-15"), description=description).prohibited is True, description


def test_extraction_and_separation_prohibited_before_2023_with_unknown_start(pack):
    for on in ("2023-12-20", "2023-12-21"):
        r = classify(pack, on=D(on), description="rare-earth solvent extraction and separation technology")
        assert r.prohibited is True and tech(r) == {"re-extraction-separation-metal": "prohibited"}
    before = classify(pack, on=D("2023-12-20"), description="rare-earth separation technology")
    assert before.technology[0].revision == "before-2023" and before.technology[0].listed_since is None
    assert any("does not know since when" in n for n in before.notes)


def test_mining_and_smelting_are_restricted_from_2023_12_21(pack):
    before = classify(pack, on=D("2023-12-20"), description="rare-earth mining technology")
    assert before.controlled is False and before.technology == []
    r = classify(pack, on=D("2023-12-21"), description="rare-earth mining technology")
    assert r.controlled is True and r.prohibited is False
    (t,) = r.technology
    assert t.category == "restricted" and t.effect == "licence" and t.licence_en == "technology-export licence"


def test_a_description_naming_prohibited_and_restricted_technology_is_prohibited(pack):
    r = classify(pack, on=D("2026-01-15"), description="rare-earth smelting and separation technology (稀土冶炼分离)")
    assert r.prohibited is True
    assert tech(r) == {"re-extraction-separation-metal": "prohibited", "re-mining-beneficiation-smelting": "restricted"}


def test_technology_without_a_named_kind_is_undetermined(pack):
    r = classify(pack, on=D("2026-01-15"), code="1E902.a")
    assert r.controlled is None and r.prohibited is None
    assert {t.code for t in r.technology_candidates} == {
        "re-extraction-separation-metal", "re-permanent-magnet-manufacturing", "re-mining-beneficiation-smelting"}
    assert all(t.decides_en.startswith("whether the technology is") for t in r.technology_candidates)
    # the code decides once 1E902 is back in force
    assert classify(pack, on=D("2026-11-11"), code="1E902.a").controlled is True


def test_other_technology_and_goods_are_not_catalogue_matters(pack):
    assert classify(pack, on=D("2026-01-15"), description="air separation technology").technology_candidates == []
    assert classify(pack, on=D("2026-01-15"), description="air separation technology").controlled is False
    magnets = classify(pack, on=D("2026-01-15"), description="Dy-containing NdFeB magnet")
    assert magnets.technology == magnets.technology_candidates == [] and magnets.prohibited is False


def test_next_revision_is_one_yaml_change(pack_copy):
    """A revision that drops magnet technology from the prohibited part ends its listing on its date."""
    root = pack_copy(technology_catalogue=(
        "\n# Words that make",
        '\n  "2030-1":\n    label_en: a later revision\n    label_zh: 后续修订\n    effective_from: 2030-01-01\n'
        "    legal_ref: MOFCOM/MOST Ann. 2030 No. 1\n    confidence: unconfirmed\n\n# Words that make",
    ))
    later = load_pack(root)
    assert classify(later, on=D("2029-12-31"), description=MAGNET_TECH).prohibited is True
    r = classify(later, on=D("2030-01-01"), description=MAGNET_TECH)
    assert r.prohibited is False and r.technology_not_listed


def test_catalogue_listing_of_an_unknown_revision_names_file_line_and_field(pack_copy):
    root = pack_copy(technology_catalogue=('"2023-57": {category: prohibited', '"2023-58": {category: prohibited'))
    line = line_of(root / "technology_catalogue.yaml", "2023-58")
    with pytest.raises(PackError) as exc:
        load_pack(root)
    assert exc.value.errors == [f"technology_catalogue.yaml:{line}: entries[0].listings.2023-58: "
                                "unknown revision '2023-58'; known: before-2023, 2023-57"]


@pytest.mark.parametrize("old, new, message", [
    ("control_codes: [1E902.a]\n    listings:\n      # Added to the prohibited",
     "control_codes: [1E999.a]\n    listings:\n      # Added to the prohibited",
     r"technology_catalogue.yaml:\d+: entries\[1\].control_codes\[0\]: control_codes names '1E999.a'"),
    ("{category: restricted, confidence: reported}", "{category: forbidden, confidence: reported}",
     r"technology_catalogue.yaml:\d+: entries\[2\].listings.2023-57.category: Input should be"),
    ("  - code: re-permanent-magnet-manufacturing\n", "  - code: re-extraction-separation-metal\n",
     r"technology_catalogue.yaml:\d+: entries\[1\].code: duplicate code re-extraction-separation-metal \(first at entries\[0\]\)"),
    ("    effective_from: 2023-12-21\n", "    effective_from: null\n",
     r"technology_catalogue.yaml:\d+: revisions: Value error, at most one revision may have an unknown effective_from"),
])
def test_catalogue_errors_name_file_line_and_field(pack_copy, old, new, message):
    with pytest.raises(PackError, match=message):
        load_pack(pack_copy(technology_catalogue=(old, new)))
