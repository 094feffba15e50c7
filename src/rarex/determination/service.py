"""Licence determination: the first question every exporter asks.

For an item, a destination, an end user and an end use on a date: is a licence needed (the
item's classification, or the catch-all for the end use), is the export prohibited (a
prohibition of the pack covering the deal, ECL Art. 10 / DUR Art. 13, or the technology
catalogue), and which licence types of the pack are open, each with why.

Every answer is three-valued where the law leaves it open: ``licence_required`` follows
classification (``null`` while the item's description does not decide between candidates);
``prohibited`` is ``null`` when a prohibition reaches the deal's destination and items but the
end user's or end use's category is not known, or when a prohibited technology is among the
candidates. A ``null`` is never read as ``false``: licence types then say "depends".

Licence types come from the pack: a type with eligibility conditions or exclusions is judged
by :mod:`rarex.eligibility.service` for the exporter named with ``org`` (without one it
"depends on the exporter's eligibility"); a registration type is open only for one of its cases
(DUR Art. 19). Reads only.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from rarex.core.authz import Principal, require
from rarex.core.errors import InvalidInput
from rarex.determination.schemas import Determination, DetermineIn, LicenceTypeAnswer, Reason
from rarex.eligibility.schemas import Overall
from rarex.eligibility.service import evaluate
from rarex.parties.models import Organisation
from rarex.parties.service import find_organisation, normalise_country
from rarex.policy.classify import Classification, classify
from rarex.policy.models import LicenceType, Pack
from rarex.policy.prohibitions import covering, reaching
from rarex.policy.service import get_pack


def determine_for(session: Session | None, actor: Principal, body: DetermineIn, pack: Pack | None = None) -> Determination:
    """The answer for ``actor``: an exporter may name only its own organisation (another is not found)."""
    require(actor, "determination.run")
    pack = pack or get_pack()
    org = None
    if body.org is not None and body.org.strip():
        if session is None:
            raise RuntimeError("naming an organisation reads its eligibility: pass a session")
        org = find_organisation(session, actor, body.org)
    return determine(pack, body, session=session, org=org)


def _category(value: str | None, vocab: dict, default: str | None, field: str) -> str:
    v = (value or "").strip().lower() or default
    if v is None:
        raise InvalidInput(f"{field} is required; one of {', '.join(vocab)}", field=field)
    if v not in vocab:
        raise InvalidInput(f"unknown {field.replace('_', ' ')} {value!r}; one of {', '.join(vocab)}", field=field)
    return v


def determine(pack: Pack, body: DetermineIn, *, session: Session | None = None, org: Organisation | None = None) -> Determination:
    on = body.on or pack.today()
    destination = normalise_country(body.destination, "destination")
    user = _category(body.end_user_category, pack.end_user_categories, None, "end_user_category")
    use = _category(body.end_use_category, pack.end_use_categories, pack.default_end_use_category, "end_use_category")
    reg_types = {c for t in pack.licence_types.values() for c in t.cases}
    if body.registration_case is not None and body.registration_case not in reg_types:
        raise InvalidInput(f"unknown registration case {body.registration_case!r}; one of {', '.join(sorted(reg_types))}",
                           field="registration_case")
    c = classify(pack, on=on, hs_code=body.hs_code, element=body.element, form=body.form, description=body.description,
                 code=body.code)
    reasons = _item_reasons(pack, c)

    # licence needed: the item's classification, or the catch-all for its end use
    licence_required = c.controlled
    if licence_required is not True and use in pack.catch_all.end_use_categories:
        licence_required = True
        reasons.append(Reason(rule=f"end use of category {pack.end_use_categories[use].label_en!r}: "
                                   f"{pack.catch_all.text_en}", legal_ref=pack.catch_all.legal_ref))

    # prohibited: a prohibition covering the deal, or the technology catalogue
    decided_codes = [e.code for e in c.entries]
    possible_codes = [x.code for x in c.candidates]
    covered = covering(pack, on, destination=destination, end_user_category=user, end_use_category=use,
                       entry_codes=decided_codes) if decided_codes else []
    may_cover = [] if covered or not possible_codes else covering(
        pack, on, destination=destination, end_user_category=user, end_use_category=use, entry_codes=possible_codes)
    for p in covered:
        reasons.append(Reason(rule=f"prohibited: {p.reason_en}", legal_ref=p.legal_ref))
    for p in may_cover:
        reasons.append(Reason(rule=f"prohibited if the item is one of the candidates: {p.reason_en}", legal_ref=p.legal_ref))
    covered_codes = {p.code for p in covered + may_cover}
    undecided_by_category = False
    for pr in reaching(pack, on, destination=destination, entry_codes=decided_codes + possible_codes):
        if pr.code in covered_codes:
            continue
        # a category nobody has stated could be one the prohibition names
        open_ = ([f"end user's (given: {user})"] if user == pack.default_end_user_category and pr.end_user_categories else []) \
            + ([f"end use's (given: {use})"] if use == pack.default_end_use_category and pr.end_use_categories else [])
        if open_:
            undecided_by_category = True
            reasons.append(Reason(rule=f"depends on the {' and '.join(open_)} category, which is not known: "
                                       f"{pr.description_en}", legal_ref=pr.legal_ref))
        else:
            reasons.append(Reason(rule=f"not covered (end user {user}, end use {use}): {pr.description_en}",
                                  legal_ref=pr.legal_ref))
    if covered or c.prohibited is True:
        prohibited: bool | None = True
    elif may_cover or undecided_by_category or c.prohibited is None:
        prohibited = None
    else:
        prohibited = False

    types = [_licence_type(pack, t, c, licence_required, prohibited, on, body.registration_case, session, org)
             for t in pack.licence_types.values()]
    return Determination(
        licence_required=licence_required, prohibited=prohibited, licence_types=types, reasons=reasons,
        caveat=pack.caveat(on), on=on, pack=pack.id, classification=c,
        query={"element": c.query["element"], "hs_code": c.query["hs_code"], "code": c.query["code"],
               "form": c.query["form"], "description": c.query["description"], "destination": destination,
               "end_user_category": user, "end_use": body.end_use, "end_use_category": use,
               "org": org.uscc if org is not None else None, "registration_case": body.registration_case},
    )


def _item_reasons(pack: Pack, c: Classification) -> list[Reason]:
    out = [Reason(rule=f"{e.code} is on the control list in force on {c.on}: {e.description_en}", legal_ref=e.legal_ref)
           for e in c.entries]
    out += [Reason(rule=f"may be {x.code} ({x.description_en}): it is if {x.decides_en}", legal_ref=x.legal_ref)
            for x in c.candidates]
    out += [Reason(rule=f"{e.code} is not in force on {c.on}: {e.reason}", legal_ref=e.legal_ref) for e in c.not_in_force]
    for t in c.technology:
        what = "prohibited from export" if t.effect == "prohibited" else f"restricted: needs a {t.licence_en}"
        out.append(Reason(rule=f"technology catalogue: {t.description_en} is {what}", legal_ref=t.legal_ref))
    for t in c.technology_candidates:
        out.append(Reason(rule=f"technology catalogue: {t.decides_en}, it is {t.category}", legal_ref=t.legal_ref))
    if c.controlled is False:
        out.append(Reason(rule=f"not on the control list in force on {c.on}; {pack.catch_all.text_en}",
                          legal_ref=pack.catch_all.legal_ref))
    return out


def _licence_type(pack: Pack, t: LicenceType, c: Classification, required: bool | None, prohibited: bool | None,
                  on: dt.date, case: str | None, session: Session | None, org: Organisation | None) -> LicenceTypeAnswer:
    if prohibited is True:
        return LicenceTypeAnswer(type=t.code, available=False, reasons=[
            "the export is prohibited: no licence can be granted and none issued may be used for it (see reasons)"])
    if required is False:
        return LicenceTypeAnswer(type=t.code, available=False, reasons=[
            f"no licence is needed on {on}: the item is not controlled (see reasons)"])
    if c.controlled is True and not c.entries and not c.candidates:
        licences = sorted({x.licence_en for x in c.technology if x.licence_en})
        return LicenceTypeAnswer(type=t.code, available=False, reasons=[
            "the item is controlled by the technology catalogue, not the dual-use control list: it needs "
            + (", ".join(licences) or "the catalogue's licence") + f", not a {t.label_en.lower()}"])
    reasons = [f"{t.description_en} ({t.legal_ref})"]
    verdicts: list[bool | None] = []
    if t.cases:
        if case is None:
            verdicts.append(None)
            reasons.append("only for the cases of " + "; ".join(f"{x.label_en} ({x.legal_ref})" for x in t.cases.values())
                           + ": name the case (registration_case) if the shipment is one")
        elif case in t.cases:
            verdicts.append(True)
            reasons.append(f"the shipment is the case: {t.cases[case].label_en} ({t.cases[case].legal_ref})")
        else:
            verdicts.append(False)
            reasons.append(f"{case} is not a case of this type")
    if t.eligibility or t.exclusions:
        if org is None or session is None:
            verdicts.append(None)
            labels = [pack.conditions[x].label_en for x in t.eligibility + t.exclusions]
            reasons.append("depends on the exporter's eligibility (name the exporter with org): " + "; ".join(labels))
        else:
            ev = evaluate(session, org, t.code, on, pack=pack)
            verdicts.append({Overall.eligible: True, Overall.not_eligible: False}.get(ev.status))
            reasons.append(ev.summary)
    else:
        reasons.append("no eligibility conditions or exclusions")
    if required is None:
        reasons.append("if a licence is needed at all: the item's classification is undetermined (see reasons)")
    if prohibited is None:
        verdicts.append(None)
        reasons.append("unless a prohibition covers the export (undetermined, see reasons)")
    available: bool | None = False if False in verdicts else None if None in verdicts else True
    return LicenceTypeAnswer(type=t.code, available=available, reasons=reasons)
