"""What a Chinese text a service gives may hold in Latin letters: codes, numbers, element symbols,
legal references and names from the data; never an English word of its own."""

from __future__ import annotations

import re
from functools import lru_cache

from rarex.policy.service import get_pack

#: A run of Latin letters that is a word (not a code such as 1C902.a, CNDU-G2026 or v2).
_WORD = re.compile(r"(?<![\w.-])[A-Za-z][A-Za-z'-]+(?![\w-])")


#: The words of a legal reference written in code ("DUR Art. 15 para. 2", "MOFCOM/GAC Ann. 2025 No. 70").
LEGAL_WORDS = frozenset({"dur", "ecl", "art", "arts", "para", "no", "ann", "mofcom", "gac", "most", "miit", "sca"})


@lru_cache
def _legal_refs() -> tuple[str, ...]:
    """Every legal reference and announcement of the pack, longest first."""
    refs = re.findall(r'"(?:legal_ref|announcement)":"([^"]*)"', get_pack().model_dump_json())
    return tuple(sorted(set(refs), key=len, reverse=True))


def english_words(zh: str, *names: str) -> list[str]:
    """The English words in ``zh`` outside the pack's legal references and ``names``."""
    for n in sorted(names, key=len, reverse=True) + list(_legal_refs()):
        zh = zh.replace(n, " ")
    symbols = {s.lower() for s in get_pack().elements}  # Ce, Dy, NdFeB's parts are chemistry, not English
    return [w for w in _WORD.findall(zh) if w.lower() not in LEGAL_WORDS | symbols]


def assert_chinese(zh: str, *names: str) -> None:
    assert zh and re.search(r"[\u4e00-\u9fff]", zh), f"no Chinese in {zh!r}"
    left = english_words(zh, *names)
    assert not left, f"English words {left} in {zh!r}"
