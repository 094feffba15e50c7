"""Prohibitions (ECL Art. 10; DUR Art. 13) as pack data: Ann. 2026 No. 1 on both sides of its date."""

from __future__ import annotations

import datetime as dt

import pytest

from rarex.policy.loader import PackError, load_pack
from rarex.policy.prohibitions import covering
from tests.policy.conftest import line_of

BEFORE, FROM = dt.date(2026, 1, 5), dt.date(2026, 1, 6)


def cover(pack, on, dest="JP", user="civil", use="civil", codes=("1C902.a",)):
    return covering(pack, on, destination=dest, end_user_category=user, end_use_category=use,
                    entry_codes=None if codes is None else list(codes))


def test_vocabularies_have_labels_and_defaults(pack):
    for vocab in (pack.end_user_categories, pack.end_use_categories):
        assert {"civil", "military", "military_capability", "unknown"} <= set(vocab)
        assert all(c.label_en and c.label_zh for c in vocab.values())
    assert pack.default_end_user_category == "unknown" and pack.default_end_use_category == "unknown"
    assert pack.announcements["2026-1"].legal_ref == "MOFCOM Ann. 2026 No. 1"


@pytest.mark.parametrize("user,use", [
    ("military", "civil"), ("military_capability", "civil"), ("civil", "military"),
    ("civil", "military_capability"), ("unknown", "military"), ("military", "unknown"), ("military", None),
])
def test_japan_military_user_or_use_is_prohibited_from_6_january(pack, user, use):
    assert cover(pack, BEFORE, user=user, use=use) == []
    [hit] = cover(pack, FROM, user=user, use=use)
    assert hit.code == "jp-military-2026" and hit.legal_ref == "MOFCOM Ann. 2026 No. 1"
    assert hit.effective_from == FROM and "MOFCOM Ann. 2026 No. 1" in hit.reason_en and "JP" in hit.reason_en
    assert "禁止" in hit.reason_zh and "全部两用物项" in hit.reason_zh
    expect = (("end_user_category",) if user in ("military", "military_capability") else ()) + (
        ("end_use_category",) if use in ("military", "military_capability") else ())
    assert hit.matched == expect


def test_both_user_and_use_named_in_the_reason(pack):
    [hit] = cover(pack, FROM, user="military", use="military_capability")
    assert hit.matched == ("end_user_category", "end_use_category")
    assert "'Military'" in hit.reason_en and "'Enhances military capability'" in hit.reason_en


@pytest.mark.parametrize("user,use", [("civil", "civil"), ("research", "research"), ("government", "civil"),
                                      ("unknown", "unknown"), (None, None), ("civil", "wmd")])
def test_civil_and_unknown_in_japan_are_not_covered(pack, user, use):
    assert cover(pack, FROM, user=user, use=use) == []


@pytest.mark.parametrize("dest", ["KR", "DE", "US", "CN"])
def test_other_destinations_are_not_covered(pack, dest):
    assert cover(pack, FROM, dest=dest, user="military", use="military") == []


def test_destination_case_and_item_scope(pack):
    assert len(cover(pack, FROM, dest="jp", user="military")) == 1
    assert cover(pack, FROM, user="military", codes=()) == []          # no dual-use item
    assert len(cover(pack, FROM, user="military", codes=None)) == 1    # items not judged
    assert len(cover(pack, FROM, user="military", codes=("1C909.a", "2B902"))) == 1


def test_unknown_category_is_an_error(pack):
    with pytest.raises(ValueError, match="unknown end-user category 'army'"):
        cover(pack, FROM, user="army")
    with pytest.raises(ValueError, match="unknown end-use category 'war'"):
        cover(pack, FROM, use="war")


def test_item_scoped_and_ended_prohibition(pack_copy):
    root = pack_copy(prohibitions=("    effective_to: null\n    items: all\n",
                                   "    effective_to: 2026-03-31\n    items: [1C902, 1C903.a]\n"))
    pack = load_pack(root)
    assert len(cover(pack, FROM, user="military", codes=("1C902.b",))) == 1
    assert len(cover(pack, FROM, user="military", codes=("1C903.a",))) == 1
    assert cover(pack, FROM, user="military", codes=("1C903.b", "1C904")) == []
    assert len(cover(pack, dt.date(2026, 3, 31), user="military")) == 1
    assert cover(pack, dt.date(2026, 4, 1), user="military") == []
    [hit] = cover(pack, FROM, user="military")
    assert "items of 1C902, 1C903.a" in hit.reason_en and "until 2026-03-31" in hit.reason_en


@pytest.mark.parametrize("old,new,needle,field,message", [
    ("destinations: [JP]", "destinations: [XX]", "[XX]", "prohibitions[0].destinations[0]", "'XX' is not an ISO 3166-1 alpha-2"),
    ("destinations: [JP]", "destinations: [jp]", "[jp]", "prohibitions[0].destinations[0]", "String should match pattern"),
    ("end_user_categories: [military, military_capability]", "end_user_categories: [army]", "[army]",
     "prohibitions[0].end_user_categories[0]", "unknown category 'army'"),
    ("end_use_categories: [military, military_capability]", "end_use_categories: [military, war]", "war]",
     "prohibitions[0].end_use_categories[1]", "unknown category 'war'"),
    ('announcement: "2026-1"', 'announcement: "2026-9"', '"2026-9"', "prohibitions[0].announcement", "2026-9 is not in announcements"),
    ("items: all", "items: [1C999]", "[1C999]", "prohibitions[0].items[0]", "'1C999' is no control entry code"),
    ("items: all", "items: everything", "everything", "prohibitions[0].items", "items must be 'all'"),
    ("effective_to: null", "effective_to: 2026-01-01", "2026-01-01", "prohibitions[0].effective_to", "is before effective_from"),
    ("    confidence: confirmed\n", "", "code: jp-military-2026", "prohibitions[0].confidence", "Field required"),
    ("default_end_user_category: unknown", "default_end_user_category: nobody", "category: nobody",
     "default_end_user_category", "unknown category 'nobody'"),
])
def test_malformed_prohibitions_name_file_line_and_field(pack_copy, old, new, needle, field, message):
    root = pack_copy(prohibitions=(old, new))
    with pytest.raises(PackError) as exc:
        load_pack(root)
    line = line_of(root / "prohibitions.yaml", needle)
    [err] = [e for e in exc.value.errors if e.startswith("prohibitions.yaml:")]
    assert err.startswith(f"prohibitions.yaml:{line}: {field}: ") and message in err, err
