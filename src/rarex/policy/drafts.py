"""A draft amendment of a policy pack: dated changes not yet in force, loaded and checked like the pack.

Before MOFCOM's next announcement takes effect, an officer wants to know what it will do (see
:mod:`rarex.impact`). The announcement is written as a draft in the pack's own vocabulary, one
YAML file whose sections have the shape of the pack file of the same name::

    code: 2026-xx-draft
    description_en: ...
    description_zh: ...
    effective_from: 2026-11-11      # when changed licence types and conditions apply
    legal_ref: MOFCOM/GAC Ann. 2026 No. xx (draft)
    announcements: {...}            # announcements.yaml: announcements the draft cites
    entries: [...]                  # control_list.yaml: control entries added (or replaced by code)
    amendments: [...]               # amendments.yaml: a suspension, or a changed end of one
    prohibitions: [...]             # prohibitions.yaml: a prohibition added (or replaced by code)
    conditions: {...}               # licence_types.yaml: conditions changed or added
    licence_types: {...}            # licence_types.yaml: licence types changed (existing codes only)

A record whose code the pack already has replaces the pack's record (ending a suspension early
is the same suspension with an earlier ``until``); any other record is added. Entries,
amendments and prohibitions carry their own dates; licence types and conditions have none in
the pack, so they take the draft's ``effective_from``. The draft is checked against the pack it
amends with the loader's own checks, and every error names the draft, the line and the field.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, Field

from rarex.policy import models as m
from rarex.policy.loader import (
    PackError,
    YamlDoc,
    check_amendment,
    check_entry,
    check_prohibition,
    duplicate_codes,
    parse_yaml,
)

#: Sections of a draft, in the order they are reported.
SECTIONS = ("entries", "amendments", "prohibitions", "conditions", "licence_types")


class DraftFile(m._Model):
    code: m.Code
    description_en: str = Field(min_length=1)
    description_zh: str = Field(min_length=1)
    effective_from: m.Date
    legal_ref: str = Field(min_length=1)
    announcements: dict[str, m.Announcement] = {}
    entries: list[m.ControlEntry] = []
    amendments: list[m.Amendment] = []
    prohibitions: list[m.Prohibition] = []
    conditions: dict[str, m.Condition] = {}
    licence_types: dict[str, m.LicenceType] = {}

    keyed_fields: ClassVar[dict[str, str]] = {"announcements": "code", "conditions": "code", "licence_types": "code"}


class DraftChange(BaseModel):
    """One record of the draft and what it does to the pack."""

    section: Literal["entries", "amendments", "prohibitions", "conditions", "licence_types"]
    code: str
    action: Literal["added", "replaced"]
    effective_from: dt.date | None
    effective_to: dt.date | None = None
    legal_ref: str


class Draft(BaseModel):
    """A checked draft over the pack it was checked against; :meth:`apply` gives the amended pack."""

    name: str
    file: DraftFile
    pack_id: str
    changes: list[DraftChange]

    def apply(self, pack: m.Pack, on: dt.date) -> m.Pack:
        """``pack`` with the draft's records; licence types and conditions only from the draft's date."""
        f = self.file
        fields: dict[str, Any] = {name: getattr(pack, name) for name in m.Pack.model_fields}
        fields["announcements"] = {**pack.announcements, **f.announcements}
        fields["entries"] = sorted(_merge(pack.entries, f.entries), key=lambda e: e.code)
        fields["amendments"] = _merge(pack.amendments, f.amendments)
        fields["prohibitions"] = _merge(pack.prohibitions, f.prohibitions)
        if on >= f.effective_from:
            fields["conditions"] = {**pack.conditions, **f.conditions}
            fields["licence_types"] = {**pack.licence_types, **f.licence_types}
        return m.Pack(**fields)


def _merge(base: list, changes: list) -> list:
    """``base`` with each record of ``changes`` replacing the one of its code, or appended."""
    by_code = {x.code: x for x in changes}
    return [by_code.pop(x.code, x) for x in base] + list(by_code.values())


def load_draft(name: str, text: str, pack: m.Pack) -> Draft:
    """Parse and check a draft against ``pack``; raise :class:`PackError` with every error."""
    doc, errors = parse_yaml(name, text, DraftFile)
    if errors:
        raise PackError(errors)
    f: DraftFile = doc.model
    errors = _check(doc, f, pack)
    if errors:
        raise PackError(errors)
    changes = []
    known = {"entries": {e.code for e in pack.entries}, "amendments": {a.code for a in pack.amendments},
             "prohibitions": {p.code for p in pack.prohibitions}, "conditions": set(pack.conditions),
             "licence_types": set(pack.licence_types)}
    for section in SECTIONS:
        records = getattr(f, section)
        for r in (records.values() if isinstance(records, dict) else records):
            start = getattr(r, "effective_from", None) or getattr(r, "from_", None)
            end = getattr(r, "effective_to", None) or getattr(r, "last_day", None)
            dated = section in ("entries", "amendments", "prohibitions")
            changes.append(DraftChange(
                section=section, code=r.code, action="replaced" if r.code in known[section] else "added",
                effective_from=start if dated else f.effective_from, effective_to=end,
                legal_ref=getattr(r, "legal_ref", f.legal_ref)))
    return Draft(name=name, file=f, pack_id=pack.id, changes=changes)


def _check(doc: YamlDoc, f: DraftFile, pack: m.Pack) -> list[str]:
    errors: list[str] = []
    if not any(getattr(f, s) for s in SECTIONS):
        errors.append(doc.error((), f"the draft changes nothing: give at least one of {', '.join(SECTIONS)}"))
    clash = sorted(set(f.announcements) & set(pack.announcements))
    for code in clash:
        if f.announcements[code] != pack.announcements[code]:
            errors.append(doc.error(("announcements", code, "[key]"),
                                    f"announcement {code} is already in the pack with other details: cite it without redefining it"))
    ann = {**pack.announcements, **f.announcements}
    errors += duplicate_codes(doc, "entries", f.entries) + duplicate_codes(doc, "amendments", f.amendments) \
        + duplicate_codes(doc, "prohibitions", f.prohibitions)
    for i, e in enumerate(f.entries):
        errors += check_entry(doc, ("entries", i), e, pack, ann)
    for i, a in enumerate(f.amendments):
        errors += check_amendment(doc, ("amendments", i), a, ann)
    codes = sorted({e.code for e in pack.entries} | {e.code for e in f.entries})
    vocabs = {"end_user_categories": pack.end_user_categories, "end_use_categories": pack.end_use_categories}
    for i, p in enumerate(f.prohibitions):
        errors += check_prohibition(doc, ("prohibitions", i), p, ann, codes, vocabs)
    conditions = {**pack.conditions, **f.conditions}
    for code, t in f.licence_types.items():
        at = ("licence_types", code)
        old = pack.licence_types.get(code)
        if old is None:
            errors.append(doc.error(at + ("[key]",), f"unknown licence type {code!r}: a draft changes the pack's types "
                                                     f"({', '.join(pack.licence_types)}), it does not add one"))
            continue
        if t.number_series != old.number_series:
            errors.append(doc.error(at + ("number_series",), f"number_series {t.number_series!r} differs from the pack's "
                                                              f"{old.number_series!r}: issued numbers would change series"))
        for field, kind in (("eligibility", "eligibility"), ("exclusions", "exclusion")):
            for j, c in enumerate(getattr(t, field)):
                cond = conditions.get(c)
                if cond is None:
                    errors.append(doc.error(at + (field, j), f"unknown condition {c!r}"))
                elif cond.kind != kind:
                    errors.append(doc.error(at + (field, j), f"condition {c!r} is of kind {cond.kind}, not {kind}"))
    for code, cond in f.conditions.items():
        old_cond = pack.conditions.get(code)
        if old_cond is not None and old_cond.kind != cond.kind:
            errors.append(doc.error(("conditions", code, "kind"), f"condition {code!r} is of kind {old_cond.kind} in the pack; "
                                                                  "a draft may change its thresholds, not its kind"))
    return errors
