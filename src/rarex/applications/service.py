"""The rules of an application's life: drafting, documents, submission with automated
checks, review under the deadline clock, recommendation and countersigned decision.

Every function takes the caller's Principal, checks it through :mod:`rarex.core.authz`,
moves the state machine in :mod:`rarex.applications.flows`, and writes its audit event in the
caller's transaction. ``at`` lets the system (demo loader, replays) act at a past moment; it
is not exposed to users.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rarex.applications import checks as checks_mod
from rarex.applications import documents as docs
from rarex.applications.deadline import acceptance_due, deemed_acceptance, received_on
from rarex.applications.flows import APPLICATION
from rarex.applications.models import (
    Application,
    ApplicationDocument,
    ApplicationItem,
    CheckResult,
    ClockStop,
    InformationRequest,
)
from rarex.applications.models import (
    ApplicationStatus as S,
)
from rarex.applications.party_refs import freeze_parties, thaw_parties
from rarex.applications.schemas import ApplicationIn, ApplicationPatch, ItemIn, Outcome
from rarex.core import audit
from rarex.core.authz import Principal, get_visible, require, scope
from rarex.core.calendar import calendar_for
from rarex.core.db import utcnow
from rarex.core.errors import Conflict, Forbidden, InvalidInput, NotFound, QuotaExceeded
from rarex.core.ids import next_value
from rarex.core.settings import get_settings
from rarex.core.units import check_currency, check_unit
from rarex.eligibility.schemas import Overall
from rarex.eligibility.service import evaluate_application
from rarex.parties.service import get_party_for_org
from rarex.policy.service import get_pack
from rarex.screening.case_parties import application_parties
from rarex.screening.control_list import Listing, listings


def _now(at: dt.datetime | None) -> dt.datetime:
    return at or utcnow()


def legal_date(at: dt.datetime, pack=None) -> dt.date:
    """The date in the regime's time zone: deadlines and validity are counted in it."""
    return at.astimezone((pack or get_pack()).tz).date()


def snapshot(app: Application) -> dict:
    """What an audit event records of an application's state."""
    return {
        "status": app.status,
        "licence_type": app.licence_type,
        "consignee_id": app.consignee_id,
        "end_user_id": app.end_user_id,
        "end_use": app.end_use,
        "end_use_category": app.end_use_category,
        "requested_validity_months": app.requested_validity_months,
        "items": [
            {k: getattr(i, k) for k in ("line_no", "control_code", "hs_code", "description", "quantity", "unit", "value", "currency", "end_user_id")}
            for i in app.items
        ],
    }


def _event(session: Session, actor: Principal, app: Application, type: str, *, before=None, after=None, reason=None) -> None:
    audit.record(session, type=type, actor=actor, subject_type="application", subject_id=app.id,
                 before=before, after=after, reason=reason)


# --- reading -----------------------------------------------------------------------------


def get(session: Session, actor: Principal, app_id: int, *, for_update: bool = False) -> Application:
    return get_visible(session, actor, "application.read", select(Application).where(Application.id == app_id),
                       Application.org_id, f"application {app_id}", for_update=for_update)


def list_(
    session: Session,
    actor: Principal,
    *,
    status: S | None = None,
    licence_type: str | None = None,
    org_id: int | None = None,
    after_id: int = 0,
    limit: int = 50,
) -> list[Application]:
    require(actor, "application.read")
    stmt = scope(select(Application), actor, Application.org_id).where(Application.id > after_id)
    if status:
        stmt = stmt.where(Application.status == status)
    if licence_type:
        stmt = stmt.where(Application.licence_type == licence_type)
    if org_id:
        stmt = stmt.where(Application.org_id == org_id)
    return list(session.execute(stmt.order_by(Application.id).limit(limit)).scalars())


def timeline(session: Session, actor: Principal, app_id: int) -> list[dict]:
    """The case's history from the audit log, for anyone who may read the case; the ministry's
    deliberation only for those who may read it (core.authz.EVENT_VIEWS)."""
    app = get(session, actor, app_id)
    return audit.timeline(session, actor, f"application:{app.id}")


# --- drafting ----------------------------------------------------------------------------


def _check_licence_type(code: str):
    pack = get_pack()
    lt = pack.licence_types.get(code)
    if lt is None or lt.kind != "licence":
        kinds = ", ".join(k for k, v in pack.licence_types.items() if v.kind == "licence")
        raise InvalidInput(f"cannot apply for {code!r}; apply for one of: {kinds}", field="licence_type")
    return lt


def _check_validity(lt, months: int | None) -> None:
    """Refuse at drafting a validity the licence type cannot have (DUR Art. 15: an individual
    licence at most a year, a general one at most three), rather than only failing a check later."""
    if months is not None and lt.max_validity_months is not None and months > lt.max_validity_months:
        raise InvalidInput(
            f"requested_validity_months: a {lt.code} licence may be valid for at most {lt.max_validity_months} months, "
            f"not {months} (default {lt.default_validity_months})",
            field="requested_validity_months",
        )


def _check_lines(app: Application, lt) -> None:
    """Each (item, end user) once, and no more end users than the licence type allows.

    Run on the application as it will be stored: an edit of the application's default end user
    alone can merge two lines (one naming that party, one relying on the default), and an
    individual licence covers one end user (DUR Art. 15), a general licence several.
    """
    seen: dict[tuple[str, int | None], int] = {}
    for item in app.items:
        key = (item.control_code, item.end_user_id or app.end_user_id)
        if key in seen:
            where = f"items[{item.line_no - 1}]"
            raise InvalidInput(
                f"{where}: {item.control_code} appears twice for the same end user (lines {seen[key]} and {item.line_no}); "
                "combine the lines",
                field=where,
            )
        seen[key] = item.line_no
    end_users = {eu for _, eu in seen if eu is not None}
    if lt.max_end_users is not None and len(end_users) > lt.max_end_users:
        raise InvalidInput(
            f"items: a {lt.code} licence covers at most {lt.max_end_users} end user(s); this application names "
            f"{len(end_users)} (party ids {', '.join(str(e) for e in sorted(end_users))}). A general licence covers several",
            field="items",
        )


def _items(session: Session, actor: Principal, org_id: int, items: list[ItemIn], default_end_user: int | None) -> list[ApplicationItem]:
    pack = get_pack()
    seen: set[tuple[str, int | None]] = set()
    rows = []
    for n, item in enumerate(items, start=1):
        where = f"items[{n - 1}]"
        if pack.entry(item.control_code) is None:
            raise InvalidInput(
                f"{where}.control_code: {item.control_code!r} is not on the {pack.id} control list (see /api/v1/policy/control-list)",
                field=f"{where}.control_code",
            )
        if item.end_user_id is not None:
            get_party_for_org(session, actor, item.end_user_id, org_id)
        key = (item.control_code, item.end_user_id or default_end_user)
        if key in seen:
            raise InvalidInput(f"{where}: {item.control_code} appears twice for the same end user; combine the lines", field=where)
        seen.add(key)
        rows.append(
            ApplicationItem(
                line_no=n,
                control_code=item.control_code,
                hs_code=item.hs_code,
                description=item.description,
                quantity=item.quantity,
                unit=check_unit(item.unit),
                value=item.value,
                currency=check_currency(item.currency),
                end_user_id=item.end_user_id,
            )
        )
    return rows


def _org_of(actor: Principal, org_id: int | None = None) -> int:
    """The exporter an application is drafted for: the actor's own organisation; the system
    (the console, a job) names it."""
    if not actor.org_bound and org_id is not None:
        return org_id
    if actor.org_id is None:
        raise Forbidden("only a user of an exporting organisation can draft an application")
    return actor.org_id


def _end_use_category(value: str | None, *, required: bool = False) -> str:
    """A code of the pack's end_use_categories; None: the pack's default (on creation only)."""
    pack = get_pack()
    if value is None and not required:
        return pack.default_end_use_category
    if value not in pack.end_use_categories:
        raise InvalidInput(f"end_use_category {value!r} is not an end-use category; known: "
                           f"{', '.join(pack.end_use_categories)}", field="end_use_category")
    return value


def create(session: Session, actor: Principal, data: ApplicationIn, *, at: dt.datetime | None = None,
           org_id: int | None = None) -> Application:
    require(actor, "application.draft")
    org_id = _org_of(actor, org_id)
    lt = _check_licence_type(data.licence_type)
    _check_validity(lt, data.requested_validity_months)
    for field in ("consignee_id", "end_user_id"):
        if getattr(data, field) is not None:
            get_party_for_org(session, actor, getattr(data, field), org_id)
    now = _now(at)
    year = legal_date(now).year
    app = Application(
        reference=f"A{year}-{next_value(session, f'application:{year}'):06d}",
        org_id=org_id,
        licence_type=data.licence_type,
        status=S.draft,
        consignee_id=data.consignee_id,
        end_user_id=data.end_user_id,
        end_use=data.end_use,
        end_use_category=_end_use_category(data.end_use_category),
        requested_validity_months=data.requested_validity_months,
        created_by=actor.user_id,
        created_at=now,
        conditions=[],
    )
    app.items = _items(session, actor, org_id, data.items, data.end_user_id)
    _check_lines(app, lt)
    session.add(app)
    session.flush()
    _event(session, actor, app, "application.drafted", after=snapshot(app))
    return app


def update(session: Session, actor: Principal, app_id: int, data: ApplicationPatch) -> Application:
    require(actor, "application.draft")
    app = get(session, actor, app_id, for_update=True)
    APPLICATION.check("edit", app.status)
    before = snapshot(app)
    fields = data.model_dump(exclude_unset=True)
    if "end_use" in fields and fields["end_use"] is None:
        raise InvalidInput("end_use cannot be null; send an empty string to clear it", field="end_use")
    if "end_use_category" in fields:
        fields["end_use_category"] = _end_use_category(fields["end_use_category"], required=True)
    lt = _check_licence_type(app.licence_type)
    if "requested_validity_months" in fields:
        _check_validity(lt, fields["requested_validity_months"])
    for field in ("consignee_id", "end_user_id"):
        if fields.get(field) is not None:
            get_party_for_org(session, actor, fields[field], app.org_id)
    for field in ("consignee_id", "end_user_id", "end_use", "end_use_category", "requested_validity_months"):
        if field in fields:
            setattr(app, field, fields[field])
    if data.items is not None:
        new_items = _items(session, actor, app.org_id, data.items, app.end_user_id)
        app.items.clear()
        session.flush()
        app.items.extend(new_items)
    _check_lines(app, lt)
    session.flush()
    _event(session, actor, app, "application.edited", before=before, after=snapshot(app))
    return app


def check_upload_allowed(session: Session, actor: Principal, app_id: int) -> Application:
    """What can be judged before an upload's body is read: may the caller add documents to
    this case, does the case take them now, and is there room for one more."""
    require(actor, "application.draft")
    app = get(session, actor, app_id)
    APPLICATION.check("upload", app.status)
    _check_room(session, app, size=1)
    return app


def _check_room(session: Session, app: Application, size: int) -> None:
    """Refuse a document past the per-application count or the organisation's bytes (409)."""
    settings = get_settings()
    most = settings.max_documents_per_application
    if len(app.documents) >= most:
        raise QuotaExceeded(
            f"application {app.reference} already holds {len(app.documents)} documents, the most one application may "
            f"hold (RAREX_MAX_DOCUMENTS_PER_APPLICATION={most}); remove one before adding another",
            limit=most, used=len(app.documents))
    limit = settings.max_document_bytes_per_organisation
    used = session.scalar(select(func.coalesce(func.sum(ApplicationDocument.size), 0))
                          .join(Application, Application.id == ApplicationDocument.application_id)
                          .where(Application.org_id == app.org_id))
    if used + size > limit:
        raise QuotaExceeded(
            f"the organisation's documents take {used} of its {limit} bytes (RAREX_MAX_DOCUMENT_BYTES_PER_ORGANISATION); "
            f"a {size}-byte document does not fit: remove documents from drafts first",
            limit=limit, used=used)


def add_document(
    session: Session, actor: Principal, app_id: int, *, doc_type: str, filename: str | None,
    content_type: str | None, data: bytes,
) -> ApplicationDocument:
    """Check, store and attach a document (in draft, or while information is requested)."""
    require(actor, "application.draft")
    pack = get_pack()
    if doc_type not in pack.document_types:
        raise InvalidInput(f"unknown document type {doc_type!r}; one of {', '.join(pack.document_types)}", field="doc_type")
    name, media = docs.check_upload(filename, content_type, data)
    app = get(session, actor, app_id, for_update=True)
    APPLICATION.check("upload", app.status)
    _check_room(session, app, len(data))
    digest = docs.store(data)
    doc = ApplicationDocument(doc_type=doc_type, filename=name, content_type=media, size=len(data), sha256=digest,
                              uploaded_by=actor.user_id)
    app.documents.append(doc)
    session.flush()
    _event(session, actor, app, "application.document_added",
           after={"document_id": doc.id, "doc_type": doc_type, "filename": name, "sha256": digest, "size": len(data)})
    return doc


def get_document(session: Session, actor: Principal, app_id: int, doc_id: int) -> tuple[ApplicationDocument, bytes]:
    app = get(session, actor, app_id)
    doc = next((d for d in app.documents if d.id == doc_id), None)
    if doc is None:
        raise NotFound(f"document {doc_id} not found on application {app.reference}")
    return doc, docs.read(doc.sha256)


def remove_document(session: Session, actor: Principal, app_id: int, doc_id: int) -> None:
    """Remove a document from a draft, or one added since the open request for information.

    What was submitted stays as submitted: while information is requested only the documents
    uploaded after the request may go. The file leaves the store once the removal is committed
    and no other document holds the same content (the store keeps each content once).
    """
    require(actor, "application.draft")
    app = get(session, actor, app_id, for_update=True)
    APPLICATION.check("remove_document", app.status)
    doc = next((d for d in app.documents if d.id == doc_id), None)
    if doc is None:
        raise NotFound(f"document {doc_id} not found on application {app.reference}")
    if app.status == S.information_requested:
        opened = _open_request(app).requested_at
        if doc.uploaded_at < opened:
            raise Conflict(f"document {doc.id} was part of the submission; while information is requested only documents "
                           f"added since the request ({opened:%Y-%m-%d %H:%M} UTC) can be removed",
                           current_state=str(app.status))
    before = {"document_id": doc.id, "doc_type": doc.doc_type, "filename": doc.filename, "sha256": doc.sha256,
              "size": doc.size}
    app.documents.remove(doc)
    session.delete(doc)
    session.flush()
    _event(session, actor, app, "application.document_removed", before=before)
    docs.remove_after_commit(session, before["sha256"])


# --- checks and submission ---------------------------------------------------------------


def precheck(session: Session, actor: Principal, app_id: int, *, at: dt.datetime | None = None) -> list[tuple[str, checks_mod.Outcome]]:
    """Run the automated checks without storing them: the exporter sees what would fail."""
    app = get(session, actor, app_id)
    pack = get_pack()
    return checks_mod.run_all(checks_mod.CheckContext(app, pack, legal_date(_now(at), pack), session))


def submit(session: Session, actor: Principal, app_id: int, *, at: dt.datetime | None = None) -> Application:
    require(actor, "application.draft")
    app = get(session, actor, app_id, for_update=True)
    t = APPLICATION.check("submit", app.status)
    pack = get_pack()
    now = _now(at)
    if app.replaces_licence_id is not None:  # exports under the licence it replaces stop now (DUR Art. 18 para. 2)
        from rarex.licences.service import stop_for_replacement

        stop_for_replacement(session, actor, app.replaces_licence_id, app.reference, legal_date(now, pack), at=now)
    freeze_parties(session, app)
    results = checks_mod.run_all(checks_mod.CheckContext(app, pack, legal_date(now, pack), session, record=True, at=now))
    app.checks.clear()
    session.flush()
    for name, o in results:
        app.checks.append(CheckResult(check=name, outcome=o.outcome, message=o.said.en, message_zh=o.said.zh,
                                      details=audit.jsonable(o.details), run_at=now))
    app.status = t.target
    app.submitted_at = now
    session.flush()
    received = legal_date(now, pack)
    _event(session, actor, app, "application.submitted", before={"status": S.draft},
           after={"status": app.status, "checks": {n: o.outcome for n, o in results}, "received_on": received,
                  "acceptance_due": acceptance_due(pack, received)})
    return app


def blocking_checks(app: Application) -> list[CheckResult]:
    return [c for c in app.checks if c.outcome == checks_mod.FAIL]


# --- review ------------------------------------------------------------------------------


def _deemed_on(app: Application, pack, now: dt.datetime) -> dt.date | None:
    """The receipt date, when the case sat past the acceptance window without acceptance or
    return and so is accepted by operation of law (Administrative Licensing Law Art. 32)."""
    received = received_on(app, pack)
    return deemed_acceptance(pack, received, legal_date(now, pack)) if received else None


def return_to_applicant(
    session: Session, actor: Principal, app_id: int, reason: str, corrections: list[str] | None = None,
    *, at: dt.datetime | None = None,
) -> Application:
    """Send the submission back with every correction it needs, at once, within the acceptance
    window; the resubmission is a new receipt. Past the window the case was deemed accepted."""
    require(actor, "application.review")
    app = get(session, actor, app_id, for_update=True)
    t = APPLICATION.check("return", app.status)
    pack = get_pack()
    deemed = _deemed_on(app, pack, _now(at))
    if deemed is not None:
        acc = pack.deadlines.acceptance
        raise Conflict(
            f"application {app.reference} was deemed accepted on {deemed}: it was neither accepted nor returned within "
            f"{acc.working_days} working days of receipt (by {acceptance_due(pack, deemed)}; {acc.legal_ref}), so it can "
            "no longer be returned for corrections; accept it and ask for what is missing as a request for information",
            slug="deemed-accepted", current_state=str(app.status), deemed_accepted_on=deemed.isoformat(),
        )
    app.status = t.target
    thaw_parties(app)
    session.flush()
    _event(session, actor, app, "application.returned", before={"status": S.submitted},
           after={"status": app.status, "corrections": list(corrections or [])}, reason=reason)
    return app


def accept(session: Session, actor: Principal, app_id: int, *, at: dt.datetime | None = None) -> Application:
    """Accept the case: the deadline clock starts on the acceptance date. An officer who accepts
    after the acceptance window records what the law already did: acceptance on the receipt date."""
    require(actor, "application.review")
    app = get(session, actor, app_id, for_update=True)
    t = APPLICATION.check("accept", app.status)
    pack = get_pack()
    now = _now(at)
    deemed = _deemed_on(app, pack, now)
    blocking = blocking_checks(app)
    if blocking and deemed is None:
        raise Conflict(
            "cannot accept: automated checks failed: " + "; ".join(f"{c.check}: {c.message}" for c in blocking)
            + ". Return the application to the applicant instead.",
            current_state=str(app.status),
            failed_checks=[c.check for c in blocking],
        )
    app.status = t.target
    app.accepted_at = now
    app.accepted_on = deemed or legal_date(now, pack)
    app.deemed_accepted = deemed is not None
    app.assigned_officer_id = actor.user_id
    session.flush()
    _event(session, actor, app, "application.accepted", before={"status": S.submitted},
           after={"status": app.status, "accepted_on": app.accepted_on, "deemed": app.deemed_accepted})
    return app


def deem_accept_due(session: Session, actor: Principal, today: dt.date | None = None) -> list[Application]:
    """Record the acceptance of every submitted case nobody accepted or returned within the
    acceptance window: accepted on the day it was received (Administrative Licensing Law Art. 32).
    The views already show such a case as deemed accepted; this writes it down with its event."""
    require(actor, "case.deem_accept")
    pack = get_pack()
    today = today or pack.today()
    due = session.execute(
        select(Application).where(Application.status == S.submitted).order_by(Application.id).with_for_update()
    ).scalars().all()
    done = []
    now = utcnow()
    for app in due:
        received = received_on(app, pack)
        deemed = deemed_acceptance(pack, received, today) if received else None
        if deemed is None:
            continue
        t = APPLICATION.check("deem_accept", app.status)
        app.status, app.accepted_at, app.accepted_on, app.deemed_accepted = t.target, now, deemed, True
        session.flush()
        acc = pack.deadlines.acceptance
        _event(session, actor, app, "application.deemed_accepted", before={"status": S.submitted},
               after={"status": app.status, "accepted_on": deemed, "received_on": received,
                      "acceptance_due": acceptance_due(pack, received)},
               reason=f"neither accepted nor returned within {acc.working_days} working days of receipt ({acc.legal_ref})")
        done.append(app)
    return done


def _open_request(app: Application) -> InformationRequest:
    return next(r for r in reversed(app.information_requests) if r.responded_at is None)


def request_information(
    session: Session, actor: Principal, app_id: int, request: str, *, at: dt.datetime | None = None,
) -> Application:
    """Ask the applicant for more. The case waits for the answer, but the decision clock keeps
    running: a request for information is not a DUR Art. 17 para. 3 stop (FACTS.md 1.6)."""
    require(actor, "application.review")
    app = get(session, actor, app_id, for_update=True)
    t = APPLICATION.check("request_information", app.status)
    now = _now(at)
    app.information_requests.append(InformationRequest(request=request, requested_at=now, requested_by=actor.user_id))
    app.status = t.target
    session.flush()
    _event(session, actor, app, "application.information_requested", before={"status": S.under_review},
           after={"status": app.status, "clock": "running"}, reason=request)
    return app


def respond(session: Session, actor: Principal, app_id: int, response: str, *, at: dt.datetime | None = None) -> Application:
    """The applicant answers the open request; the case is back with the officer."""
    require(actor, "application.draft")
    app = get(session, actor, app_id, for_update=True)
    t = APPLICATION.check("respond", app.status)
    req = _open_request(app)
    req.response, req.responded_at, req.responded_by = response, _now(at), actor.user_id
    app.status = t.target
    session.flush()
    _event(session, actor, app, "application.information_provided", before={"status": S.information_requested},
           after={"status": app.status}, reason=response)
    return app


def open_stop(app: Application) -> ClockStop | None:
    return next((s for s in app.clock_stops if s.ended_on is None), None)


def stop_clock(session: Session, actor: Principal, app_id: int, kind: str, reason: str,
               *, at: dt.datetime | None = None) -> Application:
    """Stop the decision clock for a technical identification, an expert opinion or an on-site
    check (the pack's ``clock_stop_kinds``, DUR Art. 17 para. 3). One stop at a time: the days
    of two overlapping stops would otherwise be taken off twice."""
    require(actor, "application.review")
    pack = get_pack()
    if kind not in pack.deadlines.clock_stop_kinds:
        raise InvalidInput(f"unknown clock-stop kind {kind!r}; one of {', '.join(pack.deadlines.clock_stop_kinds)} "
                           "(a request for information does not stop the clock)", field="kind")
    app = get(session, actor, app_id, for_update=True)
    APPLICATION.check("stop_clock", app.status)
    current = open_stop(app)
    if current is not None:
        raise Conflict(f"the clock of application {app.reference} is already stopped for {current.kind} since "
                       f"{current.started_on}; end that stop first", current_state=str(app.status), open_stop=current.id)
    now = _now(at)
    stop = ClockStop(kind=kind, request=reason, started_on=legal_date(now, pack), started_at=now, requested_by=actor.user_id)
    app.clock_stops.append(stop)
    session.flush()
    _event(session, actor, app, "application.clock_stopped",
           after={"stop": stop.id, "kind": kind, "started_on": stop.started_on, "legal_ref": pack.deadlines.clock_stop_kinds[kind].legal_ref},
           reason=reason)
    return app


def restart_clock(session: Session, actor: Principal, app_id: int, outcome: str, *, at: dt.datetime | None = None) -> Application:
    """End the open clock stop with what came of it; the clock runs again from the next working day."""
    require(actor, "application.review")
    app = get(session, actor, app_id, for_update=True)
    APPLICATION.check("restart_clock", app.status)
    stop = open_stop(app)
    if stop is None:
        raise Conflict(f"the clock of application {app.reference} is not stopped", current_state=str(app.status))
    pack = get_pack()
    now = _now(at)
    stop.response, stop.ended_at, stop.ended_on, stop.responded_by = outcome, now, legal_date(now, pack), actor.user_id
    session.flush()
    days = calendar_for(pack.calendar).working_days_between(stop.started_on, stop.ended_on)
    _event(session, actor, app, "application.clock_restarted",
           after={"stop": stop.id, "kind": stop.kind, "started_on": stop.started_on, "ended_on": stop.ended_on,
                  "working_days_stopped": days}, reason=outcome)
    return app


def refer_to_state_council(session: Session, actor: Principal, app_id: int, reason: str,
                           *, at: dt.datetime | None = None) -> Application:
    """Refer the case to the State Council (or the State Council and the Central Military
    Commission) as an export with a major effect on national security: from then no decision
    deadline runs (DUR Art. 17 para. 2; the pack's ``no_deadline_cases.state_council_referral``)."""
    require(actor, "application.refer")
    app = get(session, actor, app_id, for_update=True)
    t = APPLICATION.check("refer", app.status)
    if app.referred_on is not None:
        raise Conflict(f"application {app.reference} was already referred to the State Council on {app.referred_on}",
                       current_state=str(app.status))
    pack = get_pack()
    now = _now(at)
    setattr(app, t.stamp, now)
    app.referred_on, app.referred_by, app.referral_reason = legal_date(now, pack), actor.user_id, reason
    session.flush()
    _event(session, actor, app, "application.referred_to_state_council",
           after={"referred_on": app.referred_on,
                  "legal_ref": pack.deadlines.no_deadline_cases["state_council_referral"].legal_ref},
           reason=reason)
    return app


def recommend(
    session: Session, actor: Principal, app_id: int, recommendation: Outcome, reasons: str,
    conditions: list[str] | None = None, *, at: dt.datetime | None = None,
) -> Application:
    require(actor, "application.review")
    app = get(session, actor, app_id, for_update=True)
    t = APPLICATION.check("recommend", app.status)
    stop = open_stop(app)
    if stop is not None:
        raise Conflict(f"the clock is stopped for {stop.kind} since {stop.started_on}: end the stop with its outcome "
                       "before recommending", current_state=str(app.status), open_stop=stop.id)
    _check_conditions(Outcome(recommendation), conditions)
    now = _now(at)
    app.status = t.target
    app.recommendation, app.recommendation_reasons = Outcome(recommendation).value, reasons
    app.recommended_by, app.recommended_at = actor.user_id, now
    app.conditions = list(conditions or [])
    session.flush()
    _event(session, actor, app, "application.recommended", before={"status": S.under_review},
           after={"status": app.status, "recommendation": app.recommendation, "conditions": app.conditions}, reason=reasons)
    return app


def _check_conditions(outcome: Outcome, conditions: list[str] | None) -> None:
    if outcome == Outcome.approve_with_conditions and not conditions:
        raise InvalidInput("approve_with_conditions needs at least one condition", field="conditions")
    if outcome != Outcome.approve_with_conditions and conditions:
        raise InvalidInput(f"conditions are given only with approve_with_conditions, not {outcome.value}", field="conditions")


def decide(
    session: Session, actor: Principal, app_id: int, decision: Outcome, reasons: str,
    conditions: list[str] | None = None, *, special_approval: bool = False, at: dt.datetime | None = None,
):
    """A senior officer other than the recommender decides; approval issues the licence.

    ``special_approval``: the officer gives the special approval a control-list listing requires;
    it is recorded on the case, and the licence then requires a report on the deal."""
    from rarex.licences.service import issue_from_application

    require(actor, "application.decide")
    app = get(session, actor, app_id, for_update=True)
    APPLICATION.check("decide", app.status)
    if actor.user_id is not None and actor.user_id == app.recommended_by:
        raise Forbidden("the officer who recommended may not also decide (countersigning needs a second officer)")
    decision = Outcome(decision)
    _check_conditions(decision, conditions)
    now = _now(at)
    listed: list = []
    if decision != Outcome.refuse:
        _check_not_prohibited(session, app, legal_date(now))
        listed = _check_control_list(session, app, legal_date(now), special_approval)
        _check_still_eligible(session, app, legal_date(now))
    elif special_approval:
        raise InvalidInput("special_approval is given only with an approval", field="special_approval")
    if listed:
        app.special_approved_by, app.special_approved_at = actor.user_id, now
        app.special_approval_listings = [x.as_dict() for x in listed]
    app.status = S.refused if decision == Outcome.refuse else S.approved
    app.decision, app.decision_reasons = decision.value, reasons
    app.decided_by, app.decided_at, app.decided_on = actor.user_id, now, legal_date(now)
    app.conditions = list(conditions or [])
    session.flush()
    _event(session, actor, app, f"application.{app.status.value}", before={"status": S.recommended},
           after={"status": app.status, "decision": app.decision, "overrides_recommendation": app.decision != app.recommendation,
                  "conditions": app.conditions,
                  **({"special_approval": app.special_approval_listings} if listed else {})}, reason=reasons)
    licence = issue_from_application(session, actor, app, at=now) if app.status == S.approved else None
    if app.replaces_licence_id is not None:
        _replacement_decided(session, actor, app, licence, now)
    return app, licence


def _replacement_decided(session: Session, actor: Principal, app: Application, licence, now: dt.datetime) -> None:
    """The licence an application replaces is handed back when it is granted; it carries on
    when the application is refused or withdrawn after submission (DUR Art. 18 para. 2)."""
    from rarex.licences.service import hand_back, resume_after_replacement

    assert app.replaces_licence_id is not None
    if licence is not None:
        hand_back(session, actor, app.replaces_licence_id, licence, app.reference, at=now)
    elif app.submitted_at is not None:
        resume_after_replacement(session, actor, app.replaces_licence_id, app.reference, app.status.value, at=now)


def _check_not_prohibited(session: Session, app: Application, on: dt.date) -> None:
    """No licence can be granted for what a prohibition covers (ECL Art. 10; DUR Art. 13).
    Judged again on the decision date: a prohibition may have come into force during the
    review. A line it reaches whose category is unknown also stops the approval."""
    judged = checks_mod.judge_prohibitions(session, app, get_pack(), on)
    if judged is not None and judged.blocking:
        refs = sorted({p["legal_ref"] for c in judged.covered + judged.undetermined for p in c["prohibitions"]})
        raise Conflict(
            f"cannot approve on {on}: {judged.message}. Refuse the application instead.",
            slug="prohibited", title="A prohibition covers the deal", current_state=str(app.status),
            legal_refs=refs, prohibitions=judged.details,
        )


def _check_control_list(session: Session, app: Application, on: dt.date, special_approval: bool) -> list[Listing]:
    """The deal's parties against the control list as it stood on the decision date (ECL Art.
    18; DUR Arts. 28-30): a ban stops the approval; a listing needing special approval needs
    the deciding senior officer to give it. Returns the listings the approval covers."""
    found = listings(session, get_pack(), application_parties(session, app), on, application_id=app.id)
    bans = [x for x in found if x.kind == "ban"]
    if bans:
        raise Conflict(
            f"cannot approve on {on}: a control-list listing bans the deal: " + "; ".join(x.describe() for x in bans)
            + ". Refuse the application instead.",
            slug="control-list-ban", title="A control-list listing bans the deal", current_state=str(app.status),
            legal_refs=sorted({x.legal_ref for x in bans}), listings=[x.as_dict() for x in bans],
        )
    if found and not special_approval:
        raise Conflict(
            f"cannot approve on {on} without special approval: " + "; ".join(x.describe() for x in found)
            + ". Approve with special_approval set (a senior officer's special approval; the licence will require a "
            "report on the deal), or refuse.",
            slug="special-approval-required", title="Special approval required", current_state=str(app.status),
            legal_refs=sorted({x.legal_ref for x in found}), listings=[x.as_dict() for x in found],
        )
    if special_approval and not found:
        raise InvalidInput(f"special_approval given, but no party of the deal is on a control-list listing on {on}",
                           field="special_approval")
    return found


def _check_still_eligible(session: Session, app: Application, on: dt.date) -> None:
    """Eligibility was judged at submission; a violation decided during the review (DUR Art.
    20) must not let a general licence through. Judged again on the decision date; a
    condition that now fails, or holds only on facts no officer has verified, stops an
    approval (refusal stays open)."""
    result = evaluate_application(session, app, on)
    if result.status == Overall.not_eligible:
        failing = [c for c in result.conditions if c.code in result.failing]
        raise Conflict(
            f"cannot approve: on {on} the exporter is no longer eligible for this licence type: "
            + "; ".join(f"{c.label_en} ({c.legal_ref}): {c.reason}" for c in failing) + ". Refuse the application instead.",
            current_state=str(app.status), failing_conditions=result.failing,
        )
    if result.unverified:  # the exporter's own statement must not carry a general licence
        raise Conflict(
            f"cannot approve: eligibility rests on compliance-profile facts no officer has verified "
            f"({', '.join(result.unverified)}); an officer verifies the profile first "
            f"(POST /api/v1/organisations/{app.org_id}/compliance-profile/verify), or refuse the application",
            slug="unverified-facts", current_state=str(app.status), unverified_facts=result.unverified,
        )


def withdraw(session: Session, actor: Principal, app_id: int, reason: str, *, at: dt.datetime | None = None) -> Application:
    require(actor, "application.draft")
    app = get(session, actor, app_id, for_update=True)
    t = APPLICATION.check("withdraw", app.status)
    before = app.status
    now = _now(at)
    app.status, app.withdrawn_at = t.target, now
    for stop in app.clock_stops:
        if stop.ended_on is None:
            stop.ended_at, stop.ended_on = now, legal_date(now)
    session.flush()
    _event(session, actor, app, "application.withdrawn", before={"status": before}, after={"status": app.status}, reason=reason)
    if app.replaces_licence_id is not None:
        _replacement_decided(session, actor, app, None, now)
    return app
