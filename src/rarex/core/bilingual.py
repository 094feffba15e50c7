"""Words said to a person in both languages of the regime, at the moment they are said.

A service that gives a reason (a check's message, a condition's reason, a determination's rule)
builds a :class:`Said`: the English and the Chinese side by side, each composed from the same
facts. Pages then show the reader's language; the API keeps the English under its old name and
adds the Chinese beside it. Codes, numbers, dates and legal references read the same in both
and are written once with :meth:`Said.same`.

Joining follows each language's punctuation: ``;`` and ``；``, ``,`` and ``、``, ``:`` and ``：``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Said:
    en: str
    zh: str

    @classmethod
    def same(cls, text: object) -> Said:
        """A code, a number, a date, a name: the same in both languages."""
        return cls(str(text), str(text))

    def __add__(self, other: Said) -> Said:
        return Said(self.en + other.en, self.zh + other.zh)

    def join(self, parts: Iterable[Said]) -> Said:
        """``parts`` with this as the separator (like ``str.join``)."""
        items = list(parts)
        return Said(self.en.join(p.en for p in items), self.zh.join(p.zh for p in items))

    def then(self, other: Said) -> Said:
        """This, a colon, then ``other``: "not eligible: ..." / "不符合条件：..."."""
        return self + COLON + other

    def ref(self, legal_ref: str | None, legal_ref_zh: str | None = None) -> Said:
        """This with a legal reference in brackets (``legal_ref_zh`` where the reference names a
        title that has its own Chinese)."""
        return self + Said(f" ({legal_ref})", f"（{legal_ref_zh or legal_ref}）") if legal_ref else self

    def text(self, locale: str) -> str:
        return self.zh if locale.startswith("zh") else self.en


SEMI = Said("; ", "；")
COMMA = Said(", ", "、")
COLON = Said(": ", "：")
EMPTY = Said("", "")


def in_language(locale: str, en: str, zh: str | None) -> tuple[str, str]:
    """Stored words in the reader's language, with the language they are in: rows written before
    the Chinese was kept have none, and the page then marks the English as English."""
    if locale.startswith("zh") and zh:
        return zh, "zh"
    return en, "en"
