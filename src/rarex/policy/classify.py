"""Classify an item against the control list as it stood on a date.

This is advice for an exporter's self-classification (DUR Art. 14 para. 4), not a ruling: the
control code and the item description decide, never a customs code on its own. So the answer
names every candidate entry, what it matched on, which candidates are not in force on the date
and why, and notes that say where the match is weak.

Matching. Element (symbol, English or Chinese name) and form are filters: a candidate must not
contradict them. A customs code is evidence only: it can propose candidates (prefix match both
ways on the reference codes) but never removes one found otherwise. A free-text description can
name elements (a positive match) and forms (a filter only: "magnet" alone proposes nothing), and
matches the keywords of entries not tied to one element. A candidate needs at least one
positive match.
"""

from __future__ import annotations

import datetime as dt
import re

from pydantic import BaseModel

from rarex.core.errors import InvalidInput
from rarex.policy.models import ControlEntry, Pack
from rarex.policy.schemas import EntryOut, NotInForceOut

_FORMULA = re.compile(r"^(?:[A-Z][a-z]?\d*)+$")


class MatchedEntry(EntryOut):
    matched_on: list[str]


class MatchedNotInForce(NotInForceOut):
    matched_on: list[str]


class Classification(BaseModel):
    controlled: bool
    entries: list[MatchedEntry]
    not_in_force: list[MatchedNotInForce]
    on: dt.date
    pack: str
    pack_reviewed_until: dt.date
    caveat: str | None
    notes: list[str]
    query: dict[str, str | None]


def _has(text: str, keyword: str) -> bool:
    if keyword.isascii():
        return re.search(rf"(?<![A-Za-z0-9]){re.escape(keyword)}(?![A-Za-z0-9])", text, re.IGNORECASE) is not None
    return keyword in text


def _elements_in(pack: Pack, text: str) -> set[str]:
    """Elements a description names: by name, or as a symbol inside a formula-like token (NdFeB, Tb)."""
    found = {el.symbol for el in pack.elements.values() if _has(text, el.name_en) or el.name_zh in text}
    for token in re.findall(r"[A-Za-z0-9]+", text):
        if _FORMULA.match(token):
            found |= {s for s in re.findall(r"[A-Z][a-z]?", token) if s in pack.elements}
    return found


def _normalise(pack: Pack, element, form, hs_code, description) -> tuple[str | None, str | None, str | None, str | None]:
    if element is not None and element.strip():
        symbol = pack.element_symbol(element)
        if symbol is None:
            known = ", ".join(pack.elements)
            raise InvalidInput(f"unknown element {element.strip()!r}: give a rare-earth element symbol or name, one of {known}")
        element = symbol
    else:
        element = None
    if form is not None and form.strip():
        f = form.strip().lower().replace("-", "_").replace(" ", "_")
        if f not in pack.forms:
            raise InvalidInput(f"unknown form {form.strip()!r}: expected one of {', '.join(pack.forms)}")
        form = f
    else:
        form = None
    if hs_code is not None and hs_code.strip():
        digits = re.sub(r"[\s.]", "", hs_code)
        if not re.fullmatch(r"\d{4,10}", digits):
            raise InvalidInput(f"customs code {hs_code.strip()!r} must be 4 to 10 digits, e.g. 2846901940")
        hs_code = digits
    else:
        hs_code = None
    description = description.strip() if description and description.strip() else None
    if description is not None and len(description) > 2000:
        raise InvalidInput("description is longer than 2000 characters")
    if not any((element, form, hs_code, description)):
        raise InvalidInput("give at least one of element, form, hs_code or description")
    return element, form, hs_code, description


def _hs_hits(entry: ControlEntry, hs: str) -> list[str]:
    return [c.code for c in entry.customs_codes if c.code.startswith(hs) or hs.startswith(c.code)]


def classify(
    pack: Pack,
    *,
    on: dt.date,
    hs_code: str | None = None,
    element: str | None = None,
    form: str | None = None,
    description: str | None = None,
) -> Classification:
    """Candidate entries for the item on ``on``; raises InvalidInput for an unknown element or form or a bad code."""
    element, form, hs_code, description = _normalise(pack, element, form, hs_code, description)
    desc_elements = _elements_in(pack, description) - {element} if description else set()
    desc_forms = {f.code for f in pack.forms.values() if any(_has(description, k) for k in f.keywords)} if description and not form else set()
    wanted_elements = ({element} if element else set()) | desc_elements

    matches: list[tuple[ControlEntry, list[str]]] = []
    for e in pack.entries:
        on_: list[str] = []
        if e.element is not None and wanted_elements:
            if e.element == element:
                on_.append("element")
            elif e.element in desc_elements:
                on_.append("description")
            else:
                continue
        if form:
            if e.form != form:
                continue
            on_.append("form")
        elif desc_forms and e.form not in desc_forms:  # a described form narrows, never proposes
            continue
        if description and e.keywords and any(_has(description, k) for k in e.keywords) and "description" not in on_:
            on_.append("description")
        if hs_code and _hs_hits(e, hs_code):
            on_.append("hs_code")
        if on_:
            matches.append((e, on_))

    in_force, not_in_force = [], []
    for e, on_ in matches:
        st = pack.status(e, on)
        if st.in_force:
            in_force.append(MatchedEntry.of(pack, e, matched_on=on_))
        else:
            not_in_force.append(MatchedNotInForce.of_status(pack, e, st, matched_on=on_))

    notes = _notes(pack, matches, element, form, hs_code, description, wanted_elements, bool(in_force))
    return Classification(
        controlled=bool(in_force), entries=in_force, not_in_force=not_in_force, on=on, pack=pack.id,
        pack_reviewed_until=pack.reviewed_until, caveat=pack.caveat(on), notes=notes,
        query={"element": element, "form": form, "hs_code": hs_code, "description": description},
    )


def _notes(pack, matches, element, form, hs_code, description, wanted_elements, controlled) -> list[str]:
    notes: list[str] = []
    hs_only = [e for e, on_ in matches if on_ == ["hs_code"]]
    if hs_only:
        notes.append(
            f"A customs code never decides control on its own; the item description does. {hs_code} matched only "
            f"reference codes of {', '.join(e.code for e in hs_only)}."
        )
        shared = sorted({c.code for e in hs_only for c in e.customs_codes if c.shared_with_uncontrolled and c.code in _hs_hits(e, hs_code)})
        if shared:
            notes.append(f"Customs code {', '.join(shared)} is also used for goods that are not controlled.")
    elif hs_code and matches and not any("hs_code" in on_ for _, on_ in matches):
        notes.append(
            f"Customs code {hs_code} is not among the reference codes of the matched entries; reference codes "
            "are indicative only, so check the declaration."
        )
    if matches and all(on_ == ["form"] for _, on_ in matches) and any(e.element for e, _ in matches):
        notes.append("Matched on form alone; give the element to narrow the result.")
    listed = {e.element for e in pack.entries if e.element}
    for sym in sorted(wanted_elements - listed) if not any(e.element for e, _ in matches) else []:
        el = pack.elements[sym]
        notes.append(
            f"{sym} ({el.name_en}, {el.name_zh}) is not itself on the control list of pack {pack.id}; goods that "
            "also contain a listed element (for example Tb or Dy in NdFeB magnets) are classified by that element."
        )
    if description:
        seen: set[str] = set()
        for e, _ in matches:
            for n in e.notes:
                note = pack.notes[n]
                if n not in seen and any(_has(description, k) for k in note.outside_keywords):
                    seen.add(n)
                    notes.append(f"{note.text_en} ({note.legal_ref}; {note.confidence})")
    if not controlled:
        notes.append(
            "No listed entry in force matches. An unlisted item still needs a licence when the exporter knows, "
            "should know or has been told that it may harm national security or interests, or be used for weapons "
            "of mass destruction, their delivery systems or terrorism (ECL Art. 12 para. 3; DUR Art. 14 para. 3)."
        )
    return notes
