"""Hanyu pinyin syllables, for telling a pinyin word from any other Latin word.

Both the name tables (:mod:`rarex.screening.vocabulary`, which must not mark a pinyin
syllable generic because a country's name happens to contain it) and the normaliser
(:mod:`rarex.screening.normalise`, which splits typed pinyin into syllables) need the set of
syllables; it lives here, below both, so that neither has to import the other, with the
splitting of a word into syllables that Wade–Giles (:mod:`rarex.screening.romanise`) shares.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container
from functools import lru_cache

from pypinyin.pinyin_dict import pinyin_dict


def strip_marks(text: str) -> str:
    """Drop combining marks (tone marks, umlauts): zhōng -> zhong, lǘ -> lu."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@lru_cache(maxsize=1)
def pinyin_syllables() -> frozenset[str]:
    """Every toneless Hanyu pinyin syllable of two letters or more, from pypinyin's own
    dictionary. Left out, because they would split ordinary words into nonsense (foo -> fo o):
    the one-letter syllables a, e, o and the vowel-less interjections m, n, ng, hm."""
    # 41,000 characters share 1,500 toned readings: stripping each reading once, not once per
    # character, takes this from 140 ms to 15 ms of a new worker's first search.
    toned = {r for readings in pinyin_dict.values() for r in readings.split(",")}
    return frozenset(s for s in map(strip_marks, toned) if len(s) > 1 and re.search(r"[aeiou]", s))


#: The longest syllable of pinyin (zhuang, shuang) or Wade–Giles (chuang, hsiung).
MAX_SYLLABLE = 6


def split_syllables(word: str, known: Container[str]) -> tuple[str, ...] | None:
    """The word as a run of ``known`` syllables, fewest syllables winning (xian is xian, not
    xi an), or None when it is not one."""
    n = len(word)
    best: list[tuple[str, ...] | None] = [None] * (n + 1)
    best[0] = ()
    for i in range(n):
        done = best[i]
        if done is None:
            continue
        for j in range(min(n, i + MAX_SYLLABLE), i, -1):
            s = word[i:j]
            found = best[j]
            if s in known and (found is None or len(done) + 1 < len(found)):
                best[j] = (*done, s)
    return best[n]
