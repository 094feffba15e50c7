"""Which prohibitions (ECL Art. 10; DUR Art. 13) cover a deal on a date.

A prohibition is pack data (``prohibitions.yaml``). It covers a deal when it is in force on the
date, the items fall in its item scope, the destination is one it names (or it names none), and
the end user's category OR the end use's category is one it names (see the YAML's comment for
why OR). Applications, shipments and licence determination all ask :func:`covering`; none of
them reads the YAML or knows a country or a date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from rarex.policy.models import Pack, Prohibition


@dataclass(frozen=True)
class Covering:
    """A prohibition that covers a deal, and why."""

    code: str
    legal_ref: str
    confidence: str
    effective_from: dt.date
    effective_to: dt.date | None
    #: What of the deal it covers: ``end_user_category`` and/or ``end_use_category``, or ``any``.
    matched: tuple[str, ...]
    reason_en: str
    reason_zh: str

    def as_dict(self) -> dict:
        return {
            "code": self.code, "legal_ref": self.legal_ref, "confidence": self.confidence,
            "effective_from": self.effective_from.isoformat(),
            "effective_to": self.effective_to.isoformat() if self.effective_to else None,
            "matched": list(self.matched), "reason_en": self.reason_en, "reason_zh": self.reason_zh,
        }


def reaching(pack: Pack, on: dt.date, *, destination: str, entry_codes: Iterable[str] | None = None) -> list[Prohibition]:
    """Prohibitions in force on ``on`` whose destination and item scope reach the deal, whatever
    its end user and end use: the ones an unknown category could fall under."""
    codes = None if entry_codes is None else list(entry_codes)
    return [
        p for p in pack.prohibitions
        if p.active_on(on)
        and (not p.destinations or destination.upper() in p.destinations)
        and (codes is None or any(p.covers_item(c) for c in codes))
    ]


def covering(
    pack: Pack,
    on: dt.date,
    *,
    destination: str,
    end_user_category: str | None,
    end_use_category: str | None,
    entry_codes: Iterable[str] | None = None,
) -> list[Covering]:
    """Every prohibition of ``pack`` that covers the deal on ``on``, with its reason in en and zh.

    ``destination`` is an ISO 3166-1 alpha-2 code; the categories are codes of the pack's
    ``end_user_categories`` / ``end_use_categories`` (None: not known, matches nothing named);
    ``entry_codes`` are the control entries of the deal's items (None: do not judge by item, [] no
    dual-use item, so nothing is covered). Raises ``ValueError`` for a category the pack does not know.
    """
    for value, vocab, what in (
        (end_user_category, pack.end_user_categories, "end-user"),
        (end_use_category, pack.end_use_categories, "end-use"),
    ):
        if value is not None and value not in vocab:
            raise ValueError(f"unknown {what} category {value!r}; known: {', '.join(vocab)}")
    out: list[Covering] = []
    for p in reaching(pack, on, destination=destination, entry_codes=entry_codes):
        matched: list[str] = []
        if not p.end_user_categories and not p.end_use_categories:
            matched.append("any")
        if end_user_category in p.end_user_categories:
            matched.append("end_user_category")
        if end_use_category in p.end_use_categories:
            matched.append("end_use_category")
        if matched:
            out.append(_covering(pack, p, destination.upper(), end_user_category, end_use_category, tuple(matched)))
    return out


def _covering(pack: Pack, p: Prohibition, destination: str, user: str | None, use: str | None,
              matched: tuple[str, ...]) -> Covering:
    items_en = "all dual-use items" if p.items == "all" else "items of " + ", ".join(p.items)
    items_zh = "全部两用物项" if p.items == "all" else "、".join(p.items) + "项下物项"
    parts_en: list[str] = []
    parts_zh: list[str] = []
    if "end_user_category" in matched and user is not None:
        cat = pack.end_user_categories[user]
        parts_en.append(f"end user of category {cat.label_en!r}")
        parts_zh.append(f"最终用户类别为“{cat.label_zh}”")
    if "end_use_category" in matched and use is not None:
        cat = pack.end_use_categories[use]
        parts_en.append(f"end use of category {cat.label_en!r}")
        parts_zh.append(f"最终用途类别为“{cat.label_zh}”")
    if "any" in matched:
        parts_en.append("any end user and end use")
        parts_zh.append("任何最终用户和最终用途")
    until_en = f" until {p.effective_to}" if p.effective_to else ""
    until_zh = f"至{p.effective_to}" if p.effective_to else ""
    return Covering(
        code=p.code, legal_ref=p.legal_ref, confidence=p.confidence,
        effective_from=p.effective_from, effective_to=p.effective_to, matched=matched,
        reason_en=(f"{p.legal_ref} prohibits exports of {items_en} to {destination} for "
                   f"{' and '.join(parts_en)} from {p.effective_from}{until_en}"),
        reason_zh=(f"{p.legal_ref}自{p.effective_from}起{until_zh}禁止向{destination}出口{items_zh}"
                   f"（{'；'.join(parts_zh)}）"),
    )
