"""Persons' names compared part by part: given names, patronymics, surnames and name chains.

A company's name is one string whose distinctive part matters most; a person's name is a set
of parts, some of which a list carries and a query leaves out. "Ivan Petrov" is the man the
list writes "PETROV, Ivan Sergeyevich" (patronymic and middle names are left out in use,
surname and first given name are not); "Nicolas Maduro" is "MADURO MOROS, Nicolas" (a second
surname dropped). Western given names and surnames come in either order. Arabic name chains do
not: in "Ahmad bin Khalid" Ahmad is Khalid's son, and "Khalid bin Ahmad" is his father, so
where a chain particle (bin, ibn, bint, abu...) stands, the parts must keep their order. The
given names keep theirs without one too ("KARTI, Ali Ahmed" is Ali son of Ahmed; Ahmed Ali
Karti is not him): people move the surname, not the given names among themselves.

Parts are compared through a transliteration key (Prigozhin and Prigojin, Usmanov and
Usmanow, Sergey and Sergei, Kabayeva and Kabaeva, Muhammad and Mohammed come closer; so do the
German and French spellings of Russian names, Kowaltschuk and Setchine), a Korean surname's
romanisations (Lee, Yi, Ri; Park, Pak) and, between two Korean names, its given names'
(Jong, Chong), Burmese aspirates written or not (Htun, Tun), the e of an Arabic name's last
syllable (Ahmed, Ahmad; Khaled, Khalid), and the consonants of Arabic and Persian names whose
vowels transliterations disagree on (Husayn, Hossein). A part one or two letters off counts for
less, so a misspelt name scores lower instead of being lost. Two
pinyin given names that differ by a syllable (Xiaoming, Xiaoling) are different names, not
typos; so are two Hong Kong ones (Kwok-wai, Kwok-wah) and two Korean ones (Jong Sik, Jang Sik).

A surname is the part that tells one family from another, and lists are full of families whose
names differ by a letter: one letter off in a short surname (Maduro, Madura), or a vowel added
or taken away at its end (Petrov, Petrova; Hashem, Hashemi), is as often another family as a
typo, so it bounds the score below the alert threshold while the entry still ranks first; in a
long surname, or beside two other parts that agree (Sergei Viktorovich Lavrav), one slip of
the hand is a typo and still alerts. Of two surnames (CARO QUINTERO) people
drop the second, the mother's; the first left out is likely another family, and does not alert.
Nor does a given name in the other sex's form (Yevgeniy, Yevgeniya): relatives are listed
together.

Only names that look like persons' names are compared so (every word distinctive, no legal
form, two to eight words); where the parts correspond, this score is the pair's.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from rapidfuzz.distance import OSA

from rarex.screening.normalise import (
    CANTONESE,
    DISTINCTIVE,
    PLACE,
    ROMANISED,
    SURNAME_READING,
    Form,
    is_pinyin,
    split_pinyin,
)
from rarex.screening.pinyin import split_syllables
from rarex.screening.romanise import CANTONESE_GIVEN, CANTONESE_SURNAMES, KOREAN_SURNAME, KOREAN_WORD, korean_key, korean_name
from rarex.screening.vocabulary import countries

#: Words that link the parts of a name rather than name anyone: the Arabic article (el, ol and
#: ul are read as al: see normalise._latin_words), the chain particles (son of, daughter of,
#: father of), Dutch, German, Portuguese and Italian prefixes (da, do, de, di and du are left
#: out of every form already).
_ARTICLES = frozenset({"al", "van", "von", "den", "ter", "dos", "das", "del", "della", "bin", "ibn", "bint",
                       "binti", "ben", "abu", "ould"})
#: Prefixes of Irish and Scottish surnames, typed apart as often as not (O Connor, Mc Donald).
_SURNAME_PREFIXES = frozenset({"o", "mc", "mac", "fitz"})
CHAIN = frozenset({"bin", "ibn", "bint", "binti", "ben", "abu", "ould"})
_FROM_HAN = frozenset({"pinyin", SURNAME_READING, ROMANISED, CANTONESE})

#: A part of the query matching less than this share of an entry's part is not that part.
_PART_OK = 0.74
#: Where every other part agrees, one part this alike (two letters off in six: Sichen for
#: Sechin, Sergia for Sergei), of five letters or more and from the same first letter, is still
#: taken for the entry's part, and the pair scores at most _TWO_LETTERS_OFF: a misspelt name
#: ranks its entry first instead of losing it, and never alerts on its own.
_PART_NEAR, _NEAR_LENGTH, _TWO_LETTERS_OFF = 0.6, 5, 0.75
#: Score factors: a middle name, patronymic or second surname left out; the first given name
#: left out (Heinz Schneider is not Karl Heinz Schneider); the first or last word of a name of
#: unknown structure left out.
_LEFT_OUT, _FIRST_GIVEN_LEFT_OUT, _END_LEFT_OUT = 0.97, 0.8, 0.8
#: First given names that people leave out in use, keeping the second: a saint's or the
#: Prophet's name given first (José Daniel Ortega is Daniel Ortega, Mohammad Javad Zarif is
#: Javad Zarif, Ma. Lourdes is Lourdes) and a descendant's honorific (Sayyid Ali, Ali). Left
#: out, they count as a middle name does; any other first given name as _FIRST_GIVEN_LEFT_OUT.
_DEVOTIONAL_FIRST = frozenset({"jose", "maria", "ma", "juan", "muhammad", "mohammad", "mohammed", "muhammed",
                               "mohamed", "sayyid", "sayed", "seyed", "seyyed", "syed"})
#: Two Chinese persons' names whose surname and whole given name do not both agree, read from
#: characters or typed in pinyin: another name, however many letters they share.
OTHER_CHINESE_NAME = 0.6
ANOTHER_CHINESE_NAME = "another Chinese name (surname and whole given name do not both agree)"
ANOTHER_KOREAN_NAME = "another Korean name (surname and every syllable of the given name do not all agree)"
ANOTHER_BURMESE_NAME = "another Burmese name (a Burmese name has no surname: none of its words is left out or moved)"
#: The words Burmese names are made of, as the lists romanise them (Min Aung Hlaing, Soe Htut,
#: Khin Maung Than): a Burmese name has no family name, so one with a word more (Soe Win Htut)
#: is another person's, not the same with a middle name. U and Daw are honorifics.
_BURMESE = frozenset({
    "aung", "aye", "ba", "bo", "chan", "chit", "hein", "hla", "hlaing", "hlwan", "hmu", "hnin", "hpone", "htay",
    "htet", "htike", "htin", "htoo", "htun", "htut", "htwe", "kan", "khaing", "khin", "khine", "khun", "ko",
    "kyaing", "kyaw", "kyi", "kyin", "kyu", "lay", "lin", "lwan", "lwin", "maung", "min", "mo", "moe", "mya",
    "myaing", "myat", "myaung", "myint", "myo", "naing", "nanda", "naung", "nay", "ne", "nu", "nwe", "nyan", "nyein",
    "nyi", "nyo", "nyunt", "ohn", "oo", "paing", "phone", "phyo", "pone", "pyae", "pyi", "pyone", "sai", "san",
    "sandar", "saw", "sein", "shwe", "si", "sint", "soe", "sone", "su", "swe", "than", "thant", "thaung", "thein",
    "thet", "thida", "thidar", "thiha", "thin", "thu", "thura", "thuya", "thwin", "tin", "tint", "toe", "tun", "wai",
    "way", "win", "wint", "wunna", "yan", "ye", "yin", "zarni", "zaw", "zeya", "zin",
})
_BURMESE_HONORIFICS = frozenset({"u", "daw"})
#: Same name in another transliteration.
_SAME_KEY = 0.95
#: Two parts run together are read as one part of the other name only from this length.
_JOINED_MIN = 6
#: Parts this short may be run together (Quan-kuo, Ka Chiu: syllables of one given name).
_SYLLABLE = 5
#: A Chinese name read from characters, matched with its surname at the other end of the query.
_OTHER_ORDER = 0.99
#: The most a name chain in another order scores: a relative, not the person.
_CHAIN_SWAPPED = 0.7
#: A surname one slip of the hand off (see _slip) where two other parts or more agree (Min
#: Aung Hlain, Sergei Viktorovich Lavrav, Alvaro Lopes Miera): another family is unlikely to
#: share them all, and the pair still alerts, a middle name left out too (0.88 x 0.97: Samark
#: Lopes Bello for "LOPEZ BELLO, Samark Jose"). A consonant for one not beside it on the
#: keyboard is another name as often as not, however common the given names (Naqvi, Naqdi).
_CORROBORATED = 0.88
#: Where each letter lies on a QWERTY keyboard (its row, and across by a quarter key a row):
#: a key's neighbours are those a key away at most, on its row or the rows beside it.
_KEYS = {ch: (x + (0, 0.25, 0.75)[row], row) for row, keys in enumerate(("qwertyuiop", "asdfghjkl", "zxcvbnm"))
         for x, ch in enumerate(keys)}
#: The first of two surnames left out (Quintero for CARO QUINTERO: the mother's family, not
#: the father's, which Spanish names put first and people keep when they drop one).
_FIRST_SURNAME_LEFT_OUT = 0.8
#: The most two surnames in the other order score (Martinez Gomez for GOMEZ MARTINEZ): the
#: order of a Spanish name's surnames says whose family each is, as a chain's says father and son.
_SURNAMES_SWAPPED = 0.8
#: The most a surname with a letter added or taken away at its end scores (Petrov, Petrova;
#: Hashem, Hashemi): a relative's or another family's name, not a typo. Only a vowel makes
#: another family so (a woman's form, a nisba's -i); a consonant dropped from the end
#: (Kovalchu, Kovalchuk) is a slip of the hand, judged as any other letter off.
_OTHER_FAMILY = 0.8
_FAMILY_ENDINGS = frozenset("aeiou")  # of a transliteration key: y is read as i

#: English, German and French spellings of one sound written alike (Timtschenko, Timchenko;
#: Djamal, Jamal), then the letters romanisations disagree on (Fayadh, Fayad: the Arabic ض).
_KEY_RULES = [("tsch", "ch"), ("sch", "sh"), ("dzh", "j"), ("dj", "j"), ("tch", "ch"), ("zh", "j"), ("kh", "h"),
              ("ph", "f"), ("gh", "g"), ("dh", "d"), ("ck", "k"), ("ye", "e"), ("w", "v"), ("y", "i"), ("q", "k"), ("c", "k"),
              ("x", "ks"), ("ou", "u"), ("oo", "u"), ("ee", "i"), ("eo", "o"), ("eu", "u")]
_DOUBLED = re.compile(r"(.)\1+")
#: The Arabic and Persian diphthong aw, written o as often before a consonant (Nawfal, Nofal;
#: Dawlat, Dowlat, Dolat; Shawkat, Showkat).
_DIPHTHONG = re.compile(r"[ao]w(?=[^aeiouy])")
#: German and Polish write the Russian й and the я, ю, е, ё that open a word with j: Jurij,
#: Jewgeni, Sergej are Yuriy, Yevgeni, Sergey. Only there: elsewhere j is j (Jamal, Jose).
_GERMAN_J = re.compile(r"^j(?=[eouy])|(?<=[aeiou])j$")
#: French writes a Russian name's last syllable with a silent e (Poutine, Setchine); a final h
#: after a vowel is as silent (Hajizadeh, Hajizade; Abdallah, Abdalla).
_SILENT_END = re.compile(r"(?<=[aeiou][nv])e$|(?<=[aeiou])h$")


@lru_cache(maxsize=65536)
def transliteration_key(word: str) -> str:
    """A transliteration key: the spellings one name gets from different romanisations."""
    if word.startswith("moh"):  # Mohammed, Mohamad: Muhammad
        word = "muh" + word[3:]
    elif word.startswith("gh"):  # Persian writes ق as gh or q: Ghasem, Qasem; Ghods, Qods
        word = "q" + word[2:]
    elif word.startswith(("ht", "hp")):  # Burmese writes an aspirate so or not: Htun, Tun; Hpone, Pone
        word = word[1:]
    word = _SILENT_END.sub("", _GERMAN_J.sub("y", word)) if len(word) > 4 else _GERMAN_J.sub("y", word)
    word = _DIPHTHONG.sub("o", word)
    for a, b in _KEY_RULES:
        word = word.replace(a, b)
    return _DOUBLED.sub(r"\1", word)


#: German writes a Russian name's ц as z, з as s, х as ch, в as w and я as ja (Balizki,
#: Sacharowa, Jewgeni: Balitsky, Zakharova, Yevgeny): read so, a word is spelt as English
#: spells it (an s between consonants may be з or с: Nebensja is a letter from Nebenzya).
_GERMAN = {"tsch": "ch", "sch": "sh", "ch": "kh", "z": "ts", "w": "v", "j": "y", "ss": "s", "s": "z"}
_GERMAN_LETTERS = re.compile(r"tsch|sch|ch|z|w|j|ss|^s(?=[aeiou])|(?<=[aeiou])s(?=[aeiou])")


@lru_cache(maxsize=65536)
def _german_key(word: str) -> str:
    """The transliteration key of ``word`` read as a German transliteration of Russian."""
    return transliteration_key(_GERMAN_LETTERS.sub(lambda m: _GERMAN[m[0]], word))


#: Persian, Urdu and Turkish read the Arabic ث as s and ذ (and ض) as z, which transliterations
#: of Arabic write th and dh (Osman, Othman; Wassiq, Wathiq; Kazim, Kadhim; Fazil, Fadhil): so
#: read after a vowel and inside the word, not at its end (Roth is not Ross) nor after a
#: consonant (Arthur).
_PERSIAN_LETTERS = re.compile(r"(?<=[aeiou])(th|dh)(?=[a-z])")


@lru_cache(maxsize=65536)
def _persian_key(word: str) -> str:
    """The transliteration key of ``word`` with th and dh read as Persian reads their letters,
    and gh as q: Persian says غ and ق alike, and lists write either (Dehghan, Dehqan; Bagheri,
    Baqeri; Ghalibaf, Qalibaf)."""
    read = _PERSIAN_LETTERS.sub(lambda m: "s" if m[1] == "th" else "z", word)
    return transliteration_key(read.replace("gh", "Q").replace("q", "Q"))  # not k: Bakeri is not Bagheri


#: A name whose consonants (and i, y: the Arabic ي) agree, in order, from the same first letter
#: (Husayn, Hussein, Hossein, but not Hassan): short vowels are what transliterations of Arabic
#: and Persian disagree on. It counts as a near spelling, below the alert threshold on its own.
_SAME_CONSONANTS = 0.84
_VOWELS_ETC = str.maketrans("", "", "aeouw")


#: "Abd al-", "servant of the", opening an Arabic name of one word (Abdulmalik, Abdelkader,
#: Abdoulaye, Abdurrahman, with the article's l assimilated), before at least three letters.
_SERVANT_OF = re.compile(r"^abd(?:ou|[aeiou])(?:l|(?=rr|ss|sh|tt|dd|nn|zz))(?=[a-z]{3})")


def servant_names(a: str, b: str) -> tuple[str, str] | None:
    """What follows "Abd al-" in two names that both open with it (Abdulmalik, Abdelkhaliq:
    malik, khaliq), or None. "Servant of" one of the names of God, that name tells them apart:
    a letter off in it is a letter off in a short name, not a long one, and another first
    letter is another name (Malik, Khaliq, though their transliteration keys are a letter apart)."""
    if (ta := _SERVANT_OF.match(a)) and (tb := _SERVANT_OF.match(b)):
        return a[ta.end():], b[tb.end():]
    return None


#: The Arabic article written into the name it belongs to (Elhassan, Alrashid), before five
#: letters at least: not Elmira, Albert.
_ARTICLED = re.compile("^[ae]l(?=[a-z]{5})")
#: A surname's particle written into it (Latortue, Degaulle, Vandamme, Dossantos), before four
#: letters at least; written apart (La Tortue), the particle is no part of the name (a
#: stopword or an article, left out of the parts compared). Not do: Dominguez is not Minguez.
_PARTICLED = re.compile("^(?:de|di|da|du|la|le|des|del|della|van|von|der|den|ter|dos|das)(?=[a-z]{4})")


@lru_cache(maxsize=262144)
def part_similarity(a: str, b: str, chinese: bool = True, korean: bool = False) -> float:
    """How alike two parts of a name are, 0..1. Two syllables of pinyin apart are another
    given name only in Chinese names (``chinese``): Salimi and Salami spell as pinyin, yet
    beside Hossein they are Persian surnames a letter apart. In two Korean names (``korean``)
    the given names' syllables are compared through their romanisations (Chong, Jong)."""
    if a == b:
        return 1.0
    if len(a) == 1 or len(b) == 1:  # an initial
        return 0.9 if a[0] == b[0] else 0.0
    if chinese and _name_syllables(a) and _name_syllables(b):  # Xiaoming, Xiaoling: another given name, not a typo
        return 0.0
    if hong_kong_given(a) and hong_kong_given(b):  # Kwok-wai, Kwok-wah: as Xiaoming, Xiaoling in Cantonese
        return 0.0
    if rests := servant_names(a, b):
        ra, rb = rests
        return min(part_similarity(ra, rb, chinese=False), _SAME_KEY) if ra[0] == rb[0] else 0.0
    if KOREAN_SURNAME.get(a, -1) == KOREAN_SURNAME.get(b, -2):
        return _SAME_KEY
    if korean and KOREAN_WORD.fullmatch(a) and KOREAN_WORD.fullmatch(b):
        # Jong and Chong are one syllable; Jong and Jang two given names, as Xiaoming and Xiaoling;
        # and Jong and Yong two, as no German spelling of a Korean name makes them one.
        return _SAME_KEY if korean_key(a) == korean_key(b) else 0.0
    ka, kb = transliteration_key(a), transliteration_key(b)
    if (ka == kb or ka == _german_key(b) or _german_key(a) == kb or _arabic_vowel(ka, kb)
            or _persian_key(a) == _persian_key(b)):
        return _SAME_KEY
    # Elhassan, El Hassan (whose al is set aside as a word of its own), Alhassan: one name.
    ra, rb = _ARTICLED.sub("", a), _ARTICLED.sub("", b)
    if (ra != a or rb != b) and transliteration_key(ra) == transliteration_key(rb):
        return _SAME_KEY
    if _PARTICLED.sub("", a) == b or _PARTICLED.sub("", b) == a:
        return _SAME_KEY
    # As spelt too: a typo across a digraph (Prigozihn) moves the keys further apart than the names.
    sim = max(1.0 - OSA.distance(ka, kb) / max(len(ka), len(kb)), 1.0 - OSA.distance(a, b) / max(len(a), len(b)))
    if len(a) == len(b) and sorted(a) == sorted(b) and OSA.distance(a, b) == 1:
        # Two neighbours swapped (Mdauro, Lavrvo) is a slip of the hand; a letter changed
        # may be another family (Maduro, Madura), so the swap counts as half a letter.
        sim = max(sim, 1.0 - 0.5 / len(a))
    if sim < _SAME_CONSONANTS and a[0] == b[0] and len(ka) > 3:
        skeleton = ka.translate(_VOWELS_ETC)
        if len(skeleton) > 1 and skeleton == kb.translate(_VOWELS_ETC):
            return _SAME_CONSONANTS
    return sim


def _arabic_vowel(ka: str, kb: str) -> bool:
    """Whether two keys differ only in the e that transliterations of Arabic write for the last
    syllable's a or i (Ahmed, Ahmad; Khaled, Khalid; Mohammed, Muhammad), not a for i (Hamad and
    Hamid, Rashad and Rashid are other names)."""
    return (len(ka) == len(kb) >= 5 and ka[:-2] == kb[:-2] and ka[-1] == kb[-1] == "d"
            and ka[-3] not in "aeiou" and {ka[-2], kb[-2]} in ({"e", "a"}, {"e", "i"}))


@lru_cache(maxsize=65536)
def hong_kong_given(word: str) -> bool:
    """Whether a part is a Hong Kong given name of two syllables run together (Kwok-wai read as
    kwokwai), in the Government's Cantonese romanisation."""
    split = split_syllables(word, CANTONESE_GIVEN)
    return split is not None and len(split) == 2


def _name_syllables(word: str) -> bool:
    """Whether a part reads as a Chinese surname or given name in pinyin: one or two syllables,
    as a given name is one or two characters (Junzaeng, jun-za-eng, is Junzheng typed wrong)."""
    if not is_pinyin(word):
        return False
    syllables = split_pinyin(word)
    return syllables is None or len(syllables) <= 2


def personal(form: Form) -> bool:
    """Whether the form may be a person's name: two to twelve words of letters, all distinctive
    but for one country's name at most (Michael Jordan, Martin Schulz, Israel Khalil: country
    names are given names and surnames too), no legal form."""
    return (2 <= len(form.words) <= 12 and not form.stripped and form.kind in ("latin", *_FROM_HAN)
            and all(w.isalpha() for w in form.words)
            and sum(c != DISTINCTIVE and not (c == PLACE and w in countries())
                    for w, c in zip(form.words, form.classes)) == 0
            and form.classes.count(DISTINCTIVE) >= len(form.words) - 1)


#: One way to read a name's parts (see _parts).
Reading = tuple[list[tuple[str, int]], int, bool]


def _parts(form: Form) -> list[Reading]:
    """The ways to read a name's parts: (parts with their word positions, how many of the last
    are surnames (0: unknown; -1: the first is), whether a chain particle stands in it). A name
    read from characters is its surname and its given name (陈全国: chen, quanguo); a Latin name
    may also be read with its given names run together (Quan-kuo, Quankuo)."""
    chain = chained(form)
    if form.kind in _FROM_HAN:
        out = [([(form.words[0], 0), ("".join(form.words[1:]), 1)], -1, chain)]
        if form.kind == ROMANISED and len(form.words) > 2:  # "Ming-hsien Chang": given name first
            out.append(([(form.words[-1], 0), ("".join(form.words[:-1]), 1)], -1, chain))
        return out
    # In a Chinese name bin and ben are given names (斌, 本), not "son of"; in a Burmese name U
    # and Daw are honorifics, no part of it.
    honorifics = _BURMESE_HONORIFICS if _burmese(form) else frozenset()
    kept = [(w, i) for i, w in enumerate(form.words)
            if (w not in _ARTICLES or _chinese(form)) and w not in honorifics]
    surnames = sum(1 for w, i in kept if i >= len(form.words) - form.surnames) if form.surnames else 0
    out = [(kept, surnames, chain)]
    for i in range(len(kept) - 1):
        # Also read with a surname's prefix joined to it (O Connor: OConnor); only also, as O
        # may be an initial or a Korean surname.
        if kept[i][0] in _SURNAME_PREFIXES and len(kept[i + 1][0]) > 2:
            joined = [*kept[:i], (kept[i][0] + kept[i + 1][0], kept[i][1]), *kept[i + 2:]]
            out.append((joined, surnames - 1 if surnames and i >= len(kept) - surnames else surnames, chain))
    if not chain:
        # Syllables of one given name written apart (Jong Un, Ka Chiu, Quan-kuo): run together;
        # where the surnames are known (KIM Yo Jong), only the given names'.
        for i in range(len(kept) - 1 - surnames):
            (a, pa), (b, _) = kept[i], kept[i + 1]
            if 2 <= len(a) <= _SYLLABLE and 2 <= len(b) <= _SYLLABLE:  # an initial is no syllable
                out.append(([*kept[:i], (a + b, pa), *kept[i + 2:]], surnames, chain))
    return out


class PersonScore(NamedTuple):
    value: float
    how: str
    decisive: bool
    #: A part was taken for the entry's though two letters off (see _PART_NEAR): the spelling
    #: of the whole may say more, and the better of the two stands.
    near: bool = False


def person_score(q: Form, c: Form) -> PersonScore | None:
    """The two names compared as persons' names: (score, how, decisive), or None when either
    is not a person's name or their parts do not correspond (the spelling score then stands).
    ``decisive`` is set when the parts correspond but a name chain's order does not, when a
    Chinese name read from characters has another given name, or when a surname may be
    another family's (see the module docstring)."""
    if not (personal(q) and personal(c)):
        return None
    best: PersonScore | None = None
    chinese = _chinese(q) or _chinese(c)
    korean = korean_name(q.words) and korean_name(c.words)
    if not chinese and _burmese(q) and _burmese(c):
        qb, cb = _burmese_words(q), _burmese_words(c)
        # No word of a Burmese name is a middle name left out, nor a surname moved to the
        # front: Kyaw Zaw Aung is not AUNG KYAW ZAW.
        if len(qb) != len(cb) or qb != cb and sorted(qb) == sorted(cb):
            return None
    q_parts, c_parts = _parts(q), _parts(c)
    if korean and not chinese:  # a Korean given name is one name, its syllables apart or not: none left out
        q_parts, c_parts = _whole_given_names(q_parts), _whole_given_names(c_parts)
    # Each reading with how it was made, for the explanation (None: as written).
    q_readings: list[tuple[Reading, str | None]] = [(r, None) for r in q_parts]
    c_readings: list[tuple[Reading, str | None]] = [(r, None) for r in c_parts]
    if not (chinese or korean):
        q_readings += _written_apart(q_parts, c)
        c_readings += _written_apart(c_parts, q)
    for (qp, q_surnames, q_chain), q_note in q_readings:
        for (cp, surnames, c_chain), c_note in c_readings:
            chain = q_chain or c_chain
            if len(qp) <= len(cp):
                found = _align(qp, cp, surnames, chain, chinese, q_surnames, korean=korean)
            elif not (chain or chinese or surnames < 0 or q_surnames < 0):
                # "Ali Hosseini Khamenei" for "KHAMENEI, Ali": a middle name or patronymic the
                # list does not carry. Aligned the other way round: the query's first and last
                # parts must be the entry's, or it names someone else.
                found = _align(cp, qp, 0, chain, chinese, more_in_query=True, korean=korean)
            else:
                found = None
            if found is not None and (joined := q_note or c_note):
                found = found._replace(how=f"{joined}; {found.how}")
            if found is not None and (best is None or found[0] > best[0]):
                best = found
    if best is None and _chinese(q) and _chinese(c) and (q.kind in _FROM_HAN or c.kind in _FROM_HAN
                                                         or set(q.words) & set(c.words)):
        # 张晓敏 is not Zhang Xiaoming, nor Zhang Xiaoling: a Chinese name is its surname and
        # its whole given name, and one syllable more or less is another name.
        return PersonScore(OTHER_CHINESE_NAME, ANOTHER_CHINESE_NAME, True)
    return best


def _written_apart(readings: list[Reading], other: Form) -> list[tuple[Reading, str]]:
    """More readings of a name, each with two neighbouring parts run together where together
    they are a part of the other name (Fakhri Zadeh, FAKHRIZADEH; Abdulrahman, Abdul Rahman;
    Ali Reza, Alireza): names of one word are written in two as often as not, and a space is no
    letter off. A given name is not run into the surname, nor an initial into anything; with
    how the reading was made, for the explanation."""
    theirs = [w for w in other.words if len(w) >= _JOINED_MIN and w not in _ARTICLES]
    out: list[tuple[Reading, str]] = []
    for parts, surnames, chain in readings:
        first_surname = len(parts) - surnames if surnames > 0 else len(parts)
        for i in range(len(parts) - 1):
            (a, at), (b, _) = parts[i], parts[i + 1]
            if i + 1 == first_surname or min(len(a), len(b)) < 2 or len(a + b) < _JOINED_MIN:
                continue
            if any(part_similarity(a + b, w, chinese=False) >= _SAME_KEY for w in theirs):
                joined = [*parts[:i], (a + b, at), *parts[i + 2:]]
                out.append(((joined, surnames - (i >= first_surname), chain), f'"{a} {b}" read as one name'))
    return out


def _whole_given_names(readings: list[Reading]) -> list[Reading]:
    """The readings of a name with the fewest parts: its given name's syllables run together
    (KIM Jong Un as kim, jongun), so that "Kim Jong" is not read as KIM Jong Un with a middle
    name left out."""
    fewest = min(len(parts) for parts, _, _ in readings)
    return [r for r in readings if len(r[0]) == fewest]


def another_name(q: Form, c: Form) -> str | None:
    """Why two persons' names are another name where person_score finds their parts do not
    correspond, if both are Chinese or both Korean: letters in common then say no more than
    that (Tang Ping, Xiang Yangping; Kim Jang Sik, KIM Jong Sik)."""
    if not (personal(q) and personal(c)):
        return None
    if _chinese(q) and _chinese(c) or _hong_kong(q) and _hong_kong(c):
        return ANOTHER_CHINESE_NAME
    if korean_name(q.words) and korean_name(c.words):
        return ANOTHER_KOREAN_NAME
    return ANOTHER_BURMESE_NAME if _burmese(q) and _burmese(c) else None


def _burmese_words(form: Form) -> list[str]:
    return [w for w in form.words if w not in _BURMESE_HONORIFICS]


def _burmese(form: Form) -> bool:
    """A Burmese person's name: two words or more of Burmese names, not all of them pinyin too
    (Tun Lin, Min Yan may be Chinese)."""
    words = _burmese_words(form)
    return len(words) >= 2 and all(w in _BURMESE for w in words) and not all(map(is_pinyin, words))


def _hong_kong(form: Form) -> bool:
    """A Hong Kong person's name: a Cantonese surname and a given name of two syllables (TANG
    Ping-keung), whose parts are compared whole as a Chinese name's are."""
    return any(w in CANTONESE_SURNAMES for w in form.words) and any(map(hong_kong_given, form.words))


def chained(form: Form) -> bool:
    """Whether the name is an Arabic name chain (Khalid bin Ahmad), whose order tells father
    from son: a chain particle stands in it, and it is not a Chinese name (Kong Bin, Fan Bin-gui)."""
    return bool(CHAIN.intersection(form.words)) and not _chinese(form)


def _chinese(form: Form) -> bool:
    """A Chinese person's name: read from characters, or two to four words of pinyin."""
    return len(form.words) <= 4 and (form.kind in _FROM_HAN or all(is_pinyin(w) for w in form.words))


def _align(qp: list[tuple[str, int]], cp: list[tuple[str, int]], surnames: int,
           chain: bool, chinese: bool, q_surnames: int = 0, *, more_in_query: bool = False,
           korean: bool = False) -> PersonScore | None:
    """The query's parts ``qp`` matched with the entry's ``cp`` (or, ``more_in_query``, the
    entry's with the query's, which names more), as person_score returns it."""
    if len(qp) < 2 or len(qp) > len(cp):
        return None
    pairs = sorted(((part_similarity(a, b, chinese, korean), -i, -j) for i, (a, _) in enumerate(qp) for j, (b, _) in enumerate(cp)),
                   reverse=True)
    match: dict[int, tuple[int, float]] = {}
    used: set[int] = set()
    for sim, ni, nj in pairs:
        i, j = -ni, -nj
        if i in match or j in used or sim < _PART_OK:
            continue
        match[i] = (j, sim)
        used.add(j)
    near = _near_part(qp, cp, match, used, pairs) if len(match) == len(qp) - 1 else None
    if near is not None:
        i, j, sim = near
        match[i] = (j, sim)
        used.add(j)
    if len(match) < len(qp):
        return None
    weight = sum(len(a) for a, _ in qp)
    value = sum(len(qp[i][0]) * sim for i, (_, sim) in match.items()) / weight
    how = ["name parts agree" if value == 1.0 else "name parts agree but for spelling"]
    guarded = False  # another family's name may be meant: a country in common must not lift it
    for bound in (_surname_spelt_otherwise(qp, cp, surnames, match), _other_gender(qp, cp, surnames, match)):
        if bound is not None and bound[0] < value:
            value, guarded = bound[0], True
            how.append(bound[1])
    if near is not None and value > _TWO_LETTERS_OFF:
        value, guarded = _TWO_LETTERS_OFF, True
        how.append(f'"{cp[near[1]][0]}" spelt "{qp[near[0]][0]}"')
    if surnames < 0 and not q_surnames and match[0][0] != 0:
        # 陈立 for "Chen Li" before 李晨: of two Chinese names that read alike in either
        # order, the one read in the order typed (where the query does not say its surname).
        value *= _OTHER_ORDER
        how.append("surname and given name in the other order")
    if chain:
        order = [cp[match[i][0]][1] for i in range(len(qp))]
        if order != sorted(order):
            return PersonScore(min(value, _CHAIN_SWAPPED), "the same names in another order in a name chain "
                               "(bin, ibn, abu: father and son differ)", True, near is not None)
    elif surnames >= 0:
        # The given names in another order, the surname aside (Ahmed Ali Karti for "KARTI, Ali
        # Ahmed"): a name chain without its particles, whose order tells father from son, or
        # another person's given name and middle name; people move the surname, not these. A
        # Hong Kong name's English name goes before or after the Chinese one (LEE Ka-chiu John).
        surname_at = _family(cp, surnames)
        order = [cp[match[i][0]][1] for i in range(len(qp))
                 if match[i][0] not in surname_at and not hong_kong_given(cp[match[i][0]][0])]
        if order != sorted(order):
            return PersonScore(min(value, _CHAIN_SWAPPED), "the same given names in another order "
                               "(in a name chain without bin or ibn, father and son differ)", True, near is not None)
        surnames_typed = [match[i][0] for i in range(len(qp)) if match[i][0] in surname_at]
        if surnames == 2 and len(surnames_typed) == 2 and surnames_typed[0] > surnames_typed[1]:
            # GOMEZ MARTINEZ, Servando typed Servando Martinez Gomez: the father's and the
            # mother's surnames in the other order are another family's child as often.
            value, guarded = min(value, _SURNAMES_SWAPPED), True
            how.append("the two surnames in the other order")
    left_out = [j for j in range(len(cp)) if j not in used]
    if left_out:
        if surnames > 0:
            family = range(len(cp) - surnames, len(cp))
            if not used.intersection(family):
                return None
            first_given = 0 if surnames < len(cp) else None
            # In a name chain the surname's words are a lineage, its last the family's name (ABU
            # MINYAR QADHAFI): the others are left out as middle names are.
            if surnames > 1 and family[0] in left_out and not (chain and family[-1] in used):
                value *= _FIRST_SURNAME_LEFT_OUT
                guarded = True
                how.append(f'the first surname "{cp[family[0]][0]}" left out')
            elif first_given in left_out and not _known_by_second(cp, left_out, len(cp) - surnames):
                value *= _FIRST_GIVEN_LEFT_OUT
                how.append(f'the first given name "{cp[0][0]}" left out')
            elif first_given in left_out:
                value *= _LEFT_OUT
                how.append(f'the first given name "{cp[0][0]}", often left out in use, left out')
            else:
                value *= _LEFT_OUT
                how.append("middle names, patronymic or a second surname left out")
        elif surnames < 0 or 0 in left_out and len(cp) - 1 in left_out:  # a Chinese name: surname and given name are the whole of it
            return None
        elif more_in_query:
            if (0 in left_out and not _known_by_second(cp, left_out, len(cp) - 1)) or len(cp) - 1 in left_out:
                return None
            value *= _LEFT_OUT
            how.append("a middle name the entry does not carry")
        elif (0 in left_out and not _known_by_second(cp, left_out, len(cp) - 1)) or len(cp) - 1 in left_out:
            value *= _END_LEFT_OUT
            how.append("a first or last name left out")
        else:
            value *= _LEFT_OUT
            how.append("middle names left out")
    return PersonScore(value, "; ".join(how), guarded, near is not None)


def _near_part(qp: list[tuple[str, int]], cp: list[tuple[str, int]], match: dict[int, tuple[int, float]],
               used: set[int], pairs: list[tuple[float, int, int]]) -> tuple[int, int, float] | None:
    """The query's one unmatched part and the entry's part it is nearest, where they are
    _PART_NEAR alike, two edits apart at most, both of _NEAR_LENGTH letters or more and begin
    alike (see _PART_NEAR)."""
    for sim, ni, nj in pairs:  # best first
        i, j = -ni, -nj
        if i in match or j in used:
            continue
        if sim < _PART_NEAR:
            return None
        a, b = qp[i][0], cp[j][0]
        if a[0] == b[0] and min(len(a), len(b)) >= _NEAR_LENGTH and OSA.distance(a, b, score_cutoff=2) <= 2:
            return i, j, sim
    return None


def _slip(a: str, b: str) -> bool:
    """Whether two words are one slip of the hand apart: a letter dropped, added or doubled,
    two neighbours swapped, a vowel for a vowel, or a key for the one beside it."""
    if OSA.distance(a, b, score_cutoff=1) > 1:
        return False
    if len(a) != len(b):
        return True
    diff = [k for k, (x, y) in enumerate(zip(a, b)) if x != y]
    if len(diff) != 1:  # two neighbours swapped (or no difference)
        return True
    x, y = a[diff[0]], b[diff[0]]
    if x in "aeiouy" and y in "aeiouy":
        return True
    (x0, r0), (x1, r1) = _KEYS.get(x, (9, 9)), _KEYS.get(y, (99, 99))
    return abs(r0 - r1) <= 1 and abs(x0 - x1) <= 1


def _known_by_second(cp: list[tuple[str, int]], left_out: list[int], given: int) -> bool:
    """Whether the entry's first given name, left out, is one people leave out in use and its
    second given name is kept (Daniel Ortega for "ORTEGA SAAVEDRA, Jose Daniel"); ``given`` is
    how many of its parts are given names."""
    return given >= 2 and cp[0][0] in _DEVOTIONAL_FIRST and 0 in left_out and 1 not in left_out


def _family(cp: list[tuple[str, int]], surnames: int) -> set[int]:
    """The positions of the entry's surnames: the last part where the entry does not say (most
    lists write given names first)."""
    return set(range(len(cp) - surnames, len(cp))) if surnames else {len(cp) - 1}


def _other_gender(qp: list[tuple[str, int]], cp: list[tuple[str, int]], surnames: int,
                  match: dict[int, tuple[int, float]]) -> tuple[float, str] | None:
    """The most the pair scores when a given name is the other sex's form of the entry's
    (Aleksandr, Aleksandra; Yevgeniy, Yevgeniya; Mario, Maria): a sister, a wife or a daughter
    listed beside the man, or a brother beside the woman, not the person."""
    if surnames < 0:
        return None
    family = _family(cp, surnames)
    for i, (j, _) in match.items():
        a, b = transliteration_key(qp[i][0]), transliteration_key(cp[j][0])
        if j in family or a == b:
            continue
        short, long_ = sorted((a, b), key=len)
        if long_ == short + "a" or (len(a) == len(b) and a[:-1] == b[:-1] and {a[-1], b[-1]} == {"a", "o"}):
            return _OTHER_FAMILY, f'the given name "{cp[j][0]}" in the other sex\'s form "{qp[i][0]}"'
    return None


def _surname_spelt_otherwise(qp: list[tuple[str, int]], cp: list[tuple[str, int]], surnames: int,
                             match: dict[int, tuple[int, float]]) -> tuple[float, str] | None:
    """The most the pair scores when a surname of the entry is matched by a part spelt
    otherwise (not only another transliteration): that part's similarity, so that one letter
    off in a short surname (Maduro, Madura; Rahimi, Rahmi) ranks the entry first yet does not
    alert, while a long one (Rotenberg, Rotenburg) still does; a vowel added or taken away
    at the end is another family's name (Karimov, Karimova) whatever the length."""
    if surnames < 0:  # a Chinese name: its parts are compared whole elsewhere
        return None
    family = _family(cp, surnames)
    worst: tuple[float, str] | None = None
    for i, (j, sim) in match.items():
        if j not in family or sim >= _SAME_KEY:
            continue
        corroborated = sum(other != i and s >= _SAME_KEY for other, (_, s) in match.items()) >= 2
        a, b = transliteration_key(qp[i][0]), transliteration_key(cp[j][0])
        short, long_ = sorted((a, b), key=len)
        if len(long_) == len(short) + 1 and long_.startswith(short) and long_[-1] in _FAMILY_ENDINGS:
            sim = min(sim, _OTHER_FAMILY)
        elif sim < _CORROBORATED and corroborated and _slip(qp[i][0], cp[j][0]):
            sim = _CORROBORATED
        if worst is None or sim < worst[0]:
            worst = (sim, f'the surname "{cp[j][0]}" spelt "{qp[i][0]}"')
    return worst
