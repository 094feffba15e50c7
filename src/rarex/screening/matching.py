"""Name matching: one query against many list entries, without comparing it to every entry.

    matcher = Matcher(entries)                  # build the index once per set of list versions
    hits = matcher.search("Beijing Zhongke Sanhuan", country="cn", limit=10)
    hits[0].entry.entity_id, hits[0].score, hits[0].explanation

Every name and alias of every entry is turned into comparable forms with a class on each word
and a weight on each character (:mod:`rarex.screening.normalise`: characters, pinyin and an
English reading for Chinese names; legal forms set aside; places and generic words light, the
distinctive part of a name heavy, numbers heavier).

1. Retrieval: an inverted index from character trigrams of each form's ``compact`` string (no
   spaces, so spacing never matters) to the forms holding them, weighted by how rare the
   trigram is; numpy adds up a query's shared trigram weights per form (on a list of a million
   entities, only the rarest trigrams' postings up to a fixed budget, so a query costs the same
   on any list). An entry that shares no trigram with the query is never looked at. The best
   CANDIDATES entries go on. The index is arrays (:mod:`rarex.screening.segment`), built in
   memory by ``Matcher(entries)`` or once per list version and mapped from files by every
   process (:mod:`rarex.screening.index_store`).
2. Shortlist: rapidfuzz scores every pair of query form and candidate form at once in C
   (whole string, best-matching part, sorted words); the best SHORTLIST entries go on.
3. Scoring (0..1): the two compact strings are aligned (longest common subsequence, from
   either end, or pinned at the query's longest distinctive word) and scored by the weighted
   Dice coefficient of the letters that align; a letter of one name's distinctive part found
   in a place or generic word of the other counts at the lighter weight; the query's generic
   words the entry lacks weigh more than the entry's the query lacks (a partial name leaves
   words out; it does not add them). Words in another order are tried sorted; a word one typo
   from the entry's is read as the entry's. Chinese names meet Chinese names as characters
   (中科三环 and 中科三还 read alike but differ) and Latin names as pinyin or English.
   Then guards, each capping the score below the alert threshold: different places, different
   numbers, a country only the query names (a national branch is not its parent), a
   word substituted on both sides, a name of generic words only against a longer one, and the
   worst-matched distinctive word (Chernov is not Chemezov). Two persons' names are compared
   part by part instead (:mod:`rarex.screening.persons`: left-out middle names and patronymics,
   transliterations, the order of an Arabic name chain, a Chinese given name as one whole). A
   name in Arabic script meets a person's name in Latin letters only by the consonants both
   write (:mod:`rarex.screening.skeleton`), at a score below a name read as written.
4. Country agreement adds a little (never to a capped score), disagreement takes a little
   off; an identifier on both sides is a match on its own.

Each hit explains itself: which form of the query met which name of the entity, how each was
read, and why the score is what it is. The thresholds are set on the labelled set of
tests/screening (test_quality.py) and measured by bench/screening.py.
"""

from __future__ import annotations

import io
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from functools import lru_cache
from itertools import accumulate
from operator import methodcaller
from typing import Any

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA, Indel

from rarex.screening import skeleton
from rarex.screening.normalise import (
    CANTONESE,
    DISTINCTIVE,
    GENERIC,
    PLACE,
    ROMANISED,
    SURNAME_READING,
    Form,
    arabic_bodies,
    build,
    forms,
    is_pinyin,
    split_pinyin,
)
from rarex.screening.persons import (
    CHAIN,
    OTHER_CHINESE_NAME,
    another_name,
    chained,
    hong_kong_given,
    person_score,
    personal,
    servant_names,
    transliteration_key,
)
from rarex.screening.pinyin import pinyin_syllables
from rarex.screening.segment import BLOBS, Builder, Segment, gram_key, names_of
from rarex.screening.vocabulary import COUNTRY_ENDONYMS, STOPWORDS, common_compound, common_word, countries, country_words_of

#: A hit at or above this score blocks a case until an officer resolves it.
ALERT_THRESHOLD = 0.85

#: Entries retrieved by the index, and of those the ones compared in full (more when more hits
#: are asked for). On the labelled queries the right entry is first or second in the
#: shortlist; bench/screening.py gives the same answers with 12 compared as with 5.
CANDIDATES = 50
SHORTLIST = 5
#: A trigram held by more forms than this (and than a tenth of all) is too common to look up.
_COMMON_GRAM_FLOOR = 200
#: Postings one query form adds up in one segment at most, rarest trigrams first (see _retrieve).
_POSTINGS_BUDGET = 20_000
#: ... and at most this many more postings add to the forms found by the first (see _retrieve).
_RESCORE_BUDGET = 250_000
#: Up to this many forms per posting looked up, a table of all forms adds up a query's
#: postings faster than sorting them (see _accumulate).
_DENSE = 8
#: Decoded forms a matcher keeps (a few per candidate of the last few queries).
_FORM_CACHE = 2048
#: Below this plain similarity (0..100) of every pair of forms, whole, part or reordered, no
#: weighting makes a hit of a pair: the entry is not compared in full.
_SHORTLIST_FLOOR = 45
#: What a best-matching part's similarity (0..100) counts for in the shortlist: 9/10 of it.
_PART_SCORE = (np.arange(101, dtype=np.uint8) * 0.9).astype(np.uint8)

#: The most a pair of names scores when they name different places or numbers, or one is only
#: generic words and the other has more: below the alert threshold, above "no match".
_CAP = 0.75
#: ... when each has a word the other lacks (Zhejiang Dahua Construction, Dahua Technology).
_SUBSTITUTED = 0.8
#: A word with one typo counts as the entry's word, at this discount each: from five letters
#: any typo, from four only in a generic word, a vowel or a swap (see _one_typo).
_TYPO_MIN, _TYPO_SHORT, _TYPO_DISCOUNT = 5, 4, 0.97
#: The shortest word a typo is read in on top of another transliteration (see _one_typo).
_KEY_TYPO_MIN = 6
#: ... and from three letters a letter doubled or dropped in a generic word (Ban, Bank) or a
#: doubled letter in any (Laab, Lab).
_TYPO_TINY = 3
#: A letter more or less at the end of the one distinctive word of a name, of at most
#: _LONE_LENGTH letters, is another name as often as a typo (Nafta a.s., Naftan OAO; Dexia,
#: Dexias): the word is all the evidence there is. It ranks first without alerting, as a short
#: surname one letter off does; a letter doubled or spelt another way (Melat, Mellat; Alpha,
#: Alfa) is a typo as anywhere.
_LONE_LENGTH, _LONE_TYPO_DISCOUNT = 6, 0.84
#: ... and two typos from this many letters: in a generic word or place (Uniersit, Offsxhoer,
#: Inusty, Najnnig), in a distinctive word only when long (Rosobronexprot). A generic word typed
#: twice wrong is otherwise the query's only distinctive word, which the entry lacks: no hit at
#: all (6 rather than 8 letters: generated two-typo recall at the alert threshold, tune 0.728 ->
#: 0.751, held-out 0.676 -> 0.693; no labelled negative alerts more).
_TWO_TYPOS_GENERIC, _TWO_TYPOS = 6, 12
#: An alignment this good is not worth trying to better from the other end, nor one this poor
#: (a better alignment moves a few letters, not half the name).
_GOOD_ENOUGH, _HOPELESS = 0.98, 0.5
#: A word with less than this share of its letters matched is missing from the other name.
_MISSING = 0.6
#: A distinctive word matching less than _WORD_OK of its letters caps the score at that share
#: plus _WORD_SLACK.
_WORD_OK, _WORD_SLACK = 0.85, 0.05
#: The least the worst-word bound leaves an entry when one word of the query matches none of
#: its words and every other matches whole: above the search's floor of 0.5 and below the
#: alert, so the hit is lowered, not lost.
_ONE_WORD_UNKNOWN = 0.6
_FROM_HAN = frozenset({"pinyin", "english", SURNAME_READING, ROMANISED, CANTONESE})
#: A match through a surname's other reading (陶 read yao) ranks below one through its usual.
_OTHER_READING = 0.97
_DISCOUNTED = frozenset({SURNAME_READING, ROMANISED, CANTONESE})
#: Readings of names written in Latin letters.
_READ_FROM_LATIN = frozenset({ROMANISED, CANTONESE})
#: What a person's surname alone scores against the person: first in the list, not an alert.
_SURNAME_ALONE = 0.7
_COUNTRY_AGREES = 0.03
_COUNTRY_DIFFERS = 0.07
#: ... where a firm's name is made of common words (Atlas Holding GmbH, Germany, on ATLAS
#: HOLDING, Lebanon): under the alert for a name that agrees; a coined name keeps the 0.07.
_COUNTRY_DIFFERS_COMMON = 0.2
#: The longest word read as initials, which many bodies share (MKB, NIS).
_INITIALS = 3


@dataclass(frozen=True, slots=True)
class Entry:
    """A list entity as the matcher sees it (built from :class:`rarex.screening.models.ListEntity`)."""

    ref: int  # ListEntity.id, or any key unique within the matcher
    entity_id: str  # the id in the imported file
    list_name: str
    name: str
    aliases: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()  # ISO 3166-1 alpha-2, lower case
    identifiers: tuple[str, ...] = ()
    version_id: int | None = None  # the list version it belongs to, when it comes from the database


@dataclass(slots=True)
class Hit:
    entry: Entry
    score: float  # 0..1
    matched_name: str  # the entry's name or alias that matched best
    explanation: str  # one paragraph a person can check
    rank: float = 0.0  # the score before it is rounded and held to 1, for ordering hits

    @property
    def alert(self) -> bool:
        return self.score >= ALERT_THRESHOLD


def _grams(*compacts: str) -> list[str]:
    """The trigrams of the ``compacts``, each padded with ^ and $, each trigram once and sorted:
    in a set's order, which changes with the hash seed, two processes could cut a query's
    trigrams at the budget differently (see _retrieve) and add up its total in another order."""
    return sorted({p[i:i + 3] for p in (f"^{c}$" for c in compacts) for i in range(len(p) - 2)})


def _correct(q: Form, c: Form) -> tuple[Form, list[tuple[str, str, str]]]:
    """The query with each word that is one typo from a word of the entry spelt, and classed,
    as the entry has it, and the corrections made: Dahau is Dahua, Mcahine is Machine, Goup
    is Group, Nour is Noor, but Chernov is not Chemezov and Sina is not Siva. A word that is
    two of the entry's run together, as typed or a typo off (Radioelectronic, Radioelectronik
    for Radio-Electronic), is split as the entry has them; only the typo is a correction. A word
    that is three to five of the entry's by their initials (UAV) is read as those words."""
    theirs = {w: cls for w, cls in zip(c.words, c.classes) if len(w) >= _TYPO_TINY}
    joined = {a + b: [(a, theirs[a]), (b, theirs[b])] for a, b in zip(c.words, c.words[1:]) if a in theirs and b in theirs}
    fixed: list[tuple[str, str, str]] = []  # (as typed, as read, why)
    split = False
    parts: list[list[tuple[str, str]]] = [[p] for p in zip(q.words, q.classes)]
    for i, (w, cls) in enumerate(zip(q.words, q.classes)):
        if (spelt := _initials_of(w, c)) and w not in c.words and not is_pinyin(w):
            parts[i] = spelt
            fixed.append((w, " ".join(word for word, _ in spelt), "its initials"))
            continue
        # A word the vocabulary knows (China, Beijing) is not a misspelling of another, but for
        # a generic word one typo from a distinctive word of the entry's (Comercial, Commercial:
        # Spanish generic, English not).
        if cls == GENERIC and len(w) >= _TYPO_MIN and w not in c.words and any(
                tcls == DISTINCTIVE and _one_typo(w, t, tcls) for t, tcls in theirs.items()):
            cls = DISTINCTIVE
        if cls != DISTINCTIVE or w in c.words:
            continue
        if w in joined:
            parts[i], split = joined[w], True
            continue
        near = [t for t, tcls in theirs.items() if _one_typo(w, t, tcls)] if len(w) >= _TYPO_TINY else []
        if not near and len(w) >= _TYPO_MIN:  # Bank Roassiya: rossiya, which the entry reads as russia
            near = [t for t in theirs if any(_one_typo(w, e, PLACE) for e in _ENDONYMS.get(t, ()))][:1]
        if len(near) > 1:  # Aronautics: one letter from Aeronautics, two from Astronautics
            edits = sorted((OSA.distance(w, t), t) for t in near)
            near = [edits[0][1]] if edits[0][0] < edits[1][0] else near
        if not near and len(w) >= 2 * _TYPO_MIN:
            near = [t for t in joined if _one_typo(w, t, DISTINCTIVE)][:1]
        if len(near) == 1:
            parts[i] = joined.get(near[0]) or [(near[0], theirs[near[0]])]
            fixed.append((w, " ".join(word for word, _ in parts[i]), "a typo"))
        elif (legal := _legal_slip(w, i, q, c)) is not None:
            parts[i] = []
            fixed.append((w, legal, "a typo"))
        # "Science aknd Technology": a linking word typed wrong, between two words of the name
        # (not a syllable among syllables of pinyin: "Yu Zhou Mo Liao" has no du or do).
        elif (q.kind == "latin" and 2 <= len(w) <= _TYPO_SHORT and 0 < i < len(q.words) - 1
              and not all(map(is_pinyin, q.words[i - 1:i + 2]))
              and (linking := [s for s in _LINKING if OSA.distance(w, s, score_cutoff=1) <= 1])):
            parts[i] = []
            fixed.append((w, min(linking, key=lambda s: (abs(len(s) - len(w)), s)), "a typo"))  # adn: and, not an
    if not fixed and not split:
        return q, fixed
    return build(q.kind, [p for ps in parts for p in ps], q.stripped), fixed


#: Country -> its names in its own languages (russia: rossiya, rossii), which a name's form
#: reads as the country: a typo in one is compared with them, not with the English name.
_ENDONYMS = {country: tuple(e for e, c in COUNTRY_ENDONYMS.items() if c == country)
             for country in set(COUNTRY_ENDONYMS.values())}


def _initials_of(word: str, c: Form) -> list[tuple[str, str]] | None:
    """The three to five consecutive words of ``c`` (with their classes) whose initials spell
    ``word`` (UAV: Unmanned Aerial Vehicles), if any. Asked of every word compared, so it
    looks only where the first letter agrees."""
    n = len(word)
    if not 3 <= n <= 5:
        return None
    for i in range(len(c.words) - n + 1):
        if c.words[i][0] == word[0] and all(w[0] == ch for w, ch in zip(c.words[i:i + n], word)):
            return list(zip(c.words[i:i + n], c.classes[i:i + n]))
    return None


#: Endings English adds to a word (Dawn, Dawning; Unite, United; Lead, Leader).
_INFLECTIONS = ("s", "es", "d", "ed", "ing", "er", "ers")


def _inflected(q: Form, c: Form) -> tuple[Form, list[tuple[str, str]]]:
    """Where one side is a Chinese name read into English through the dictionary, each of the
    query's distinctive words that is a word of the entry with an English ending added or taken
    away, spelt as the entry has it: the dictionary gives a word's plain form (曙光 dawn, 联合
    unite, 领先 lead), names inflect it (Dawning Information Industry, United, Leading)."""
    if "english" not in (q.kind, c.kind):
        return q, []
    theirs = {w: cls for w, cls in zip(c.words, c.classes) if cls == DISTINCTIVE and len(w) >= _TYPO_MIN - 1}
    done: list[tuple[str, str]] = []
    parts = list(zip(q.words, q.classes))
    for i, (w, cls) in enumerate(parts):
        if cls != DISTINCTIVE or len(w) < _TYPO_MIN - 1 or w in theirs:
            continue
        for t in theirs:
            short, long_ = sorted((w, t), key=len)
            if long_.startswith(short) and long_[len(short):] in _INFLECTIONS:
                parts[i] = (t, DISTINCTIVE)
                done.append((w, t))
                break
    return (build(q.kind, parts, q.stripped), done) if done else (q, done)


def _legal_slip(word: str, at: int, q: Form, c: Form) -> str | None:
    """The entry's legal-form word that the query's last word is one slip from, where the
    query sets a legal form aside too ("Tech Ceo., Ltd.", "Materials C., Ltd."): the legal
    form typed wrong, not a word of the name the entry lacks (a space typed a letter off,
    "Equipmen tCo.", is put back before: normalise._respaced). Only beside a legal form the query does carry (a last
    word alone may be the name), and only a letter more or less: one letter changed is as
    often another word (Sigma Ink Co. is no Sigma Inc.)."""
    if at != len(q.words) - 1 or at == 0 or not q.stripped or q.kind != "latin":
        return None
    near = [s for s in c.stripped if len(s) >= 2 and s not in q.stripped
            and Indel.distance(word, s, score_cutoff=1) <= 1]
    return near[0] if near else None


_VOWELS = str.maketrans("eiou", "aaaa")
_TRANSLITERATED = 8
#: The linking words of names (of, and, the: left out of every form) that a typo may hide in.
_LINKING = tuple(sorted(w for w in STOPWORDS if len(w) >= 2))


def _other_vowels(word: str, theirs: str) -> bool:
    """A long word of Arabic or Persian in another transliteration, whose vowels it writes
    otherwise (Hezbollah, Hizballah; Mostazafan, Mostazafin): the same length, first letter and
    consonants, _TRANSLITERATED letters or more."""
    return (len(word) == len(theirs) >= _TRANSLITERATED and word[0] == theirs[0]
            and word.translate(_VOWELS) == theirs.translate(_VOWELS))


def _pinyin(word: str) -> bool:
    return split_pinyin(word) is not None


@lru_cache(maxsize=65536)
def _one_typo(word: str, theirs: str, their_class: str) -> bool:
    """One edit or one swap of neighbours apart (two in long words), as spelt or once
    transliterations are set aside (Uralwagonsawod, Uralvagonzavod); for words under five
    letters only a generic word (Goup), another vowel (Nour, Noor: transliterations differ in
    vowels, names in consonants) or a swap (Qdos)."""
    if rests := servant_names(word, theirs):  # Abdulmalik, Abdulkhaliq: judged by malik and khaliq
        return rests[0][0] == rests[1][0] and _one_typo(*rests, their_class)
    edits = 2 if min(len(word), len(theirs)) >= (_TWO_TYPOS_GENERIC if their_class != DISTINCTIVE else _TWO_TYPOS) else 1
    # Transliterations set aside, one edit more (Uralwagonsawod): not in a short word, where a
    # silent e and a typo (Redline, Redin) are two of five letters.
    keys = OSA.distance(transliteration_key(word), transliteration_key(theirs), score_cutoff=1)
    if (OSA.distance(word, theirs, score_cutoff=edits) > edits
            and (keys > 1 or keys == 1 and min(len(word), len(theirs)) < _KEY_TYPO_MIN)
            and not _other_vowels(word, theirs)):
        return False
    if their_class == DISTINCTIVE and _pinyin(word) and _pinyin(theirs):  # Xiaoling, Xiaoming: another given name
        return False  # (but Biejing is Beijing: a place or generic word is no one's name)
    if their_class == DISTINCTIVE and hong_kong_given(word) and hong_kong_given(theirs):  # Tai-man, Fai-man
        return False
    if word in pinyin_syllables() and theirs in pinyin_syllables():  # Tang, Yang: another syllable, whatever it is
        return False
    if min(len(word), len(theirs)) >= _TYPO_MIN or their_class != DISTINCTIVE:
        return True
    if transliteration_key(word) == transliteration_key(theirs):  # Helics, Helix; Alpha, Alfa; Laab, Lab
        return True
    if theirs in CHAIN and sorted(word) == sorted(theirs):  # Osama bni Laden: the particle's letters swapped
        return True
    if min(len(word), len(theirs)) < _TYPO_SHORT:
        return False
    if len(word) != len(theirs):
        return False
    # Another vowel, or two neighbours swapped (Qdos, Qods): the same letters, a typist's slip.
    return word.translate(_VOWELS) == theirs.translate(_VOWELS) or sorted(word) == sorted(theirs)


def _judge(q: Form, c: Form) -> _Score:
    """Score one pair of forms in their given word order (see the module docstring)."""
    dice, q_cov, c_cov = _weighted_dice(q, c)
    parts = {"weighted_letters_agreeing": round(dice, 3)}
    caps: list[tuple[float, str]] = []
    q_missing = [w for w, cov in zip(q.words, q_cov) if cov < _MISSING]
    c_missing = [w for w, cov in zip(c.words, c_cov) if cov < _MISSING]
    if q.places and c.places and not q.places & c.places:
        caps.append((_CAP, f"different places ({', '.join(sorted(q.places))} against {', '.join(sorted(c.places))})"))
    elif c.places and (branch := _branch_place(q, c)):
        caps.append((_SUBSTITUTED, f'the query names a place after the name the entry does not ("{branch}"): '
                                   "a branch elsewhere is not its parent"))
    # (A country the entry names too, though as a generic word, is no branch: 中国 is China.)
    if (abroad := (q.places & countries()).difference(c.words)) and not c.places and q.distinctive and c.distinctive:
        caps.append((_SUBSTITUTED, f"the query names a country the entry does not ({', '.join(sorted(abroad))}): "
                                   "a national branch is not its parent"))
    if q.numbers and c.numbers and q.numbers != c.numbers:
        caps.append((_CAP, f"different numbers ({', '.join(sorted(q.numbers))} against {', '.join(sorted(c.numbers))})"))
    elif q.numbers != c.numbers:  # one side only: Nord Stream AG is not Nord Stream 2 AG, nor CETC's institutes CETC
        caps.append((_SUBSTITUTED, f"the number {', '.join(sorted(q.numbers or c.numbers))} on one side only"))
    if (c_missing and not q.distinctive) or (q_missing and not c.distinctive):
        caps.append((_CAP, "only generic words in common (places, industries, kinds of organisation)"))
    if q_missing and c_missing:
        caps.append((_SUBSTITUTED, f"{', '.join(q_missing)} where the entry has {', '.join(c_missing)}"))
    # The worst-matched distinctive word bounds the score: Chernov is not Chemezov, however
    # long the first names they share. A word of the entry the query leaves out entirely is
    # a partial name (weighed by the Dice coefficient), not a misspelling.
    # A query's word of two letters found nowhere (po for Co., Ic for Inc.) lowers the score
    # through the Dice coefficient only: too short to say it names something else.
    ours = [(_nearest(cov, w, c.words), w) for w, cls, cov in zip(q.words, q.classes, q_cov)
            if cls == DISTINCTIVE and (len(w) > 2 or len(w) == 2 and cov > 0)]
    worst = ours + [(_nearest(cov, w, q.words), w) for w, cls, cov in zip(c.words, c.classes, c_cov)
                    if cls == DISTINCTIVE and len(w) > 1 and cov > 0]
    if worst:
        cov, word = min(worst)
        if cov < _WORD_OK:
            cap = cov + _WORD_SLACK
            # One word of the query the entry lacks, every other found whole ("Rosneft Oil
            # Cmopny", "Aviation Industry Corporation of China, Lti.": a legal form mangled past
            # recognition): shown, never an alert. Words of two letters or one do not count
            # ("Tengden Technology Cj., Lti.", "Ci., Lte."): too short to name anything else.
            if (cov, word) in ours and len(q.words) > 1 and sum(
                    c < _WORD_OK for w, c in zip(q.words, q_cov) if len(w) > 2) == 1:
                cap = max(cap, _ONE_WORD_UNKNOWN)
            caps.append((cap, f'"{word}" matches only {cov:.0%} of its letters'))
    value, how, capped = dice, "spelling", False
    if not q_missing and c_missing:
        how = "part of the name (" + ", ".join(c_missing) + " left out)"
    for cap, why in caps:
        if cap < value:
            value, how, capped = cap, why, True
    return _Score(max(0.0, min(1.0, value)), how, parts, capped)


def _branch_place(q: Form, c: Form) -> str | None:
    """A place the query names after its distinctive words and the entry, which names a place
    of its own, does not: AVIC Xi'an Aircraft Industry Group (Zhuhai) is a branch of AVIC Xi'an
    Aircraft Industry Group. Only after them: a province or city before the name (广东深圳X for
    Shenzhen X) says where the same firm is."""
    last = max((i for i, cls in enumerate(q.classes) if cls == DISTINCTIVE), default=len(q.words))
    return next((w for w, cls in zip(q.words[last + 1:], q.classes[last + 1:])
                 if cls == PLACE and w not in c.words and w not in countries()), None)


def _nearest(cov: float, word: str, others: tuple[str, ...]) -> float:
    """How much of ``word`` the other name holds: the share of its letters aligned (``cov``),
    or where few align because letters are out of order (Adb, Abd; Lma, Lam), its similarity
    to the nearest of the other name's words: a typo lowers the score, it does not drop the hit."""
    if cov >= _WORD_OK:
        return cov
    return max(cov, max((OSA.normalized_similarity(word, o) for o in others), default=0.0))


def _weighted_dice(q: Form, c: Form) -> tuple[float, list[float], list[float]]:
    """Weighted Dice coefficient of the characters the two compact strings share in order
    (their longest common subsequence), and for each word of either side the share of its
    characters that found a partner. The query's unmatched characters weigh QUERY_EXTRA.

    A common subsequence is rarely unique, and the aligner picks the leftmost: "hikvision"
    would take its h from "hangzhou". The alignment is made from both ends and the better
    one kept."""
    n, m = len(q.compact), len(c.compact)
    best = _dice_of(q, c, Indel.opcodes(q.compact, c.compact).as_list())
    if not _HOPELESS < best[0] < _GOOD_ENOUGH:
        return best
    backward = [(tag, n - i2, n - i1, m - j2, m - j1)
                for tag, i1, i2, j1, j2 in Indel.opcodes(q.compact[::-1], c.compact[::-1]).as_list()]
    candidates = [best, _dice_of(q, c, backward)]
    if anchored := _anchored(q, c):
        candidates.append(_dice_of(q, c, anchored))
    return max(candidates, key=lambda r: r[0])


def _anchored(q: Form, c: Form) -> list | None:
    """An alignment pinned at the query's longest distinctive word where it occurs whole in
    the entry's name, the rest aligned on either side: neither end of "hikvision" then
    wanders into "hangzhou" or "technology"."""
    words = [(len(w), s, w) for w, cls, s in zip(q.words, q.classes, q.starts) if cls == DISTINCTIVE and len(w) >= 4]
    for length, a, w in sorted(words, reverse=True):
        b = c.compact.find(w)
        if b < 0:
            continue
        left = Indel.opcodes(q.compact[:a], c.compact[:b]).as_list()
        right = [(tag, i1 + a + length, i2 + a + length, j1 + b + length, j2 + b + length)
                 for tag, i1, i2, j1, j2 in Indel.opcodes(q.compact[a + length:], c.compact[b + length:]).as_list()]
        return left + [("equal", a, a + length, b, b + length)] + right
    return None


def _dice_of(q: Form, c: Form, ops: list) -> tuple[float, list[float], list[float]]:
    q_cover = c_cover = 0  # bit i set: character i is matched
    matched_q = matched_q_extra = matched = 0.0
    # A lone common letter is chance (the h of Zhang in Hangkong), not agreement.
    shortest = 1 if min(len(q.compact), len(c.compact)) <= 2 else 2
    prefix, extra, q_weights, c_weights = q.prefix, q.extra, q.weights, c.weights
    for tag, i1, i2, j1, j2 in ops:
        if tag != "equal" or i2 - i1 < shortest and not (_lone_digit(q, i1) and _lone_digit(c, j1)):
            continue
        weight = prefix[i2] - prefix[i1]
        matched_q += weight
        matched_q_extra += extra[i2] - extra[i1]
        qw, cw = q_weights[i1:i2], c_weights[j1:j2]
        # Letters of the distinctive part of one name found in a place or generic word of
        # the other (shan in Shanghai) count at the lighter weight.
        matched += weight if qw == cw else sum(map(min, qw, cw))
        run = (1 << (i2 - i1)) - 1
        q_cover |= run << i1
        c_cover |= run << j1
    q_total = extra[-1] - matched_q_extra + matched_q  # matched at their weight, the rest at QUERY_EXTRA
    total = q_total + c.prefix[-1]
    dice = 2 * matched / total if total else 0.0
    return dice, _coverage(q, q_cover), _coverage(c, c_cover)


def _lone_digit(form: Form, i: int) -> bool:
    """Whether character ``i`` is a number of one digit, a word alone (Nord Stream 2, Plant No.
    5): a lone common letter is chance, a lone common number is the name's."""
    return form.compact[i].isdigit() and i in form.starts and (i + 1 == len(form.compact) or i + 1 in form.starts)


def _coverage(form: Form, cover: int) -> list[float]:
    """The share of each word's characters whose bit is set in ``cover``."""
    if not cover:
        return [0.0] * len(form.words)
    if cover == (1 << len(form.compact)) - 1:
        return [1.0] * len(form.words)
    return [((cover >> s) & ((1 << n) - 1)).bit_count() / n for s, n in zip(form.starts, map(len, form.words))]


def _reading(name: str, form: Form) -> str:
    """How the explanation says a name was read, when it was read as something else."""
    if form.kind == "han":
        if form.compact in name:
            return ""
        if len(form.compact) > len(name):  # an abbreviation read as the full name (中船重工)
            return f' read in full as "{form.compact}"'
        return f' read in simplified characters as "{form.compact}"'
    if form.kind == skeleton.SKELETON:
        return f' read by its consonants as "{form.text}"'
    return f' read as "{form.text}"' if form.kind != "latin" else ""


def _identifier_key(value: str) -> str:
    return "".join(c for c in value.upper() if c.isalnum())


@dataclass(slots=True)
class _Score:
    value: float
    how: str
    parts: dict
    capped: bool = False  # a guard set the score: country agreement must not lift it

def _surname_alone(q: Form, c: Form) -> bool:
    """Whether the query is one word, the surname of a person's name (Usmanov for "USMANOV,
    Alisher Burkhanovich"): worth ranking, never an alert (many people share a surname)."""
    if len(q.words) != 1 or q.classes[0] != DISTINCTIVE or len(q.words[0]) < 4 or not personal(c):
        return False
    family = c.words[-c.surnames:] if c.surnames else c.words[:1] if c.kind in _FROM_HAN else c.words[-1:]
    key = transliteration_key(q.words[0])
    return any(transliteration_key(w) == key for w in family)


def _free_order(q: Form, c: Form) -> bool:
    """Whether the words of the two names may be compared in any order: not in an Arabic name
    chain (Ahmad bin Khalid is Khalid's son, Khalid bin Ahmad Ahmad's), nor what may be a
    person's name against a company's (Li Fang is not 方立物流, Fangli Logistics, read backwards)."""
    if personal(q) and (c.stripped or GENERIC in c.classes):
        return False
    return not (chained(q) or chained(c))


@lru_cache(maxsize=65536)
def _reordered(form: Form) -> Form:
    """The words in alphabetical order; in a name read from characters, each run of
    distinctive syllables stays one word (陈全国 may be Quanguo Chen, never Guoquan Chen)."""
    if form.kind not in _FROM_HAN:
        return form.sorted()
    if all(c == DISTINCTIVE for c in form.classes) and len(form.words) <= 4:  # a person: surname, given name
        return build(form.kind, [(form.words[0], DISTINCTIVE), ("".join(form.words[1:]), DISTINCTIVE)],
                     form.stripped).sorted()
    parts: list[tuple[str, str]] = []
    for w, cls in zip(form.words, form.classes):
        if parts and cls == DISTINCTIVE == parts[-1][1]:
            parts[-1] = (parts[-1][0] + w, cls)
        else:
            parts.append((w, cls))
    return build(form.kind, parts, form.stripped).sorted()



class Matcher:
    """An index over a fixed set of entries; build a new one when the lists change.

    ``Matcher(entries)`` builds it in memory; ``Matcher(segments=...)`` reads segments built
    once per list version and mapped from files (:mod:`rarex.screening.index_store`), one per
    list, searched together. Either way the entries, forms and postings are arrays of a
    :class:`~rarex.screening.segment.Segment`; what follows reads them through views indexed
    as lists are (``self.entries[e]``, ``self._forms[fi]``, ``self._entry_forms[e]``), each
    decoding only the record asked for."""

    def __init__(self, entries: Iterable[Entry] = (), *, segments: Sequence[Segment] | None = None) -> None:
        if segments is None:
            segments = [in_memory(entries)]
        self._segments = list(segments)
        #: Where each segment's entries and forms start in the matcher's numbering.
        self._entry_starts = list(accumulate((s.n_entries for s in self._segments), initial=0))
        self._form_starts = list(accumulate((s.n_forms for s in self._segments), initial=0))
        segs, entry_starts, form_starts = self._segments, self._entry_starts, self._form_starts

        def name_of(k: int, f: int) -> str:
            return names_of(segs[k].entry(int(segs[k].form_entry[f])))[segs[k].slot(f)]

        def forms_of(k: int, e: int) -> range:
            span = segs[k].forms_of(e)
            return range(span.start + form_starts[k], span.stop + form_starts[k])

        self.entries: Sequence[Entry] = _View(entry_starts, lambda k, e: Entry(*segs[k].entry(e)))
        self._entry_forms: Sequence[range] = _View(entry_starts, forms_of)
        # The few forms a query reaches are read twice (pairs, then the hit): decoded once.
        self._forms: Sequence[Form] = _View(form_starts, lambda k, f: segs[k].form(f), cache=_FORM_CACHE)
        self._form_name: Sequence[str] = _View(form_starts, name_of)
        self._identifiers = _Identifiers(self)

    def __len__(self) -> int:
        return len(self.entries)

    # --- retrieval ---------------------------------------------------------------------------

    def _candidate_indexes(self, qforms: tuple[Form, ...], limit: int) -> list[int]:
        """Entry indexes sharing the most (rare) trigrams with any query form, best first."""
        scores: dict[int, float] = {}
        for q in qforms:
            if q.kind == "han":
                continue
            each = [_grams(s) for s in (q.compact, *_rotations(q))]
            grams = sorted(set().union(*each))  # as _grams(*strings), each string's read once
            keys = np.fromiter((gram_key(g) for g in grams), dtype=np.int64, count=len(grams))
            place = {g: i for i, g in enumerate(grams)}
            sources = [np.array([place[g] for g in mine]) for mine in each] if len(each) > 1 else None
            # Per segment: the entries of the forms found (in the matcher's numbering), and their scores.
            found = [(seg.form_entry[t] + start, score) for seg, start in zip(self._segments, self._entry_starts)
                     if (r := _retrieve(seg, keys, sources)) is not None for t, score in [r]]
            if not found:
                continue
            owners = np.concatenate([t for t, _ in found]) if len(found) > 1 else found[0][0]
            score = np.concatenate([v for _, v in found]) if len(found) > 1 else found[0][1]
            keep = min(len(owners), 3 * limit)  # an entry has a few forms: enough to fill limit
            top = np.argpartition(-score, keep - 1)[:keep] if len(owners) > keep else np.arange(len(owners))
            for e, value in zip(owners[top].tolist(), score[top].tolist()):
                if value > scores.get(e, 0.0):
                    scores[e] = value
        return sorted(scores, key=lambda e: -scores[e])[:limit]

    def candidates(self, name: str, *, limit: int = CANDIDATES) -> list[Entry]:
        """The entries the index proposes for ``name`` (retrieval only, best first)."""
        return [self.entries[i] for i in self._candidate_indexes(_query_forms(name), limit)]

    # --- scoring -----------------------------------------------------------------------------

    def _score(self, q: Form, c: Form) -> _Score:
        best = self._compare(q, c)
        if SURNAME_READING in (q.kind, c.kind):
            best.value *= _OTHER_READING
            best.how = "the surname read another way; " + best.how
        elif q.kind in _READ_FROM_LATIN or c.kind in _READ_FROM_LATIN:
            best.value *= _OTHER_READING
            best.how = "read from another romanisation (Wade–Giles, Cantonese) as pinyin; " + best.how
        return best

    def _compare(self, q: Form, c: Form) -> _Score:
        if q.kind == skeleton.SKELETON:
            value, how = skeleton.score(q.words, c.words) or (0.0, "consonants of the names differ")
            return _Score(value, how, {}, capped=True)
        if q.kind == skeleton.ARABIC_BODY:
            value, how = (skeleton.body_score(q.words, q.classes, c.words, c.classes, DISTINCTIVE)
                          or (0.0, "consonants of the names differ"))
            return _Score(value, how, {}, capped=True)
        if q.compact == c.compact:
            return _Score(1.0, "same name once normalised", {})
        person = person_score(q, c)
        if person is not None and not person.near:  # persons' names whose parts correspond (or, decisively, do not)
            return _Score(person.value, person.how, {}, capped=person.decisive)
        spelling = self._spelling(q, c)
        if person is not None and person.value > spelling.value:  # a part two letters off
            return _Score(person.value, person.how, {}, capped=person.decisive)
        if spelling.value > OTHER_CHINESE_NAME and (why := another_name(q, c)):
            return _Score(OTHER_CHINESE_NAME, why, {}, capped=True)
        if spelling.value < _SURNAME_ALONE and _surname_alone(q, c):
            return _Score(_SURNAME_ALONE, f'the surname "{q.words[0]}" alone', {}, capped=True)
        return spelling

    def _spelling(self, q: Form, c: Form) -> _Score:
        q, inflected = _inflected(q, c)
        q, fixed = _correct(q, c)
        # Corrected, the same letters as the entry's but for spaces (Radioelectronic Tehnologies).
        best = _Score(1.0, "same name once normalised", {}) if fixed and q.compact == c.compact else _judge(q, c)
        if (len(q.words) > 1 and len(c.words) > 1 and best.value < 0.97 and _free_order(q, c)
                and fuzz.token_sort_ratio(q.text, c.text) > fuzz.ratio(q.compact, c.compact)):
            qs, cs = _reordered(q), _reordered(c)
            # Both already in order: the same pair, judged above.
            other = (_Score(1.0, "same words in another order", {}) if qs.compact == cs.compact
                     else best if qs.words == q.words and cs.words == c.words else _judge(qs, cs))
            if other.value > best.value:
                other.how = other.how if qs.compact == cs.compact else "words in another order; " + other.how
                best = other
        if fixed:
            lone = [w for w, cls in zip(c.words, c.classes) if cls == DISTINCTIVE]
            notes = []
            for typed, read, why in fixed:
                longer, shorter = sorted((typed, read), key=len, reverse=True)
                ending = longer[:-1] == shorter and longer[-1] != shorter[-1:]  # not Helixx
                if why == "a typo" and lone == [read] and len(read) <= _LONE_LENGTH and ending:
                    best.value *= _LONE_TYPO_DISCOUNT
                    why = "a typo, or another name: a letter more or less at the end of the one word that names it"
                else:
                    best.value *= _TYPO_DISCOUNT
                notes.append(f'"{typed}" read as "{read}" ({why})')
            best.how = ", ".join(notes) + "; " + best.how
        if inflected:  # as a typo is: the dictionary's reading is not the name's own
            best.value *= _TYPO_DISCOUNT ** len(inflected)
            best.how = ", ".join(f'"{a}" read as "{b}"' for a, b in inflected) + " (another form of the word); " + best.how
        return best

    @staticmethod
    def _pairs(qforms: tuple[Form, ...], cforms: list[tuple[int, Form]]):
        """The pairs of forms worth comparing: characters with characters; the pinyin and
        English reading of characters only with names written in Latin letters (or their
        pinyin readings: Cheng Yeuk-wah, zheng ruohua), and only when the entry has no name in
        characters (two Chinese names that read alike are not the same name, and a list's own
        Chinese name outweighs any reading of the query). Nor a Hong Kong given name's reading
        with another reading of a Latin name: their own spellings say whether they are one
        (Kwok-fai and Kwok-wai both read guohui)."""
        q_han = any(f.kind == "han" for f in qforms)
        c_han = q_han and any(c.kind == "han" for _, c in cforms)
        for fi, c in cforms:
            c_from_han = c.kind in _FROM_HAN and c.kind not in _READ_FROM_LATIN
            for q in qforms:
                if (q.kind == "han") != (c.kind == "han") or (q.kind == skeleton.SKELETON) != (c.kind == skeleton.SKELETON):
                    continue
                if q.kind == skeleton.ARABIC_BODY and c.kind not in ("latin", "english"):
                    continue  # a body's name in Arabic script against one in Latin letters only
                if CANTONESE in (q.kind, c.kind) and q.kind in _READ_FROM_LATIN and c.kind in _READ_FROM_LATIN:
                    continue
                if q.kind != "han" and q_han and (c_from_han or c_han):
                    continue
                yield q, c, fi

    def search(self, name: str, *, country: str | None = None, identifiers: Iterable[str] = (),
               limit: int = SHORTLIST, min_score: float = 0.5) -> list[Hit]:
        """The best ``limit`` hits at or above ``min_score``, best first (the best ``limit``
        entries of the shortlist, at least SHORTLIST, are compared in full)."""
        qforms = _query_forms(name)
        country = (country or "").strip().lower() or None
        by_identifier: dict[int, str] = {}
        for ident in identifiers:
            key = _identifier_key(ident)
            for e in self._identifiers.get(key, ()):
                by_identifier[e] = ident
        indexes = self._shortlist(qforms, self._candidate_indexes(qforms, max(CANDIDATES, limit)), max(SHORTLIST, limit))
        indexes += [e for e in by_identifier if e not in set(indexes)]
        hits = [self._hit(e, name, qforms, self._entry_forms[e], country, by_identifier.get(e)) for e in indexes]
        hits = [h for h in hits if h.score >= min_score]
        hits.sort(key=lambda h: (-h.rank, h.entry.list_name, h.entry.entity_id))
        return hits[:limit]

    def _shortlist(self, qforms: tuple[Form, ...], indexes: list[int], size: int) -> list[int]:
        """The retrieved entries worth the full comparison: the best ``size``, at or above
        _SHORTLIST_FLOOR, by plain similarity of any pair of forms (the whole string, its
        best-matching part for a partial name at 9/10 of its similarity, its words sorted, or
        each word against its best match: see _word_by_word), computed for all pairs at once
        by rapidfuzz in C.

        The best-matching part costs ten times the other two, and only counts where it lifts an
        entry into the best ``size``: it is computed with a cutoff below which it cannot (the
        ``size``-th best entry by the other two), which lets rapidfuzz skip most of the work."""
        if not qforms:
            return indexes
        names, texts, counts = self._form_strings(indexes)
        if not names:
            return []
        kept = np.flatnonzero(counts)  # an entry without forms has nothing to compare
        at = np.concatenate(([0], np.cumsum(counts[kept])[:-1]))
        queries = [q.compact for q in qforms]
        rotated = queries + [r for q in qforms for r in _rotations(q)]
        plain = np.maximum(process.cdist(rotated, names, scorer=fuzz.ratio, dtype=np.uint8).max(axis=0),
                           process.cdist([q.text for q in qforms], texts, scorer=fuzz.token_sort_ratio,
                                         dtype=np.uint8).max(axis=0))
        per_entry = np.maximum.reduceat(np.maximum(plain, _word_by_word(qforms, texts)), at)
        need = max(_SHORTLIST_FLOOR, int(np.partition(per_entry, -size)[-size]) if len(per_entry) > size else 0)
        cutoff = int(np.searchsorted(_PART_SCORE, need))  # the least similarity of a part that reaches it
        if cutoff < len(_PART_SCORE):
            # rapidfuzz rounds a score to the nearest integer for uint8: cut at the half below.
            part = process.cdist(queries, names, scorer=fuzz.partial_ratio, dtype=np.uint8,
                                 score_cutoff=cutoff - 0.5).max(axis=0)
            per_entry = np.maximum(per_entry, np.maximum.reduceat(_PART_SCORE[part], at))
        order = np.argsort(-per_entry.astype(np.int16), kind="stable")[:size]
        return [indexes[kept[i]] for i in order.tolist() if per_entry[i] >= _SHORTLIST_FLOOR]

    def _form_strings(self, indexes: list[int]) -> tuple[list[str], list[str], np.ndarray]:
        """The forms of the entries ``indexes``, in order: their compact strings and texts, and
        how many each entry has (read from each segment at once: this is the innermost loop of
        a search)."""
        counts = np.zeros(len(indexes), dtype=np.int64)
        entries = np.asarray(indexes, dtype=np.int64)
        which = np.searchsorted(self._entry_starts, entries, side="right") - 1
        names: list[str] = []
        texts: list[str] = []
        owners = []
        for k in sorted(set(which.tolist())):
            at = np.flatnonzero(which == k)
            seg = self._segments[k]
            local = entries[at] - self._entry_starts[k]
            first = seg.entry_forms[local]
            counts[at] = n = seg.entry_forms[local + 1] - first
            c, t = seg.strings_of(np.arange(int(n.sum())) + np.repeat(first - (np.cumsum(n) - n), n))
            names += c
            texts += t
            owners.append(np.repeat(at, n))
        if len(owners) > 1:  # entries of several segments: back in the order asked for
            order = np.argsort(np.concatenate(owners), kind="stable").tolist()
            names, texts = [names[i] for i in order], [texts[i] for i in order]
        return names, texts, counts

    def _hit(self, e: int, query: str, qforms, form_indexes: list[int], country: str | None,
             identifier: str | None) -> Hit:
        entry = self.entries[e]
        # The entity's own country, only where a query's form names a place (see _at_home).
        home = (frozenset().union(*map(country_words_of, entry.countries))
                if entry.countries and any(f.places for f in qforms) else frozenset())
        best: tuple[_Score, Form, int] | None = None
        for q, c, fi in self._pairs(qforms, [(fi, self._forms[fi]) for fi in form_indexes]):
            if best is not None and best[0].value >= _OTHER_READING and (q.kind in _DISCOUNTED or c.kind in _DISCOUNTED):
                continue  # another reading, discounted, cannot do better
            if q.places & home:
                q = _at_home(q, c, home)
            s = self._score(q, c)
            if best is None or s.value > best[0].value:
                best = (s, q, fi)
                if s.value >= 1.0:  # no pair scores more
                    break
        if best is None:
            score, qf, cf, matched = _Score(0.0, "no comparable name", {}), None, None, entry.name
        else:
            score, qf, fi = best
            cf, matched = self._forms[fi], self._form_name[fi]
        value = score.value
        notes = []
        if qf is not None and all(qf is not f for f in qforms):  # see _at_home
            own = sorted(home.intersection(w for f in qforms for w in f.words).difference(qf.words))
            notes.append(f"{', '.join(own)}: the entity's own country, set aside")
        if identifier is not None:
            value = 1.0
            notes.append(f"identifier {identifier} is the entity's")
        if country and entry.countries:
            if country in entry.countries:
                if not score.capped:
                    value += _COUNTRY_AGREES
                    notes.append(f"country {country.upper()} agrees (+{_COUNTRY_AGREES})")
            else:
                common = _common_name(qf, cf)
                cost = _COUNTRY_DIFFERS_COMMON if common else _COUNTRY_DIFFERS
                value = max(0.0, value - cost)
                notes.append(f"country {country.upper()} differs from the entity's "
                             f"{', '.join(c.upper() for c in entry.countries)}"
                             + (f", and a firm's name of common words or initials ({', '.join(common)}) is many "
                                "firms' names"
                                if common else "") + f" (-{cost})")
        explanation = _explain(query, qf, matched, cf, entry, score, notes)
        # Ranked before rounding and the ceiling of 1: an exact name with its country outranks
        # a near name with its country, though both show 1.0.
        return Hit(entry, round(min(1.0, value), 4), matched, explanation, rank=value)


def _common_name(q: Form | None, c: Form | None) -> tuple[str, ...]:
    """The query's distinctive words where each is a common English word, two run together
    (CargoLine GmbH, Germany, is not CARGOLINE LLC, Kyrgyzstan), or initials of three letters
    at most (MKB Bank Nyrt., Hungary, is not Moskovskiy Kreditnyy Bank, MKB, Russia)
    and the query and the entry's name are a firm's (a person's name is common too, and a
    person's country on a list is a nationality or a residence, not where the person is): ()
    otherwise."""
    if q is None or c is None or q.kind != "latin" or personal(q) or personal(c):
        return ()
    words = tuple(w for w, cls in zip(q.words, q.classes) if cls == DISTINCTIVE)
    return words if words and all(len(w) <= _INITIALS or common_word(w) or common_compound(w) for w in words) else ()


def _at_home(q: Form, c: Form, home: frozenset[str]) -> Form:
    """The query without the entity's own country, where the entry's name does not say it
    (Bandes Venezuela for BANDES, a Venezuelan bank): no branch abroad, only what the entity's
    record says already. Kept where nothing distinctive would remain and the entry has a
    distinctive word (a country alone names no one; but Sudan Defense Industries System is the
    Sudanese DEFENSE INDUSTRIES SYSTEM, a name of generic words), and where the entry's name
    holds the country run into a word (Syria Tel for SYRIATEL: without it, "tel" alone)."""
    kept = [(w, cls) for w, cls in zip(q.words, q.classes) if w not in home or w in c.compact]
    if len(kept) == len(q.words) or not kept or (c.distinctive and not any(cls == DISTINCTIVE for _, cls in kept)):
        return q
    return build(q.kind, kept, q.stripped, q.surnames)


def _query_forms(name: str) -> tuple[Form, ...]:
    """The forms a query is compared by: a consonant skeleton only of a name in Arabic script
    (a Latin query's would meet every name with its consonants: it is the entries' side)."""
    found = forms(name)
    if skeleton.is_arabic_script(name):
        return found + arabic_bodies(name)
    return tuple(f for f in found if f.kind != skeleton.SKELETON)


def _rotations(q: Form) -> list[str]:
    """A short name's compact string with its last word first and with its first word last: a
    person's name with the surname at the other end (Mei JIANG, 蒋梅 read jiang mei; Yunjun Hu;
    Xin Zhu, which also reads as the place Hsinchu), for retrieval and the shortlist, which
    compare whole strings."""
    if not 2 <= len(q.words) <= 4 or q.stripped or not all(map(str.isalpha, q.words)):
        return []
    return ["".join(q.words[-1:] + q.words[:-1]), "".join(q.words[1:] + q.words[:1])]


def _word_by_word(qforms: tuple[Form, ...], texts: list[str]) -> np.ndarray:
    """For each candidate form, how alike the query's words are to their best matches among
    its words (0..100, by the query's letters): "Iwan Petrow" against "petrov ivan sergeyevich"
    or "Sergey Shoygu" against "shoigu sergei kuzhugetovich", which whole-string similarity
    ranks below every other Sergei of a list of persons. One rapidfuzz call for all words."""
    # A text is its words joined by single spaces (an empty one, one empty word): split at once.
    words = " ".join(texts).split(" ")
    starts = np.cumsum([0, *map(methodcaller("count", " "), texts)]) + np.arange(len(texts) + 1)
    starts = starts[:-1]
    q_words = [w for q in qforms for w in q.words]
    best = np.maximum.reduceat(process.cdist(q_words, words, scorer=fuzz.ratio, dtype=np.uint8), starts, axis=1)
    out = np.zeros(len(texts), dtype=np.uint8)
    row = 0
    for q in qforms:
        if not (n := len(q.words)):
            continue
        weights = np.fromiter(map(len, q.words), dtype=np.float32, count=n)
        out = np.maximum(out, (weights @ best[row:row + n] / weights.sum()).astype(np.uint8))
        row += n
    return out


def _retrieve(seg: Segment, keys: np.ndarray, sources: list[np.ndarray] | None = None
              ) -> tuple[np.ndarray, np.ndarray] | None:
    """The forms of one segment sharing a looked-up trigram with the query (``keys``, one per
    trigram, ascending), and how much they share: half how much of the query the form holds
    (partial names), half weighted Jaccard. ``sources``: where the query is read in several
    orders (see _rotations), the places in ``keys`` of each order's trigrams, the query as
    typed first.

    Trigrams in a tenth of all forms or more (ing, ong, han) weigh least and cost most: they
    count in the query's total but are not looked up. On a long list the rest can still hold
    millions of postings (every "yu" and "lin" of a million names), so the work is bounded:

    1. the rarest trigrams, up to _POSTINGS_BUDGET postings, name the forms that may be meant
       (the pool; on a short list every trigram fits, and this is the whole retrieval); where
       the query is read in several orders, each order's rarest share the budget alike: the
       trigrams where a rotation joins the last word to the first ("Wuye Nanning": yen, ena)
       are the rarest of all because no name holds them, and alone they would spend the
       whole budget on a pool without the name as typed;
    2. the next rarest, up to _RESCORE_BUDGET postings, only add their weight to the pool's
       forms that hold them (a look-up per posting in a table of the pool, no sorting): a
       reordered name ("Yulin Fu", "Fu Yulin") shares few rare trigrams with its entry, and
       it is the common ones that tell it from the pool's other forms.

    The cost of a query then stays bounded however long the list."""
    gk = seg.gram_keys
    if not len(gk):
        return None
    at = np.minimum(np.searchsorted(gk, keys), len(gk) - 1)
    found = gk[at] == keys
    df = np.where(found, seg.gram_off[at + 1] - seg.gram_off[at], 0)
    chosen = np.flatnonzero(found & (df <= max(_COMMON_GRAM_FLOOR, seg.n_for_common // 10)))
    if not len(chosen):
        return None
    q_total = sum(np.where(found, seg.gram_weight[at], seg.unseen_gram).tolist())
    rest = chosen[:0]
    if df[chosen].sum() > _POSTINGS_BUDGET:
        ordered = chosen[np.argsort(df[chosen], kind="stable")]
        pool = np.zeros(len(keys), dtype=bool)
        for mine in [ordered] if sources is None else [ordered[np.isin(ordered, s)] for s in sources]:
            budget = _POSTINGS_BUDGET // (1 if sources is None else len(sources))
            pool[mine[:max(1, int(np.searchsorted(np.cumsum(df[mine]), budget, side="right")))]] = True
        chosen, rest = np.flatnonzero(pool), ordered[~pool[ordered]]
        rest = rest[:int(np.searchsorted(np.cumsum(df[rest]), _RESCORE_BUDGET, side="right"))]
    touched, s = _accumulate(seg, at[chosen])
    if len(rest):
        _rescore(seg, at[rest], touched, s)
    return touched, 0.5 * s / q_total + 0.5 * s / (q_total + seg.form_weight[touched] - s)


def _postings_of(seg: Segment, grams: np.ndarray) -> list[np.ndarray]:
    return [seg.post_forms[a:b] for a, b in zip(seg.gram_off[grams].tolist(), seg.gram_off[grams + 1].tolist())]


def _accumulate(seg: Segment, grams: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The forms holding any of ``grams`` (ascending) and the weight of those they hold.

    Without sorting the postings by form and back (which costs more than the rest of a
    retrieval): while the segment has at most _DENSE forms per posting, the weights are added
    up in a table of all forms and the touched ones picked out of it; on a longer list, the
    forms are sorted (values only) and the weights added up by place, found in the segment's
    scratch table. Either way each form's weights are added in the order of ``grams``, so the
    sums are the same to the last bit."""
    postings = np.concatenate(_postings_of(seg, grams))
    weights = np.repeat(seg.gram_weight[grams], seg.gram_off[grams + 1] - seg.gram_off[grams])
    if seg.n_forms <= _DENSE * len(postings):
        s = np.bincount(postings, weights=weights, minlength=seg.n_forms)
        touched = np.flatnonzero(s > 0)  # a trigram weighs more than 0
        return touched, s[touched]
    ordered = np.sort(postings)
    touched = ordered[np.r_[True, ordered[1:] != ordered[:-1]]]
    with seg.scratch() as where:  # form id -> its place among the touched
        where[touched] = np.arange(len(touched), dtype=np.int32)
        try:
            return touched, np.bincount(where[postings], weights=weights)
        finally:
            where[touched] = 0


def _rescore(seg: Segment, grams: np.ndarray, pool: np.ndarray, s: np.ndarray) -> None:
    """Add to ``s`` (aligned with ``pool``) the weight of each of ``grams`` its form holds."""
    with seg.scratch() as where:  # form id -> 1 + its place in the pool; 0 for the rest
        where[pool] = np.arange(1, len(pool) + 1, dtype=np.int32)
        try:
            for gram, posting in zip(grams.tolist(), _postings_of(seg, grams)):
                hit = where[posting]
                hit = hit[hit > 0] - 1
                s[hit] += seg.gram_weight[gram]  # a form holds a trigram once: no place twice
        finally:
            where[pool] = 0


class _View(Sequence):
    """Records of the matcher's segments by the matcher's numbering, decoded when asked for."""

    def __init__(self, starts: list[int], read: Callable[[int, int], Any], cache: int = 0):
        self.starts, self.read = starts, read
        self.cache_size, self.cache = cache, OrderedDict[int, Any]()

    def __len__(self) -> int:
        return self.starts[-1]

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < self.starts[-1]:
            raise IndexError(i)
        if self.cache_size:
            if (found := self.cache.get(i)) is not None:
                return found
            if len(self.cache) >= self.cache_size:
                with suppress(KeyError):  # another thread emptied it first
                    self.cache.popitem(last=False)
        k = bisect_right(self.starts, i) - 1 if len(self.starts) > 2 else 0
        value = self.read(k, i - self.starts[k])
        if self.cache_size:
            self.cache[i] = value
        return value


class _Identifiers:
    """Entries by identifier key, as a mapping's ``get``: a hash proposes, the entry's own
    identifiers decide."""

    def __init__(self, matcher: Matcher):
        self.matcher = matcher

    def get(self, key: str, default=()) -> list[int]:
        out = [start + e for seg, start in zip(self.matcher._segments, self.matcher._entry_starts)
               for e in seg.entries_with_identifier(key)
               if key in {_identifier_key(i) for i in Entry(*seg.entry(e)).identifiers}]
        return out or list(default)


def in_memory(entries: Iterable[Entry]) -> Segment:
    """A segment of ``entries`` built in memory (what ``Matcher(entries)`` searches)."""
    buffers: dict[str, io.BytesIO] = {}

    def open_blob(name: str) -> io.BytesIO:
        return buffers.setdefault(name, io.BytesIO())

    builder = Builder(open_blob, workers=1)
    builder.add_all(entry_record(e) for e in entries)
    arrays = builder.finish()
    arrays.update({name: np.frombuffer(buffers[name].getvalue(), dtype=np.uint8) for name in BLOBS})
    return Segment(arrays)


def entry_record(entry: Entry) -> tuple[tuple, list[str]]:
    """An entry as a segment stores it: its fields in order (name and aliases fourth and fifth),
    and its identifier keys."""
    fields = tuple(getattr(entry, f.name) for f in dataclass_fields(Entry))
    return fields, [k for ident in entry.identifiers if (k := _identifier_key(ident))]


def _explain(query: str, qf: Form | None, matched: str, cf: Form | None, entry: Entry, score: _Score,
             notes: list[str]) -> str:
    """One paragraph a person can check: which form of the query met which of the entity's
    names (and how each was read), the reason for the score, and the adjustments."""
    if qf is None or cf is None:
        return "; ".join(notes) or "nothing comparable in the query"
    which = "name" if matched == entry.name else "alias"
    reading = _reading(query, qf) + (f" (legal form {' '.join(qf.stripped)} set aside)" if qf.stripped else "")
    theirs = _reading(matched, cf) + (f" (legal form {' '.join(cf.stripped)} set aside)" if cf.stripped else "")
    parts = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in score.parts.items())
    text = (f'query "{query}"{reading} matches the {which} "{matched}"{theirs} of {entry.list_name} '
            f"entity {entry.entity_id}: {score.how}, {score.value:.2f}")
    if parts:
        text += f" ({parts})"
    if notes:
        text += "; " + "; ".join(notes)
    return text
