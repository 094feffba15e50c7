"""A name typed in Arabic script finds a person the list carries only in Latin letters, through
the consonants both write (rarex.screening.skeleton), and only a person.

The entries are real entries of public lists (OFAC, UN), written as those lists write them;
none of them is in the world set of test_quality.py."""

from __future__ import annotations

import pytest

from rarex.screening.matching import ALERT_THRESHOLD, Entry, Matcher
from rarex.screening.normalise import forms
from rarex.screening.skeleton import SKELETON, SKELETON_SCORE

LISTED = Matcher([
    Entry(1, "nasrallah", "t", "NASRALLAH, Hassan", (), ("lb",)),
    Entry(2, "zarif", "t", "ZARIF, Mohammad Javad", (), ("ir",)),
    Entry(3, "baghdadi", "t", "Ibrahim Awwad Ibrahim Ali AL-BADRI", ("Abu Bakr al-Baghdadi",), ("iq",)),
    Entry(4, "hashimi", "t", "Ahmad bin Khalid AL-HASHIMI", (), ("ae",)),
    Entry(5, "eslami", "t", "ESLAMI, Mohammad", (), ("ir",)),
    Entry(6, "muhandis", "t", "AL-MUHANDIS, Abu Mahdi", ("Jamal Jaafar Muhammad Ali AL-IBRAHIMI",), ("iq",)),
    Entry(7, "makki", "t", "Abdul Rehman MAKKI", ("Abdul Rahman Makki",), ("pk",)),
    Entry(8, "haniyeh", "t", "HANIYEH, Ismail", ("إسماعيل هنية",), ("ps",)),
    Entry(9, "tahir", "t", "Hassan TAHIR", (), ("so",)),
    Entry(10, "samad", "t", "Samad Trading Company LLC", (), ("ae",)),
])


def top(name: str):
    hits = LISTED.search(name)
    return hits[0] if hits else None


@pytest.mark.parametrize(("query", "expected"), [
    ("حسن نصر الله", "nasrallah"),  # Nasr Allah written apart, Nasrallah as one word
    ("محمد جواد ظریف", "zarif"),  # Persian letters (ی), ظ as z
    ("أبو بكر البغدادي", "baghdadi"),  # the article opening a word; an alias
    ("أبو مهدي المهندس", "muhandis"),
    ("عبدالرحمن مکی", "makki"),  # عبدالرحمن run together, Abdul Rahman apart
    ("حسن طاهر", "tahir"),  # ط then ه: t-h letter by letter, not the digraph th
    ("محمد اسلامی", "eslami"),
])
def test_a_name_in_arabic_script_finds_its_transliteration(query, expected):
    hit = top(query)
    assert hit and hit.entry.entity_id == expected and hit.alert
    assert "Arabic script" in hit.explanation and "read by its consonants as" in hit.explanation


def test_a_reading_by_consonants_scores_below_a_name_read_as_written():
    hit = top("محمد جواد ظریف")
    assert ALERT_THRESHOLD <= hit.score <= SKELETON_SCORE < top("Mohammad Javad Zarif").score


def test_the_lists_own_arabic_spelling_wins_over_the_consonants():
    hit = top("إسماعيل هنية")
    assert hit.entry.entity_id == "haniyeh" and hit.score == 1.0 and "Arabic script" not in hit.explanation


def test_a_name_that_opens_with_another_letter_is_another_name():
    """Salem (سالم) is not Eslami (اسلامی): the alif that opens a name is written."""
    hit = top("محمد سالم")
    assert hit is None or hit.entry.entity_id != "eslami" or not hit.alert


def test_a_name_chain_in_arabic_script_keeps_its_order():
    """خالد بن أحمد is Khalid son of Ahmad: not the listed Ahmad son of Khalid."""
    assert top("أحمد بن خالد الهاشمي").entry.entity_id == "hashimi"
    swapped = top("خالد بن أحمد الهاشمي")
    assert swapped is None or not swapped.alert


def test_given_names_without_the_family_name_are_not_the_person():
    """محمد علي (Muhammad Ali) has two names of Ibrahim Awwad Ibrahim Ali AL-BADRI's chain, not his family's."""
    hit = top("إبراهيم علي")
    assert hit is None or not hit.alert
    assert top("إبراهيم عواد البدري").alert


def test_a_name_chain_with_a_consonant_off_keeps_its_order_as_typed():
    """The word met a consonant off is met after the others: the order is still the query's."""
    hit = top("أحمط بن خالد الهاشمي")
    assert hit and hit.entry.entity_id == "hashimi" and hit.alert and "one letter off" in hit.explanation


def test_one_consonant_off_lowers_the_score():
    exact, off = top("محمد جواد ظریف"), top("محمد جواد ظریب")
    assert off.entry.entity_id == "zarif" and off.score < exact.score


def test_a_single_word_is_too_little_to_read_by_its_consonants():
    hit = top("نصر الله")
    assert hit is None or not hit.alert


def test_a_latin_query_is_never_read_by_its_consonants():
    """Ismael Hanna has the consonants of Ismail Haniyeh; in Latin letters its vowels are there
    to tell them apart."""
    hit = top("Ismael Hanna")
    assert hit is None or not hit.alert


def test_a_company_is_read_by_its_consonants_only_with_its_other_words_translated():
    """A company's name in Arabic script translates its English one's kind words: صمد للتجارة is
    Samad Trading, found by its glossary word in English (trading) and its own by its consonants
    (smd); the entry in Latin letters gets no skeleton (a Latin query is never read so)."""
    assert not [f for f in forms("Samad Trading Company LLC") if f.kind == SKELETON]
    assert [f for f in forms("NASRALLAH, Hassan") if f.kind == SKELETON]
    hit = top("صمد للتجارة")
    assert hit.entry.entity_id == "samad" and hit.alert and "words translated" in hit.explanation


@pytest.mark.parametrize("name", ["ZHANG Xiaoming", "Иван Петров", "Tianjin University"])
def test_names_no_arabic_query_needs_have_no_skeleton(name):
    assert not [f for f in forms(name) if f.kind == SKELETON]
