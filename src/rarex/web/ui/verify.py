"""The public licence check (no sign-in): a form that takes a licence number or a scanned QR
code, and the result page of a number, which shows only what the public may learn (status,
current version, validity, what remains per line) and, for a QR code, whether it is authentic
and the latest. ``GET /verify/{number}`` answers JSON to a client that asks for it. Also the
signed document's download from the licence page (holder and officers)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from rarex.core.errors import NotFound
from rarex.documents import service
from rarex.documents.api import pdf_response
from rarex.documents.keys import Keyring
from rarex.documents.schemas import PublicStatusOut
from rarex.documents.verify import Verdict, compare_latest, verify_qr
from rarex.web.deps import SessionDep
from rarex.web.i18n import gettext, request_locale
from rarex.web.ratelimit import verify_limit
from rarex.web.ui.render import render
from rarex.web.ui.session import SignedInPrincipal

router = APIRouter(include_in_schema=False)

Number = Annotated[str, Path(min_length=1, max_length=40)]
#: A QR payload is about 200 characters; anything much longer is not one.
Query_ = Annotated[str, Query(max_length=600)]


def _wants_json(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


@router.get("/verify", name="verify")
def verify_form(request: Request, session: SessionDep, q: Query_ = "",
                _: Annotated[None, Depends(verify_limit)] = None) -> Response:
    text = q.strip()
    if not text:
        errors = {"q": gettext(request_locale(request), "Enter a licence number or the text of its QR code")} if "q" in \
            request.query_params else {}
        return render(request, "ui/verify/form.html", {"q": q, "errors": errors}, status=400 if errors else 200)
    if not text.startswith("RXL1|"):
        return RedirectResponse(f"/verify/{quote(text, safe='')}", status_code=303)
    verdict = verify_qr(text, Keyring().public_keys())
    if not verdict.number or verdict.outcome == "unreadable":
        return render(request, "ui/verify/form.html", {"q": q, "errors": {"q": gettext(
            request_locale(request), "This is not the QR code of a rarex licence")}}, status=400)
    return _result(request, session, verdict.number, verdict)


def _result(request: Request, session, number: str, verdict: Verdict | None) -> Response:
    try:
        status = service.public_status(session, number)
    except NotFound:
        return render(request, "ui/verify/result.html", {"number": number, "status": None, "verdict": verdict}, status=404)
    if verdict is not None and verdict.ok:
        compare_latest(verdict, {"status": status.status, "version": status.version, "latest_document": status.latest_document,
                                 "latest_sha256": status.latest_sha256, "valid_from": str(status.valid_from),
                                 "valid_to": str(status.valid_to)})
    return render(request, "ui/verify/result.html", {"number": number, "status": status, "verdict": verdict})


@router.get("/verify/{number}", name="verify_number")
def verify_number(request: Request, session: SessionDep, number: Number,
                  _: Annotated[None, Depends(verify_limit)] = None) -> Response:
    if _wants_json(request):
        out = PublicStatusOut.model_validate(service.public_status(session, number), from_attributes=True)
        return JSONResponse(out.model_dump(mode="json"))
    return _result(request, session, number, None)


@router.get("/licences/{number}/document.pdf", name="licence_document")
def licence_document(principal: SignedInPrincipal, session: SessionDep, number: Number,
                     version: Annotated[int | None, Query(ge=1, le=100000)] = None) -> Response:
    return pdf_response(session, principal, number, version)
