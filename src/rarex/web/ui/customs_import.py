"""The customs desk's import of a declarations file: the same file and the same importer as
``rarex shipments import`` (shipments/importer.py), with a result for every row.

The file is checked as a whole before anything happens (name, size, UTF-8, the header's
columns): a file that fails is refused beside the field and nothing is written. A good file
is imported in the background (rarex.web.jobs) because a file of many declarations takes a
while: each declaration in its own transaction, as the CLI does, so a refused declaration
never stops the others and a second import of the same file draws nothing twice. The page
shows the progress, then each row recorded, refused with its reason in the officer's language,
or already recorded; the totals; and the rows as CSV.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel
from sqlalchemy.orm import Session

from rarex.core import jobs
from rarex.core.authz import Principal, require
from rarex.core.db import MAX_ROW_ID, unit_of_work
from rarex.core.errors import Problem
from rarex.shipments import importer
from rarex.web import jobs as runner
from rarex.web.csvout import csv_response
from rarex.web.deps import SessionDep
from rarex.web.i18n import gettext, label, request_locale
from rarex.web.ui.job_pages import job_context, progress_fragment
from rarex.web.ui.render import render
from rarex.web.ui.session import SignedInPrincipal
from rarex.web.ui.upload_form import UploadRefused, save_upload, upload_post

router = APIRouter(include_in_schema=False)

KIND = "customs-declarations"
JobId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]
PAGE = 50
OUTCOMES = ("recorded", "refused", "already")
SORTS = {"row": lambda r: r["row"], "declaration": lambda r: (r["declaration"], r["row"]),
         "result": lambda r: (OUTCOMES.index(r["outcome"]), r["row"])}


def _form_page(request: Request, session: Session, principal: Principal, errors: dict[str, str],
               status: int = 200) -> Response:
    recent = jobs.recent(session, KIND, owner_id=principal.user_id)
    return render(request, "ui/customs/import.html", {
        "errors": errors, "columns": importer.COLUMNS, "recent": [(j, jobs.state(j)) for j in recent],
    }, status=status)


@router.get("/customs/import", name="customs_import")
def import_page(request: Request, principal: SignedInPrincipal, session: SessionDep) -> Response:
    require(principal, "shipment.record")
    return _form_page(request, session, principal, {})


def file_problem(locale: str, exc: Problem) -> str:
    """Why the file as a whole cannot be imported, in the page's language."""
    reason = exc.extra.get("reason")
    if reason == "not-utf8":
        return gettext(locale, "The file is not UTF-8 text. Save it from the spreadsheet as \"CSV UTF-8\".")
    if reason == "empty":
        return gettext(locale, "The file is empty: its first row must name the columns %(columns)s.",
                       columns=",".join(importer.COLUMNS))
    if reason == "header":
        return gettext(locale, "The first row must name exactly the columns %(columns)s (missing: %(missing)s; "
                               "unknown: %(unknown)s).", columns=",".join(importer.COLUMNS),
                       missing=",".join(exc.extra.get("missing", [])) or "—",
                       unknown=",".join(exc.extra.get("unknown", [])) or "—")
    if reason == "too-many-rows":
        return gettext(locale, "The file has more than %(limit)s rows: split it.", limit=exc.extra.get("limit"))
    if reason in ("not-csv", "too-large"):
        return gettext(locale, "Choose a file ending in %(endings)s.", endings=".csv")
    raise exc


@router.post("/customs/import")
async def upload(request: Request) -> Response:
    principal, form = await upload_post(request)
    require(principal, "shipment.record")
    locale = request_locale(request)
    try:
        saved = await save_upload(locale, form.get("file"), (".csv",))
    except UploadRefused as exc:
        return _refused(request, principal, exc.message, exc.status)
    try:
        importer.read_groups(saved.path)  # the file as a whole, before anything is written
    except Problem as exc:
        saved.discard()
        return _refused(request, principal, file_problem(locale, exc), 400)
    job_id = jobs.create(principal, kind=KIND, filename=saved.name, size=saved.size)

    def work(progress: jobs.Reporter) -> dict[str, Any]:
        return _result(importer.run(saved.path, principal, progress))

    runner.start(job_id, work, saved.dir)
    return RedirectResponse(f"/customs/imports/{job_id}", status_code=303)


def _refused(request: Request, principal: Principal, message: str, status: int) -> Response:
    with unit_of_work(readonly=True) as session:
        return _form_page(request, session, principal, {"file": message}, status=status)


def _result(result: importer.ImportResult) -> dict[str, Any]:
    return {"rows": result.rows, "declarations": result.declarations, "recorded": result.recorded,
            "already": result.already_recorded, "rejected": result.rejected, "rows_of": result.rows_of,
            "rejections": [{"row": r.row, "declaration": r.declaration, "reason": r.reason, "code": r.code,
                            "params": r.params} for r in result.rejections]}


def row_results(locale: str, result: dict[str, Any]) -> list[dict[str, Any]]:
    """One entry per row of the file: recorded, refused (with its reason) or already recorded."""
    rows: list[dict[str, Any]] = []
    for outcome, key in (("recorded", "recorded"), ("already", "already")):
        for declaration in result[key]:
            rows += [{"row": n, "declaration": declaration, "outcome": outcome, "reason": "", "detail": ""}
                     for n in result["rows_of"].get(declaration, [])]
    for r in result["rejections"]:
        rows.append({"row": r["row"], "declaration": r["declaration"], "outcome": "refused",
                     "reason": refusal(locale, r["code"], r["params"], r["reason"]), "detail": r["reason"]})
    return sorted(rows, key=lambda r: r["row"])


def refusal(locale: str, code: str, p: dict[str, Any], detail: str) -> str:
    """A refused row's reason in the page's language, as precise as the importer or service gave it."""
    field = str(p.get("field", ""))
    if code == "quantity-exceeded":
        return " ".join(gettext(locale, "%(requested)s %(unit)s is more than the %(remaining)s %(unit)s that remain on licence "
                                  "line %(line)s.", requested=o["requested"], unit=o["unit"], remaining=o["remaining"],
                          line=o["licence_line"]) for o in p.get("lines", []))
    if code == "invalid-input" and field == "date":
        return gettext(locale, "The date is outside the licence's validity (%(start)s to %(end)s).",
                 start=p.get("valid_from", ""), end=p.get("valid_to", ""))
    if code == "invalid-input" and field.endswith(".item"):
        return gettext(locale, "Item %(item)s is not on licence %(licence)s.", item=p.get("item", ""), licence=p.get("licence", ""))
    if code == "invalid-input" and field.endswith(".end_user"):
        return gettext(locale, "End user %(end_user)s is not licensed for item %(item)s on licence %(licence)s.",
                 end_user=p.get("end_user", ""), item=p.get("item", ""), licence=p.get("licence", ""))
    if code == "invalid-input" and field.endswith(".unit"):
        return gettext(locale, "The unit %(unit)s cannot be drawn on this licence line.", unit=p.get("unit", ""))
    if code == "invalid-input" and field.endswith(".quantity"):
        return gettext(locale, "Check the quantity %(quantity)s: a number above zero with at most 6 decimal places.",
                 quantity=p.get("quantity", ""))
    messages = {
        "declaration-empty": lambda: gettext(locale, "The declaration number is empty."),
        "licence-empty": lambda: gettext(locale, "The licence number is empty."),
        "extra-cells": lambda: gettext(locale, "The row has more cells than the %(n)s columns.", n=p.get("columns", "")),
        "rows-differ": lambda: gettext(locale, "Its %(column)s \"%(value)s\" differs from \"%(first)s\" on row %(row)s of the "
                                         "same declaration.", column=p.get("column", ""), value=p.get("value", ""),
                                 first=p.get("first", ""), row=p.get("first_row", "")),
        "bad-date": lambda: gettext(locale, "\"%(value)s\" is not a date (YYYY-MM-DD).", value=p.get("value", "")),
        "invalid": lambda: gettext(locale, "Check the value in column %(columns)s.", columns=", ".join(p.get("columns", [])) or "—"),
        "with-rejected-row": lambda: gettext(locale, "Not recorded: row %(row)s of the same declaration was refused.",
                                       row=p.get("row", "")),
        "not-found": lambda: gettext(locale, "There is no licence %(licence)s.", licence=p.get("licence", "")),
        "licence-not-usable": lambda: gettext(locale, "Licence %(licence)s is %(status)s: nothing can be drawn on it.",
                                        licence=p.get("licence", ""),
                                        status=label(locale, "licence_status", p.get("current_state", ""))),
        "prohibited": lambda: gettext(locale, "A prohibition covers this shipment (%(refs)s): it may not be exported.",
                                refs=", ".join(p.get("legal_refs", [])) or "—"),
        "declaration-conflict": lambda: (
            gettext(locale, "This declaration number was cancelled and cannot be used again.")
            if p.get("current_state") == "cancelled" else
            gettext(locale, "This declaration number was already recorded with other goods or on another licence.")),
        "conflict": lambda: gettext(locale, "This declaration was being recorded at the same moment by someone else; "
                                      "import the file again."),
    }
    return messages[code]() if code in messages else detail


class ResultRow(BaseModel):
    row: int
    declaration: str
    result: str
    reason: str
    detail: str


@router.get("/customs/imports/{job_id}", name="customs_import_result")
def result_page(request: Request, principal: SignedInPrincipal, session: SessionDep, job_id: JobId,
                show: Literal["all", "recorded", "refused", "already"] = "all",
                sort: Literal["row", "declaration", "result"] = "row",
                page: Annotated[int, Query(ge=1, le=100_000)] = 1,
                format: Literal["html", "csv"] = "html") -> Response:
    require(principal, "shipment.record")
    job = jobs.get(session, job_id, KIND)
    locale = request_locale(request)
    ctx = job_context(job, f"/customs/imports/{job.id}")
    rows = row_results(locale, job.result) if ctx["state"] == "done" and job.result else []
    shown = sorted((r for r in rows if show in ("all", r["outcome"])), key=SORTS[sort])
    if format == "csv":
        return csv_response([ResultRow(row=r["row"], declaration=r["declaration"], result=r["outcome"], reason=r["reason"],
                                       detail=r["detail"]) for r in shown], f"customs-import-{job.id}.csv", ResultRow)
    totals = {o: sum(1 for r in rows if r["outcome"] == o) for o in OUTCOMES}
    pages = max(1, -(-len(shown) // PAGE))
    page = min(page, pages)

    def query(**change: Any) -> str:
        return urlencode({"show": show, "sort": sort, "page": page} | change)

    ctx.update(rows=shown[(page - 1) * PAGE:page * PAGE], totals=totals, show=show, sort=sort, page=page, pages=pages,
               query=query, error=_job_error(locale, job))
    return render(request, "ui/customs/import_result.html", ctx)


def _job_error(locale: str, job: jobs.Job) -> str:
    if not job.error:
        return ""
    problem = Problem(job.error.get("detail", ""), **job.error.get("extra", {}))
    try:
        return file_problem(locale, problem)
    except Problem:
        return gettext(locale, "The import stopped before the end. The declarations recorded until then stay recorded; "
                               "import the file again to finish (nothing is drawn twice).")


@router.get("/customs/imports/{job_id}/progress", name="customs_import_progress")
def progress(request: Request, principal: SignedInPrincipal, session: SessionDep, job_id: JobId) -> Response:
    require(principal, "shipment.record")
    return progress_fragment(request, jobs.get(session, job_id, KIND), f"/customs/imports/{job_id}")
