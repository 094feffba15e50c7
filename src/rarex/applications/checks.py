"""Automated checks run on submission: a registry later checks join (screening, eligibility).

Each check reads the application and the policy pack and returns one :class:`Outcome` with a
reason a person can act on. ``fail`` blocks acceptance; ``warn`` and ``info`` inform the officer.
A check that does not apply to the application (eligibility for a licence type without
conditions) returns None and is left out of the results, rather than padding every case with a
"pass" that checked nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from rarex.applications.models import Application
from rarex.core.bilingual import COMMA, SEMI, Said
from rarex.eligibility.schemas import Overall
from rarex.eligibility.service import evaluate_application
from rarex.licences.prohibitions import said as describe_said
from rarex.parties.versions import Ref, resolve
from rarex.policy import prohibitions
from rarex.policy.classify import classify
from rarex.screening import cases as screening
from rarex.screening.case_parties import application_parties
from rarex.screening.control_list import listings
from rarex.screening.lists import version_on

PASS, FAIL, WARN, INFO = "pass", "fail", "warn", "info"


@dataclass
class Outcome:
    outcome: str
    said: Said  # the reason, in English and Chinese
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return self.said.en


@dataclass(frozen=True)
class CheckContext:
    application: Application
    pack: Any
    on: dt.date  # the date the checks are about (submission day in the pack's zone)
    #: For checks that read beyond the application (the exporter's compliance profile).
    session: Session | None = None
    #: True on submission: checks that keep records of their own (screening hits) store them;
    #: a precheck only looks.
    record: bool = False
    #: When the checks run (the submission's time, which the demo and imports backdate).
    at: dt.datetime | None = None


CheckFn = Callable[[CheckContext], Outcome | None]
REGISTRY: dict[str, CheckFn] = {}


def check(name: str) -> Callable[[CheckFn], CheckFn]:
    """Register a check under ``name``; the order of registration is the order of display."""

    def deco(fn: CheckFn) -> CheckFn:
        REGISTRY[name] = fn
        return fn

    return deco


def run_all(ctx: CheckContext) -> list[tuple[str, Outcome]]:
    """Every registered check that applies, in registration order."""
    results = [(name, fn(ctx)) for name, fn in REGISTRY.items()]
    return [(name, o) for name, o in results if o is not None]


@check("completeness")
def completeness(ctx: CheckContext) -> Outcome:
    """DUR Art. 16 / ECL Art. 15: the items, the end use and the required documents."""
    app, missing = ctx.application, []
    if not app.items:
        missing.append(Said("at least one item", "物项（至少一项）"))
    if len(app.end_use.strip()) < 10:
        missing.append(Said("a statement of the end use", "最终用途说明"))
    present = {d.doc_type for d in app.documents}
    docs = [d for d in ctx.pack.required_documents(app.licence_type) if d not in present]
    details = {"missing_documents": docs, "missing": [m.en for m in missing]}
    if missing or docs:
        labels = [Said(ctx.pack.document_types[d].label_en, ctx.pack.document_types[d].label_zh) for d in docs]
        parts = missing + ([Said("documents: ", "以下文件：") + COMMA.join(labels)] if labels else [])
        return Outcome(FAIL, Said("incomplete: missing ", "材料不齐全，缺少") + SEMI.join(parts), details)
    return Outcome(PASS, Said(f"complete: {len(app.items)} item(s), end use stated, {len(present)} document type(s) supplied",
                              f"材料齐全：{len(app.items)}项物项，已说明最终用途，已提交{len(present)}类文件"), details)


@check("controlled")
def controlled(ctx: CheckContext) -> Outcome:
    """Whether each item is on the control list on the date, and whether the technology catalogue
    bars or restricts it; none controlled means no licence needed.

    An item whose control code is not in force is cross-checked against its description and
    customs code: when they leave the answer open (``controlled: null``) or point to an entry in
    force, the officer decides. An undetermined answer is never read as "not controlled".
    """
    pack, on = ctx.pack, ctx.on
    unknown: list[str] = []
    not_in_force: list[str] = []
    in_force: list[str] = []
    unsure: list[Said] = []
    prohibited: list[Said] = []
    maybe_prohibited: list[Said] = []
    tech_licence: list[Said] = []
    for item in ctx.application.items:
        if pack.entry(item.control_code) is None:
            unknown.append(item.control_code)
            continue
        code = Said.same(f"{item.control_code}").then
        by_code = classify(pack, on=on, code=item.control_code, description=item.description)
        prohibited += [code(Said(t.description_en, t.description_zh).ref(t.legal_ref, t.legal_ref_zh)) for t in by_code.technology
                       if t.effect == "prohibited"]
        if by_code.prohibited is None:
            maybe_prohibited.append(code(SEMI.join(Said(t.description_en, t.description_zh).ref(t.legal_ref, t.legal_ref_zh)
                                                   for t in by_code.technology_candidates if t.effect == "prohibited")))
        tech_licence += [code(Said(f"{t.description_en} needs a {t.licence_en}",
                                   f"{t.description_zh}须取得{t.licence_zh or t.licence_en}").ref(t.legal_ref, t.legal_ref_zh))
                         for t in by_code.technology if t.effect == "licence"]
        if pack.in_force(item.control_code, on):
            in_force.append(item.control_code)
            continue
        not_in_force.append(item.control_code)
        described = classify(pack, on=on, hs_code=item.hs_code or None, description=item.description)
        if described.controlled is not False:
            what = ", ".join([e.code for e in described.entries] or [c.code for c in described.candidates])
            unsure.append(code(
                Said("its description and customs code " + ("match " if described.controlled else "may match ")
                     + (what or "a catalogue technology") + f", in force on {on}",
                     f"其描述和海关商品编号{'符合' if described.controlled else '可能符合'}{on}有效的"
                     + (what or "技术目录所列技术"))))
    details = {"in_force": in_force, "not_in_force": not_in_force, "unknown": unknown, "undetermined": [u.en for u in unsure],
               "prohibited": [p.en for p in prohibited], "maybe_prohibited": [m.en for m in maybe_prohibited],
               "technology_licence": [t.en for t in tech_licence], "on": on, "caveat": pack.caveat(on)}
    if unknown:
        return Outcome(FAIL, Said(f"not control-list entries of {pack.id}: {', '.join(unknown)}",
                                  f"不是{pack.id}管控清单所列编码：{'、'.join(unknown)}"), details)
    if prohibited:
        return Outcome(FAIL, Said(f"export prohibited on {on} by the technology catalogue: ",
                                  f"依技术目录，{on}禁止出口：") + SEMI.join(prohibited), details)
    warnings = ([Said("the officer decides whether the technology is prohibited: ", "由审查人员判定该技术是否禁止出口：")
                 + SEMI.join(maybe_prohibited)] if maybe_prohibited else []) \
        + ([Said("the officer decides: ", "由审查人员判定：") + SEMI.join(unsure)] if unsure else []) + tech_licence
    if warnings:
        return Outcome(WARN, SEMI.join(warnings), details)
    if not in_force:
        return Outcome(INFO, Said(
            f"no item is controlled on {on}: a licence is not needed for "
            f"{', '.join(not_in_force) or 'these items'}; the applicant may withdraw",
            f"于{on}无物项受管制：{'、'.join(not_in_force) or '上述物项'}无需许可，申请人可撤回申请"), details)
    if not_in_force:
        return Outcome(WARN, Said(f"not controlled on {on}: {', '.join(not_in_force)} (no licence needed for these lines)",
                                  f"于{on}不受管制：{'、'.join(not_in_force)}（上述物项无需许可）"), details)
    codes = sorted(set(in_force))
    return Outcome(PASS, Said(f"all items controlled on {on}: {', '.join(codes)}",
                              f"于{on}所有物项均受管制：{'、'.join(codes)}"), details)


@check("parties")
def parties(ctx: CheckContext) -> Outcome:
    """The consignee and an end user for every line are named; an individual licence has exactly
    one end user, a general licence as many as the pack allows (each line may name its own)."""
    app = ctx.application
    problems: list[Said] = []
    if app.consignee_id is None:
        problems.append(Said("no consignee named", "未列明收货人"))
    if app.end_user_id is None and (not app.items or any(i.end_user_id is None for i in app.items)):
        problems.append(Said("no end user named", "未列明最终用户")
                        if not app.items or all(i.end_user_id is None for i in app.items)
                        else Said("a line names no end user and the application names none for it",
                                  "有物项未列明最终用户，申请也未为其列明"))
    end_users = {i.end_user_id or app.end_user_id for i in app.items}
    lt = ctx.pack.licence_types.get(app.licence_type)
    if lt is not None and lt.max_end_users is not None and len(end_users - {None}) > lt.max_end_users:
        problems.append(Said(f"a {app.licence_type} licence covers at most {lt.max_end_users} end user(s)",
                             f"{lt.label_zh}至多涵盖{lt.max_end_users}个最终用户"))
    if problems:
        return Outcome(FAIL, SEMI.join(problems), {"end_users": sorted(e for e in end_users if e)})
    return Outcome(PASS, Said("consignee and end user named", "已列明收货人和最终用户"),
                   {"end_users": sorted(e for e in end_users if e)})


@check("validity")
def validity(ctx: CheckContext) -> Outcome:
    """The validity asked for is within the pack's maximum for the licence type (DUR Art. 15)."""
    app = ctx.application
    lt = ctx.pack.licence_types[app.licence_type]
    months = app.requested_validity_months or lt.default_validity_months
    details = {"requested_months": months, "max_months": lt.max_validity_months}
    if months > lt.max_validity_months:
        return Outcome(FAIL, Said(f"{months} months asked; a {app.licence_type} licence is valid for at most "
                                  f"{lt.max_validity_months}",
                                  f"申请有效期{months}个月；{lt.label_zh}有效期最长{lt.max_validity_months}个月"), details)
    return Outcome(PASS, Said(f"{months} months asked, within the {lt.max_validity_months}-month maximum",
                              f"申请有效期{months}个月，未超过最长{lt.max_validity_months}个月"), details)


@check("eligibility")
def eligibility(ctx: CheckContext) -> Outcome | None:
    """The exporter may hold the licence type (DUR Art. 16 para. 2, Art. 20), judged on the
    submission date by :mod:`rarex.eligibility.service`, condition by condition.

    A failing condition blocks acceptance (an officer cannot take up a case the law rules
    out); conditions rarex cannot judge from its data (MOFCOM's own cases, watch-list
    screening, an old ICP audit) are a warning the officer resolves in review.
    """
    app = ctx.application
    lt = ctx.pack.licence_types.get(app.licence_type)
    if lt is None or not (lt.eligibility or lt.exclusions):
        return None
    if ctx.session is None:
        raise RuntimeError("the eligibility check reads the compliance profile: pass the session in CheckContext")
    result = evaluate_application(ctx.session, app, ctx.on, ctx.pack)
    details = result.model_dump(mode="json")
    def conditions(codes: list[str]) -> Said:
        return SEMI.join(Said(f"{c.code} ({c.legal_ref}): {c.reason}", f"{c.label_zh}（{c.legal_ref}）：{c.reason_zh}")
                         for c in result.conditions if c.code in codes)

    if result.status == Overall.not_eligible:
        return Outcome(FAIL, Said("not eligible: ", "不符合条件：") + conditions(result.failing), details)
    if result.status == Overall.pending_review:
        return Outcome(WARN, Said("eligible pending officer review of: ", "待审查人员审查后方可认定符合条件：")
                       + conditions(result.needs_review), details)
    return Outcome(PASS, Said(f"eligible: all {len(result.conditions)} conditions met on {ctx.on}",
                              f"符合条件：{ctx.on}全部{len(result.conditions)}项条件均已满足"), details)


@check("prohibitions")
def prohibitions_check(ctx: CheckContext) -> Outcome | None:
    """No prohibition (ECL Art. 10; DUR Art. 13) covers any line on the date: each line's end
    user (its country and category, as frozen) with the application's end-use category. A line
    a prohibition reaches by destination and item whose category is still unknown fails too:
    the officer cannot tell it is not covered. Nothing reaches: the check does not apply."""
    if ctx.session is None:
        raise RuntimeError("the prohibitions check reads the parties: pass the session in CheckContext")
    judged = judge_prohibitions(ctx.session, ctx.application, ctx.pack, ctx.on)
    if judged is None:
        return None
    return Outcome(FAIL if judged.blocking else PASS, judged.said, judged.details)


@dataclass
class ProhibitionJudgement:
    """What the prohibitions in force say about an application's lines on a date."""

    covered: list[dict[str, Any]]
    undetermined: list[dict[str, Any]]
    said: Said
    details: dict[str, Any]

    @property
    def message(self) -> str:
        return self.said.en

    @property
    def blocking(self) -> bool:
        return bool(self.covered or self.undetermined)


def judge_prohibitions(session: Session, app: Application, pack: Any, on: dt.date) -> ProhibitionJudgement | None:
    """Judge every line (see :func:`prohibitions_check`); None when no prohibition reaches any line."""
    refs: list[tuple[Any, Ref]] = []
    for i in app.items:
        if i.end_user_id:
            refs.append((i, (i.end_user_id, i.end_user_version_id)))
        elif app.end_user_id:
            refs.append((i, (app.end_user_id, app.end_user_version_id)))
    views = resolve(session, [r for _, r in refs])
    covered: list[dict[str, Any]] = []
    undetermined: list[dict[str, Any]] = []
    reached = False
    unknown_user, unknown_use = pack.default_end_user_category, pack.default_end_use_category
    for item, ref in refs:
        party = views.get(ref)
        if party is None:
            continue
        where = {"line_no": item.line_no, "item": item.control_code, "end_user": party.id, "country": party.country,
                 "end_user_category": party.end_user_category, "end_use_category": app.end_use_category}
        reaching = prohibitions.reaching(pack, on, destination=party.country, entry_codes=[item.control_code])
        if not reaching:
            continue
        reached = True
        hits = prohibitions.covering(pack, on, destination=party.country, end_user_category=party.end_user_category,
                                     end_use_category=app.end_use_category, entry_codes=[item.control_code])
        if hits:
            covered.append({**where, "prohibitions": [h.as_dict() for h in hits]})
        elif party.end_user_category == unknown_user or app.end_use_category == unknown_use:
            undetermined.append({**where, "prohibitions": [{"code": p.code, "legal_ref": p.legal_ref} for p in reaching]})
    if not reached:
        return None
    details = {"on": on.isoformat(), "covered": covered, "undetermined": undetermined}
    if covered:
        said = Said("prohibited: ", "禁止出口：") + describe_said(covered)
    elif undetermined:
        said = Said("cannot tell whether a prohibition covers the deal: ", "无法判断该交易是否属于禁止范围：") + SEMI.join(
            Said(f"line {u['line_no']} ({u['item']} to end user {u['end_user']} in {u['country']}) is reached by ",
                 f"第{u['line_no']}项（{u['item']}，出口至{u['country']}的最终用户{u['end_user']}）涉及")
            + COMMA.join(Said.same(p["code"]).ref(p["legal_ref"]) for p in u["prohibitions"])
            + Said(f" but the end user's category is {u['end_user_category']!r} and the end use's {u['end_use_category']!r}",
                   f"，但最终用户类别为“{_category_zh(pack.end_user_categories, u['end_user_category'])}”，"
                   f"最终用途类别为“{_category_zh(pack.end_use_categories, u['end_use_category'])}”")
            for u in undetermined) + Said("; say what kind of end user and end use they are",
                                           "；请说明最终用户和最终用途的类别")
    else:
        said = Said(f"no prohibition covers the deal on {on}: the end users' and the end use's categories are outside it",
                    f"{on}该交易不属于任何禁止范围：最终用户和最终用途的类别均不在其列")
    return ProhibitionJudgement(covered, undetermined, said, details)


def _category_zh(vocab: dict[str, Any], code: str | None) -> str:
    cat = vocab.get(code or "")
    return cat.label_zh if cat is not None else str(code)


@check("control_list")
def control_list(ctx: CheckContext) -> Outcome | None:
    """The importer and end users against the lists whose listings act on deals (the control
    list: ECL Art. 18; DUR Arts. 28-30) as they stood on the date: a banned deal fails; a deal
    needing special approval warns (the decision must record it, and the licence a report on
    the deal). No such list imported by then: the check does not apply."""
    if ctx.session is None:
        raise RuntimeError("the control-list check reads the lists: pass the session in CheckContext")
    pack, app = ctx.pack, ctx.application
    lists = [m.party_list for m in pack.party_measures.values() if version_on(ctx.session, m.party_list, ctx.on)]
    if not lists:
        return None
    found = listings(ctx.session, pack, application_parties(ctx.session, app), ctx.on, application_id=app.id)
    details = {"on": ctx.on.isoformat(), "lists": lists, "listings": [x.as_dict() for x in found]}
    bans = [x for x in found if x.kind == "ban"]
    if bans:
        return Outcome(FAIL, Said("banned: ", "禁止交易：") + SEMI.join(x.said() for x in bans), details)
    if found:
        return Outcome(WARN, Said("special approval by a senior officer needed, and a report on the deal: ",
                                  "须经高级审查人员特别批准，并报告该交易情况：") + SEMI.join(x.said() for x in found), details)
    return Outcome(PASS, Said(f"no importer or end user matches {', '.join(lists)} as on {ctx.on}",
                              f"截至{ctx.on}，进口商和最终用户均未与{'、'.join(lists)}匹配"), details)


@check(screening.CHECK)
def screening_check(ctx: CheckContext) -> Outcome:
    """Every consignee and end user against the restricted-party lists (rarex.screening):
    a hit at or above the alert threshold blocks acceptance until an officer resolves it."""
    if ctx.session is None:
        raise RuntimeError("the screening check reads the lists: pass the session in CheckContext")
    s = screening.screen_application(ctx.session, ctx.application, record=ctx.record, at=ctx.at)
    return Outcome(s.outcome, s.said, s.details)
