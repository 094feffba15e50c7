"""Eligibility for a licence type: the policy pack's conditions, judged against the exporter's
compliance profile and recorded violations, one reason per condition.

The pack says *which* conditions a licence type has (``eligibility``: all must hold;
``exclusions``: none may apply; DUR Art. 16 para. 2, Art. 20) and every number a condition is
judged by (``lookback_years``, ``max_audit_age_months``, ``min_export_years``). This module
says *how* each condition code is read from rarex's data: one evaluator per code in
:data:`EVALUATORS`. A code the pack names but no evaluator knows is never silently passed; it
is reported as ``cannot_evaluate`` for an officer.

Each condition ends in one of three answers (:class:`ConditionStatus`): met, not met, or
cannot be evaluated from rarex's data — because the authority decides it (MOFCOM's other
cases), because rarex does not hold the data (no watch list imported yet, or a possible match
an officer must resolve), or because the data is evidence that needs a person's judgment (an
ICP whose last audit is old). The overall answer
follows: *not eligible* if anything fails (naming what), else *eligible pending officer review*
if anything cannot be evaluated, else *eligible*.

Dates are legal dates in the pack's time zone. Periods count as the Civil Code counts them
(Arts. 201-202): the day of the event is not counted, and a period of years or months ends on
the corresponding day, or on the last day of the month when there is none. A penalty decided
on 2020-06-15 is therefore "within the last 5 years" through 2025-06-15 and not on 2025-06-16.
Violations decided after the evaluation date are ignored, so an evaluation "as on" a past date
sees what was known then.

Reads only; never commits, never writes an audit event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rarex.core.authz import Principal, require
from rarex.core.bilingual import COMMA, SEMI, Said
from rarex.core.db import utcnow
from rarex.core.errors import InvalidInput
from rarex.eligibility.schemas import ConditionResult, EligibilityOut, Overall
from rarex.eligibility.schemas import ConditionStatus as C
from rarex.parties.models import ComplianceProfile, Organisation, Violation
from rarex.parties.schemas import ViolationKind
from rarex.parties.service import PROFILE_DEFAULTS, get_organisation
from rarex.parties.versions import PartyView
from rarex.policy.models import Condition, LicenceType, Pack
from rarex.policy.service import get_pack
from rarex.screening.case_parties import application_parties
from rarex.screening.control_list import ROLE_ZH, Listing, listings
from rarex.screening.lists import version_on
from rarex.screening.matching import Hit
from rarex.screening.models import ListVersion
from rarex.screening.service import matcher_for, screen_names

# --- dates ------------------------------------------------------------------------------------


def period_end(start: dt.date, months: int) -> dt.date:
    """The last day of a period of ``months`` counted from the event on ``start`` (Civil Code
    Arts. 201-202): the corresponding day ``months`` later, or that month's last day."""
    y, m = divmod(start.month - 1 + months, 12)
    year, month = start.year + y, m + 1
    last = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(start.day, last))


# --- what the evaluators read -----------------------------------------------------------------


@dataclass(frozen=True)
class ListCheck:
    """The parties screened against one list as it stood on the evaluation date."""

    version: ListVersion | None  # None: no version had been imported by then
    alerts: dict[int, list[Hit]]  # party id -> hits at or above the alert threshold


def _check_lists(session: Session, conditions: list[Condition], parties: list[tuple[str, PartyView]], on: dt.date
                 ) -> dict[str, ListCheck]:
    out: dict[str, ListCheck] = {}
    for name in {c.party_list for c in conditions if c.party_list}:
        version = version_on(session, name, on)
        alerts: dict[int, list[Hit]] = {}
        if version is not None:
            matcher = matcher_for(session, [version])
            for _, party in parties:
                found = [h for h in screen_names(matcher, [party.name, party.name_local], party.country) if h.alert]
                if found:
                    alerts[party.id] = found
        out[name] = ListCheck(version, alerts)
    return out


@dataclass(frozen=True)
class Facts:
    """Everything an evaluator may look at, fixed for one evaluation."""

    pack: Pack
    on: dt.date
    org: Organisation
    profile: ComplianceProfile
    #: The organisation's violations decided on or before ``on``, oldest first.
    violations: list[Violation]
    #: (role, party) of the deal when an application is evaluated; None for the exporter alone.
    parties: list[tuple[str, PartyView]] | None = None
    #: For each restricted-party list a condition names: what the parties' screening found.
    listed: dict[str, ListCheck] = field(default_factory=dict)
    #: Profile facts whose value no officer has verified.
    unverified: frozenset[str] = frozenset()
    #: For each party-measure list a condition names (the control list): the deal's parties
    #: matching a listing on the date, with the case's hit resolutions honoured.
    measures: dict[str, list[Listing]] = field(default_factory=dict)

    def violations_of(self, kind: ViolationKind) -> list[Violation]:
        return [v for v in self.violations if v.kind == kind.value]


@dataclass
class Finding:
    status: C
    reason: Said
    evidence: dict[str, Any] = field(default_factory=dict)


Evaluator = Callable[[Condition, Facts], Finding]
#: condition code -> how rarex judges it. Thresholds come from the Condition, never from here.
EVALUATORS: dict[str, Evaluator] = {}
#: condition code -> the compliance-profile facts (VERIFIED_FACTS) its evaluator reads.
RESTS_ON: dict[str, tuple[str, ...]] = {}


def evaluator(code: str, *, rests_on: tuple[str, ...] = ()) -> Callable[[Evaluator], Evaluator]:
    """Register how a condition is judged, and which profile facts the judgment rests on: a
    condition that holds only on facts no officer has verified is reported as ``unverified``."""
    def deco(fn: Evaluator) -> Evaluator:
        EVALUATORS[code] = fn
        RESTS_ON[code] = rests_on
        return fn

    return deco


def _no_threshold(cond: Condition, name: str) -> Finding:
    return Finding(C.cannot_evaluate, Said(f"the policy pack gives no {name} for {cond.code}, so rarex cannot judge it; "
                                           "an officer decides",
                                           f"政策包未给出该条件的判断标准（{name}），系统无法判断，由审查人员决定"))


def _violation(v: Violation) -> dict[str, Any]:
    return {"id": v.id, "kind": v.kind, "decided_on": v.decided_on, "description": v.description, "legal_ref": v.legal_ref}


def _dates(dates: list[dt.date]) -> Said:
    return COMMA.join(Said.same(d) for d in dates)


# --- eligibility conditions (DUR Art. 16 para. 2; ECL Art. 14) --------------------------------


@evaluator("internal_compliance_system", rests_on=("has_icp", "icp_established_on", "icp_last_audit_on"))
def internal_compliance_system(cond: Condition, f: Facts) -> Finding:
    """In place, and shown to work by an audit no older than the pack's ``max_audit_age_months``.

    "Working well" is MOFCOM's judgment, and the audit age is rarex's reading of it, not law:
    so a missing or old audit does not fail the condition; it sends it to an officer, who reads
    the compliance statement the general-licence application carries. Only a system that is
    not there at all (or not yet on the date) fails.
    """
    p = f.profile
    evidence = {"has_icp": p.has_icp, "icp_established_on": p.icp_established_on, "icp_last_audit_on": p.icp_last_audit_on}
    if not p.has_icp:
        return Finding(C.not_met, Said(
            "the compliance profile records no internal export-control compliance system; set one up, then record it in "
            "the profile (has_icp, icp_established_on, icp_last_audit_on)",
            "合规档案未记载出口管制内部合规制度；请建立该制度，并在合规档案中记载（是否建立、建立日期、最近一次审计日期）"),
            evidence)
    if p.icp_established_on is not None and p.icp_established_on > f.on:
        return Finding(C.not_met, Said(f"the compliance system was established on {p.icp_established_on}, after {f.on}",
                                       f"合规制度于{p.icp_established_on}建立，晚于{f.on}"), evidence)
    months = cond.max_audit_age_months
    if months is None:
        return _no_threshold(cond, "max_audit_age_months")
    audited = p.icp_last_audit_on
    ask = Said(f"record the date of an audit carried out within {months} months before {f.on}, or an officer judges "
               "from the statement on how the compliance system operates",
               f"请记载{f.on}前{months}个月内进行的审计日期，或由审查人员根据合规制度运行情况说明作出判断")
    if audited is None:
        return Finding(C.cannot_evaluate, Said("a compliance system is recorded but no audit of it, so rarex cannot show it "
                                               "is working well: ",
                                               "已记载合规制度，但未记载对其的审计，系统无法证明其有效运行：") + ask,
                       evidence)
    if audited > f.on:
        return Finding(C.cannot_evaluate, Said(f"the last recorded audit ({audited}) is after {f.on} and no earlier one is "
                                               "recorded: ",
                                               f"记载的最近一次审计（{audited}）晚于{f.on}，且未记载更早的审计：") + ask,
                       evidence)
    good_until = period_end(audited, months)
    evidence["audit_counts_until"] = good_until
    if f.on > good_until:
        return Finding(C.cannot_evaluate, Said(f"the last audit of the compliance system was on {audited}, more than "
                                               f"{months} months before {f.on} (it counted until {good_until}): ",
                                               f"合规制度最近一次审计于{audited}进行，距{f.on}已超过{months}个月"
                                               f"（有效至{good_until}）：") + ask, evidence)
    return Finding(C.met, Said(
        "a compliance system is in place" + (f" since {p.icp_established_on}" if p.icp_established_on else "")
        + f" and was last audited on {audited}, within {months} months before {f.on}",
        (f"合规制度自{p.icp_established_on}起" if p.icp_established_on else "合规制度已")
        + f"建立并运行，最近一次审计于{audited}进行，在{f.on}前{months}个月内"), evidence)


@evaluator("export_record", rests_on=("export_experience_years",))
def export_record(cond: Condition, f: Facts) -> Finding:
    """At least the pack's ``min_export_years`` of exporting dual-use items in the profile."""
    need = cond.min_export_years
    if need is None:
        return _no_threshold(cond, "min_export_years")
    years = f.profile.export_experience_years or 0
    evidence = {"export_experience_years": years}
    if years < need:
        return Finding(C.not_met, Said(
            f"the compliance profile records {years} year(s) of exporting dual-use items; at least {need} show a record "
            "of exports. Until then export under individual licences (DUR Art. 15), which build that record",
            f"合规档案记载的两用物项出口经营年限为{years}年；至少{need}年方可表明有出口经营业绩。"
            "在此之前请以单项许可出口（DUR Art. 15），以积累出口业绩"), evidence)
    return Finding(C.met, Said(
        f"the compliance profile records {years} year(s) of exporting dual-use items (at least {need} needed); the "
        "statement on past licences and their use shows they cover the items concerned",
        f"合规档案记载的两用物项出口经营年限为{years}年（至少须{need}年）；以往许可及其使用情况说明表明其涵盖相关物项"),
        evidence)


@evaluator("stable_channels_and_end_users", rests_on=("stable_channels",))
def stable_channels_and_end_users(cond: Condition, f: Facts) -> Finding:
    """As the exporter states it in the profile; the export-channels statement backs it."""
    evidence = {"stable_channels": f.profile.stable_channels}
    if not f.profile.stable_channels:
        return Finding(C.not_met, Said(
            "the compliance profile does not state that the export channels and end users are relatively stable; if "
            "they are, say so in the profile (stable_channels) and describe them in the statement on export channels "
            "and end users",
            "合规档案未载明出口渠道和最终用户相对稳定；如确属稳定，请在合规档案中载明，并在出口渠道和最终用户情况说明中加以描述"),
            evidence)
    return Finding(C.met, Said("the compliance profile states that the export channels and end users are relatively stable",
                               "合规档案载明出口渠道和最终用户相对稳定"), evidence)


# --- exclusions (DUR Art. 20; Art. 26) ----------------------------------------------------------


@evaluator("criminal_penalty")
def criminal_penalty(cond: Condition, f: Facts) -> Finding:
    """Any criminal penalty, however old: DUR Art. 20 (1) has no lookback.

    Penalties of the exporter's responsible managers are recorded against the organisation
    (the violation's description names the person), so they count here too.
    """
    hits = f.violations_of(ViolationKind.criminal)
    evidence = {"criminal_penalties": [_violation(v) for v in hits]}
    if hits:
        dates = _dates([v.decided_on for v in hits])
        return Finding(C.not_met, Said("criminal penalty for a dual-use export-control violation recorded (decided ",
                                       "记录有因违反两用物项出口管制受到的刑事处罚（决定日期：") + dates
                       + Said("); this rules out a general licence whatever its age: apply for individual licences",
                              "）；无论时间远近，均不得申请通用许可：请申请单项许可"), evidence)
    return Finding(C.met, Said("no criminal penalty is recorded against the exporter or its responsible managers",
                               "未记录出口经营者或其直接负责的主管人员受到刑事处罚"), evidence)


@evaluator("serious_administrative_penalty")
def serious_administrative_penalty(cond: Condition, f: Facts) -> Finding:
    """A serious administrative penalty decided within the pack's ``lookback_years`` before the date."""
    years = cond.lookback_years
    if years is None:
        return _no_threshold(cond, "lookback_years")
    serious = f.violations_of(ViolationKind.serious_administrative)
    within = [(v, period_end(v.decided_on, 12 * years)) for v in serious if f.on <= period_end(v.decided_on, 12 * years)]
    older = [v for v in serious if f.on > period_end(v.decided_on, 12 * years)]
    ordinary = f.violations_of(ViolationKind.administrative)
    evidence = {
        "within_lookback": [_violation(v) for v, _ in within],
        "outside_lookback": [_violation(v) for v in older],
        "ordinary_administrative": [_violation(v) for v in ordinary],
    }
    if within:
        last_until = max(until for _, until in within)
        after = last_until + dt.timedelta(days=1)
        return Finding(C.not_met, Said("serious administrative penalty decided ", "较重行政处罚决定于")
                       + _dates([v.decided_on for v, _ in within])
                       + Said(f", within {years} years before {f.on}; it stops counting after {last_until}, so from "
                              f"{after} this condition is met",
                              f"，在{f.on}前{years}年内；该处罚计算至{last_until}，自{after}起本条件即告满足"),
                       {**evidence, "excluded_through": last_until})
    reason = Said(f"no serious administrative penalty within {years} years before {f.on}",
                  f"{f.on}前{years}年内无较重行政处罚")
    if older:
        reason += Said(" (older ones, decided ", "（更早的处罚，决定于") + _dates([v.decided_on for v in older]) \
            + Said(", no longer count)", "，不再计算）")
    if ordinary:
        reason += Said(f"; {len(ordinary)} ordinary administrative penalty(ies) recorded: they do not rule out a general "
                       "licence, though MOFCOM may weigh them (ECL Art. 39)",
                       f"；记录有{len(ordinary)}项一般行政处罚：不妨碍申请通用许可，但商务部可予考虑（ECL Art. 39）")
    return Finding(C.met, reason, evidence)


@evaluator("foreign_control_list_affiliate", rests_on=("foreign_control_list_affiliate",))
def foreign_control_list_affiliate(cond: Condition, f: Facts) -> Finding:
    """As the exporter declares it in the profile; unanswered is a question, never a "no"."""
    value = f.profile.foreign_control_list_affiliate
    evidence = {"foreign_control_list_affiliate": value}
    if value is None:
        return Finding(C.cannot_evaluate, Said(
            "the compliance profile does not say whether the exporter is a wholly-owned company, representative office "
            "or branch in China of a foreign party on the control list; answer it in the profile "
            "(foreign_control_list_affiliate)",
            "合规档案未载明出口经营者是否为管控名单所列境外组织在境内设立的独资企业、代表机构或分支机构；请在合规档案中作答"),
            evidence)
    if value:
        return Finding(C.not_met, Said(
            "the compliance profile states that the exporter is a wholly-owned company, representative office or branch "
            "in China of a foreign party on the control list; this rules out a general licence: apply for individual "
            "licences",
            "合规档案载明出口经营者为管控名单所列境外组织在境内设立的独资企业、代表机构或分支机构；不得申请通用许可："
            "请申请单项许可"), evidence)
    return Finding(C.met, Said(
        "the compliance profile states that the exporter is not a wholly-owned company, representative office or branch "
        "of a foreign party on the control list",
        "合规档案载明出口经营者不是管控名单所列境外组织的独资企业、代表机构或分支机构"), evidence)


@evaluator("mofcom_other_exclusion")
def mofcom_other_exclusion(cond: Condition, f: Facts) -> Finding:
    """MOFCOM sets these cases itself; no data in rarex can show one applies or not."""
    return Finding(C.cannot_evaluate, Said(
        "other excluding cases are set by MOFCOM and are not data rarex holds; the officer confirms that none applies",
        "其他排除情形由商务部规定，不属于系统掌握的数据；由审查人员确认不存在此类情形"))


def _role_zh(role: str) -> str:
    return ROLE_ZH.get(role, role)


@evaluator("watch_list_party")
def watch_list_party(cond: Condition, f: Facts) -> Finding:
    """The importer and end users against the watch list (DUR Art. 26), as it stood on the
    evaluation date. A name that scores an alert is not proof of a listing: the officer
    resolves the screening hit, so it is left for review rather than failed."""
    if f.parties is None:
        return Finding(C.cannot_evaluate, Said(
            "depends on the importer and end users of each application; they are screened against the watch list when "
            "an application is made",
            "取决于每项申请的进口商和最终用户；提出申请时将其与关注名单比对"))
    named = [{"role": role, "party_id": p.id, "name": p.name, "country": p.country} for role, p in f.parties]
    check = f.listed.get(cond.party_list) if cond.party_list else None
    if check is None or check.version is None:
        names = SEMI.join(Said(f"{p['role']} {p['name']} ({p['country']})", f"{_role_zh(p['role'])}{p['name']}（{p['country']}）")
                          for p in named) if named else Said("no parties named yet", "尚未列明当事方")
        missing = (Said(f"no version of the watch list ({cond.party_list}) had been imported by {f.on}",
                        f"截至{f.on}尚未导入关注名单（{cond.party_list}）的任何版本")
                   if cond.party_list else Said("the pack names no screening list for the watch list",
                                                "政策包未指定关注名单所用的筛查清单"))
        return Finding(C.cannot_evaluate, missing + Said("; the officer checks each of: ", "；由审查人员逐一核查：") + names,
                       {"parties": named})
    v = check.version
    evidence = {"list": v.list.name, "version": v.version, "parties": named}
    if check.alerts:
        found = SEMI.join(Said(f"{p.name} ~ {h.entry.name} ({h.entry.entity_id}, score {h.score:.2f})",
                               f"{p.name} ~ {h.entry.name}（{h.entry.entity_id}，相似度{h.score:.2f}）")
                          for _, p in f.parties for h in check.alerts.get(p.id, []))
        evidence["hits"] = [{"party_id": pid, "entity_id": h.entry.entity_id, "score": h.score}
                            for pid, hs in check.alerts.items() for h in hs]
        return Finding(C.cannot_evaluate, Said(f"possible watch-list match on {v.list.name} version {v.version}: ",
                                               f"可能与关注名单{v.list.name}第{v.version}版匹配：") + found
                       + Said("; the officer resolves the screening hit", "；由审查人员处理该筛查命中"), evidence)
    return Finding(C.met, Said(f"no importer or end user matches the watch list ({v.list.name} version {v.version}, "
                               f"as on {f.on})",
                               f"进口商和最终用户均未与关注名单匹配（{v.list.name}第{v.version}版，截至{f.on}）"), evidence)


@evaluator("control_list_party")
def control_list_party(cond: Condition, f: Facts) -> Finding:
    """The importer and end users against the control list (ECL Art. 18; DUR Arts. 28-30) as
    it stood on the evaluation date. A match (a confirmed hit, or an alert no officer has
    cleared) rules the licence type out, whatever the listing's effect."""
    if f.parties is None:
        return Finding(C.cannot_evaluate, Said(
            "depends on the importer and end users of each application; they are screened against the control list "
            "when an application is made",
            "取决于每项申请的进口商和最终用户；提出申请时将其与管控名单比对"))
    check = f.listed.get(cond.party_list) if cond.party_list else None
    if check is None or check.version is None:
        missing = (Said(f"no version of the control list ({cond.party_list}) had been imported by {f.on}",
                        f"截至{f.on}尚未导入管控名单（{cond.party_list}）的任何版本")
                   if cond.party_list else Said("the pack names no screening list for the control list",
                                                "政策包未指定管控名单所用的筛查清单"))
        return Finding(C.cannot_evaluate, missing + Said("; the officer checks the importer and end users",
                                                         "；由审查人员核查进口商和最终用户"))
    found = f.measures.get(cond.party_list or "", [])
    name, version = check.version.list.name, check.version.version
    evidence = {"list": name, "version": version, "listings": [x.as_dict() for x in found]}
    if found:
        return Finding(C.not_met, Said("control-list match: ", "与管控名单匹配：") + SEMI.join(x.said() for x in found),
                       evidence)
    return Finding(C.met, Said(f"no importer or end user matches the control list ({name} version {version}, as on {f.on}), "
                               "or each alert was cleared as a false positive",
                               f"进口商和最终用户均未与管控名单匹配（{name}第{version}版，截至{f.on}），"
                               "或每条预警均已认定为误报并排除"), evidence)


# --- the evaluation ---------------------------------------------------------------------------


def _result(cond: Condition, finding: Finding) -> ConditionResult:
    thresholds = {k: getattr(cond, k) for k in ("lookback_years", "max_audit_age_months", "min_export_years")
                  if getattr(cond, k) is not None}
    return ConditionResult(
        code=cond.code, kind=cond.kind, subject=cond.subject, label_en=cond.label_en, label_zh=cond.label_zh,
        legal_ref=cond.legal_ref, confidence=cond.confidence, field_confidence=cond.field_confidence,
        status=finding.status, reason=finding.reason.en, reason_zh=finding.reason.zh, thresholds=thresholds,
        evidence=finding.evidence,
    )


def _judge(cond: Condition, facts: Facts) -> ConditionResult:
    fn = EVALUATORS.get(cond.code)
    if fn is None:
        return _result(cond, Finding(C.cannot_evaluate, Said(f"rarex has no rule for condition {cond.code} yet; an "
                                                             "officer judges it",
                                                             "系统尚无判断该条件的规则，由审查人员判断")))
    return _result(cond, _unless_unverified(cond, facts, fn(cond, facts)))


def _unless_unverified(cond: Condition, facts: Facts, finding: Finding) -> Finding:
    """A condition that holds (or awaits review) on facts no officer has verified is
    ``unverified``: the exporter's own statement must not make it eligible. One that fails
    fails whoever stated the facts."""
    unverified = [f for f in RESTS_ON.get(cond.code, ()) if f in facts.unverified]
    if not unverified or finding.status == C.not_met:
        return finding
    stated = ", ".join(f"{f} = {facts.profile.fact_values()[f]}" for f in unverified)
    return Finding(C.unverified, finding.reason + Said(
        f"; but this rests on what the exporter states and no officer has verified ({stated}): an officer verifies the "
        "compliance profile",
        "；但这依据的是出口经营者的自述，尚未经审查人员核实：由审查人员核实合规档案"),
        {**finding.evidence, "unverified": unverified})


def _summary(lt: LicenceType, on: dt.date, results: list[ConditionResult]) -> tuple[Overall, Said]:
    failing = [r for r in results if r.status == C.not_met]
    review = [r for r in results if r.status in (C.cannot_evaluate, C.unverified)]
    label, label_zh = lt.label_en.lower(), lt.label_zh

    def listed(rs: list[ConditionResult]) -> Said:
        return SEMI.join(Said(r.label_en, r.label_zh).ref(r.legal_ref).then(Said(r.reason, r.reason_zh or r.reason))
                         for r in rs)

    if not results:
        return Overall.eligible, Said(f"a {label} has no eligibility conditions or exclusions",
                                      f"{label_zh}没有资格条件或排除情形")
    if failing:
        return Overall.not_eligible, Said(f"not eligible for a {label} on {on}: ",
                                          f"{on}不符合{label_zh}的条件：") + listed(failing)
    if review:
        return Overall.pending_review, Said(f"eligible for a {label} on {on} pending officer review of: ",
                                            f"{on}符合{label_zh}的条件，但以下各项待审查人员审查：") + listed(review)
    return Overall.eligible, Said(f"eligible for a {label} on {on}: all {len(results)} conditions are met",
                                  f"{on}符合{label_zh}的条件：全部{len(results)}项条件均已满足")


def evaluate(
    session: Session, org: Organisation, licence_type: str, on: dt.date, *, parties: list[tuple[str, PartyView]] | None = None,
    pack: Pack | None = None, application_id: int | None = None,
) -> EligibilityOut:
    """Judge ``org`` for ``licence_type`` on ``on``; no access check (callers have done theirs).
    ``application_id``: the case whose screening-hit resolutions a party-measure list honours."""
    pack = pack or get_pack()
    try:
        conditions = pack.eligibility(licence_type) + pack.exclusions(licence_type)
    except KeyError:
        raise InvalidInput(f"unknown licence type {licence_type!r}; one of {', '.join(pack.licence_types)}",
                           field="licence_type") from None
    profile = org.profile or ComplianceProfile(**PROFILE_DEFAULTS)  # unsaved: claims nothing
    violations = list(session.execute(
        select(Violation).where(Violation.org_id == org.id, Violation.decided_on <= on)
        .order_by(Violation.decided_on, Violation.id)
    ).scalars())
    listed = _check_lists(session, conditions, parties, on) if parties is not None else {}
    measure_lists = {m.party_list for m in pack.party_measures.values()} & {c.party_list for c in conditions}
    measures: dict[str, list[Listing]] = {}
    if parties is not None and measure_lists:
        for x in listings(session, pack, parties, on, application_id=application_id):
            measures.setdefault(x.list_name, []).append(x)
    facts = Facts(pack=pack, on=on, org=org, profile=profile, violations=violations, parties=parties, listed=listed,
                  unverified=frozenset(profile.unverified), measures=measures)
    results = [_judge(c, facts) for c in conditions]
    status, summary = _summary(pack.licence_types[licence_type], on, results)
    return EligibilityOut(
        org_id=org.id, organisation=org.name_en, licence_type=licence_type, on=on, pack=pack.id, status=status,
        summary=summary.en, summary_zh=summary.zh,
        failing=[r.code for r in results if r.status == C.not_met],
        needs_review=[r.code for r in results if r.status in (C.cannot_evaluate, C.unverified)],
        unverified=list(dict.fromkeys(f for r in results if r.status == C.unverified for f in r.evidence["unverified"])),
        conditions=results, caveat=pack.caveat(on), caveat_zh=caveat.zh if (caveat := pack.caveat_said(on)) else None,
    )


def eligibility(
    session: Session, actor: Principal, org_id: int, licence_type: str = "general", on: dt.date | None = None,
) -> EligibilityOut:
    """What an exporter (its own organisation) or a reviewer sees before an application is made."""
    require(actor, "eligibility.read")
    org = get_organisation(session, actor, org_id)
    pack = get_pack()
    return evaluate(session, org, licence_type, on or today(pack), pack=pack)


def today(pack: Pack) -> dt.date:
    """Today in the pack's time zone: at 01:00 in Beijing it is already the next day there,
    and a lookback counts from that day, not from the date in UTC."""
    return utcnow().astimezone(pack.tz).date()


def evaluate_application(session: Session, app, on: dt.date, pack: Pack | None = None) -> EligibilityOut:
    """The applicant's eligibility for the application's licence type, with the deal's parties."""
    org = session.get(Organisation, app.org_id)
    return evaluate(session, org, app.licence_type, on, parties=application_parties(session, app), pack=pack,
                    application_id=app.id)
