"""Names in Arabic script against names in Latin letters: their consonant skeletons.

Arabic and Persian script write a name's consonants and long vowels, not its short vowels
(محمد is m-h-m-d: Mohammad, Muhammad, Mohamed), and the lists carry most persons of the Middle
East only in one or another Latin transliteration ("HANIYEH, Ismail", "AL-FAYYADH, Falih").
A query typed in Arabic script, transliterated letter by letter, is "'sm`yl hnyh": nothing a
Latin name resembles. What both still share is the order of the consonants, so each side is
reduced to a skeleton of them:

- both: vowels and the letters that stand for long vowels or glides within a word (y, w, the
  Persian v) left out, but for the i or ي that ends a name (Ali and علي, the nisba of
  Ibrahimi); a word's first vowel kept as a mark (Eslami and اسلامی are ``'slmy``, Salem and
  سالم ``slm``: the alif or ʿayn that opens a name is written); the digraphs of
  Arabic letters folded as transliterations disagree on them (kh, gh, sh, th, dh; q and k; g
  and j: Gebran, Jibran, جبران); a doubled consonant (the shadda Arabic does not write) as one;
  a final h left out (Haniyeh, Haniya, هنية: the ta marbuta is written h or not at all; Falih
  and Faleh, فالح, then agree too);
- Arabic script: the article opening a word (الفياض is fayyadh, as AL-FAYYADH's own word "al"
  is left out) and the ta marbuta.

A skeleton is compared only with a skeleton, and only a person's name gets one (a company's
name needs its words translated, not transliterated): each query word must meet a word of the
entry, in order where the name is a chain (bin, ibn: the order tells father from son). The
score stays below an exact reading's, since a skeleton loses the vowels that tell Salim from
Salem.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii
from rapidfuzz.distance import OSA

from rarex.screening.vocabulary import ARABIC_GLOSSARY

#: The kind of a form that holds a name's consonant skeleton.
SKELETON = "skeleton"

#: A letter of Arabic script, with the Persian and Urdu letters and the presentation forms.
_ARABIC = "[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]"
_ARABIC_LETTER, _ARABIC_WORD = re.compile(_ARABIC), re.compile(_ARABIC + "+")
#: The letters that open a word with a vowel in Arabic script (alif with or without hamza,
#: hamza, ʿayn): the Latin name opens with a vowel too.
_OPENING_VOWEL = frozenset("اأإآءع")
#: The article, and the article after the conjunction or preposition it is written with.
_ARTICLE = re.compile("^(?:وال|بال|ال)(?=..)")
#: The Latin articles a list writes as a word of their own (AL-FAYYADH, Saif-al Islam; el, ol
#: and ul reach here as al: see normalise._latin_words), also as assimilated (ad-Din, as-Sayyid).
_LATIN_ARTICLES = frozenset({"al", "ad", "ar", "as", "ash", "at", "az", "an"})
#: Letter pairs transliterations of Arabic and Persian disagree on, folded alike.
_DIGRAPHS = (("kh", "x"), ("gh", "G"), ("sh", "S"), ("ch", "S"), ("zh", "j"), ("th", "t"), ("dh", "d"),
             ("ph", "f"), ("q", "k"), ("g", "j"), ("c", "k"), ("v", "w"))
#: Letters whose usual transliteration is not anyascii's: ظ is z in Persian and most Arabic
#: names (Zarif, Nazim), where anyascii writes dh.
_LETTERS = {"ظ": "z"}
_DROPPED = re.compile("[aeiouyw'`]")
_DOUBLED = re.compile(r"(.)\1+")

#: What a skeleton pair scores at most: a reading of the consonants only, below any name read
#: as written, though at the alert threshold.
SKELETON_SCORE = 0.88
#: Taken off where the query leaves out entry words (middle names, a father's and
#: grandfather's names: lists write the whole chain, people two or three of its names), once
#: however many, as for a name in Latin letters.
_LEFT_OUT = 0.01
#: Taken off for a query word one consonant from the entry's (Abdulrahman, Abd al-Rahman).
_ONE_OFF = 0.03
#: The chain particles (bin, ibn, bint; abu opens a kunya): where both names have one, the
#: order of the words around them must agree.
_CHAIN = frozenset({"bn", "bnt", "'b"})
#: The fewest consonants a query's skeleton must hold to be compared at all.
_MIN_LETTERS = 4


def is_arabic_script(text: str) -> bool:
    return _ARABIC_LETTER.search(text) is not None


def _folded(letters: str) -> str:
    """Letters with the digraphs and letters transliterations disagree on folded alike."""
    for a, b in _DIGRAPHS:
        letters = letters.replace(a, b)
    return letters


def _skeleton(folded: str, opens_with_vowel: bool, ends_with_i: bool) -> str:
    word = _DOUBLED.sub(r"\1", _DROPPED.sub("", folded)).rstrip("h")
    if word == "bn":  # bin, ibn, ben, بن, ابن: one particle
        return word
    if word and ends_with_i:  # the ي that ends Ali, Mahdi and a nisba: Ibrahimi is not Ibrahim
        word += "y"
    return ("'" + word) if opens_with_vowel and word else word


@lru_cache(maxsize=65536)
def latin_word(word: str) -> str:
    """The skeleton of one word of a Latin name as normalise reads it (lower case, no marks);
    empty for an article."""
    if word in _LATIN_ARTICLES:
        return ""
    return _skeleton(_folded(word), word[:1] in "aeiou", word[-1:] in ("i", "y"))


def arabic_words(text: str) -> list[str]:
    """The skeletons of the words of a name written in Arabic script (empty where it has none)."""
    out = []
    for word in _ARABIC_WORD.findall(unicodedata.normalize("NFKC", text)):
        word = _ARTICLE.sub("", word)
        ends_with_i = word[-1:] in ("ي", "ی")  # not هنية, whose ي the ة follows: Haniyeh, Haniya
        word = word.replace("ة", "")
        # Letter by letter: ط then ه is t-h, not the digraph th (طاهر is Tahir).
        folded = "".join(_folded(_LETTERS.get(letter) or anyascii(letter).lower()) for letter in word)
        if skeleton := _skeleton(folded, word[:1] in _OPENING_VOWEL, ends_with_i):
            out.append(skeleton)
    return out


def latin_script(text: str) -> bool:
    """Whether every letter of ``text`` is a Latin one (a name a list wrote in Latin letters,
    not one transliterated from Cyrillic or Greek, whose skeleton no Arabic query needs)."""
    return all(not ch.isalpha() or ch.isascii() or unicodedata.name(ch, "").startswith("LATIN") for ch in text)


def _units(words: tuple[str, ...]) -> list[tuple[str, tuple[int, ...]]]:
    """Each word, then each two neighbours run together, as Arabic writes عبدالرحمن and a list
    Abdul Rahman (a vowel mark inside a word is none, a doubled letter one)."""
    units: list[tuple[str, tuple[int, ...]]] = [(w, (i,)) for i, w in enumerate(words)]
    return units + [(_DOUBLED.sub(r"\1", a + b.lstrip("'")), (i, i + 1)) for i, (a, b) in enumerate(zip(words, words[1:]))]


def _meets(word: str, theirs: str, exact: bool) -> bool:
    if exact:
        return word == theirs
    return (len(word.lstrip("'")) >= 3 and len(theirs) >= 3 and word[0] == theirs[0]
            and OSA.distance(word, theirs, score_cutoff=1) <= 1)


def score(query: tuple[str, ...], entry: tuple[str, ...]) -> tuple[float, str] | None:
    """How well the skeleton words of a query meet an entry's, and why; None where they do not
    (a query word without a match, one entry word alone, the entry's last word, its family's
    name, not among them, too few consonants, a chain in another order)."""
    if len(query) < 2 or sum(len(w.lstrip("'")) for w in query) < _MIN_LETTERS:
        return None
    theirs, ours = _units(entry), _units(query)
    pairs: list[tuple[tuple[int, ...], tuple[int, ...]]] = []  # (the query's words, the entry's words they met)
    met: set[int] = set()  # the query's words met
    taken: set[int] = set()  # the entry's
    off = 0
    for exact in (True, False):  # exact meetings first, then a consonant off
        for word, at in ours:
            if met & set(at):
                continue
            found = next((where for w, where in theirs if not taken & set(where) and _meets(word, w, exact)), None)
            if found is not None:
                pairs.append((at, found))
                met.update(at)
                taken.update(found)
                off += not exact
    used = [j for _, where in sorted(pairs) for j in where]  # the entry's words met, in the query's order
    if len(met) < len(query) or len(used) < 2:  # a surname alone, as Nasr Allah: too little
        return None
    if len(entry) - 1 not in used:  # the family's name, last in a list's name: Muhammad Ali is not bin Muhammad bin Ali BIN LADIN
        return None
    chained = any(w in _CHAIN for w in query) and any(w in _CHAIN for w in entry)
    if chained and used != sorted(used):
        return None
    value = SKELETON_SCORE - _LEFT_OUT * (len(entry) > len(used)) - _ONE_OFF * off
    how = "consonants of a name in Arabic script against a transliteration"
    return value, how + (f", {off} of them one letter off" if off else "")


# --- bodies' names in Arabic script ------------------------------------------------------------

#: The kind of a form that holds a body's name in Arabic script: the words a glossary
#: translates in English, the rest as a guess at their vowels (see vocalised), which only
#: their skeleton is compared by.
ARABIC_BODY = "arabic_body"
#: Taken off for each distinctive word of the entry the query leaves out (Khatam al-Anbiya
#: Construction Headquarters for Khatam al-Anbiya), and for each word the query translates
#: that the entry lacks.
_BODY_LEFT_OUT = 0.02
#: The score where the words both translate differ entirely (a bank where the entry is an
#: airline), and where some do (a bank where the entry is a national oil company): shown,
#: never an alert.
_OTHER_KIND = 0.75
_SUBSTITUTED = 0.8
#: Letters of Arabic script that one word may be written with or without (harakat, tatweel),
#: and the letters Arabic and Persian write one sound with (ك ک, ي ی ى, ة ه, أ إ آ ا).
_HARAKAT = re.compile("[\u064b-\u065f\u0670\u0640]")
_ONE_LETTER = str.maketrans({"ك": "ک", "ي": "ی", "ى": "ی", "ة": "ه", "أ": "ا", "إ": "ا", "آ": "ا", "ؤ": "و"})
#: What Arabic joins to the front of a word: the conjunction, the prepositions and the article.
_JOINED = re.compile("^(?:و)?(?:بال|لل|ال|ل|ب)?")


def _glossary_key(word: str) -> str:
    return _HARAKAT.sub("", word).translate(_ONE_LETTER)


@lru_cache(maxsize=1)
def _glossary() -> dict[str, str]:
    return {_glossary_key(word): english for word, english in ARABIC_GLOSSARY.items()}


def _rendering(word: str) -> str | None:
    """The English of one word of a body's name in the glossary, with or without what Arabic
    joins to its front (للنفط: petroleum)."""
    key = _glossary_key(word)
    glossary = _glossary()
    if key in glossary:
        return glossary[key]
    bare = _JOINED.sub("", key)
    return glossary.get(bare) if len(bare) >= 2 else None


def body_words(text: str) -> list[tuple[str, str | None]] | None:
    """Each word of a name in Arabic script as its skeleton and its English, if the glossary
    has it; None where no word has one (a person's name)."""
    words = _ARABIC_WORD.findall(unicodedata.normalize("NFKC", text))
    out = [(skeleton[0] if (skeleton := arabic_words(w)) else "", _rendering(w)) for w in words]
    return out if any(english for _, english in out) else None


_VOICED = {"S": "sh", "x": "kh", "G": "gh"}


def vocalised(skeleton: str) -> str:
    """A skeleton as a word with an a between its consonants (mhn: mahan, jml: jamal, Srz:
    sharaz): nearer the transliterations on a list than the consonants alone, for finding them;
    its skeleton is the one it was made from."""
    letters = skeleton.lstrip("'")
    head = "a" if skeleton.startswith("'") else ""
    return head + "a".join(_VOICED.get(ch, ch) for ch in letters)


def _stem(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


def body_score(q_words: tuple[str, ...], q_classes: tuple[str, ...], c_words: tuple[str, ...],
               c_classes: tuple[str, ...], distinctive: str) -> tuple[float, str] | None:
    """How a body's name in Arabic script (an ARABIC_BODY form) meets an entry's name in Latin
    letters, and why; None where a word the query does not translate meets none of the entry's
    (by its skeleton, or a consonant off), or nothing distinctive meets. A word translated
    meets the same English word (martyr, martyrs); where the query's translated words meet
    none of the entry's, the two are bodies of different kinds."""
    theirs = [(w, cls, sk) for w, cls in zip(c_words, c_classes) if (sk := latin_word(w))]
    taken: set[int] = set()
    off = met = 0
    translated_missing: list[str] = []
    translated_met = 0
    for word, cls in zip(q_words, q_classes):
        if cls != distinctive:
            j = next((j for j, (w, _, _) in enumerate(theirs) if j not in taken and _stem(w) == _stem(word)), None)
            if j is None:
                translated_missing.append(word)
            else:
                taken.add(j)
                translated_met += 1
            continue
        skeleton = latin_word(word)
        if not skeleton:
            continue
        j = next((j for exact in (True, False) for j, (_, _, sk) in enumerate(theirs)
                  if j not in taken and _meets(skeleton, sk, exact)), None)
        if j is None:
            return None
        off += skeleton != theirs[j][2]
        met += 1
        taken.add(j)
    left = [w for j, (w, cls, _) in enumerate(theirs) if j not in taken and cls == distinctive]
    if not met and (left or len(taken) < len(theirs) or not taken):
        return None  # only translated words: all of the entry's must be among them
    value = SKELETON_SCORE - _ONE_OFF * off - _BODY_LEFT_OUT * (len(left) + len(translated_missing))
    how = "a name in Arabic script: its consonants against a transliteration, its words translated"
    others = [w for j, (w, cls, _) in enumerate(theirs) if j not in taken and cls != distinctive]
    if translated_missing and others:  # a bank where the entry is an oil company
        cap = _OTHER_KIND if not translated_met else _SUBSTITUTED
        return min(value, cap), f"{how}; {', '.join(translated_missing)} where the entry has {', '.join(others)}"
    return value, how + (f", {off} of them one letter off" if off else "")
