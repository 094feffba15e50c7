"""Signed licence documents over HTTP: the PDF for those who may read the licence, the public
status check (no sign-in, rate-limited) and the authority's public keys."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response
from sqlalchemy.orm import Session

from rarex.core.authz import Principal
from rarex.documents import service
from rarex.documents.keys import Keyring
from rarex.documents.render import render
from rarex.documents.schemas import KeySetOut, PublicStatusOut
from rarex.web.deps import PrincipalDep, SessionDep
from rarex.web.ratelimit import verify_limit

LicenceNo = Annotated[str, Path(min_length=1, max_length=40, description="Licence number, e.g. CNDU-I2025-000001")]

router = APIRouter(tags=["documents"])


def pdf_response(session: Session, principal: Principal, number: str, version: int | None) -> Response:
    """The document as a PDF download, named for its licence, version and document number."""
    doc = service.document(session, principal, number, version)
    data = render(doc.content, key_id=doc.key_id, signature=doc.signature, qr_payload=service.qr_payload(doc))
    name = f"{number}-v{doc.licence_version}-{doc.doc_no}.pdf"
    return Response(data, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "private, no-store"})


@router.get("/api/v1/licences/{number}/document.pdf", response_class=Response,
            responses={200: {"content": {"application/pdf": {}}, "description": "the signed licence document"}},
            summary="The licence's signed document (PDF); ?version=N for an earlier version's latest document")
def document_pdf(number: LicenceNo, principal: PrincipalDep, session: SessionDep,
                 version: Annotated[int | None, Query(ge=1, le=100000)] = None) -> Response:
    return pdf_response(session, principal, number, version)


@router.get("/api/v1/verify/{number}", response_model=PublicStatusOut, dependencies=[Depends(verify_limit)],
            summary="Public check of a licence: status, version, validity, remaining per line (no sign-in)")
def verify(number: LicenceNo, session: SessionDep) -> PublicStatusOut:
    s = service.public_status(session, number)
    return PublicStatusOut.model_validate(s, from_attributes=True)


@router.get("/.well-known/rarex-keys.json", response_model=KeySetOut,
            summary="The licensing authority's public keys (Ed25519), current and retired")
def keys() -> KeySetOut:
    return KeySetOut.model_validate(Keyring().published())
