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
from rarex.core.bilingual import SEMI, Said
from rarex.core.errors import InvalidInput
from rarex.determination.schemas import Determination, DetermineIn, LicenceTypeAnswer, Reason
from rarex.eligibility.schemas import Overall
from rarex.eligibility.service import evaluate
from rarex.parties.models import Organisation
from rarex.parties.service import find_organisation, normalise_country
from rarex.policy.classify import CATEGORY_ZH, Classification, classify
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
        cat = pack.end_use_categories[use]
        reasons.append(Reason.of(Said(f"end use of category {cat.label_en!r}: {pack.catch_all.text_en}",
                                      f"最终用途类别为“{cat.label_zh}”：{pack.catch_all.text_zh}"), pack.catch_all.legal_ref))

    # prohibited: a prohibition covering the deal, or the technology catalogue
    decided_codes = [e.code for e in c.entries]
    possible_codes = [x.code for x in c.candidates]
    covered = covering(pack, on, destination=destination, end_user_category=user, end_use_category=use,
                       entry_codes=decided_codes) if decided_codes else []
    may_cover = [] if covered or not possible_codes else covering(
        pack, on, destination=destination, end_user_category=user, end_use_category=use, entry_codes=possible_codes)
    for p in covered:
        reasons.append(Reason.of(Said(f"prohibited: {p.reason_en}", f"禁止出口：{p.reason_zh}"), p.legal_ref))
    for p in may_cover:
        reasons.append(Reason.of(Said(f"prohibited if the item is one of the candidates: {p.reason_en}",
                                      f"如物项属于候选编码之一，则禁止出口：{p.reason_zh}"), p.legal_ref))
    covered_codes = {p.code for p in covered + may_cover}
    undecided_by_category = False
    for pr in reaching(pack, on, destination=destination, entry_codes=decided_codes + possible_codes):
        if pr.code in covered_codes:
            continue
        # a category nobody has stated could be one the prohibition names
        open_ = ([Said(f"end user's (given: {user})", "最终用户")]
                 if user == pack.default_end_user_category and pr.end_user_categories else []) \
            + ([Said(f"end use's (given: {use})", "最终用途")]
               if use == pack.default_end_use_category and pr.end_use_categories else [])
        if open_:
            undecided_by_category = True
            reasons.append(Reason.of(Said("depends on the ", "取决于") + Said(" and ", "和").join(open_)
                                     + Said(f" category, which is not known: {pr.description_en}",
                                            f"的类别，而该类别未知：{pr.description_zh}"), pr.legal_ref))
        else:
            reasons.append(Reason.of(Said(f"not covered (end user {user}, end use {use}): {pr.description_en}",
                                          f"不属于禁止范围（最终用户类别：{pack.end_user_categories[user].label_zh}，"
                                          f"最终用途类别：{pack.end_use_categories[use].label_zh}）：{pr.description_zh}"),
                                     pr.legal_ref))
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
        caveat=pack.caveat(on), caveat_zh=c.caveat_zh, on=on, pack=pack.id, classification=c,
        query={"element": c.query["element"], "hs_code": c.query["hs_code"], "code": c.query["code"],
               "form": c.query["form"], "description": c.query["description"], "destination": destination,
               "end_user_category": user, "end_use": body.end_use, "end_use_category": use,
               "org": org.uscc if org is not None else None, "registration_case": body.registration_case},
    )


#: How the pack's entry statuses and technology categories read in a Chinese reason.
STATUS_ZH = {"not_yet_effective": "尚未生效", "suspended": "暂停实施", "ended": "已失效"}


def _item_reasons(pack: Pack, c: Classification) -> list[Reason]:
    out = [Reason.of(Said(f"{e.code} is on the control list in force on {c.on}: {e.description_en}",
                          f"{e.code}列入{c.on}有效的管控清单：{e.description_zh}"), e.legal_ref) for e in c.entries]
    out += [Reason.of(Said(f"may be {x.code} ({x.description_en}): it is if {x.decides_en}",
                           f"可能属于{x.code}（{x.description_zh}）：条件是{x.decides_zh or x.description_zh}"), x.legal_ref)
            for x in c.candidates]
    out += [Reason.of(Said(f"{e.code} is not in force on {c.on}: {e.reason}",
                           f"{e.code}于{c.on}不在有效期内：{STATUS_ZH.get(e.status, e.status)}"), e.legal_ref)
            for e in c.not_in_force]
    for t in c.technology:
        what = Said("prohibited from export", "禁止出口") if t.effect == "prohibited" \
            else Said(f"restricted: needs a {t.licence_en}", f"限制出口：须取得{t.licence_zh or t.licence_en}")
        out.append(Reason.of(Said(f"technology catalogue: {t.description_en} is ", f"技术目录：{t.description_zh}")
                             + what, t.legal_ref, t.legal_ref_zh))
    for t in c.technology_candidates:
        out.append(Reason.of(Said(f"technology catalogue: {t.decides_en}, it is {t.category}",
                                  f"技术目录：如该技术为{t.description_zh}，则属{CATEGORY_ZH.get(t.category, t.category)}类"),
                             t.legal_ref, t.legal_ref_zh))
    if c.controlled is False:
        out.append(Reason.of(Said(f"not on the control list in force on {c.on}; {pack.catch_all.text_en}",
                                  f"未列入{c.on}有效的管控清单；{pack.catch_all.text_zh}"), pack.catch_all.legal_ref))
    return out


def _licence_type(pack: Pack, t: LicenceType, c: Classification, required: bool | None, prohibited: bool | None,
                  on: dt.date, case: str | None, session: Session | None, org: Organisation | None) -> LicenceTypeAnswer:
    if prohibited is True:
        return LicenceTypeAnswer.of(t.code, False, [Said(
            "the export is prohibited: no licence can be granted and none issued may be used for it (see reasons)",
            "该出口被禁止：不予许可，已颁发的许可亦不得用于该出口（见理由）")])
    if required is False:
        return LicenceTypeAnswer.of(t.code, False, [Said(
            f"no licence is needed on {on}: the item is not controlled (see reasons)",
            f"{on}无需许可：该物项不受管制（见理由）")])
    if c.controlled is True and not c.entries and not c.candidates:
        licences = sorted({(x.licence_en, x.licence_zh or x.licence_en) for x in c.technology if x.licence_en})
        return LicenceTypeAnswer.of(t.code, False, [Said(
            "the item is controlled by the technology catalogue, not the dual-use control list: it needs "
            + (", ".join(en for en, _ in licences) or "the catalogue's licence") + f", not a {t.label_en.lower()}",
            "该物项受技术目录管制，而非两用物项管控清单：须取得"
            + ("、".join(zh for _, zh in licences) or "技术目录规定的许可") + f"，而非{t.label_zh}")])
    reasons = [Said(t.description_en, t.description_zh).ref(t.legal_ref)]
    verdicts: list[bool | None] = []
    if t.cases:
        if case is None:
            verdicts.append(None)
            reasons.append(Said("only for the cases of ", "仅适用于以下情形：")
                           + SEMI.join(Said(x.label_en, x.label_zh).ref(x.legal_ref) for x in t.cases.values())
                           + Said(": name the case (registration_case) if the shipment is one",
                                  "：如该批货物属于其中之一，请注明所属情形"))
        elif case in t.cases:
            verdicts.append(True)
            reasons.append(Said("the shipment is the case: ", "该批货物属于以下情形：")
                           + Said(t.cases[case].label_en, t.cases[case].label_zh).ref(t.cases[case].legal_ref))
        else:
            verdicts.append(False)
            reasons.append(Said(f"{case} is not a case of this type", f"{case}不属于该类型的情形"))
    if t.eligibility or t.exclusions:
        if org is None or session is None:
            verdicts.append(None)
            conds = [pack.conditions[x] for x in t.eligibility + t.exclusions]
            reasons.append(Said("depends on the exporter's eligibility (name the exporter with org): ",
                                "取决于出口经营者是否符合条件（请注明出口经营者）：")
                           + SEMI.join(Said(x.label_en, x.label_zh) for x in conds))
        else:
            ev = evaluate(session, org, t.code, on, pack=pack)
            verdicts.append({Overall.eligible: True, Overall.not_eligible: False}.get(ev.status))
            reasons.append(Said(ev.summary, ev.summary_zh))
    else:
        reasons.append(Said("no eligibility conditions or exclusions", "没有资格条件或排除情形"))
    if required is None:
        reasons.append(Said("if a licence is needed at all: the item's classification is undetermined (see reasons)",
                            "前提是确需许可：该物项的归类尚未确定（见理由）"))
    if prohibited is None:
        verdicts.append(None)
        reasons.append(Said("unless a prohibition covers the export (undetermined, see reasons)",
                            "除非该出口属于禁止范围（尚未确定，见理由）"))
    available: bool | None = False if False in verdicts else None if None in verdicts else True
    return LicenceTypeAnswer.of(t.code, available, reasons)
