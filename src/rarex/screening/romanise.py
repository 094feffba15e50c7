"""Other romanisations of Chinese names, read as Hanyu pinyin: Wade–Giles and Cantonese surnames.

Taiwan writes names in Wade–Giles ("Chang Ming-hsien" is Zhang Mingxian, "Li Kuo-hua" Li
Guohua), Hong Kong in Cantonese ("Chan" is Chen, "Wong" Huang or Wang, "Cheung" Zhang). A list
carries such a name as it was written; the query may come in pinyin or in characters (whose
reading is pinyin), and the other way round.

Wade–Giles is a finite syllable system: its syllables are made here from the pinyin syllables
by the standard conversion (initials b p d t g k z c zh ch j q x r -> p p' t t' k k' ts ts' ch
ch' ch ch' hs j; finals -ong -ung, -ian -ien, -ie -ieh, -uo -o, ü...), so each Wade–Giles
syllable maps back to the pinyin syllables it can stand for. Apostrophes (aspiration marks) are
usually dropped in lists, so "chang" is both zhang and chang: a name gets the reading with
every such syllable unaspirated, with every one aspirated, and with only the surname aspirated
(Chen Shih-hsien: chen shi xian).

Cantonese syllables are not a finite mapping onto pinyin (a reading depends on the character);
the common surnames are, and they are the part of a Hong Kong name that a pinyin query keeps.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import islice, product

from rarex.screening.pinyin import pinyin_syllables, split_syllables

#: Pinyin initial -> (Wade–Giles initial, aspirated), longest first.
_INITIALS = (("zh", "ch", False), ("ch", "ch", True), ("sh", "sh", False), ("b", "p", False), ("p", "p", True),
             ("d", "t", False), ("t", "t", True), ("g", "k", False), ("k", "k", True), ("z", "ts", False),
             ("c", "ts", True), ("j", "ch", False), ("q", "ch", True), ("x", "hs", False), ("r", "j", False))
_UMLAUT_INITIALS = ("j", "q", "x", "y")


def _to_wade_giles(syllable: str) -> tuple[str, bool] | None:
    """A pinyin syllable in Wade–Giles without apostrophes, and whether its initial is aspirated."""
    special = {"zhi": "chih", "chi": "chih", "shi": "shih", "ri": "jih", "zi": "tzu", "ci": "tzu", "si": "ssu",
               "er": "erh", "yi": "i", "you": "yu", "ye": "yeh", "yan": "yen", "yong": "yung", "e": "o"}
    if syllable in special:
        return special[syllable], syllable in ("chi", "ci")
    initial, wg, aspirated = "", "", False
    for p, w, a in _INITIALS:
        if syllable.startswith(p):
            initial, wg, aspirated = p, w, a
            break
    else:
        for p in ("m", "f", "n", "l", "h", "w", "y"):
            if syllable.startswith(p):
                initial = wg = p
                break
    final = syllable[len(initial):]
    if not final:
        return None
    if initial in _UMLAUT_INITIALS and final.startswith("u"):
        final = final.replace("ue", "ueh") if final == "ue" else final  # xue -> hsueh
    final = re.sub(r"ong$", "ung", final)
    final = re.sub(r"ian$", "ien", final)
    final = re.sub(r"ie$", "ieh", final)
    if initial in ("d", "t", "l", "n", "z", "c", "s", "zh", "ch", "r") and final == "uo":
        final = "o"
    if initial in ("g", "k", "h") and final == "e":
        final = "o"
    if initial in ("g", "k") and final == "ui":
        final = "uei"
    return wg + final, aspirated


@lru_cache(maxsize=1)
def _syllables() -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """Wade–Giles syllable -> (pinyin it stands for unaspirated, pinyin it stands for aspirated)."""
    plain: dict[str, list[str]] = {}
    aspirated: dict[str, list[str]] = {}
    for s in sorted(pinyin_syllables()):
        found = _to_wade_giles(s)
        if found is not None:
            (aspirated if found[1] else plain).setdefault(found[0], []).append(s)
    plain.setdefault("o", []).append("e")  # 鄂, 俄: pinyin's e alone, which its syllable table leaves out
    return {w: (tuple(plain.get(w, ())), tuple(aspirated.get(w, ()))) for w in {*plain, *aspirated}}


@lru_cache(maxsize=16384)
def wade_giles_split(word: str) -> tuple[str, ...] | None:
    """The word as Wade–Giles syllables (fewest wins), or None."""
    return split_syllables(word, _syllables())


#: Syllables only Wade–Giles writes (hsien, chih, tsung, hsieh...): a name holding one is read.
_ONLY_WADE_GILES = re.compile(r"hs|ts|tz|ih$|ieh|ien|ung|uei|^ssu|^jih|^erh|^yeh|^yen")


def wade_giles_readings(words: tuple[str, ...], hyphenated: bool) -> list[tuple[str, ...]]:
    """The pinyin readings of a name's words written in Wade–Giles (each word a run of
    syllables, read syllable by syllable), when it reads as Wade–Giles at all: a syllable only
    Wade–Giles has, or a hyphenated given name (Kuo-hua). At most four readings: every
    syllable unaspirated; every one aspirated; the first word aspirated, the rest not; the
    other way round (Chang Ch'un-hsien: zhang chunxian)."""
    split = [wade_giles_split(w) for w in words]
    if not words or any(s is None for s in split):
        return []
    syllables = [s for w in split for s in w]  # type: ignore[union-attr]
    if not hyphenated and not any(_ONLY_WADE_GILES.search(s) for s in syllables):
        return []
    table = _syllables()
    out: list[tuple[str, ...]] = []
    first_end = len(split[0])  # type: ignore[arg-type]
    for choice in ("plain", "aspirated", "surname", "given"):
        read = []
        for k, s in enumerate(syllables):
            plain, aspirated = table[s]
            want_aspirated = {"plain": False, "aspirated": True, "surname": k < first_end, "given": k >= first_end}[choice]
            options = (aspirated or plain) if want_aspirated else (plain or aspirated)
            read.append(options[0])
        words_read = []
        k = 0
        for w in split:
            words_read.append("".join(read[k:k + len(w)]))  # type: ignore[arg-type]
            k += len(w)  # type: ignore[arg-type]
        if tuple(words_read) != tuple(words) and tuple(words_read) not in out:
            out.append(tuple(words_read))
    return out


#: Hong Kong (Cantonese) spellings of common surnames -> their Hanyu pinyin (the commonest
#: first). From the surnames' standard Hong Kong Government Cantonese romanisation.
CANTONESE_SURNAMES: dict[str, tuple[str, ...]] = {
    "chan": ("chen",), "wong": ("huang", "wang"), "cheung": ("zhang",), "lee": ("li",), "ng": ("wu",), "lau": ("liu",),
    "tsang": ("zeng",), "ho": ("he",), "leung": ("liang",), "lam": ("lin",), "cheng": ("zheng",), "tang": ("deng",),
    "yeung": ("yang",), "chow": ("zhou",), "lo": ("lu", "luo"), "kwok": ("guo",), "tse": ("xie",), "yip": ("ye",),
    "fung": ("feng",), "mak": ("mai",), "tam": ("tan",), "chu": ("zhu",), "lai": ("li", "lai"), "siu": ("xiao",),
    "choi": ("cai",), "tsoi": ("cai",), "tsui": ("xu",), "hui": ("xu",), "kong": ("jiang",), "chiu": ("zhao",),
    "poon": ("pan",), "yuen": ("yuan",), "law": ("luo",), "ko": ("gao",), "sze": ("shi",), "luk": ("lu",),
    "man": ("wen",), "tong": ("tang",), "au": ("ou",), "pang": ("peng",), "kwan": ("guan",), "kwong": ("kuang",),
    "wan": ("yin", "wen"), "wu": ("hu", "wu"), "yu": ("yu",), "yau": ("qiu",), "chung": ("zhong",), "lui": ("lei", "lu"),
    "fong": ("fang",), "koo": ("gu",), "shum": ("cen",), "suen": ("sun",), "tsao": ("cao",),
}


#: Syllables of Hong Kong given names in the Government's Cantonese romanisation -> the pinyin
#: of the characters they most often stand for, commonest first (Ka-chiu 家超 jia chao, Ping-keung
#: 炳強 bing qiang, Yeuk-wah 若驊 ruo hua). A syllable stands for many characters; these are the
#: usual ones in names, not all.
CANTONESE_GIVEN: dict[str, tuple[str, ...]] = {
    "ka": ("jia",), "chiu": ("chao", "zhao"), "ping": ("bing", "ping"), "keung": ("qiang",), "yeuk": ("ruo", "yue"),
    "wah": ("hua",), "wa": ("hua",), "kwok": ("guo",), "wai": ("wei", "hui"), "chung": ("cong", "zhong", "song"),
    "siu": ("xiao", "shao", "zhao"), "ming": ("ming",), "tai": ("da", "tai", "di"), "man": ("wen", "min", "wan"),
    "wing": ("rong", "yong", "ying"), "kin": ("jian",), "hung": ("xiong", "hong", "kong"), "fai": ("hui", "fei"),
    "lung": ("long",), "shing": ("cheng", "sheng"), "kit": ("jie",), "tak": ("de",), "sze": ("shi", "si"),
    "yee": ("yi", "er"), "mei": ("mei",), "ling": ("ling",), "kwan": ("jun", "kun"), "chi": ("zhi", "ci", "chi"),
    "chun": ("jun", "zhen", "chun"), "chuen": ("quan", "chuan"), "yan": ("ren", "xin", "en", "yan"),
    "hing": ("xing", "qing"), "ho": ("hao", "he"), "kam": ("jin", "gan"), "lok": ("le", "luo"), "fung": ("feng",),
    "yiu": ("yao",), "hoi": ("hai", "kai"), "pui": ("pei", "bei"), "shan": ("shan",), "san": ("xin", "shan"),
    "on": ("an",), "yin": ("xian", "yan", "ran"), "cheuk": ("zhuo",), "to": ("dao", "tao", "du"), "kei": ("qi", "ji"),
    "ki": ("qi", "ji"), "king": ("jing", "qing"), "kwong": ("guang", "kuang"), "wang": ("hong",), "nam": ("nan",),
    "tung": ("dong", "tong"), "sum": ("sen", "xin", "shen"), "hang": ("heng", "xing"), "po": ("bao", "bo"),
    "yat": ("yi", "ri"), "sing": ("cheng", "xing", "sheng"), "wo": ("he",), "kiu": ("qiao", "jiao"), "hei": ("xi",),
    "lai": ("li", "lai"), "kwai": ("gui",), "fat": ("fa",), "lap": ("li",), "bing": ("bing",), "tin": ("tian",),
    "yeung": ("yang",), "choi": ("cai",), "yung": ("rong", "yong"), "chak": ("ze",), "hin": ("xian", "xuan"),
    "kuen": ("quan", "juan"), "chau": ("qiu", "zhou"), "leung": ("liang",), "pak": ("bai", "bo"), "sai": ("xi", "shi"),
    "shek": ("shi",), "suk": ("shu",), "tsz": ("zi", "ci"), "ching": ("zheng", "qing", "cheng", "jing"),
    "yuen": ("yuan",), "tsun": ("jun", "zun"), "tsan": ("zan", "can"), "kar": ("jia",),
}


def cantonese_given_readings(word: str, limit: int = 9) -> list[str]:
    """The pinyin readings of a Hong Kong given name (its syllables run together, as a
    hyphenated name is read: kachiu), syllable by syllable, the commonest first; none when it
    is not made of such syllables."""
    split = split_syllables(word, CANTONESE_GIVEN)
    if not split:
        return []
    return ["".join(r) for r in islice(product(*(CANTONESE_GIVEN[x] for x in split)), limit)]


#: The commonest Chinese surnames in Hanyu pinyin: written so in a name that is pinyin all
#: through, Tang is 唐 and Wu 吴 before they are Hong Kong's Tang (邓) and Wu (胡).
PINYIN_SURNAMES = frozenset([
    "wang", "li", "zhang", "liu", "chen", "yang", "huang", "zhao", "wu", "zhou", "xu", "sun", "ma", "zhu", "hu",
    "guo", "he", "gao", "lin", "luo", "zheng", "liang", "xie", "song", "tang", "han", "feng", "deng", "cao",
    "peng", "zeng", "xiao", "tian", "dong", "yuan", "pan", "jiang", "cai", "yu", "du", "ye", "cheng", "su",
    "wei", "lu", "ding", "ren", "shen", "yao", "cui", "zhong", "tan", "fan", "jin", "shi", "liao", "jia", "xia",
    "fu", "fang", "bai", "zou", "meng", "xiong", "qin", "qiu", "yin", "xue", "yan", "duan", "lei", "hou",
    "long", "tao", "gu", "mao", "hao", "gong", "shao", "wan", "qian", "dai", "mo", "kong", "xiang", "chang",
    "kang", "yi", "niu", "hong", "lai", "ou", "wen", "pang", "tong", "chu",
])


def cantonese_surname(word: str, *, pinyin_name: bool = False) -> tuple[str, ...]:
    """The pinyin a Hong Kong spelling of a surname stands for; none for a common pinyin
    surname in a name written in pinyin all through (``pinyin_name``)."""
    if pinyin_name and word in PINYIN_SURNAMES:
        return ()
    return CANTONESE_SURNAMES.get(word, ())


# --- Korean names ----------------------------------------------------------------------------

#: Korean surnames in the romanisations in use (Revised, McCune–Reischauer, the North's, and
#: what families chose): one group a surname. A Korean given name varies as much, and its
#: syllables are run together or not (Jong Un, Jong-un, Jongun; see persons._parts).
_KOREAN_SURNAMES = [
    {"lee", "yi", "rhee", "ri", "rhie", "i"}, {"park", "pak", "bak", "pack"}, {"choi", "choe", "chwe", "choy"},
    {"kim", "gim"}, {"jung", "jeong", "chung", "chong", "joung"}, {"kang", "gang"}, {"cho", "jo", "joe"},
    {"yoon", "yun", "youn"}, {"jang", "chang"}, {"lim", "im", "rim", "yim"}, {"shin", "sin", "shinn"},
    {"ryu", "yoo", "yu", "rhyu", "ryoo"}, {"kwon", "gwon"}, {"hwang", "whang"}, {"ahn", "an"}, {"oh", "o"},
    {"jeon", "jun", "chun", "chon", "jon"}, {"ko", "go", "koh"}, {"moon", "mun"}, {"son", "sohn"},
    {"yang", "ryang"}, {"bae", "pae"}, {"baek", "paek", "paik"}, {"heo", "hur", "huh"}, {"noh", "roh", "ro"},
    {"kwak", "gwak"}, {"seo", "suh"}, {"yeom", "yum", "ryom"},
]
KOREAN_SURNAME = {name: n for n, group in enumerate(_KOREAN_SURNAMES) for name in group}

#: A Korean name's syllable as the romanisations write it (Revised, McCune–Reischauer, the
#: North's): an onset, a vowel, a final consonant; a given name is one syllable or two.
_KOREAN_SYLLABLE = (r"(?:kk|k|g|n|dd|tt|d|t|r|l|m|bb|pp|b|p|ss|s|jj|ch|j|h|sh)?(?:y|w)?"
                    r"(?:ae|eo|eu|oe|ui|ai|oi|a|e|i|o|u)(?:ng|k|g|n|t|d|l|r|m|p|b)?")
KOREAN_WORD = re.compile(f"(?:{_KOREAN_SYLLABLE}){{1,2}}")
#: The letters the romanisations of one Korean sound differ in (Jong, Chong; Cheol, Chol; Gim, Kim;
#: Young, Yong).
_KOREAN_RULES = [("oung", "ong"), ("eo", "o"), ("eu", "u"), ("ch", "j"), ("k", "g"), ("p", "b"), ("t", "d"), ("r", "l"), ("sh", "s")]
_DOUBLED = re.compile(r"(.)\1+")


@lru_cache(maxsize=8192)
def korean_key(word: str) -> str:
    """A romanised Korean syllable or two with the romanisations' differences set aside."""
    for a, b in _KOREAN_RULES:
        word = word.replace(a, b)
    return _DOUBLED.sub(r"\1", word)


def korean_name(words: tuple[str, ...] | list[str]) -> bool:
    """A Korean person's name: four words at most, a Korean surname among them, and the rest
    given names' syllables of one or two (PAK DO-CHUN, AN Jong Hyok)."""
    return (len(words) <= 4 and any(w in KOREAN_SURNAME for w in words)
            and all(w in KOREAN_SURNAME or KOREAN_WORD.fullmatch(w) for w in words))


# McCune–Reischauer as the lists write North Korean bodies (Tanchon, Namchongang, Kumsan,
# Ryonha, Paekma): without its breves and apostrophes, a plosive voiced between voiced sounds.
_MR_INITIAL = ("k", "kk", "n", "t", "tt", "r", "m", "p", "pp", "s", "ss", "", "ch", "tch", "ch", "k", "t", "p", "h")
#: The plain plosives and affricate (ㄱ ㄷ ㅂ ㅈ), voiced between voiced sounds; not the aspirated ㅊ.
_MR_VOICED = {0: "g", 3: "d", 7: "b", 12: "j"}
_MR_MEDIAL = ("a", "ae", "ya", "yae", "o", "e", "yo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi", "yu",
              "u", "ui", "i")
_MR_FINAL = ("", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p", "t", "t",
             "ng", "t", "t", "k", "t", "p", "t")
_HANGUL_FIRST, _HANGUL_LAST = 0xAC00, 0xD7A3


def mccune_reischauer(syllables: str) -> str:
    """A run of Hangul syllables in McCune–Reischauer without diacritics (단천: tanchon, where
    the Revised Romanisation gives dancheon); a character that is no syllable is kept."""
    out: list[str] = []
    voiced = False  # whether the sound before is a vowel or a nasal or liquid
    for ch in syllables:
        code = ord(ch)
        if not _HANGUL_FIRST <= code <= _HANGUL_LAST:
            out.append(ch)
            voiced = False
            continue
        initial, rest = divmod(code - _HANGUL_FIRST, 588)
        medial, final = divmod(rest, 28)
        onset = _MR_VOICED.get(initial, _MR_INITIAL[initial]) if voiced else _MR_INITIAL[initial]
        coda = _MR_FINAL[final]
        out.append(onset + _MR_MEDIAL[medial] + coda)
        voiced = coda in ("", "n", "m", "ng", "l")
    return "".join(out)


def wade_giles_only(syllable: str) -> bool:
    """Whether a syllable is one only Wade–Giles writes (hsien, chih), or one marked aspirated
    with its apostrophe (ch'un)."""
    return "'" in syllable or (syllable in _syllables() and bool(_ONLY_WADE_GILES.search(syllable)))


def chinese_syllable(word: str) -> bool:
    """Whether ``word`` is one syllable of a Chinese name as pinyin, Wade–Giles (apostrophes
    gone: ch'un is chun) or Hong Kong's Cantonese writes it (Ming, hsien, chiu)."""
    return word in pinyin_syllables() or word in _syllables() or word in CANTONESE_GIVEN
