"""Which lines of an issued licence a prohibition (ECL Art. 10; DUR Art. 13) forbids using on a date.

A licence issued before a prohibition cannot be used for what it covers from the
prohibition's date. Each line is judged as it was decided: its end user's frozen party version
(country and category) and the licence's end-use category. Customs are refused a declaration
on such a line (:mod:`rarex.shipments.service`), and the licence view says so and why.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy.orm import Session

from rarex.core.bilingual import SEMI, Said
from rarex.licences.models import Licence, LicenceLine
from rarex.parties.versions import resolve
from rarex.policy import prohibitions
from rarex.policy.models import Pack


def prohibited_lines(session: Session, lic: Licence, pack: Pack, on: dt.date,
                     lines: Iterable[LicenceLine] | None = None) -> list[dict[str, Any]]:
    """For each of ``lines`` (default: all the licence's) a prohibition covers on ``on``: the line,
    its end user and the covering prohibitions with their reasons. Reads nothing from the
    database when no prohibition in force reaches the lines' items."""
    lines = list(lic.lines if lines is None else lines)
    if not reaches_items(pack, on, (line.control_code for line in lines)):
        return []
    views = resolve(session, [(line.end_user_id, line.end_user_version_id) for line in lines if line.end_user_id])
    out = []
    for line in lines:
        party = views.get((line.end_user_id, line.end_user_version_id)) if line.end_user_id else None
        if party is None:
            continue
        hits = prohibitions.covering(pack, on, destination=party.country, end_user_category=party.end_user_category,
                                     end_use_category=lic.end_use_category, entry_codes=[line.control_code])
        if hits:
            out.append({"line_no": line.line_no, "item": line.control_code, "end_user": party.id,
                        "country": party.country, "end_user_category": party.end_user_category,
                        "end_use_category": lic.end_use_category, "prohibitions": [h.as_dict() for h in hits]})
    return out


def reaches_items(pack: Pack, on: dt.date, entry_codes: Iterable[str]) -> bool:
    """Whether any prohibition in force on ``on`` reaches one of the items (whatever the deal's
    destination and categories): the cheap test before anything is read from the database."""
    codes = set(entry_codes)
    return any(p.active_on(on) and any(p.covers_item(c) for c in codes) for p in pack.prohibitions)


def describe(covered: list[dict[str, Any]]) -> str:
    """One sentence per covered line, naming each prohibition and its legal reference."""
    return said(covered).en


def said(covered: list[dict[str, Any]]) -> Said:
    """:func:`describe` in English and Chinese."""
    return SEMI.join(
        Said(f"line {c['line_no']} ({c['item']} to end user {c['end_user']} in {c['country']}): ",
             f"第{c['line_no']}项（{c['item']}，出口至{c['country']}的最终用户{c['end_user']}）：")
        + SEMI.join(Said.same(p["code"]).ref(p["legal_ref"]).then(Said(p["reason_en"], p["reason_zh"]))
                    for p in c["prohibitions"])
        for c in covered)
