"""Whatever a name holds (any script, digits, symbols, nothing comparable), normalising and
searching never fail and scores stay within 0..1."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rarex.screening import matching
from rarex.screening.matching import Entry, Matcher, in_memory
from rarex.screening.normalise import forms
from tests.screening.test_quality import load_cases, load_entries

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


# --- the kinds of issue 13, pair by pair (names from the world set's list) ----------------------

PEOPLE = Matcher([
    Entry(1, "petrov", "t", "PETROV, Ivan Sergeyevich", (), ("ru",)),
    Entry(2, "maduro", "t", "MADURO MOROS, Nicolas", (), ("ve",)),
    Entry(3, "mansouri", "t", "Khalid bin Ahmad al-Mansouri", (), ("ae",)),
    Entry(4, "wang", "t", "WANG Junzheng", ("王君正",), ("cn",)),
    Entry(5, "zhang", "t", "ZHANG Xiaoming", (), ("cn",)),
    Entry(6, "lee", "t", "LEE Ka-chiu John", (), ("hk",)),
    Entry(7, "tw", "t", "張明賢", (), ("tw",)),
    Entry(8, "nordlys", "t", "Nordlys Telecom Inc.", (), ("us",)),
    Entry(9, "tju", "t", "Tianjin University", (), ("cn",)),
    Entry(10, "cnooc", "t", "China National Offshore Oil Corporation", ("CNOOC",), ("cn",)),
    Entry(11, "helix", "t", "Helix Photonics Corporation", (), ("us",)),
])


def top(name: str):
    hits = PEOPLE.search(name)
    return hits[0] if hits else None


@pytest.mark.parametrize("query", ["Ivan Petrov", "Petrov Ivan", "Ivan S. Petrov", "IVAN PETROV"])
def test_given_name_and_surname_find_a_listed_person_with_a_patronymic(query):
    hit = top(query)
    assert hit and hit.entry.entity_id == "petrov" and hit.alert


def test_a_second_surname_may_be_left_out_not_the_first_given_name():
    assert top("Nicolas Maduro").alert
    assert top("Sergeyevich Petrov") is None or not top("Sergeyevich Petrov").alert


def test_two_wrong_letters_lower_the_score_and_keep_the_hit():
    exact, misspelt = top("Ivan Petrov"), top("Iwan Petrow")
    assert misspelt.entry.entity_id == "petrov" and misspelt.score < exact.score


def test_an_arabic_name_chain_in_another_order_is_another_person():
    assert top("Khalid bin Ahmad al-Mansouri").score == 1.0
    assert top("Khalid Ahmad al-Mansouri").alert
    swapped = top("Ahmad bin Khalid al-Mansouri")
    assert swapped is None or not swapped.alert
    assert swapped is None or "name chain" in swapped.explanation


def test_chinese_names_sharing_a_surname_and_a_character_are_different_people():
    for query in ("Zhang Xiaoling", "张晓敏", "Wang Jun", "王君"):
        hit = top(query)
        assert hit is None or not hit.alert, (query, hit)


def test_characters_that_read_alike_are_another_name_when_both_sides_have_characters():
    assert top("王君正").score == 1.0
    hit = top("王均正")  # jun as 均, not 君: the list has the characters
    assert hit is None or not hit.alert
    assert top("张小明").alert  # the list has only the romanised name: the reading may be it


def test_a_national_branch_is_not_its_parent():
    assert top("Nordlys Telecom").alert
    for query in ("Nordlys Telecom (Sweden) AB", "Nordlys Telecom India Private Limited", "Nordlys Telecom Polska"):
        hit = top(query)
        assert hit.entry.entity_id == "nordlys" and not hit.alert, (query, hit.score)


@pytest.mark.parametrize("query", ["Helix Photonics Corporationoration", "Helix Photonics Corp. Limted",
                                   "Helix Photonics S.S.A.", "Helix Photonics GmbHH"])
def test_misspelt_legal_forms_are_set_aside(query):
    assert top(query).alert


@pytest.mark.parametrize("query", ["天津大学", "天津大學", "Tianjindaxue", "tian jin da xue", "Tianjin Daxue"])
def test_chinese_or_pinyin_finds_an_english_only_university(query):
    hit = top(query)
    assert hit.entry.entity_id == "tju" and hit.alert


@pytest.mark.parametrize("query", ["中海油", "中国海洋石油集团有限公司", "Zhongguo Haiyang Shiyou Jituan Youxian Gongsi"])
def test_a_state_groups_short_or_full_chinese_name_finds_its_english_entry(query):
    hit = top(query)
    assert hit.entry.entity_id == "cnooc" and hit.alert


@pytest.mark.parametrize(("query", "expected"), [("Chang Ming-hsien", "tw"), ("Ming-hsien Chang", "tw"),
                                                 ("Li Ka Chiu", "lee"), ("Lee Ka Chiu", "lee")])
def test_wade_giles_and_cantonese_spellings(query, expected):
    hit = top(query)
    assert hit.entry.entity_id == expected and hit.alert


# Real list entries (OFAC SDN, EU, UK) for the false alerts an officer would otherwise clear by hand.
NEAR = Matcher([
    Entry(1, "guzman", "t", "GUZMAN LOERA, Joaquin", (), ("mx",)),
    Entry(2, "kabaeva", "t", "KABAEVA, Alina Maratovna", (), ("ru",)),
    Entry(3, "soleimani", "t", "SOLEIMANI, Qasem", (), ("ir",)),
    Entry(4, "rotenberg", "t", "ROTENBERG, Boris Romanovich", (), ("ru",)),
    Entry(5, "sechin", "t", "Igor Ivanovich Sechin", (), ("ru",)),
    Entry(6, "lavrov", "t", "LAVROV, Sergei Viktorovich", (), ("ru",)),
    Entry(7, "bnc", "t", "Banco Nacional de Cuba", (), ("cu",)),
    Entry(8, "salami", "t", "SALAMI, Hossein", (), ("ir",)),
    Entry(9, "prigozhin", "t", "PRIGOZHIN, Yevgeniy Viktorovich", (), ("ru",)),
    Entry(10, "camila", "t", "ORTEGA MURILLO, Camila Antonia", (), ("ni",)),
])


def near(name: str):
    hits = NEAR.search(name)
    assert hits, name
    return hits[0]


@pytest.mark.parametrize("query, expected", [
    ("Alina Kabaev", "kabaeva"),  # the masculine form: a relative, another person
    ("Qasem Soleiman", "soleimani"),  # a letter taken from the end
    ("Igor Sechina", "sechin"),  # a letter added, the surname given last in the entry
    ("Sergei Lavrav", "lavrov"),  # a vowel changed in a short surname
])
def test_a_short_surname_one_letter_off_ranks_first_without_alerting(query, expected):
    hit = near(query)
    assert hit.entry.entity_id == expected and not hit.alert, (query, hit.score, hit.explanation)
    assert "surname" in hit.explanation


@pytest.mark.parametrize("query, expected", [
    ("Boris Rotenburg", "rotenberg"),  # one letter in a long surname: a typo
    ("Qasem Soleimany", "soleimani"),  # another transliteration, not another name
    ("Alina Kabayeva", "kabaeva"),
    ("Joaquin Guzman", "guzman"),  # the second surname left out, as people write it
])
def test_a_long_surname_misspelt_or_transliterated_still_alerts(query, expected):
    hit = near(query)
    assert hit.entry.entity_id == expected and hit.alert, (query, hit.score, hit.explanation)


def test_the_second_of_two_surnames_alone_ranks_first_without_alerting():
    hit = near("Joaquin Loera")
    assert hit.entry.entity_id == "guzman" and not hit.alert, hit.score
    assert 'first surname "guzman" left out' in hit.explanation


def test_a_bank_named_by_generic_words_is_not_another_bank_that_adds_one():
    assert near("Banco Nacional de Cuba").score == 1.0
    hit = near("Banco de Cuba")
    assert not hit.alert, (hit.score, hit.explanation)


def test_a_country_in_common_does_not_lift_another_familys_name_to_an_alert():
    hit = NEAR.search("Hossein Salimi", country="ir")[0]  # Salimi is another Iranian family
    assert hit.entry.entity_id == "salami" and not hit.alert, hit.explanation
    hit = NEAR.search("Alina Kabaev", country="ru")[0]
    assert hit.entry.entity_id == "kabaeva" and not hit.alert, hit.explanation
    hit = NEAR.search("Joaquin Loera", country="mx")[0]
    assert hit.entry.entity_id == "guzman" and not hit.alert, hit.explanation
    assert NEAR.search("Joaquin Guzman", country="mx")[0].score == 1.0


@pytest.mark.parametrize("query, expected", [("Yevgeniya Prigozhin", "prigozhin"),
                                             ("Camilo Ortega Murillo", "camila")])
def test_a_given_name_in_the_other_sexs_form_ranks_first_without_alerting(query, expected):
    hit = near(query)
    assert hit.entry.entity_id == expected and not hit.alert, (hit.score, hit.explanation)
    assert "other sex" in hit.explanation
    assert near("Yevgeny Prigozhin").alert and near("Camila Ortega Murillo").alert


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(names, min_size=1, max_size=6), st.randoms())
def test_a_segment_reads_the_strings_of_many_forms_at_once_as_each_form_has_them(listed, rnd):
    seg = in_memory(Entry(n, str(n), "t", name) for n, name in enumerate(listed))
    ids = list(range(seg.n_forms)) * 2
    rnd.shuffle(ids)
    compacts, texts = seg.strings_of(np.asarray(ids, dtype=np.int64))
    assert compacts == [seg.form(f).compact for f in ids] and texts == [seg.form(f).text for f in ids]


def test_retrieval_adds_up_postings_alike_in_a_table_of_all_forms_and_by_sorting_them(monkeypatch):
    """A short list adds a query's postings up in a table of all its forms, a long one by
    sorting them: the labelled queries get the same candidates in the same order either way."""
    matcher = Matcher(load_entries())
    queries = [c.query for c in load_cases()]
    table = [[e.entity_id for e in matcher.candidates(q)] for q in queries]
    monkeypatch.setattr(matching, "_DENSE", 0)
    assert [[e.entity_id for e in matcher.candidates(q)] for q in queries] == table
