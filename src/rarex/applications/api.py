"""Applications API: drafting, documents, submission, review, decision."""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from rarex.applications import service, uploads, views
from rarex.applications.models import ApplicationStatus
from rarex.applications.schemas import (
    ApplicationIn,
    ApplicationOut,
    ApplicationPage,
    ApplicationPatch,
    ApplicationSummary,
    CheckOut,
    ClockRestartIn,
    ClockStopIn,
    DecideIn,
    DocumentOut,
    InformationRequestIn,
    ReasonIn,
    RecommendIn,
    RespondIn,
    ReturnIn,
)
from rarex.audit.schemas import TimelineEventOut
from rarex.core.settings import get_settings
from rarex.web.csvout import csv_response
from rarex.web.deps import PrincipalDep, SessionDep
from rarex.web.paging import Cursor, Limit, decode_cursor, next_cursor
from rarex.web.params import OrgFilter, RowId

router = APIRouter(prefix="/api/v1/applications", tags=["applications"])


@router.get("", response_model=ApplicationPage, summary="List applications (exporters see their own)")
def list_applications(
    principal: PrincipalDep,
    session: SessionDep,
    status: ApplicationStatus | None = None,
    licence_type: Annotated[str | None, Query(max_length=32)] = None,
    org_id: OrgFilter = None,
    limit: Limit = 50,
    cursor: Cursor = None,
    format: Literal["json", "csv"] = "json",
):
    rows = service.list_(session, principal, status=status, licence_type=licence_type, org_id=org_id,
                         after_id=decode_cursor(cursor), limit=limit + 1)
    items = views.summaries(session, rows[:limit])
    if format == "csv":
        return csv_response(items, "applications.csv", ApplicationSummary)
    return ApplicationPage(items=items, next_cursor=next_cursor(rows, limit))


@router.post("", response_model=ApplicationOut, status_code=201, summary="Draft an application")
def create(body: ApplicationIn, principal: PrincipalDep, session: SessionDep) -> ApplicationOut:
    return views.detail(session, service.create(session, principal, body), reader=principal)


@router.get("/{app_id}", response_model=ApplicationOut)
def get(app_id: RowId, principal: PrincipalDep, session: SessionDep) -> ApplicationOut:
    return views.detail(session, service.get(session, principal, app_id), reader=principal)


@router.get("/{app_id}/events", response_model=list[TimelineEventOut],
            summary="The case's timeline (its audit events; the deliberation only for the ministry)")
def events(app_id: RowId, principal: PrincipalDep, session: SessionDep) -> list[TimelineEventOut]:
    return [TimelineEventOut.model_validate(e) for e in service.timeline(session, principal, app_id)]


@router.patch("/{app_id}", response_model=ApplicationOut, summary="Change a draft (items are replaced as a whole)")
def patch(app_id: RowId, body: ApplicationPatch, principal: PrincipalDep, session: SessionDep) -> ApplicationOut:
    return views.detail(session, service.update(session, principal, app_id, body), reader=principal)


@router.post("/{app_id}/documents", response_model=DocumentOut, status_code=201, openapi_extra=uploads.OPENAPI_BODY,
             summary="Upload a document (PDF, PNG, JPEG) as multipart: doc_type and file")
async def upload(app_id: RowId, request: Request, principal: PrincipalDep, session: SessionDep) -> DocumentOut:
    # Who asks, whether the case takes documents and whether there is room are settled before
    # a byte of the body is read; the read transaction ends first, so no lock is held while the
    # client sends.
    service.check_upload_allowed(session, principal, app_id)
    session.commit()
    form = await uploads.read_form(request, get_settings().max_upload_bytes)
    try:
        doc_type, file, data = await uploads.document_fields(form)
        doc = service.add_document(session, principal, app_id, doc_type=doc_type, filename=file.filename,
                                   content_type=file.content_type, data=data)
    finally:
        await form.close()
    return DocumentOut.model_validate(doc)


@router.delete("/{app_id}/documents/{doc_id}", status_code=204,
               summary="Remove a document from a draft (or one added since an open request for information)")
def remove_document(app_id: RowId, doc_id: RowId, principal: PrincipalDep, session: SessionDep) -> Response:
    service.remove_document(session, principal, app_id, doc_id)
    return Response(status_code=204)


@router.get("/{app_id}/documents/{doc_id}", summary="Download a document")
def download(app_id: RowId, doc_id: RowId, principal: PrincipalDep, session: SessionDep) -> Response:
    doc, data = service.get_document(session, principal, app_id, doc_id)
    return Response(data, media_type=doc.content_type, headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(doc.filename)}",
        "X-Content-SHA256": doc.sha256,
        "X-Content-Type-Options": "nosniff",
    })


@router.get("/{app_id}/precheck", response_model=list[CheckOut], summary="Run the automated checks without submitting")
def precheck(app_id: RowId, principal: PrincipalDep, session: SessionDep) -> list[CheckOut]:
    return [CheckOut(check=n, outcome=o.outcome, message=o.said.en, message_zh=o.said.zh, details=o.details)
            for n, o in service.precheck(session, principal, app_id)]


@router.post("/{app_id}/submit", response_model=ApplicationOut, summary="Submit: the automated checks run and are stored")
def submit(app_id: RowId, principal: PrincipalDep, session: SessionDep) -> ApplicationOut:
    return views.detail(session, service.submit(session, principal, app_id), reader=principal)


@router.post("/{app_id}/return", response_model=ApplicationOut,
             summary="Officer: return an incomplete submission with every correction at once, within the acceptance window")
def return_(app_id: RowId, body: ReturnIn, principal: PrincipalDep, session: SessionDep) -> ApplicationOut:
    """409 ``deemed-accepted`` once the window has passed: the case was accepted on receipt."""
    return views.detail(session, service.return_to_applicant(session, principal, app_id, body.reason, body.corrections),
                        reader=principal)


@router.post("/{app_id}/accept", response_model=ApplicationOut,
             summary="Officer: accept the case; the deadline clock starts (dated on receipt when accepted late)")
def accept(app_id: RowId, principal: PrincipalDep, session: SessionDep) -> ApplicationOut:
    return views.detail(session, service.accept(session, principal, app_id), reader=principal)


@router.post("/{app_id}/request-information", response_model=ApplicationOut,
             summary="Officer: ask the applicant for more; the case waits, the clock keeps running")
def request_information(app_id: RowId, body: InformationRequestIn, principal: PrincipalDep, session: SessionDep) -> ApplicationOut:
    return views.detail(session, service.request_information(session, principal, app_id, body.request), reader=principal)


@router.post("/{app_id}/stop-clock", response_model=ApplicationOut,
             summary="Officer: stop the clock for a technical identification, expert opinion or on-site check (DUR Art. 17)")
def stop_clock(app_id: RowId, body: ClockStopIn, principal: PrincipalDep, session: SessionDep) -> ApplicationOut:
    return views.detail(session, service.stop_clock(session, principal, app_id, body.kind, body.reason), reader=principal)


@router.post("/{app_id}/restart-clock", response_model=ApplicationOut,
             summary="Officer: end the open clock stop with its outcome; the clock runs again")
def restart_clock(app_id: RowId, body: ClockRestartIn, principal: PrincipalDep, session: SessionDep) -> ApplicationOut:
    return views.detail(session, service.restart_clock(session, principal, app_id, body.outcome), reader=principal)


@router.post("/{app_id}/refer", response_model=ApplicationOut,
             summary="Senior officer: refer the case to the State Council; no decision deadline runs (DUR Art. 17)")
def refer(app_id: RowId, body: ReasonIn, principal: PrincipalDep, session: SessionDep) -> ApplicationOut:
    return views.detail(session, service.refer_to_state_council(session, principal, app_id, body.reason), reader=principal)


@router.post("/{app_id}/respond", response_model=ApplicationOut, summary="Exporter: answer a request for information")
def respond(app_id: RowId, body: RespondIn, principal: PrincipalDep, session: SessionDep) -> ApplicationOut:
    return views.detail(session, service.respond(session, principal, app_id, body.response), reader=principal)


@router.post("/{app_id}/recommend", response_model=ApplicationOut, summary="Officer: record a recommendation with reasons")
def recommend(app_id: RowId, body: RecommendIn, principal: PrincipalDep, session: SessionDep) -> ApplicationOut:
    return views.detail(session, service.recommend(session, principal, app_id, body.recommendation, body.reasons, body.conditions), reader=principal)


@router.post("/{app_id}/decide", response_model=ApplicationOut, summary="Senior officer: approve, approve with conditions, or refuse")
def decide(app_id: RowId, body: DecideIn, principal: PrincipalDep, session: SessionDep) -> ApplicationOut:
    app, _licence = service.decide(session, principal, app_id, body.decision, body.reasons, body.conditions,
                                   special_approval=body.special_approval)
    return views.detail(session, app, reader=principal)


@router.post("/{app_id}/withdraw", response_model=ApplicationOut, summary="Exporter: withdraw the application")
def withdraw(app_id: RowId, body: ReasonIn, principal: PrincipalDep, session: SessionDep) -> ApplicationOut:
    return views.detail(session, service.withdraw(session, principal, app_id, body.reason), reader=principal)
