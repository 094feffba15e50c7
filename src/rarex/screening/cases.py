"""Screening in the workflow: parties of applications on submission, end users an amendment
adds to a licence, end users of live licences when a list changes, and the officer's
resolution of each hit.

A hit at or above the alert threshold is ``open`` until an officer resolves it as a false
positive or a confirmed match, with a reason (audited on the case's stream). While an
application has an open alert its ``screening`` check fails, which blocks acceptance
(:func:`rarex.applications.service.accept`); once every alert is resolved the check passes
(all false positives) or warns (a confirmed match the decision must weigh). A match confirmed
on a list a condition of the pack names (``party_list``: the watch list) says what the pack
attaches to it: the condition, the documents it requires, and no decision deadline.

A hit is the same hit across list versions when it names the same party, list and entity id:
a resubmitted application or a re-imported list does not ask the officer again about a hit
already resolved.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from rarex.applications.models import Application, CheckResult
from rarex.applications.models import ApplicationStatus as AS
from rarex.core import audit
from rarex.core.authz import Principal, get_visible, require, scope
from rarex.core.bilingual import SEMI, Said
from rarex.core.db import utcnow
from rarex.core.errors import Conflict, InvalidInput
from rarex.licences.models import Licence, LicenceLine
from rarex.licences.models import LicenceStatus as L
from rarex.parties.versions import PartyView, current
from rarex.policy.service import get_pack
from rarex.screening.case_parties import application_parties
from rarex.screening.matching import ALERT_THRESHOLD, Hit
from rarex.screening.models import HitStatus, ListVersion, ScreeningHit
from rarex.screening.service import matcher_for, screen_names, versions_on

CHECK = "screening"

#: Application states in which its hits can still be resolved (the case is open).
OPEN_CASE = frozenset({AS.submitted, AS.under_review, AS.information_requested, AS.recommended})

#: Licence states in which a list change matters: the licence can still be used, or be again.
LIVE_LICENCE = frozenset({L.active, L.suspended, L.under_amendment, L.exhausted, L.replacement_pending,
                          L.amendment_ordered})


@dataclass
class Summary:
    """The state of a case's screening, for its check."""

    outcome: str  # pass, fail, warn
    said: Said
    details: dict = field(default_factory=dict)

    @property
    def message(self) -> str:
        return self.said.en


# --- which parties -----------------------------------------------------------------------------


def _parties_with_roles(session: Session, app: Application) -> list[tuple[PartyView, str]]:
    """The consignee and every end user, each once, with the roles it plays ("consignee,end_user")."""
    roles: dict[int, list[str]] = {}
    parties: dict[int, PartyView] = {}
    for role, party in application_parties(session, app):
        roles.setdefault(party.id, []).append(role)
        parties[party.id] = party
    return [(parties[pid], ",".join(r)) for pid, r in roles.items()]


def _names(party: PartyView) -> list[str]:
    return [party.name, party.name_local]


# --- recording hits ----------------------------------------------------------------------------


def _key(h) -> tuple:
    return (h.party_id, h.list_name, h.entity_id)


def _screen(matcher, party: PartyView, *, alerts_only: bool = False) -> list[Hit]:
    return [h for h in screen_names(matcher, _names(party), party.country) if h.alert or not alerts_only]


def _rows(found: Iterable[tuple[PartyView, str, Hit]], *, org_id: int, now: dt.datetime, application_id: int | None = None,
          licence_id: int | None = None) -> list[ScreeningHit]:
    return [
        ScreeningHit(
            application_id=application_id, licence_id=licence_id, org_id=org_id, party_id=party.id,
            party_version_id=party.version_id, party_role=role,
            query=party.name, entity_ref=h.entry.ref, version_id=h.entry.version_id, list_name=h.entry.list_name,
            entity_id=h.entry.entity_id, entity_name=h.entry.name, score=h.score, alert=h.alert,
            explanation=h.explanation, status=HitStatus.open, screened_at=now,
        )
        for party, role, h in found
    ]


def _new_hits(session: Session, versions: Sequence[ListVersion], parties: list[tuple[PartyView, str]],
              *, org_id: int, now: dt.datetime, application_id: int | None = None, licence_id: int | None = None,
              alerts_only: bool = False) -> list[ScreeningHit]:
    matcher = matcher_for(session, versions)
    found = [(party, role, h) for party, role in parties for h in _screen(matcher, party, alerts_only=alerts_only)]
    return _rows(found, org_id=org_id, now=now, application_id=application_id, licence_id=licence_id)


def screen_application(session: Session, app: Application, *, record: bool, at: dt.datetime | None = None) -> Summary:
    """Screen the application's parties against the lists as they stand; with ``record``
    (submission) the hits are stored, replacing the open ones of an earlier submission and
    keeping the resolution of any hit already resolved."""
    versions = versions_on(session, None)
    now = at or utcnow()
    parties = _parties_with_roles(session, app)
    hits = _new_hits(session, versions, parties, org_id=app.org_id, now=now, application_id=app.id)
    if record and app.id is not None:
        # Open hits are replaced; resolved ones stay while their party is still on the case
        # (a party taken off the case takes its hits with it; the audit log keeps them).
        resolved = {_key(h): h for h in _hits_of(session, application_id=app.id) if h.status != HitStatus.open}
        current = [p.id for p, _ in parties]
        session.execute(delete(ScreeningHit).where(
            ScreeningHit.application_id == app.id,
            (ScreeningHit.status == HitStatus.open) | ScreeningHit.party_id.not_in(current)))
        resolved = {k: h for k, h in resolved.items() if h.party_id in current}
        for h in hits:
            if _key(h) not in resolved:
                session.add(h)
        session.flush()
        hits = _hits_of(session, application_id=app.id)
    return summarise(hits, versions, app)


def _hits_of(session: Session, *, application_id: int | None = None, licence_id: int | None = None) -> list[ScreeningHit]:
    stmt = select(ScreeningHit).order_by(ScreeningHit.score.desc(), ScreeningHit.id)
    if application_id is not None:
        stmt = stmt.where(ScreeningHit.application_id == application_id)
    if licence_id is not None:
        stmt = stmt.where(ScreeningHit.licence_id == licence_id)
    return list(session.execute(stmt).scalars())


def summarise(hits: Sequence[ScreeningHit], versions: Sequence[ListVersion] | None = None,
              app: Application | None = None) -> Summary:
    """The check's outcome: open alerts block, confirmed matches warn (saying what a match on a
    list the regime names entails for ``app``), the rest pass."""
    alerts = [h for h in hits if h.alert]
    open_ = [h for h in alerts if h.status == HitStatus.open]
    confirmed = [h for h in alerts if h.status == HitStatus.confirmed]
    details: dict = {
        "threshold": ALERT_THRESHOLD,
        "hits": [{"id": h.id, "party_id": h.party_id, "party": h.query, "list": h.list_name, "entity_id": h.entity_id,
                  "entity": h.entity_name, "score": h.score, "alert": h.alert, "status": str(h.status)} for h in hits],
    }
    if versions is not None:
        details["lists"] = [{"list": v.list.name, "version": v.version} for v in versions]

    def line(h: ScreeningHit) -> Said:
        return Said(f"{h.query} ~ {h.entity_name} ({h.list_name} {h.entity_id}, score {h.score:.2f})",
                    f"{h.query} ~ {h.entity_name}（{h.list_name} {h.entity_id}，相似度{h.score:.2f}）")

    if open_:
        return Summary("fail", Said(f"{len(open_)} screening hit(s) to resolve before the case is accepted: ",
                                    f"受理前须处理{len(open_)}条筛查命中：") + SEMI.join(line(h) for h in open_), details)
    if confirmed:
        consequences = _consequences(confirmed, app)
        if consequences:
            details["consequences"] = [c.en for c in consequences]
        return Summary("warn", Said("confirmed restricted-party match(es): ", "已确认与受限制当事方匹配：")
                       + SEMI.join(line(h) for h in confirmed)
                       + Said("", "").join(Said(". ", "。") + c for c in consequences), details)
    if alerts:
        return Summary("pass", Said(f"{len(alerts)} screening hit(s) cleared as false positives",
                                    f"{len(alerts)}条筛查命中已认定为误报并排除"), details)
    lists_note = Said("", "")
    if versions is not None:
        names = ", ".join(f"{v.list.name} v{v.version}" for v in versions)
        lists_note = Said(" against " + (names or "no list (none imported)"),
                          f"（比对清单：{names}）" if names else "（尚未导入任何清单）")
    return Summary("pass", Said(f"no party scores {ALERT_THRESHOLD} or more", f"没有当事方的相似度达到{ALERT_THRESHOLD}")
                   + lists_note, details)


def _consequences(confirmed: Sequence[ScreeningHit], app: Application | None) -> list[Said]:
    """What the pack says follows from a party confirmed on a list one of its conditions names
    (the watch list: DUR Art. 26): the condition, documents it requires that the application
    lacks, and a no-deadline case."""
    pack = get_pack()
    listed = {h.list_name for h in confirmed}
    present = {d.doc_type for d in app.documents} if app is not None else set()
    out = []
    for code, cond in pack.conditions.items():
        if cond.party_list not in listed:
            continue
        out.append(Said(cond.label_en, cond.label_zh).ref(cond.legal_ref))
        for doc_code, doc in pack.document_types.items():
            if doc.required_when == code and doc_code not in present:
                out.append(Said(f"the application must include: {doc.label_en} ({doc.legal_ref}); request it from the applicant",
                                f"申请须附：{doc.label_zh}（{doc.legal_ref}）；请要求申请人提交"))
        if code in pack.deadlines.no_deadline_cases:
            out.append(Said(f"no decision deadline runs ({pack.deadlines.no_deadline_cases[code].legal_ref})",
                            f"不计算决定期限（{pack.deadlines.no_deadline_cases[code].legal_ref}）"))
    return out


def _refresh_check(session: Session, app: Application) -> None:
    """Rewrite the stored screening check from the application's hits (after a resolution)."""
    s = summarise(_hits_of(session, application_id=app.id), app=app)
    row = session.execute(select(CheckResult).where(CheckResult.application_id == app.id, CheckResult.check == CHECK)
                          ).scalar_one_or_none()
    if row is not None:
        previous_lists = (row.details or {}).get("lists")
        row.outcome, row.message, row.message_zh = s.outcome, s.said.en, s.said.zh
        row.details = audit.jsonable({**s.details, **({"lists": previous_lists} if previous_lists else {})})
        row.run_at = utcnow()


# --- resolving ---------------------------------------------------------------------------------


def get_hit(session: Session, actor: Principal, hit_id: int, *, for_update: bool = False) -> ScreeningHit:
    return get_visible(session, actor, "screening.hits.read", select(ScreeningHit).where(ScreeningHit.id == hit_id),
                       ScreeningHit.org_id, f"screening hit {hit_id}", for_update=for_update)


def list_hits(session: Session, actor: Principal, *, application_id: int | None = None, licence: str | None = None,
              status: HitStatus | None = None, subject: str | None = None, after_id: int = 0, limit: int = 50,
              ) -> list[ScreeningHit]:
    """Hits in id order, filtered by case (an application's id, a licence's number), status
    and kind of case."""
    require(actor, "screening.hits.read")
    stmt = select(ScreeningHit).where(ScreeningHit.id > after_id)
    if application_id is not None:
        stmt = stmt.where(ScreeningHit.application_id == application_id)
    if licence is not None:
        stmt = stmt.join(Licence, Licence.id == ScreeningHit.licence_id).where(Licence.number == licence)
    if subject == "application":
        stmt = stmt.where(ScreeningHit.application_id.is_not(None))
    elif subject == "licence":
        stmt = stmt.where(ScreeningHit.licence_id.is_not(None))
    if status is not None:
        stmt = stmt.where(ScreeningHit.status == status)
    return list(session.execute(scope(stmt, actor, ScreeningHit.org_id).order_by(ScreeningHit.id).limit(limit)).scalars())


def case_labels(session: Session, hits: Sequence[ScreeningHit]) -> dict[int, tuple[str | None, str | None]]:
    """Hit id -> (application reference, licence number), in two queries for a page of hits."""
    app_ids = {h.application_id for h in hits if h.application_id}
    lic_ids = {h.licence_id for h in hits if h.licence_id}
    refs = dict(session.execute(select(Application.id, Application.reference).where(Application.id.in_(app_ids))).all()) \
        if app_ids else {}
    numbers = dict(session.execute(select(Licence.id, Licence.number).where(Licence.id.in_(lic_ids))).all()) \
        if lic_ids else {}
    return {h.id: (refs.get(h.application_id), numbers.get(h.licence_id)) for h in hits}


def resolve(session: Session, actor: Principal, hit_id: int, resolution: HitStatus, reason: str,
            *, at: dt.datetime | None = None) -> ScreeningHit:
    """An officer clears a hit as a false positive or confirms it, with a reason."""
    require(actor, "screening.resolve")
    if resolution not in (HitStatus.false_positive, HitStatus.confirmed):
        raise InvalidInput("resolution is false_positive or confirmed", field="resolution")
    reason = reason.strip()
    if len(reason) < 5:
        raise InvalidInput("give the reason for the resolution (at least 5 characters)", field="reason")
    hit = get_hit(session, actor, hit_id, for_update=True)
    if hit.status != HitStatus.open:
        raise Conflict(f"screening hit {hit.id} was already resolved as {hit.status} by {hit.resolved_by_name}",
                       current_state=str(hit.status))
    app = None
    if hit.application_id is not None:
        app = session.get(Application, hit.application_id, with_for_update=True)
        if app.status not in OPEN_CASE:
            raise Conflict(f"application {app.reference} is {app.status}: its screening hits can no longer be resolved",
                           current_state=str(app.status))
    now = at or utcnow()
    hit.status, hit.resolved_at, hit.resolved_by = resolution, now, actor.user_id
    hit.resolved_by_name, hit.resolution_reason = actor.username, reason
    session.flush()
    subject_type, subject_id = ("application", app.id) if app is not None else ("licence", _licence_number(session, hit))
    audit.record(session, type=f"screening.hit_{resolution.value}", actor=actor, subject_type=subject_type,
                 subject_id=subject_id, before={"hit": hit.id, "status": HitStatus.open},
                 after={"hit": hit.id, "status": hit.status, "party_id": hit.party_id, "list": hit.list_name,
                        "entity_id": hit.entity_id, "score": hit.score}, reason=reason)
    if app is not None:
        _refresh_check(session, app)
        session.flush()
    return hit


def _licence_number(session: Session, hit: ScreeningHit) -> str:
    return session.execute(select(Licence.number).where(Licence.id == hit.licence_id)).scalar_one()


# --- what confirmed hits mean for a case ---------------------------------------------------------


def no_deadline_cases(session: Session, app_ids: Sequence[int], pack) -> dict[int, str]:
    """Application id -> the code of the pack's no-deadline case that a confirmed hit puts it
    in: a party confirmed on the list a party condition of the same code names (the watch
    list: DUR Art. 26 para. 2). One query for a page of applications."""
    lists_of = {code: pack.conditions[code].party_list for code in pack.deadlines.no_deadline_cases
                if code in pack.conditions and pack.conditions[code].party_list}
    if not lists_of or not app_ids:
        return {}
    rows = session.execute(select(ScreeningHit.application_id, ScreeningHit.list_name).where(
        ScreeningHit.application_id.in_(app_ids), ScreeningHit.status == HitStatus.confirmed,
        ScreeningHit.list_name.in_(set(lists_of.values())))).all()
    by_list = {name: code for code, name in lists_of.items()}
    return {app_id: by_list[name] for app_id, name in rows}


# --- end users added to a licence ------------------------------------------------------------


def screen_licence_parties(session: Session, lic: Licence, parties: Sequence[PartyView], *, at: dt.datetime | None = None,
                           role: str = "end_user") -> list[ScreeningHit]:
    """Screen parties of a licence (end users an amendment adds, or a party's new version)
    against the lists in force; each new alert is an open hit on the licence. A hit already
    recorded for that party, list and entity on the licence is not recorded again."""
    known = {_key(h) for h in _hits_of(session, licence_id=lic.id)}
    found = _new_hits(session, versions_on(session, None), [(p, role) for p in parties], org_id=lic.org_id,
                      now=at or utcnow(), licence_id=lic.id, alerts_only=True)
    new = [h for h in found if _key(h) not in known]
    session.add_all(new)
    session.flush()
    return new


# --- list changes ------------------------------------------------------------------------------


def rescreen_licences(session: Session, actor: Principal, version: ListVersion, *, at: dt.datetime | None = None
                      ) -> list[ScreeningHit]:
    """Screen the end users of every live licence against a new list version; each new alert
    is an open hit on the licence, flagged for review with an audit event on its stream."""
    now = at or utcnow()
    live = list(session.execute(select(Licence).where(Licence.status.in_(LIVE_LICENCE)).order_by(Licence.id)).scalars())
    if not live:
        return []
    line_users: dict[int, set[int]] = {}
    for lic_id, pid in session.execute(select(LicenceLine.licence_id, LicenceLine.end_user_id)
                                       .where(LicenceLine.licence_id.in_([lic.id for lic in live]))):
        if pid:
            line_users.setdefault(lic_id, set()).add(pid)
    party_ids = {pid for s in line_users.values() for pid in s} | {lic.end_user_id for lic in live if lic.end_user_id}
    # Key elements cannot change while a live licence names a party, so its newest version
    # screens as the one the licence froze.
    parties = current(session, party_ids)
    known = {_key(h) + (h.licence_id,) for h in session.execute(
        select(ScreeningHit).where(ScreeningHit.licence_id.is_not(None))).scalars()}
    # Each party once, however many licences name it (general licences share customers).
    matcher = matcher_for(session, [version], wait=True)  # this version's own index, whatever its size
    alerts = {pid: _screen(matcher, party, alerts_only=True) for pid, party in parties.items()}
    flagged: list[ScreeningHit] = []
    for lic in live:
        users = line_users.get(lic.id, set()) | ({lic.end_user_id} if lic.end_user_id else set())
        found = [(parties[p], "end_user", h) for p in sorted(users) if p in parties for h in alerts[p]]
        new = [h for h in _rows(found, org_id=lic.org_id, now=now, licence_id=lic.id) if _key(h) + (lic.id,) not in known]
        if not new:
            continue
        session.add_all(new)
        session.flush()
        flagged.extend(new)
        audit.record(session, type="licence.screening_flagged", actor=actor, subject_type="licence", subject_id=lic.number,
                     after={"list": version.list.name, "version": version.version,
                            "hits": [{"hit": h.id, "party_id": h.party_id, "entity_id": h.entity_id, "score": h.score}
                                     for h in new]},
                     reason=f"an end user now matches {version.list.name} version {version.version}")
    return flagged
