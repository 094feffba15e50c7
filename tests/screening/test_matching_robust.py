"""Whatever a name holds (any script, digits, symbols, nothing comparable), normalising and
searching never fail and scores stay within 0..1."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rarex.screening.matching import Entry, Matcher
from rarex.screening.normalise import forms

ENTRIES = [
    Entry(1, "a", "t", "北京中科三环高技术股份有限公司", ("Beijing Zhongke Sanhuan Hi-Tech Co., Ltd.",), ("cn",)),
    Entry(2, "b", "t", "ООО «Ромашка»", ("Romashka LLC",), ("ru",), ("1027700132195",)),
    Entry(3, "c", "t", "中国电子科技集团公司第十四研究所", (), ("cn",)),
    Entry(4, "d", "t", "单海燕", ("Shan Haiyan",), ("cn",)),
    Entry(5, "e", "t", "有限公司", (), ()),
]
MATCHER = Matcher(ENTRIES)

names = st.one_of(
    st.text(max_size=80),
    st.text(alphabet=st.sampled_from("北京中科三环有限公司第十四二百零〇两股份集团 ,.-'()"), max_size=30),
    st.text(alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "Zs", "S", "M")), max_size=40),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(names)
def test_forms_of_any_text(name):
    for f in forms(name):
        assert f.compact == "".join(f.words)
        assert len(f.prefix) == len(f.compact) + 1 and len(f.classes) == len(f.words)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(names, st.sampled_from([None, "cn", "de", "ru"]))
def test_search_any_text(name, country):
    hits = MATCHER.search(name, country=country, limit=5, min_score=0.0)
    assert all(0.0 <= h.score <= 1.0 and h.explanation for h in hits)
    assert [h.rank for h in hits] == sorted((h.rank for h in hits), reverse=True)


def test_an_identifier_on_both_sides_is_a_match_alone():
    (hit, *_) = MATCHER.search("Some Other Name", identifiers=["1027700132195"])
    assert hit.entry.entity_id == "b" and hit.score == 1.0 and "identifier" in hit.explanation


def test_a_query_made_of_a_listed_name_in_another_script_explains_the_reading():
    (hit, *_) = MATCHER.search("北京中科三環高技術")
    assert hit.entry.entity_id == "a" and hit.alert
    assert "read in simplified characters" in hit.explanation and hit.matched_name
