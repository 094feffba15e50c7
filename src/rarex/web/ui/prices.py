"""The price series import page for administrators and officers: the same checks and the same
writer as ``rarex reports prices import`` (reports/prices.py). A price file is small, so it is
imported while the page waits: every bad row is listed with its row number, column and reason
and nothing is written, or the counts of new, corrected and already-held prices are shown."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import func, select

from rarex.core.authz import Principal, require
from rarex.core.db import unit_of_work
from rarex.reports import prices
from rarex.reports.models import PricePoint
from rarex.web.deps import SessionDep
from rarex.web.i18n import gettext, request_locale
from rarex.web.ui.render import render
from rarex.web.ui.session import SignedInPrincipal
from rarex.web.ui.upload_form import UploadRefused, save_upload, upload_post

router = APIRouter(include_in_schema=False)


def _page(request: Request, session, *, errors: dict[str, str] | None = None, rows: list[Any] | None = None,
          result: prices.ImportResult | None = None, status: int = 200) -> Response:
    held = session.execute(select(PricePoint.product, PricePoint.currency, PricePoint.unit, func.count(),
                                  func.min(PricePoint.priced_on), func.max(PricePoint.priced_on))
                           .group_by(PricePoint.product, PricePoint.currency, PricePoint.unit)
                           .order_by(PricePoint.product)).all()
    return render(request, "ui/statistics/prices.html", {
        "errors": errors or {}, "row_errors": rows or [], "result": result, "columns": prices.COLUMNS, "held": held,
    }, status=status)


@router.get("/reports/prices", name="prices_import")
def prices_page(request: Request, principal: SignedInPrincipal, session: SessionDep) -> Response:
    require(principal, "prices.import")
    return _page(request, session)


@router.post("/reports/prices")
async def prices_upload(request: Request) -> Response:
    principal, form = await upload_post(request)
    require(principal, "prices.import")
    locale = request_locale(request)
    try:
        saved = await save_upload(locale, form.get("file"), (".csv", ".xlsx"))
    except UploadRefused as exc:
        return _refused(request, principal, {"file": exc.message}, None, exc.status)
    try:
        content = saved.path.read_bytes()
        try:
            _, row_errors = prices.parse(saved.name, content)
        except prices.PriceFileInvalid as exc:
            return _refused(request, principal, {"file": exc.detail}, None, 400)
        if row_errors:
            message = gettext(locale, "Rows with errors: %(n)s. Nothing was imported; the table below says what to fix.",
                              n=len(row_errors))
            return _refused(request, principal, {"file": message}, row_errors, 400)
        with unit_of_work() as session:
            result = prices.import_file(session, principal, saved.name, content)
        with unit_of_work(readonly=True) as session:
            return _page(request, session, result=result)
    finally:
        saved.discard()


def _refused(request: Request, principal: Principal, errors: dict[str, str], rows: list[Any] | None,
             status: int) -> Response:
    with unit_of_work(readonly=True) as session:
        return _page(request, session, errors=errors, rows=rows, status=status)
