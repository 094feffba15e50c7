"""Names into comparable forms: Chinese characters, Hanyu pinyin and Latin names alike.

A restricted party appears as 北京中科三环高技术股份有限公司, as "Beijing Zhongke Sanhuan
Hi-Tech Co., Ltd.", as "beijing zhongke sanhuan", as "Zhōngkē Sānhuán" or as 北京中科三環. Every
name becomes one or more :class:`Form` s:

- Unicode compatibility folding (NFKC: full-width letters and digits), case folding;
- traditional characters to simplified (OpenCC ``t2s``), 第十四 to 第14;
- legal forms stripped: Chinese ones (有限公司, ...) from the end of a name, Latin ones (Co.,
  Ltd., GmbH, LLC, OOO, "youxian gongsi", ...) wherever they stand; stop words (of, and) go;
- other scripts to Latin with anyascii (ООО «Ромашка» -> romashka), tone marks and tone
  numbers dropped from typed pinyin (Zhōngguó, Zhong1guo2 -> zhongguo);
- a name in characters gives three forms: the characters (``han``), their pinyin (``pinyin``,
  from pypinyin, which reads phrases: 重庆 is chong qing) and an English reading (``english``)
  in which generic terms are translated (集成电路 -> integrated circuit, from
  :mod:`rarex.screening.vocabulary`), so it can meet the English name a list gives; places
  and the other words through CC-CEDICT, state groups' short names through their table
  (:mod:`rarex.screening.readings`: 哈尔滨 Harbin, 中海油 CNOOC);
- a name typed in pinyin gets the same English readings (Tianjindaxue -> tianjin university),
  a name in Wade–Giles or with a Cantonese surname its pinyin (:mod:`rarex.screening.romanise`:
  Chang Ming-hsien -> zhang ming xian);
- a person's name written surname first ("PETROV, Ivan Sergeyevich", "KIM Jong Un") is read
  given names first, the number of surname words kept on the form.
- Serbian and Macedonian Cyrillic in their own Latin alphabet (Цвијановић -> cvijanovic), Hangul
  syllable by syllable; a person's name in Latin letters, and any name in Arabic script, also
  as its consonant skeleton (``skeleton``: :mod:`rarex.screening.skeleton`), which is how a
  query in Arabic script meets the transliterations the lists carry.

Every character of a form carries a weight: 1 for the distinctive part of the name, less for
generic words (places, industries, kinds of organisation), more for numbers. Matching
(:mod:`rarex.screening.matching`) compares weighted characters, so spacing never matters,
a typo costs a few letters, and a different trade name costs most of the name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, chain, islice, product, repeat

import opencc
from anyascii import anyascii
from pypinyin import lazy_pinyin
from rapidfuzz.distance import OSA, Indel

from rarex.screening.pinyin import pinyin_syllables, split_syllables, strip_marks
from rarex.screening.readings import (
    brand,
    brand_segment,
    divisions,
    divisions_latin,
    group_opening,
    has_brand,
    place_name,
    proper_name,
    state_group,
    state_group_in_full,
    surname_character,
    word_reading,
)
from rarex.screening.readings import segment as segment_words
from rarex.screening.romanise import (
    cantonese_given_readings,
    cantonese_surname,
    chinese_syllable,
    korean_name,
    mccune_reischauer,
    wade_giles_only,
    wade_giles_readings,
)
from rarex.screening.skeleton import (
    ARABIC_BODY,
    SKELETON,
    arabic_words,
    body_words,
    is_arabic_script,
    latin_script,
    latin_word,
    vocalised,
)
from rarex.screening.vocabulary import (
    COUNTRY_ENDONYMS,
    COUNTRY_NAME_WORDS,
    DEMONYMS,
    DIRECTIONS,
    KOREAN_GLOSSARY,
    MAX_TERM,
    NAME_SUFFIXES,
    PLACE_EXONYMS,
    PLACES,
    POSTAL_ROMANISATIONS,
    STOPWORDS,
    SURNAME_READINGS,
    TITLES,
    chinese_terms,
    countries,
    generic_latin,
    official_country_names,
    places_latin,
)

_T2S = opencc.OpenCC("t2s")

#: What each word of a name is, and what its characters weigh. A generic word or a place that
#: the query has and the entry lacks weighs ``QUERY_EXTRA``: "United Aircraft Products" is not
#: "United Aircraft", though "Hikvision" is "Hangzhou Hikvision Digital Technology".
DISTINCTIVE, GENERIC, PLACE, LEGAL, NUMBER = "distinctive", "generic", "place", "legal", "number"
#: The kind of a pinyin form that reads a likely surname another way (单 as Shan, not Dan).
SURNAME_READING = "surname_reading"
#: The kind of a pinyin form read from another romanisation (Wade–Giles, a Cantonese surname).
ROMANISED = "romanised"
#: ... and of a Hong Kong given name read syllable by syllable (Ka-chiu: jiachao): one of
#: several readings each, so two such readings that agree say little (Kwok-fai and Kwok-wai
#: both read guohui).
CANTONESE = "cantonese"
WEIGHT = {DISTINCTIVE: 1.0, GENERIC: 0.08, PLACE: 0.08, LEGAL: 0.03, NUMBER: 1.5}
QUERY_EXTRA = {**WEIGHT, GENERIC: 0.45, PLACE: 0.45}

# --- legal forms -----------------------------------------------------------------------------

#: Chinese company-type suffixes, longest first; stripped only at the end of a name, where
#: Chinese puts them (a 公司 in the middle is part of the name: 某某公司第一分公司). 集团 (group)
#: and 控股 (holding) stay: they are generic words of the name, not its legal form.
CHINESE_LEGAL_FORMS = ("股份有限公司", "有限责任公司", "有限合伙企业", "有限公司", "股份公司", "合伙企业", "总公司", "公司")

#: Latin company types, as word sequences after punctuation is removed (so "Co., Ltd." is
#: "co ltd" and "S.A." is "s a"), other scripts transliterated first (ООО is "ooo"). Stripped
#: wherever they stand, longest first. Written here rather than taken from a library: rigour
#: (OpenSanctions) builds PyICU from source and leaves "co.", "company" and Chinese forms in;
#: cleanco strips one term per side at ~50 us a name.
LATIN_LEGAL_FORMS = tuple(tuple(f.split()) for f in sorted({
    # English
    "co ltd", "co limited", "company limited", "company ltd", "limited", "ltd", "llc", "l l c", "llp", "lp", "plc",
    "inc", "incorporated", "corp", "corporation", "co", "company", "pte ltd", "pte", "pvt ltd", "pvt",
    "private limited", "pty ltd", "pty", "limited liability company", "limited liability partnership",
    "joint stock company", "open joint stock company", "closed joint stock company", "public joint stock company",
    "private joint stock company", "jsc", "ojsc", "pjsc", "cjsc", "fze", "fzco", "fz llc", "fzc", "dmcc", "wll",
    "w l l", "unlimited", "pmc", "group of companies", "state corporation",
    # Russian, Ukrainian, Kazakh, Kyrgyz (transliterated)
    "ooo", "oao", "zao", "pao", "ao", "tov", "too", "osoo", "chvk", "goskorporatsiya", "obshchestvo s ogranichennoy otvetstvennostyu",
    "obshchestvo s ogranichennoi otvetstvennostiu", "obshchestvo s ogranichennoj otvetstvennostju",
    "aktsionernoye obshchestvo", "aktsionernoe obshchestvo", "publichnoye aktsionernoye obshchestvo",
    "publichnoe aktsionernoe obshchestvo", "zakrytoye aktsionernoye obshchestvo", "otkrytoye aktsionernoye obshchestvo",
    # state unitary enterprises and research and production bodies (FGUP, NPO and its "scientific
    # and production association", PO's "production association", NII, OKB), and
    # the Baltic, Bulgarian and Uzbek limited companies (SIA, UAB, EOOD, OOD, MChJ)
    "fgup", "fsue", "gup", "mup", "federal state unitary enterprise", "state unitary enterprise",
    "federalnoye gosudarstvennoye unitarnoye predpriyatiye", "federalnoe gosudarstvennoe unitarnoe predpriiatie",
    "npo", "nii", "okb", "ano", "sia", "uab", "eood", "ood", "ead", "mchj", "production association",
    "scientific production association", "scientific and production association", "research and production association",
    "research production association", "nauchno proizvodstvennoye obyedineniye", "proizvodstvennoye obyedineniye",
    # the Balkans' joint-stock and limited companies (a.d., d.d., d.o.o.e.l.)
    "a d", "d d", "dooel", "d o o e l",
    # Continental Europe
    "gmbh", "gmbh co kg", "co kg", "kg", "ag", "kgaa", "aktiengesellschaft", "gesellschaft mit beschrankter haftung",
    "mbh", "gesellschaft mbh", "handelsgesellschaft mbh", "ug", "ug haftungsbeschrankt", "haftungsbeschrankt",
    "se", "sa", "s a", "sarl", "s a r l", "sas", "s a s", "srl", "s r l", "spa", "s p a",
    "societa per azioni", "societe anonyme", "sociedad anonima", "sociedad limitada", "sl", "s l", "bv", "b v", "nv",
    "n v", "oy", "oyj", "ab", "as", "a s", "asa", "aps", "sp z o o", "s r o", "sro", "kft", "zrt", "d o o", "doo",
    "ltda", "lda", "s de rl", "s de r l", "s de rl de cv", "s de r l de c v", "s a de c v", "sa de cv", "eirl", "gie",
    "spolka z ograniczona odpowiedzialnoscia", "llc fz", "sarlu", "s a r l u", "sasu", "eurl", "sprl", "bvba", "slu",
    "srls", "nyrt", "spol s r o", "s a l", "s a e", "saog", "saoc",
    # Asia and the Middle East
    "kk", "k k", "kabushiki kaisha", "yugen kaisha", "co ltd kk", "sdn bhd", "bhd", "tbk", "pt", "anonim sirketi",
    "ltd sti", "limited sirketi", "sti", "sirketi", "sherkat",
    # Chinese legal forms typed in pinyin
    "gufen youxian gongsi", "youxian zeren gongsi", "youxian gongsi", "gongsi", "youxiangongsi",
    "gufenyouxiangongsi", "youxianzerengongsi",
}, key=lambda f: -len(f.split())))

@lru_cache(maxsize=65536)
def split_pinyin(word: str) -> tuple[str, ...] | None:
    """The word as pinyin syllables (fewest syllables wins: xian is xian, not xi an), or None
    when it is not a run of syllables. Words under three letters are left alone."""
    if len(word) < 3 or not word.isascii() or not word.isalpha():
        return None
    return split_syllables(word, pinyin_syllables())


@lru_cache(maxsize=1)
def _term_syllables() -> dict[tuple[str, ...], str]:
    """The Chinese generic terms, places and legal forms as syllable sequences (北京 -> (bei,
    jing): place), for names typed in pinyin."""
    out = {tuple(strip_marks(x) for x in lazy_pinyin(t, v_to_u=True)): PLACE if t in PLACES else GENERIC
           for t in chinese_terms()}
    out.update({tuple(lazy_pinyin(f)): LEGAL for f in CHINESE_LEGAL_FORMS})
    return out


# --- forms -----------------------------------------------------------------------------------

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef]")
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef]+|[a-z0-9]+")
_NON_WORD = re.compile(r"[^\w]+")
_TONE_NUMBERS = re.compile(r"^(?:[a-z]+[1-5])+[a-z]*$")
_TONED = re.compile(r"[a-z]+(?=[1-5])")
_ORDINAL = re.compile(r"^(\d+)(?:st|nd|rd|th)$")
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_ORDINAL = re.compile(r"第([零〇一二两三四五六七八九十百千]+)")


@dataclass(frozen=True, slots=True)
class Form:
    """One comparable rendering of a name, with a class for each word and a weight for each
    character of ``compact``."""

    kind: str  # "latin" (as written), "han" (simplified characters), "pinyin", "english" or SURNAME_READING
    words: tuple[str, ...]
    classes: tuple[str, ...]  # per word: DISTINCTIVE, GENERIC, PLACE, LEGAL or NUMBER
    compact: str  # the words joined without spaces
    weights: tuple[float, ...]  # of each character of compact
    prefix: tuple[float, ...]  # prefix sums of the weights: compact[i:j] weighs prefix[j] - prefix[i]
    extra: tuple[float, ...]  # the same with QUERY_EXTRA weights (this form as a query, unmatched)
    starts: tuple[int, ...]  # where each word starts in compact
    stripped: tuple[str, ...]  # legal forms set aside (Co., Ltd., 有限公司), for the explanation
    distinctive: bool  # has a distinctive word or a number
    numbers: frozenset[str]
    places: frozenset[str]
    #: How many of the last words are the surname, when the name said so ("PETROV, Ivan
    #: Sergeyevich" is read as "ivan sergeyevich petrov" with one surname word); 0 when unknown.
    surnames: int = 0

    @property
    def text(self) -> str:
        return " ".join(self.words)

    def sorted(self) -> Form:
        """The same words in alphabetical order (for names whose word order differs)."""
        return _sorted(self)


@lru_cache(maxsize=65536)
def _sorted(form: Form) -> Form:
    order = sorted(range(len(form.words)), key=lambda i: form.words[i])
    return build(form.kind, [(form.words[i], form.classes[i]) for i in order], form.stripped)


def build(kind: str, parts: list[tuple[str, str]], stripped: tuple[str, ...] = (), surnames: int = 0) -> Form:
    """A form from (word, class) pairs."""
    words = tuple(w for w, _ in parts if w)
    classes = tuple(c for w, c in parts if w)
    starts = tuple(accumulate((len(w) for w in words[:-1]), initial=0)) if words else ()
    # Per word, not per character: a form is built for every pair of names compared in another order.
    weights = tuple(chain.from_iterable(repeat(WEIGHT[c], len(w)) for w, c in zip(words, classes)))
    prefix = tuple(accumulate(weights, initial=0.0))
    extra = tuple(accumulate(chain.from_iterable(repeat(QUERY_EXTRA[c], len(w)) for w, c in zip(words, classes)),
                             initial=0.0))
    return Form(kind, words, classes, "".join(words), weights, prefix, extra, starts, stripped,
                distinctive=any(c in (DISTINCTIVE, NUMBER) for c in classes),
                numbers=frozenset(w for w, c in zip(words, classes) if c == NUMBER),
                places=frozenset(w for w, c in zip(words, classes) if c == PLACE), surnames=surnames)


def has_han(text: str) -> bool:
    return _HAN.search(text) is not None


def _cn_number(numeral: str) -> int:
    """十四 -> 14, 二十 -> 20, 一〇八 -> 108, 一百零五 -> 105 (enough for ordinals in names)."""
    if all(c in _CN_DIGITS for c in numeral):
        return int("".join(str(_CN_DIGITS[c]) for c in numeral))
    total, digit = 0, 0
    for c in numeral:
        if c in _CN_DIGITS:
            digit = _CN_DIGITS[c]
        else:
            total += (digit or 1) * {"十": 10, "百": 100, "千": 1000}[c]
            digit = 0
    return total + digit


#: A research institute or academy by its number alone, as people name the state groups' units
#: (54所, 九院: 第54研究所, 第九研究院), and the number as digits.
_NUMBERED_UNIT = re.compile(r"(?<![第\d零〇一二两三四五六七八九十百千])(\d+|[零〇一二两三四五六七八九十百千]+)(所|院)")


def _numbered_units(han: str) -> str:
    return _NUMBERED_UNIT.sub(lambda m: f"第{m[1] if m[1].isdigit() else _cn_number(m[1])}研究{m[2]}", han)


def _opening_group(core: str, opening: tuple[int, str, str, str], stripped: tuple[str, ...]) -> list[Form]:
    """The forms of a name that opens with a state group's or institution's name, short or full
    (中电科54所, 中航西飞, 中国空间技术研究院502所): the group's name in full characters with the
    rest, and its English name and acronym before the rest read into English."""
    end, english_name, acronym, full = opening
    rest = core[end:]
    out = list(_han_forms(full + rest + "".join(stripped), expand=False)) if full != core[:end] else []
    rest_forms = _han_forms(rest, expand=False)
    readings = [f for f in rest_forms if f.kind == "english"] or [f for f in rest_forms if f.kind == "pinyin"]
    for name in (english_name, acronym):
        parts, legal = _latin_parts(_latin_words(name))
        out.extend(build("english", parts + list(zip(r.words, r.classes)), stripped + legal) for r in readings)
    return out


def _strip_chinese_legal_form(han: str) -> tuple[str, tuple[str, ...]]:
    """The name without its legal-form suffix, unless what is left is a piece of a legal form
    itself (有限公司 alone is not 有限 with 公司 stripped) or a single character."""
    for suffix in CHINESE_LEGAL_FORMS:
        core = han[: -len(suffix)]
        if han.endswith(suffix) and len(core) > 1 and not any(core in f for f in CHINESE_LEGAL_FORMS):
            return core, (suffix,)
    return han, ()


def is_pinyin(word: str) -> bool:
    """A syllable of pinyin, or a run of them (xian, zhongguo)."""
    return word in pinyin_syllables() or split_pinyin(word) is not None


def _legal_marks(words: list[str]) -> list[bool]:
    """Which words belong to a legal form (longest sequences first); a long legal word with
    one typo (Coporation) or two (Gesellshcaft) still is one, and so is a legal form of several
    words with one of them, or all but one of three or more, a letter off (Joitn Stock Company,
    Joint Sock Cmpany, Limited Liabiilty Company), or a short one at the end of the name (Co.,
    Ld.; JCS; LZC)."""
    marks = [False] * len(words)
    n = len(words)
    read = [_legal_reading(w, at="" if n < 2 else "first" if i == 0 else "last" if i == n - 1 else "",
                           after_legal=i > 0 and words[i - 1] in _LEGAL_VOCABULARY)
            for i, w in enumerate(words)]
    i = 0
    while i < len(words):
        for form in _LEGAL_FORMS_BY_FIRST.get(read[i], ()):
            k = len(form)
            if tuple(read[i:i + k]) == form:
                off = sum(a != b for a, b in zip(words[i:i + k], form))
                # One word alone only as a short form at an end (a long one is _misspelt_legal's);
                # of two, one; of three or more, half, or all but one where the form opens or
                # closes a name that holds more (Joint Sock Cmpany Alfa-Bank: a name seldom holds
                # three words each a letter from a legal form's; Point Sock Company may be a name).
                edge = (i == 0 or i + k == n) and n > k
                if off and (2 * off > k and not (edge and k > 2 and off < k) if k > 1 else form[0] not in _AT_THE_EDGE):
                    continue
                marks[i:i + k] = [True] * k
                i += k
                break
        else:
            marks[i] = _misspelt_legal(words[i])
            i += 1
    # A letter doubled in a dotted legal form (S.S.A., B.B.V.): part of it.
    for i in range(len(words)):
        if not marks[i] and len(words[i]) == 1 and i + 1 < len(words) and marks[i + 1] and words[i] == words[i + 1]:
            marks[i] = True
    return marks


_REPEATS = re.compile(r"(.)\1+")


@lru_cache(maxsize=8192)
def _misspelt_legal(word: str) -> bool:
    """A legal-form word typed wrong: a letter doubled (GmbHH, OOOO), a piece of it typed
    twice (Corporationoration), or a letter or two off (Limted, Coporation, Gesellshcaft)."""
    if word in generic_latin() or not word.isalpha():
        return False
    # A letter typed twice, not one left out: a lone O is an initial, and Oo a Burmese name, not OOO.
    if len(word) >= _COLLAPSED_LEGAL_WORDS.get(_REPEATS.sub(r"\1", word), 99):
        return True
    for form in _LEGAL_WORDS:
        if len(form) >= 4 and word.startswith(form) and len(word) > len(form) and word[len(form):] in form:
            return True
    if len(word) < 5:
        return False
    allowed = 1 if len(word) < 10 else 2
    return any(OSA.distance(word, f, score_cutoff=allowed) <= allowed for f in _LONG_LEGAL_WORDS
               if len(f) >= 6 and (len(word) >= 7 or len(f) <= 8))


@lru_cache(maxsize=8192)
def _legal_reading(word: str, *, at: str, after_legal: bool = False) -> str:
    """The legal-form word ``word`` is one letter from (an edit or a swap of neighbours): from
    four letters any such word (Joitn, Stokc, Liabiilty); at either end of a name (``at``:
    "first" or "last"), where legal forms stand, a short abbreviation of consonants too (LZC,
    JCS, Ld, qLLC; QLC is LLC or PLC, a legal form either way; first, only of those that open
    names, see _LEADING_ABBREVIATIONS); at its end, Inc, FZE or Pte
    with letters swapped or one slipped in (Icn, Intc, sFZE); else the word itself."""
    if word in _LEGAL_VOCABULARY or not word.isalpha() or word in generic_latin():
        return word
    if len(word) < 5 and is_pinyin(word):  # Zhao, a surname, is not ZAO with an h slipped in
        at = ""
    # An abbreviation of consonants typed wrong is consonants still (LED and Pay end names),
    # unless a legal form's word comes before it (Pte. Lte.).
    short = ((_SHORT_LEGAL_ABBREVIATIONS if at == "last" else _LEADING_ABBREVIATIONS)
             if at and (after_legal or not set(word) & _VOWELS) else ())
    pool = (_LONGER_LEGAL_VOCABULARY if len(word) >= 4 else ()) + short
    near = [f for f in pool if OSA.distance(word, f, score_cutoff=1) <= 1] if len(word) >= 2 else []
    if not near and at == "last" and 3 <= len(word) <= 4:  # Icn, Intc: no other letter, or one more
        near = [f for f in _SHORT_LEGAL_WORDS if sorted(word) == sorted(f) or Indel.distance(word, f, score_cutoff=1) <= 1]
    return near[0] if near else word


#: The legal forms by their first word, longest first as in LATIN_LEGAL_FORMS (a name's words
#: are looked up, not every form tried at every word).
_LEGAL_FORMS_BY_FIRST = {first: [f for f in LATIN_LEGAL_FORMS if f[0] == first] for first in {f[0] for f in LATIN_LEGAL_FORMS}}

#: Legal forms of one word, for catching their misspellings.
_LEGAL_WORDS = tuple(f[0] for f in LATIN_LEGAL_FORMS if len(f) == 1)
_LONG_LEGAL_WORDS = tuple(f for f in _LEGAL_WORDS if len(f) >= 6)
#: Every word of a legal form; those of four letters and more; abbreviations of three or four
#: letters made of consonants (LLC, JSC, GmbH), whose misspellings at either end of a name are
#: legal forms too (two-letter ones, AG and SA, are one letter from too many words).
_LEGAL_VOCABULARY = frozenset(w for f in LATIN_LEGAL_FORMS for w in f)
_LONGER_LEGAL_VOCABULARY = tuple(sorted(w for w in _LEGAL_VOCABULARY if len(w) >= 4))
_SHORT_LEGAL_ABBREVIATIONS = tuple(sorted(f[0] for f in LATIN_LEGAL_FORMS if len(f) == 1 and 3 <= len(f[0]) <= 4
                                          and not set(f[0]) & set("aeiou")))
_VOWELS = frozenset("aeiouy")
#: The short forms with a vowel that end most company names (Inc, FZE, Pte), whose letters
#: swapped or with one slipped in are still legal forms: others (ASA, SAS, TOO) are too near
#: words that end names (Asia, Sass, Tool).
_SHORT_LEGAL_WORDS = ("fze", "inc", "pte")
_AT_THE_EDGE = frozenset(_SHORT_LEGAL_ABBREVIATIONS + _SHORT_LEGAL_WORDS)
#: Those that also open names (JSC Rosneft, LLC Romashka, ChVK Vagner): a name's first word one
#: letter from another (PVH, one from PVT) is more likely the name than a mistyped legal form.
_LEADING_ABBREVIATIONS = ("chvk", "cjsc", "jsc", "llc", "mchj", "pjsc", "pmc")
#: A one-word legal form with its doubled letters single (ooo: o), and the shortest such form's
#: length (the pairs longest first, so that the shortest is the one kept).
_COLLAPSED_LEGAL_WORDS = dict(sorted(((_REPEATS.sub(r"\1", f), len(f)) for f in _LEGAL_WORDS if len(f) >= 2),
                                     key=lambda pair: -pair[1]))


#: Three or more single letters, each set off by one space and nothing else: a letter-spaced
#: word ("M o r a v a"). Initials carry their full stops ("J. R. R.") and are not matched.
_SPACED_LETTERS = re.compile(r"(?<!\S)[a-z](?: [a-z]){2,}(?!\S)")


#: Two or more single letters, each with its full stop and nothing between them: initials
#: (J.R.R.) or an abbreviation written with stops (H.K., P.J.S.C.).
_DOTTED_LETTERS = re.compile(r"(?<![\w.])(?:[a-z]\.){2,}(?!\w)")


#: The Persian and Urdu ezafe, "of", hyphened between two words of a name (Tehrik-e-Taliban,
#: Lashkar-i-Taiba, Hizb-e Islami): the lists write it -e-, -i- or leave it out, and a letter
#: alone would otherwise be read as an initial, matching any word that begins with it.
_EZAFE = re.compile(r"(?<=[a-z]{3})-[ei](?=-[a-z]| [a-z])")


def _join_spaced(match: re.Match) -> str:
    letters = tuple(match[0].split())
    if _split_legal_form(letters):  # "sp z o o", "s r o": a legal form
        return match[0]
    return "".join(letters)


def _join_dotted(match: re.Match) -> str:
    """Dotted letters as the abbreviation they spell, where it is a country's (H.K., U.A.E.) or
    a legal form (P.J.S.C., G.m.b.H.) as written without stops; a person's initials stay
    letters (J.R.R. Tolkien), and so do legal forms the lists write with stops (S.A., B.V.)."""
    letters = tuple(match[0].replace(".", " ").split())
    joined = "".join(letters)
    if not _split_legal_form(letters) and (joined in _COUNTRY_ABBREVIATIONS or joined in _LEGAL_WORDS):
        return joined
    return match[0]


def _split_legal_form(letters: tuple[str, ...]) -> bool:
    return any(form[-len(letters):] == letters for form in LATIN_LEGAL_FORMS)


def _latin_words(text: str) -> list[str]:
    """Lower-case Latin words: punctuation splits words (Co.,Ltd -> co ltd), apostrophes join
    (Xi'an stays one word: pinyin's syllable separator), tone numbers go (zhong1 -> zhong),
    ordinals become numbers (14th -> 14), letter-spaced words are joined ("H u a w e i  T e c h"
    -> huawei tech: a list name written so, or a name typed so to slip past screening), a
    country's abbreviation (DPRK) or its own name (Rossii, Polska) is its English name."""
    text = anyascii(text).lower().replace("'", "").replace("\u2019", "")
    text = _SPACED_LETTERS.sub(_join_spaced, _DOTTED_LETTERS.sub(_join_dotted, _EZAFE.sub(" ", text)))
    out = []
    for w in _respaced(_country_shortened(_NON_WORD.sub(" ", text).replace("_", " ").split())):
        if _TONE_NUMBERS.match(w) and all(map(pinyin_syllables().__contains__, _TONED.findall(w))):  # not H3C
            w = re.sub(r"[1-5]", "", w)
        elif m := _ORDINAL.match(w):
            w = m[1]
        elif (u := _LV.sub(r"\1u", w)) != w and is_pinyin(u) and not is_pinyin(w):
            w = u  # ü typed as v: Lv Zhiqiang is Lü Zhiqiang
        w = _ABBREVIATED.get(w) or _AMERICAN.get(w, w)  # Inst., Univ., Int'l: the word in full; Centre: Center
        w = "al" if w in _ARABIC_ARTICLES else POSTAL_ROMANISATIONS.get(w) or DIRECTIONS.get(w, w)  # Khatam-ol-Anbiya; Peking
        if out and _two_word_place(out[-1], w):  # Hong Kong, Inner Mongolia: one place
            out[-1] += w
            continue
        if w in _COUNTRY_ABBREVIATIONS:  # PRC: People's Republic of China, read as China
            out.extend(_country_shortened(list(_COUNTRY_ABBREVIATIONS[w])))
        else:
            out.append(COUNTRY_ENDONYMS.get(w) or _demonym(w) or w)
    return _pinyin_ordinals(out) if len(out) >= 3 and "di" in out else out


#: The country adjectives by their first two letters, for reading one typed a letter off.
_DEMONYMS_BY_HEAD: dict[str, list[str]] = {}
for _adjective in DEMONYMS:
    _DEMONYMS_BY_HEAD.setdefault(_adjective[:2], []).append(_adjective)


def _demonym(word: str) -> str | None:
    """The country a country's adjective names (iranian: iran), also typed a letter off from
    six letters (Iranain, Syrain: a typo of the adjective, as the entry's word is the
    country's name and no typo of it); None for any other word."""
    if country := DEMONYMS.get(word):
        return country
    if len(word) < 6:
        return None
    near = [a for a in _DEMONYMS_BY_HEAD.get(word[:2], ()) if len(a) >= 6 and OSA.distance(word, a, score_cutoff=1) <= 1]
    return DEMONYMS[near[0]] if len(near) == 1 else None


_LINKING_IN_COUNTRY_NAMES = frozenset({"of", "the", "and"})


@lru_cache(maxsize=1)
def _official_name_heads() -> tuple[frozenset[str], int]:
    """The first words of the official names, and the most words one has."""
    names = official_country_names()
    return frozenset(name[0] for name in names), max(map(len, names), default=0)


def _country_shortened(words: list[str]) -> list[str]:
    """The words with each country's official or long name as its usual name (Republic of
    Belarus: Belarus; Russian Federation: Russia; see vocabulary.official_country_names)."""
    names, (heads, longest) = official_country_names(), _official_name_heads()
    if heads.isdisjoint(words):  # nearly every name
        return words
    out: list[str] = []
    i = 0
    while i < len(words):
        # The name's words and the of, the and and between them, as many again at most.
        content = ([(j, w) for j, w in enumerate(words[i:i + 2 * longest], i) if w not in _LINKING_IN_COUNTRY_NAMES]
                   if words[i] in heads else [])
        for n in range(min(len(content), longest), 1, -1):
            if content[0][0] == i and (short := names.get(tuple(w for _, w in content[:n]))):
                out.extend(short)
                i = content[n - 1][0] + 1
                break
        else:
            out.append(words[i])
            i += 1
    return out


#: The numerals of pinyin, as the characters _cn_number reads.
_PINYIN_NUMERALS = {"ling": "零", "yi": "一", "er": "二", "liang": "两", "san": "三", "si": "四", "wu": "五",
                    "liu": "六", "qi": "七", "ba": "八", "jiu": "九", "shi": "十", "bai": "百"}


def _pinyin_ordinals(words: list[str]) -> list[str]:
    """An ordinal typed in pinyin, 第 and its numeral (Di Shisi, di san shi ba: 14, 38), as
    the number, as 第十四 is read in characters; only before a generic term (Di Shisi
    Yanjiusuo: the 14th Research Institute), as Di Wu may be a person's name."""
    out: list[str] = []
    i = 0
    while i < len(words):
        numeral, j = "", i + 1
        while words[i] == "di" and j < len(words):
            syllables = (words[j],) if words[j] in _PINYIN_NUMERALS else split_pinyin(words[j]) or ()
            if not syllables or not all(x in _PINYIN_NUMERALS for x in syllables):
                break
            numeral += "".join(_PINYIN_NUMERALS[x] for x in syllables)
            j += 1
        if numeral and j < len(words) and _term_syllables().get(split_pinyin(words[j]) or (words[j],)) == GENERIC:
            out.append(str(_cn_number(numeral)))
            i = j
        else:
            out.append(words[i])
            i += 1
    return out


def _respaced(words: list[str]) -> list[str]:
    """Two neighbouring words with the space typed a letter off put back where it belongs,
    where that makes both words of legal forms or generic words and one of them was not
    ("Equipmen tCo.": equipment co; "Join tStock": joint stock; "Optoelectronic sCorp"): a
    slip that made two unknown words, the query's distinctive ones, which no entry has."""
    known = _vocabulary()
    out = list(words)
    for i in range(len(out) - 1):
        a, b = out[i], out[i + 1]
        if a in known and b in known:
            continue
        for x, y in ((a + b[:1], b[1:]), (a[:-1], a[-1:] + b)):
            if len(x) > 1 and len(y) > 1 and x in known and y in known:
                out[i], out[i + 1] = x, y
                break
    return out


@lru_cache(maxsize=1)
def _vocabulary() -> frozenset[str]:
    return _LEGAL_VOCABULARY | generic_latin()


_TWO_WORD_PLACES = frozenset({"hongkong", "innermongolia", "northchina", "eastchina", "southchina", "centralchina"})


def _two_word_place(a: str, b: str) -> bool:
    """Whether two words run together are a place of two words, or one typo from one (Inner
    Monoglia: joined as typed, so that the matcher reads the typo as it reads any other, and
    not left as two words no entry has); not two syllables of pinyin (Hong Kang is a name)."""
    joined = a + b
    return joined in _TWO_WORD_PLACES or (len(joined) >= 8 and not (is_pinyin(a) and is_pinyin(b)) and any(
        OSA.distance(joined, p, score_cutoff=1) <= 1 for p in _TWO_WORD_PLACES))

#: The Arabic article as transliterations of Arabic and Persian write it (el, ol, ul: al).
_ARABIC_ARTICLES = frozenset({"el", "ol", "ul"})
_LV = re.compile(r"([ln])v")

#: Abbreviations of the generic words of organisations' names, as lists and registers write them.
_ABBREVIATED = {"inst": "institute", "univ": "university", "intl": "international", "natl": "national",
                "mfg": "manufacturing", "assn": "association", "dept": "department", "sci": "science", "grp": "group",
                "hldgs": "holdings", "svcs": "services", "mgmt": "management", "ctr": "center", "acad": "academy",
                "govt": "government", "engg": "engineering", "bros": "brothers", "intern": "international",
                "chem": "chemical", "equip": "equipment", "sys": "systems", "svc": "services", "pharm": "pharmaceutical",
                "comms": "communications", "petrochem": "petrochemical"}


#: British spellings of the words of organisations' names, as the US lists write them: the EU
#: and UK lists write "Special Technology Centre", OFAC and BIS "Special Technology Center".
_AMERICAN = {"centre": "center", "centres": "centers", "defence": "defense", "organisation": "organization",
             "organisations": "organizations", "programme": "program", "programmes": "programs",
             "aluminium": "aluminum", "fibre": "fiber", "fibres": "fibers", "metre": "meter", "theatre": "theater",
             "licence": "license", "labour": "labor", "harbour": "harbor", "armour": "armor", "colour": "color",
             "jewellery": "jewelry", "tyre": "tire", "tyres": "tires", "catalogue": "catalog", "analyse": "analyze",
             "modernisation": "modernization", "industrialisation": "industrialization", "authorised": "authorized",
             "specialised": "specialized", "mechanisation": "mechanization", "standardisation": "standardization",
             "optimisation": "optimization", "synthesised": "synthesized"}

#: Countries as names write them short (Foreign Trade Bank of DPRK), in the words of their names
#: in full, as they are written out elsewhere (the linking words left out, as every form does;
#: UK and USA are country names of their own).
_COUNTRY_ABBREVIATIONS = {short: tuple(name.split()) for short, name in {
    "dprk": "democratic peoples republic korea", "prc": "peoples republic china", "rok": "republic korea",
    "uae": "united arab emirates", "ksa": "kingdom saudi arabia", "hk": "hongkong"}.items()}


def _divisions(parts: list[tuple[str, str]]) -> None:
    """Read as places the counties and cities that follow the province or city a Chinese
    firm's name opens with (Shandong Shouguang Luqing Petrochemical: Shouguang is a county-level
    city), as the dictionary knows them, where a trade name still follows with its industry
    after it: a name gives its divisions first, largest first, then its trade name, then its
    industry. A county's name may be the trade name itself (Zhengzhou Yuzhou Abrasives), so the
    word that follows must not be the last."""
    i = 0
    while i < len(parts) and parts[i][1] == PLACE and parts[i][0] not in countries():
        i += 1
    while (0 < i < len(parts) - 1 and parts[i][1] == DISTINCTIVE and parts[i][0] in divisions_latin()
           and DISTINCTIVE in [cls for _, cls in parts[i + 1:] if cls != LEGAL][:-1]):
        parts[i] = (parts[i][0], PLACE)
        i += 1


#: The most words a firm's seat after its legal form holds (a.d. Novi Sad, d.o.o. Banja Luka).
_SEAT_WORDS = 3


def _seat(parts: list[tuple[str, str]]) -> None:
    """The words after a legal form that closes a firm's name are where it sits, not its name
    (NAFTNA INDUSTRIJA SRBIJE A.D. NOVI SAD, as the Balkans' registers write a firm): places,
    so that the name without them is the same firm. Only where a distinctive word comes
    before the legal form (OOO Rosneft: a legal form opening a name is followed by the name)."""
    last = max((i for i, (_, c) in enumerate(parts) if c == LEGAL), default=None)
    if last is None or not 0 < len(parts) - 1 - last <= _SEAT_WORDS:
        return
    first = next(i for i, (_, c) in enumerate(parts) if c == LEGAL)
    if DISTINCTIVE not in (c for _, c in parts[:first]):
        return
    if any(c == NUMBER for _, c in parts[last + 1:]):  # Ltd. No. 2: a number names a firm
        return
    parts[last + 1:] = [(w, PLACE if c == DISTINCTIVE else c) for w, c in parts[last + 1:]]


def _latin_parts(words: list[str]) -> tuple[list[tuple[str, str]], tuple[str, ...]]:
    """Each word with its class (numbers, places and generic words: English, country names,
    pinyin of generic terms), and apart from them the legal-form words. In runs of typed
    pinyin, a word whose syllables all belong to a generic term or place (bei jing, gao ji
    shu, however spaced) is one too, and a word running several terms together is cut."""
    legal = _legal_marks(words)
    generic, places = generic_latin(), places_latin()
    parts: list[tuple[str, str]] = []
    # In a name all of pinyin, de, da and le are syllables (Gong Ming-de), not linking words;
    # in a Korean person's name too (PAK DO-CHUN, AN Jong Hyok), whose words are all names
    # (Park, Do): not one naming a place or a legal form (Hongkong Sin Ho Ltd).
    korean = (len(words) >= 2 and not any(legal) and korean_name(words)
              and not any(w in places and w not in STOPWORDS for w in words))
    linking = STOPWORDS if not (korean or all(map(is_pinyin, words))) else frozenset()
    for w, is_legal in zip(words, legal):
        if korean and (w in STOPWORDS or w in generic):
            parts.append((w, DISTINCTIVE))
        elif is_legal:
            parts.append((w, LEGAL))
        elif w in linking:
            continue
        else:
            parts.append((w, NUMBER if w.isdigit() else PLACE if w in places else GENERIC if w in generic else DISTINCTIVE))
    if all(c == LEGAL for _, c in parts):  # "Joint Stock Company": a name made of generic words
        return [(w, GENERIC) for w, _ in parts], ()
    _seat(parts)
    _divisions(parts)
    syllables = [split_pinyin(w) or ((w,) if w in pinyin_syllables() else None) if c == DISTINCTIVE else None
                 for w, c in parts]
    i = 0
    while i < len(parts):
        if syllables[i] is None:
            i += 1
            continue
        j = i
        owner: list[int] = []  # the word each syllable of the run belongs to
        while j < len(parts) and syllables[j] is not None:
            owner.extend([j] * len(syllables[j]))
            j += 1
        flat = [x for k in range(i, j) for x in syllables[k]]
        found = _term_classes(flat, frozenset(n for n in range(len(owner) + 1)
                                              if n in (0, len(owner)) or owner[n] != owner[n - 1]))
        for k in range(i, j):
            mine = [(x, found[n]) for n, (x, o) in enumerate(zip(flat, owner)) if o == k]
            classes = {t[0] if t else None for _, t in mine}
            # A one-syllable term (厂 chang, 院 yuan) alone is as often a person's name.
            if classes == {None} or all(t is None or t[2] == 1 for _, t in mine):
                continue
            if len(classes) == 1:  # the whole word is generic terms or places: beijing, gaojishu
                parts[k] = (parts[k][0], classes.pop())
                continue
            # Several terms run together (shenzhenshixinkeda): a word for each term, and one for
            # each stretch of distinctive syllables between them. A one-syllable term (shi, qu)
            # is too weak to cut at: "sunshine" is not sun + 市 + ne.
            pieces: list[list] = []
            for x, t in mine:
                key = t if t and t[2] > 1 else (DISTINCTIVE, -1, 0)
                if pieces and pieces[-1][1] == key:
                    pieces[-1][0] += x
                else:
                    pieces.append([x, key])
            parts[k] = [(text, key[0]) for text, key in pieces]  # type: ignore[call-overload]  # flattened below
        i = j
    flat_parts: list[tuple[str, str]] = []
    for p in parts:
        flat_parts.extend(p if isinstance(p, list) else [p])
    legal = tuple(w for w, c in flat_parts if c == LEGAL)
    return [(w, c) for w, c in flat_parts if c != LEGAL], legal


def _term_classes(syllables: list[str], bounds: frozenset[int] = frozenset()) -> list[tuple[str, int, int] | None]:
    """Greedy longest match of generic terms, places and legal forms over a syllable sequence:
    for each syllable, the class, start and length of the term it falls in, or None. A term
    runs across typed words (``bounds``: where each word's syllables start, and the end) only
    from a word's start to a word's end: bei jing is Beijing, but Xiang Yangping is no
    Xiangyang (襄阳) and ping."""
    terms = _term_syllables()
    out: list[tuple[str, int, int] | None] = [None] * len(syllables)
    k = 0
    while k < len(syllables):
        for n in range(min(MAX_TERM, len(syllables) - k), 0, -1):
            cls = terms.get(tuple(syllables[k:k + n]))
            if cls is not None and any(b in bounds for b in range(k + 1, k + n)) and not (k in bounds and k + n in bounds):
                continue
            if cls is not None:
                out[k:k + n] = [(cls, k, n)] * n
                k += n
                break
        else:
            k += 1
    return out


def _segments(han: str) -> list[tuple[str, str]]:
    """Characters cut into places, generic terms (longest first) and the distinctive runs
    between them: matched from the start and from the end, the cut with fewer pieces, then
    fewer lone characters, winning (龙芯中科技术 is 龙芯中科 技术, not 龙芯中 科技 术: two terms
    overlap and the forward cut leaves 术 alone)."""
    forward, backward = _cut(han), _cut(han[::-1], backward=True)

    def cost(cut: list[tuple[str, str]]) -> tuple[int, int]:
        return len(cut), sum(len(piece) == 1 for piece, cls in cut if cls == DISTINCTIVE)

    return _han_divisions(backward if cost(backward) < cost(forward) else forward)


def _han_divisions(cut: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """As _divisions does for Latin names: the county or city that opens the distinctive run
    after the places a name opens with, cut from it where two characters or more remain
    (山东 寿光鲁清石化: 山东 寿光 鲁清石化), where what remains is more than a trade name of two
    characters alone (郑州 禹州磨料 stays: 禹州 is the trade name)."""
    i = 0
    while i < len(cut) and cut[i][1] == PLACE:
        i += 1
    if not 0 < i < len(cut) or cut[i][1] != DISTINCTIVE:
        return cut
    run = cut[i][0]
    if has_brand(run):  # 海康威视 is Hikvision, not Haikang county's 威视
        return cut
    for n in (3, 2):
        if len(run) - n >= (2 if i + 1 < len(cut) else 3) and run[:n] in divisions():
            return [*cut[:i], (run[:n], PLACE), (run[n:], DISTINCTIVE), *cut[i + 1:]]
    return cut


def _cut(han: str, *, backward: bool = False) -> list[tuple[str, str]]:
    """Terms matched longest first from the start of ``han``, or, ``backward``, of ``han``
    reversed (the pieces come back in reading order)."""
    terms = chinese_terms()
    out: list[tuple[str, str]] = []
    run = ""
    i = 0
    while i < len(han):
        for n in range(min(MAX_TERM, len(han) - i), 0, -1):
            term = han[i:i + n][::-1] if backward else han[i:i + n]
            if term in terms:
                if run:
                    out.append((run[::-1] if backward else run, DISTINCTIVE))
                    run = ""
                out.append((term, PLACE if term in PLACES else GENERIC))
                i += n
                break
        else:
            run += han[i]
            i += 1
    if run:
        out.append((run[::-1] if backward else run, DISTINCTIVE))
    return out[::-1] if backward else out


def _han_forms(text: str, *, expand: bool = True) -> tuple[Form, ...]:
    """Characters, pinyin and English readings of a Chinese name. Generic terms and places are
    one word each; the distinctive runs between them are one word in characters and a word
    per syllable in pinyin (so one wrong syllable of a person's name shows as a wrong word).
    A term with several usual renderings (船舶: shipbuilding, marine) gives an English
    reading for each."""
    plain = _CN_ORDINAL.sub(lambda m: f"第{_cn_number(m[1])}", _T2S.convert(text))
    simplified = _numbered_units(plain)
    core, stripped = _strip_chinese_legal_form("".join(_HAN_RUN.findall(simplified)))
    han: list[tuple[str, str]] = []
    pinyin: list[tuple[str, str]] = []
    english: list[list[tuple[str, str]] | list[str]] = []  # a part, or the renderings of a term
    kept: dict[int, tuple[str, str]] = {}  # a term's place in english -> its pinyin (see _partly_in_pinyin)
    places: dict[int, tuple[str, str]] = {}  # ... and a place's, where its English name is another
    for piece in _HAN_RUN.findall(core):
        if not has_han(piece):  # a brand, a number or a code inside a Chinese name
            latin, legal = _latin_parts(_latin_words(piece))
            stripped += legal
            han.extend(latin)
            pinyin.extend(latin)
            english.append(latin)
            continue
        readings = lazy_pinyin(piece, v_to_u=True)
        if len(readings) != len(piece):  # a character without a reading: one per character
            readings = [lazy_pinyin(c, v_to_u=True)[0] for c in piece]
        readings = [anyascii(r).lower() for r in readings]
        pos = 0
        terms = chinese_terms()
        for segment, cls in _segments(piece):
            reading = readings[pos:pos + len(segment)]
            pos += len(segment)
            han.append((segment, cls))
            if cls == DISTINCTIVE:
                pinyin.extend((r, cls) for r in reading)
                english.append([(r, cls) for r in reading])
                continue
            pinyin.append(("".join(reading), cls))
            rendering = terms.get(segment)
            if rendering is None:  # a place keeps its name: 成都 is Chengdu, 台北 Taipei, 哈尔滨 Harbin
                name = PLACE_EXONYMS.get(segment) or place_name(segment) or "".join(reading)
                if name != "".join(reading):
                    places[len(english)] = ("".join(reading), cls)
                english.append([(name, cls)])
            else:
                if len(segment) > 1 and not set(rendering.split()) & places_latin():  # not 中国 nor 市
                    kept[len(english)] = ("".join(reading), GENERIC)
                english.append(rendering.split("|"))
    if not han:
        return ()
    out = [build("han", han, stripped), build("pinyin", pinyin, stripped)]
    seen = {out[1].compact}
    # (科大讯飞股份有限公司 is a firm: a person's name has no legal form)
    person = len(han) == 1 and han[0][1] == DISTINCTIVE and 2 <= len(core) <= 4 and not stripped
    if person:
        # Likely a person: a surname can read otherwise than the character usually does
        # (单 is Dan, but Shan as a surname; 曾 Zeng, not Ceng).
        for surname in SURNAME_READINGS.get(core[0], ()):
            if surname != pinyin[0][0]:
                alt = build(SURNAME_READING, [(surname, DISTINCTIVE), *pinyin[1:]], stripped)
                seen.add(alt.compact)
                out.append(alt)
    for variant in range(max((len(p) for p in english if p and isinstance(p[0], str)), default=1)):
        parts: list[tuple[str, str]] = []
        for p in english:
            if p and isinstance(p[0], str):  # a generic term: this variant's rendering, or its commonest
                rendering = p[variant] if variant < len(p) else p[0]
                parts.extend((w, GENERIC) for w in rendering.split() if w not in STOPWORDS)
            else:
                parts.extend(p)
        form = build("english", parts, stripped) if parts else None
        if form is not None and form.compact not in seen:
            seen.add(form.compact)
            out.append(form)
    # A name of two characters alone (中兴, 龙芯) is as likely a person's as a firm's brand,
    # unless its first is no surname (大疆 is DJI).
    extra = ([_dictionary_reading(han, english, stripped, brands=True)]
             if has_brand(core) and (not person or len(core) > 2 and brand(core) or not surname_character(core[0]))
             else [])
    if not person:
        # English names keep generic terms but the last in pinyin (上海交通大学: Shanghai Jiao Tong
        # University, not Shanghai Communications University), and places whose English name is
        # another (华中科技大学: Huazhong University of Science and Technology, not Central China)
        last = max(kept, default=None)
        extra += [_dictionary_reading(han, english, stripped),
                  _partly_in_pinyin(english, {at: p for at, p in kept.items() if at != last}, stripped),
                  _partly_in_pinyin(english, places, stripped)]
    if group := state_group(core):
        extra.extend(_english_names(group, stripped))
    # 中船重工 is 中国船舶重工集团 in characters too; read once, not again from the full name (whose
    # core may be the short name again: 华润（集团） reads as 华润 and its group in brackets).
    if expand and has_han(full := state_group_in_full(core) or ""):
        extra.extend(f for f in _han_forms(full, expand=False) if f.kind == "han")
    elif expand and not group:  # 中电科54所: 中国电子科技集团第54研究所, CETC No. 54 ... (read before 54所 became 第54研究所)
        written_core, _ = _strip_chinese_legal_form("".join(_HAN_RUN.findall(plain)))
        if opening := group_opening(written_core):
            extra.extend(_opening_group(written_core, opening, stripped))
    for form in extra:
        if form is not None and form.compact not in seen:
            seen.add(form.compact)
            out.append(form)
    return tuple(out)


def _dictionary_reading(han: list[tuple[str, str]], english: list, stripped: tuple[str, ...], *,
                        brands: bool = False) -> Form | None:
    """The English reading with the distinctive runs read through the dictionary too (海洋石油
    ocean petroleum, 曙光 dawn), where the glossary left them in pinyin; None when the
    dictionary reads none of them. With ``brands``, the reading with a firm's English brand
    for its trade name (浪潮 Inspur, 曙光 Sugon: see readings.BRANDS) and the rest read as
    before; None where the name holds no brand. Both are kept: Sugon's legal English name is
    Dawning Information Industry."""
    parts: list[tuple[str, str]] = []
    read = branded = False
    generic = generic_latin()
    for (segment, cls), rendering in zip(han, english):
        if cls != DISTINCTIVE or not has_han(segment):
            if rendering and isinstance(rendering[0], str):
                parts.extend((w, GENERIC) for w in rendering[0].split() if w not in STOPWORDS)
            else:
                parts.extend(rendering)
            continue
        for word in brand_segment(segment) if brands else segment_words(segment):
            if brands and (trade := brand(word)):
                read = branded = True
                # A brand's generic words as the English name has them (New H3C: new), unless
                # it has nothing else (China Mobile).
                words = trade.split()
                plain = all(w in generic for w in words)
                parts.extend((w, DISTINCTIVE if plain or w not in generic else GENERIC) for w in words)
                continue
            meaning = word_reading(word) if len(word) > 1 else None
            if meaning is None:
                parts.extend((anyascii(r).lower(), DISTINCTIVE) for r in lazy_pinyin(word, v_to_u=True))
                continue
            read = True
            if proper_name(word):  # 长江 Yangtze (River): a name, without the kind of place it is
                meaning = " ".join(w for w in meaning.split() if w not in _GEOGRAPHIC) or meaning
            words = [w for w in re.split(r"[^a-z]+", meaning) if w and w not in STOPWORDS]
            # Each word as what it is: 磨料 "abrasive material" is an abrasive, and Zhengzhou
            # Yuzhou Abrasives lacks no distinctive word of it.
            parts.extend((w, GENERIC if w in generic else DISTINCTIVE) for w in words)
    return build("english", parts, stripped) if read and parts and branded == brands else None


def _partly_in_pinyin(english: list, kept: dict[int, tuple[str, str]], stripped: tuple[str, ...]) -> Form | None:
    """The English reading (each term's first rendering) with the parts at ``kept`` in pinyin
    instead, as (pinyin, class); None when there are none."""
    if not kept:
        return None
    parts: list[tuple[str, str]] = []
    for at, p in enumerate(english):
        if at in kept:
            parts.append(kept[at])
        elif p and isinstance(p[0], str):
            parts.extend((w, GENERIC) for w in p[0].split() if w not in STOPWORDS)
        else:
            parts.extend(p)
    return build("english", parts, stripped)


_GEOGRAPHIC = frozenset({"river", "mountain", "mountains", "lake", "sea", "province", "city", "county", "island"})


def _english_names(group: tuple[str, str], stripped: tuple[str, ...]) -> list[Form]:
    """A state group's English name and acronym as forms of its Chinese name."""
    out = []
    for name in group:
        parts, legal = _latin_parts(_latin_words(name))
        if parts:
            out.append(build("english", parts, stripped + legal))
    return out


@lru_cache(maxsize=65536)
def forms(name: str) -> tuple[Form, ...]:
    """The comparable forms of one name (empty for a name with nothing to compare)."""
    written = unicodedata.normalize("NFKC", name).strip()
    if _HANGUL.search(written):
        if any(map(_korean_body, _HANGUL.findall(written))):
            # Read both ways the lists romanise Korean (Tanchon, Dancheon), and its words
            # romanised too (Chongsong Ryonhap, which a list may give beside Green Pine Associated).
            readings = [_HANGUL.sub(lambda run, r=romanise, t=translate: _korean_body(run[0], r, t) or _korean_romanised(run),
                                    written)
                        for romanise, translate in ((mccune_reischauer, True), (anyascii, True), (mccune_reischauer, False))]
            return tuple(dict.fromkeys(f for reading in readings for f in forms(reading)))
        written = _HANGUL.sub(_korean_romanised, written)
    if _SERBIAN.search(written):
        written = written.translate(_SERBIAN_LATIN)
    text = written.casefold()
    if not text:
        return ()
    if has_han(text):
        return _han_forms(text)
    if is_arabic_script(written):
        return _latin_forms(written, text) + _skeleton_form(arabic_words(written))
    if (aside := _PARENTHESISED.search(written)) and (inner := _latin_words(aside[1])):
        # "National Iranian Oil Co (NIOC)": also the name without what its brackets hold, and
        # an acronym there alone; not where they hold a place, even typed a letter off
        # ("Nordlys Telecom (Sweden) AB", "(Swedn)" is a branch, not the company without it).
        rest = f"{written[:aside.start()]} {written[aside.end():]}"
        # A person's nationality in brackets is no branch: "Ivan Petrov (Russia)".
        if not any(map(_a_place, inner)) or 2 <= len(words := _latin_words(rest)) <= 6 and _may_be_a_persons_name(words):
            # Read as written, not through forms() again: a name of many asides costs no more.
            outer = _latin_forms(rest.strip(), rest.strip().casefold())
            acronym = aside[1].strip()
            alone = (_latin_forms(acronym, acronym.casefold())
                     if acronym.isalpha() and acronym.isupper() and 3 <= len(acronym) <= 8 else ())
            return tuple(dict.fromkeys((*_latin_forms(written, text), *outer, *alone)))
    return _latin_forms(written, text)


#: Letters only Serbian and Macedonian Cyrillic have (љ, њ, ћ, ђ, џ, ј, ѓ, ќ, ѕ): a name written
#: so is read in the Latin alphabet those languages write it in too, letter for letter (Жељка
#: Цвијановић is Željka Cvijanović, where a Russian transliteration gives Zhelka Tsviyanovich).
_SERBIAN = re.compile("[ЉљЊњЋћЂђЏџЈјЃѓЌќЅѕ]")
_SERBIAN_LATIN = str.maketrans(
    dict(zip("АБВГДЂЕЖЗИЈКЛМНОПРСТЋУФХЦЧШабвгдђежзијклмнопрстћуфхцчш",
             "ABVGDĐEŽZIJKLMNOPRSTĆUFHCČŠabvgdđežzijklmnoprstćufhcčš"))
    | {"Љ": "Lj", "љ": "lj", "Њ": "Nj", "њ": "nj", "Џ": "Dž", "џ": "dž", "Ѓ": "Gj", "ѓ": "gj", "Ќ": "Kj", "ќ": "kj",
       "Ѕ": "Dz", "ѕ": "dz"})

#: A run of Hangul syllables.
_HANGUL = re.compile("[\uac00-\ud7a3]+")


def _korean_body(run: str, romanise: Callable[[str], str] = anyascii, translate: bool = True) -> str | None:
    """A body's name in Hangul, its words of KOREAN_GLOSSARY in English (or romanised, not
    ``translate``) and the rest romanised (단천상업은행: "tanchon commercial bank"), cut at the
    longest glossary word from the left; None for a run without such a word (a person's name)."""
    glossary, out, i, own = KOREAN_GLOSSARY, [], 0, ""
    longest = max(map(len, glossary))
    found = False
    while i < len(run):
        word = next((run[i:j] for j in range(min(len(run), i + longest), i + 1, -1) if run[i:j] in glossary), None)
        if word is None:
            own += run[i]
            i += 1
            continue
        if own:
            out.append(romanise(own).lower())
            own = ""
        out.append(glossary[word] if translate else romanise(word).lower())
        i += len(word)
        found = True
    if own:
        out.append(romanise(own).lower())
    return " ".join(out) if found else None


def _korean_romanised(run: re.Match) -> str:
    """Hangul in the Revised Romanisation; a person's name (two to four syllables: 장창하, 김정은)
    syllable by syllable, as the lists write Korean names (JANG Chang Ha, KIM Jong Un), where
    run together it would be one word no list has (jangchangha)."""
    syllables = run[0]
    if 2 <= len(syllables) <= 4:
        return " ".join(anyascii(s) for s in syllables)
    return anyascii(syllables)


@lru_cache(maxsize=4096)
def _a_place(word: str) -> bool:
    """Whether ``word`` is a place or a country, or one typo from one of five letters or more
    (Bejing, Shenzen, Swedn)."""
    places = places_latin()
    return word in places or (len(word) >= _TYPO_PLACE and any(
        abs(len(p) - len(word)) <= 1 and OSA.distance(word, p, score_cutoff=1) <= 1 for p in places))


#: The shortest place whose typo still reads as the place (see _a_place).
_TYPO_PLACE = 5
#: One bracketed aside in a Latin name (a second one is read as words).
_PARENTHESISED = re.compile(r"[(\[]([^()\[\]]*)[)\]]")


def _latin_forms(written: str, text: str) -> tuple[Form, ...]:
    """The forms of a name in Latin letters (or other scripts transliterated), as written."""
    if trimmed := _without_where_or_when(written, text):
        written, text = trimmed
    surname, comma, given = text.partition(",")
    if not comma and (capitals := _surname_in_capitals(written)):
        surname, comma, given = capitals
    if comma and _inverted_person(surname, given) and not set(_latin_words(given)) <= countries():
        # "PETROV, Ivan Sergeyevich", "CARO QUINTERO, Rafael": the lists' surname-first order,
        # read in the order people write the name, the surname words remembered.
        # A hyphenated given name is one name (Ka-chiu, Jean-Pierre, Ping-keung).
        family, first = _latin_words(surname), _without_titles(_latin_words(_HYPHENATED.sub("", given)), 1)
        parts, legal = _latin_parts(first + family)
        # A country's name written so is a given name or surname (JORDAN, Michael; SCHULZ, Martin).
        parts = [(w, DISTINCTIVE if c == PLACE and w in countries() else c) for w, c in parts]
        # The particles of a surname (DA SILVA, DE LA CRUZ) are left out as _latin_parts leaves them.
        linking = STOPWORDS if not all(map(is_pinyin, first + family)) else frozenset()
        family = [w for w in family if w not in linking]
        if (parts and not legal and all(c == DISTINCTIVE for _, c in parts)
                and len(parts) == sum(w not in linking for w in first) + len(family)):
            latin = build("latin", parts, legal, surnames=len(family))
            return (latin, *_romanised(latin, "-" in given), *_skeleton(latin, written))
    words = _without_titles(_latin_words(_syllables_joined(text)))
    if not words:
        return ()
    parts, legal = _latin_parts(words)
    if not parts:
        return ()
    out = [build("latin", parts, legal)]
    if all(is_pinyin(w) for w in words):  # typed pinyin: "Tianjin Daxue", "tian jin da xue"
        out.extend(_pinyin_readings(words, out[0]))
    out.extend(_romanised(out[0], _HYPHENATED.search(text) is not None))
    if not legal and _may_be_a_persons_name(words):
        out.extend(_skeleton(out[0], written))
    return tuple(out)


#: The most English renderings of one name in Arabic script (a word with several: مؤسسة is a
#: foundation, a corporation, an establishment or an institute; النفط petroleum or oil).
_BODY_READINGS = 8


@lru_cache(maxsize=4096)
def arabic_bodies(name: str) -> tuple[Form, ...]:
    """A body's name in Arabic script (one with a word of the glossary: شركة, بانک) as forms
    a query is compared by with names in Latin letters: its glossary words in English, a
    reading per rendering, and all its words untranslated (Bank Melli, Bonyad Shahid: lists
    transliterate Iranian bodies' names as often as they translate them); the rest as
    skeletons (see skeleton.body_score). Empty for any other name. A query's only: an entry
    in Arabic script is compared as written."""
    words = body_words(name) if is_arabic_script(name) else None
    if words is None:
        return ()
    out = []
    choices = [english.split("|") if english else [None] for _, english in words]
    # The renderings combined (a few: each word has one or two), then untranslated: of two
    # readings that score alike the first is the one explained ("jamal trust bank", not the
    # vowels guessed for ترست بنك).
    for chosen in chain(islice(product(*choices), _BODY_READINGS), [[None] * len(words)]):
        parts: list[tuple[str, str]] = []
        stripped: tuple[str, ...] = ()
        for (skeleton, _), rendering in zip(words, chosen):
            if rendering:
                english_words = rendering.split()
                if all(_legal_marks(english_words)):  # شركة: a company, set aside as the entry's is
                    stripped += tuple(english_words)
                else:
                    parts.extend((w, GENERIC) for w in english_words if w not in STOPWORDS)
            elif skeleton:
                parts.append((vocalised(skeleton), DISTINCTIVE))
        if parts:
            out.append(build(ARABIC_BODY, parts, stripped))
    return tuple(dict.fromkeys(out))


#: The most words of a name that gets a consonant skeleton (a person's name with a chain of
#: forebears: Abd al-Rahman bin Khalid bin Ahmad al-Ali).
_SKELETON_WORDS = 8


def _skeleton(latin: Form, written: str) -> tuple[Form, ...]:
    """A person's name written in Latin letters as its consonant skeleton, which a query in
    Arabic script is compared with (see :mod:`rarex.screening.skeleton`); none for a Chinese
    name in pinyin, or a name a list wrote in another script."""
    if not all(c == DISTINCTIVE for c in latin.classes) or all(map(is_pinyin, latin.words)) or not latin_script(written):
        return ()
    return _skeleton_form([s for w in latin.words if (s := latin_word(w))])


def _skeleton_form(words: list[str]) -> tuple[Form, ...]:
    """The skeleton form of a name of two to _SKELETON_WORDS words' skeletons (none else)."""
    return (build(SKELETON, [(w, DISTINCTIVE) for w in words]),) if 2 <= len(words) <= _SKELETON_WORDS else ()


def _without_titles(words: list[str], keep: int = 2) -> list[str]:
    """A person's name without the titles before it (Dr, General, Sheikh) and the suffixes or
    a year of birth after it (Jr, III, 1965), where at least ``keep`` words remain and none of
    them says it is not a person's name (a legal form, a generic word or a place other than a
    country's name, a number): General Dynamics, Doctor Web and Major Trading LLC keep theirs."""
    i, j = 0, len(words)
    while i < j and (words[i] in TITLES or i and words[i] == "gen"):  # Lt Gen, Maj Gen: Gen after a rank
        i += 1
    while j > i and (words[j - 1] in NAME_SUFFIXES or _YEAR.fullmatch(words[j - 1])):
        j -= 1
    if (i, j) == (0, len(words)) or j - i < keep:
        return words
    rest = words[i:j]
    return rest if _may_be_a_persons_name(rest) else words


_YEAR = re.compile(r"(19|20)\d\d")


#: Two syllables joined by a hyphen in a name of a few words (Chang Ch'un-hsien, Siu Chak-yi).
_SYLLABLE_PAIR = re.compile(r"\b([a-z']{1,7})-([a-z']{1,7})\b")


def _syllables_joined(text: str) -> str:
    """A Chinese given name hyphenated as Taiwan and Hong Kong write it, run together (Ch'un-hsien:
    chunhsien), as the surname-first path reads it: read apart, Chang Ch'un became the city of
    Changchun. Only between two syllables of Chinese names one of which only Wade–Giles writes
    (hsien, ch'un: a name in pinyin, Ming-de, or Cantonese, Yiu-chung, is read as it was), in
    a name of four words at most."""
    if "-" not in text or len(text.split()) > 4:
        return text

    def joined(m: re.Match) -> str:
        pair = [p.replace("'", "") for p in m.groups()]
        if all(map(chinese_syllable, pair)) and any(map(wade_giles_only, m.groups())):
            return m[0].replace("-", "")
        return m[0]

    return _SYLLABLE_PAIR.sub(joined, text)


def _may_be_a_persons_name(words: list[str]) -> bool:
    """No legal form, generic word, number or place but a country's name (Jordan, Israel)."""
    generic, places, states = generic_latin(), places_latin(), countries()
    return (not any((w in generic and w not in states) or (w in places and w not in states) or not w.isalpha()
                    for w in words) and not any(_legal_marks(words)))


def _without_where_or_when(written: str, text: str) -> tuple[str, str] | None:
    """A person's name with the country or year written after its last comma set aside ("Ivan
    Petrov, Russia"; "Ivan Petrov, 1965"), else None: the comma would read it as a surname."""
    at = text.rfind(",")
    if at < 0:
        return None
    tail = _latin_words(text[at + 1:])
    states = countries()
    if not tail or not all(w in states or w in COUNTRY_NAME_WORDS or w in STOPWORDS or _YEAR.fullmatch(w) for w in tail):
        return None
    head = _latin_words(text[:at])
    if not 2 <= len(head) <= 6 or not _may_be_a_persons_name(head):
        return None
    return written[:written.rfind(",")], text[:at]


def _romanised(latin: Form, hyphenated: bool) -> list[Form]:
    """Pinyin readings of a name written in Wade–Giles or with a Cantonese surname, surname
    first as a Chinese name is read (Chang Ming-hsien: zhang mingxian; "CHAN Tai-man": chen
    taiman); the distinctive words are read, the rest kept."""
    words = list(latin.words)
    if latin.surnames:  # read surname first, as the characters are
        cut = len(words) - latin.surnames
        order = list(range(cut, len(words))) + list(range(cut))
    else:
        order = list(range(len(words)))
    words = [latin.words[i] for i in order]
    classes = [latin.classes[i] for i in order]
    mine = [k for k, c in enumerate(classes) if c == DISTINCTIVE]
    if not mine or len(words) > 6:
        return []
    written = [words[k] for k in mine]
    bases = [written]
    readings: list[tuple[str, list[str]]] = []
    if len(mine) == len(words) <= 4:  # a person: a Hong Kong surname too (Lee Kuo-hua: li guohua)
        surnames = cantonese_surname(words[0], pinyin_name=all(map(is_pinyin, words)))
        bases += [[s, *written[1:]] for s in surnames]
        # ... and a Hong Kong given name, hyphenated (LEE Ka-chiu: li jiachao) or of one syllable
        # (Chiu Wai: zhao wei), without the English name beside it (John): the reading is the
        # Chinese name's
        if ((hyphenated or len(written) == 2) and surnames
                and (given := [r for w in written[1:] if (r := cantonese_given_readings(w))])):
            readings += [(CANTONESE, [s, *g]) for s in surnames for g in islice(product(*given), 9)]
    for base in bases:
        readings += [(ROMANISED, base)] if base is not written else []
        readings += [(ROMANISED, list(r)) for r in wade_giles_readings(tuple(base), hyphenated)]
    out = []
    for kind, read in readings:
        parts = list(zip(words, classes))
        for k, w in zip(mine, read):
            parts[k] = (w, DISTINCTIVE)
        if len(read) < len(mine):  # a person's Chinese name, the English name beside it left out
            parts = [(w, DISTINCTIVE) for w in read]
        form = build(kind, parts, latin.stripped)
        if form.compact != latin.compact and all(form.compact != f.compact for f in out):
            out.append(form)
    return out


def _pinyin_readings(words: list[str], latin: Form) -> list[Form]:
    """English readings of a name typed in pinyin: its generic terms and places rendered as in
    English (daxue university, haerbin harbin, jituan group), and a state group's English name
    and acronym ("Zhongguo Haiyang Shiyou Jituan" is CNOOC)."""
    syllables = [x for w in words for x in (split_pinyin(w) or (w,))]
    terms = _term_english()
    parts: list[tuple[str, str] | tuple[str, str, list[str]]] = []
    stripped: list[str] = []
    run = ""
    k = 0
    while k < len(syllables):
        # Terms of two syllables or more: one syllable (shi, qu) is too weak to cut a name at.
        for n in range(min(MAX_TERM, len(syllables) - k), 1, -1):
            found = terms.get(tuple(syllables[k:k + n]))
            if found is not None:
                break
        else:
            run += syllables[k]
            k += 1
            continue
        if run:
            parts.append((run, DISTINCTIVE))
            run = ""
        cls, english = found
        if cls == LEGAL:
            stripped.append("".join(syllables[k:k + n]))
        else:
            parts.append(("", cls, english.split("|")))
        k += n
    if run:
        parts.append((run, DISTINCTIVE))
    out = []
    variants = max((len(p[2]) for p in parts if len(p) == 3), default=0)  # type: ignore[misc]
    # One reading per rendering of the terms (aerospace, aeronautics and astronautics), and
    # the first again with a trade name as its brand (langchao: Inspur; see readings.BRANDS),
    # where a generic term says it is a firm: "Zhong Xing" alone may be a person, not ZTE.
    trade = any(len(p) == 2 and brand(p[0]) for p in parts)
    for variant in [*range(variants), *(["brand"] if trade and variants else [])]:
        read: list[tuple[str, str]] = []
        for p in parts:
            if len(p) == 3:
                rendering = p[2][0 if variant == "brand" else min(variant, len(p[2]) - 1)]  # type: ignore[misc]
                read.extend((w, p[1]) for w in rendering.split() if w not in STOPWORDS)
            elif variant == "brand" and (name := brand(p[0])):
                read.extend((w, DISTINCTIVE) for w in name.split())
            else:
                read.append((p[0], p[1]))
        out.append(build("english", read, tuple(stripped)))
    if group := state_group("".join(syllables).removesuffix("".join(stripped))) or state_group(latin.compact):
        out.extend(_english_names(group, latin.stripped))
    return [f for f in out if f.compact != latin.compact]


@lru_cache(maxsize=1)
def _term_english() -> dict[tuple[str, ...], tuple[str, str]]:
    """Syllables of generic terms, places and legal forms -> (class, English): (da, xue) ->
    university, (ha, er, bin) -> harbin."""
    out: dict[tuple[str, ...], tuple[str, str]] = {}
    for term, rendering in chinese_terms().items():
        key = tuple(strip_marks(x) for x in lazy_pinyin(term, v_to_u=True))
        if rendering is None:
            english = PLACE_EXONYMS.get(term) or place_name(term) or "".join(key)
            # Places that read alike (山西 Shanxi, 陕西 Shaanxi): the one written as its pinyin wins,
            # in every process alike, whatever order the terms come in.
            if key not in out or english == "".join(key):
                out[key] = (PLACE, english)
        elif rendering.split("|")[0]:
            out[key] = (GENERIC, rendering)
    out.update({tuple(lazy_pinyin(f)): (LEGAL, "") for f in CHINESE_LEGAL_FORMS})
    return out


_ARTICLE_PREFIX = re.compile(r"^(?:al|el|ul|ad|ar|as|ash|at|az)-")
#: A hyphen inside a given name (Ka-chiu, Jean-Pierre: one name), not one beside an Arabic
#: article (Saif-al Islam, Nur-ud-Din: the article is a word).
_HYPHENATED = re.compile(r"(?<=[^\W\d_])(?<!\b[ae]l)(?<!\bu[ld])-(?!(?:[ae]l|u[ld])\b)(?=[^\W\d_])")


def _surname_in_capitals(written: str) -> tuple[str, str, str] | None:
    """A name whose surname alone is in capitals, first or last ("KIM Jong Un", "LEE Ka-chiu
    John", "Ayman al-ZAWAHIRI"), as (surname, ",", given names) in lower case, else None."""
    words = written.split()
    cores = [_ARTICLE_PREFIX.sub("", w) for w in words]  # al-ZAWAHIRI: the article stays lower case
    caps = [w.isupper() and sum(ch.isalpha() for ch in w) >= 2 for w in cores]
    if not 2 <= len(words) <= 6 or all(caps) or not any(caps):
        return None
    n = caps.index(False) if caps[0] else len(caps) - caps[::-1].index(False)
    block = range(n) if caps[0] else range(n, len(words))
    if any(caps[i] != (i in block) for i in range(len(words))) or len(block) > 3:
        return None
    family = " ".join(words[i] for i in block).casefold()
    given = " ".join(w for i, w in enumerate(words) if i not in block).casefold()
    return family, ",", given


def _inverted_person(surname: str, given: str) -> bool:
    """Whether "A, B" reads as a person's surname, then given names: one to three words
    before the comma, one to four after, letters only (a company's "Co., Ltd." has its comma
    elsewhere, and its words are legal forms, which the caller checks)."""
    before, after = surname.split(), given.split()
    return (1 <= len(before) <= 3 and 1 <= len(after) <= 4 and "," not in given
            and all(any(ch.isalpha() for ch in w) for w in before + after))
