"""Automated checks run on submission: a registry later checks join (screening, eligibility).

Each check reads the application and the policy pack and returns one :class:`Outcome` with a
reason a person can act on. ``fail`` blocks acceptance; ``warn`` and ``info`` inform the officer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from rarex.applications.models import Application

PASS, FAIL, WARN, INFO = "pass", "fail", "warn", "info"


@dataclass
class Outcome:
    outcome: str
    message: str
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CheckContext:
    application: Application
    pack: Any
    on: dt.date  # the date the checks are about (submission day in the pack's zone)


CheckFn = Callable[[CheckContext], Outcome]
REGISTRY: dict[str, CheckFn] = {}


def check(name: str) -> Callable[[CheckFn], CheckFn]:
    """Register a check under ``name``; the order of registration is the order of display."""

    def deco(fn: CheckFn) -> CheckFn:
        REGISTRY[name] = fn
        return fn

    return deco


def run_all(ctx: CheckContext) -> list[tuple[str, Outcome]]:
    return [(name, fn(ctx)) for name, fn in REGISTRY.items()]


@check("completeness")
def completeness(ctx: CheckContext) -> Outcome:
    """DUR Art. 16 / ECL Art. 15: the items, the end use and the required documents."""
    app, missing = ctx.application, []
    if not app.items:
        missing.append("at least one item")
    if len(app.end_use.strip()) < 10:
        missing.append("a statement of the end use")
    present = {d.doc_type for d in app.documents}
    docs = [d for d in ctx.pack.required_documents(app.licence_type) if d not in present]
    details = {"missing_documents": docs, "missing": missing}
    if missing or docs:
        labels = [ctx.pack.document_types[d].label_en for d in docs]
        parts = missing + ([f"documents: {', '.join(labels)}"] if labels else [])
        return Outcome(FAIL, "incomplete: missing " + "; ".join(parts), details)
    return Outcome(PASS, f"complete: {len(app.items)} item(s), end use stated, {len(present)} document type(s) supplied", details)


@check("controlled")
def controlled(ctx: CheckContext) -> Outcome:
    """Whether each item is on the control list on the date; none controlled means no licence needed."""
    pack, on = ctx.pack, ctx.on
    unknown, not_in_force, in_force = [], [], []
    for item in ctx.application.items:
        if pack.entry(item.control_code) is None:
            unknown.append(item.control_code)
        elif pack.in_force(item.control_code, on):
            in_force.append(item.control_code)
        else:
            not_in_force.append(item.control_code)
    details = {"in_force": in_force, "not_in_force": not_in_force, "unknown": unknown, "on": on, "caveat": pack.caveat(on)}
    if unknown:
        return Outcome(FAIL, f"not control-list entries of {pack.id}: {', '.join(unknown)}", details)
    if not in_force:
        return Outcome(
            INFO,
            f"no item is controlled on {on}: a licence is not needed for "
            f"{', '.join(not_in_force) or 'these items'}; the applicant may withdraw",
            details,
        )
    if not_in_force:
        return Outcome(WARN, f"not controlled on {on}: {', '.join(not_in_force)} (no licence needed for these lines)", details)
    return Outcome(PASS, f"all items controlled on {on}: {', '.join(sorted(set(in_force)))}", details)


@check("parties")
def parties(ctx: CheckContext) -> Outcome:
    """The consignee and end user are named; an individual licence has exactly one end user."""
    app = ctx.application
    problems = []
    if app.consignee_id is None:
        problems.append("no consignee named")
    if app.end_user_id is None:
        problems.append("no end user named")
    end_users = {i.end_user_id or app.end_user_id for i in app.items}
    lt = ctx.pack.licence_types.get(app.licence_type)
    if lt is not None and lt.max_end_users is not None and len(end_users - {None}) > lt.max_end_users:
        problems.append(f"a {app.licence_type} licence covers at most {lt.max_end_users} end user(s)")
    if problems:
        return Outcome(FAIL, "; ".join(problems), {"end_users": sorted(e for e in end_users if e)})
    return Outcome(PASS, "consignee and end user named", {"end_users": sorted(e for e in end_users if e)})


@check("validity")
def validity(ctx: CheckContext) -> Outcome:
    """The validity asked for is within the pack's maximum for the licence type (DUR Art. 15)."""
    app = ctx.application
    lt = ctx.pack.licence_types[app.licence_type]
    months = app.requested_validity_months or lt.default_validity_months
    details = {"requested_months": months, "max_months": lt.max_validity_months}
    if months > lt.max_validity_months:
        return Outcome(FAIL, f"{months} months asked; a {app.licence_type} licence is valid for at most {lt.max_validity_months}", details)
    return Outcome(PASS, f"{months} months asked, within the {lt.max_validity_months}-month maximum", details)
