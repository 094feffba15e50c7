"""Restricted-party lists for the administrator: each list with its versions, a version's
entities (paged, searched, CSV), and the import of a new version with its progress.

Reading goes through screening/lists.py and the API's own views (screening/api.py), so the
page and ``/api/v1/screening/lists`` agree. An import runs ``rarex screening import``'s code
(list_import.import_list_staged: batches in short transactions, the version put in force only
when the whole file is in, the shrink guard) in the background (rarex.web.jobs), reporting the
bytes read, then the entities indexed, each count with its step; the page polls the progress
with htmx until the import ends, then shows the new
version with what it added, removed and changed. The administrator imports; the auditor reads.
Files beyond ``RAREX_MAX_UPLOAD_BYTES`` are the operator's, with the CLI.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel
from sqlalchemy.orm import Session

from rarex.core import jobs
from rarex.core.authz import Principal, require
from rarex.core.db import MAX_ROW_ID, unit_of_work
from rarex.core.errors import InvalidInput, Problem
from rarex.core.settings import get_settings
from rarex.screening import importers, list_import, lists
from rarex.screening.api import ListName, VersionNo, VersionOut, list_detail, list_out
from rarex.screening.importers import ImportFormat
from rarex.web import jobs as runner
from rarex.web.csvout import csv_response
from rarex.web.deps import SessionDep
from rarex.web.i18n import gettext, request_locale
from rarex.web.ui.job_pages import job_context, progress_fragment
from rarex.web.ui.render import render
from rarex.web.ui.session import SignedInPrincipal
from rarex.web.ui.upload_form import UploadRefused, save_upload, upload_post

router = APIRouter(include_in_schema=False)

KIND = "screening-list"
#: An import's steps (its job's phases), in order: the file read into a staged version, then
#: the version's search index built (as long again on a large list).
STEPS = ("reading", "indexing")
JobId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]
PAGE = 50
#: Rejected records a finished import keeps for its page (the version keeps up to 1000).
SHOWN_REJECTED = 50
ENDINGS = {ImportFormat.ftm: (".json", ".jsonl", ".ndjson"), ImportFormat.opensanctions_csv: (".csv",),
           ImportFormat.csv: (".csv", ".txt")}
ENCODINGS = ("utf-8", "gb18030")
FIELDS = ("list_name", "title", "format", "mapping", "separator", "encoding", "publisher", "published_on")


def _may_read(principal: Principal) -> None:
    require(principal, "screening.list.pages")
    require(principal, "screening.list.read")


def _may_import(principal: Principal) -> None:
    _may_read(principal)
    require(principal, "screening.list.import")


# --- reading ---------------------------------------------------------------------------------


@router.get("/admin/lists", name="admin_lists")
def lists_page(request: Request, principal: SignedInPrincipal, session: SessionDep,
               format: Literal["html", "csv"] = "html") -> Response:
    _may_read(principal)
    rows = [list_out(lst) for lst in lists.list_lists(session, principal)]
    if format == "csv":
        return csv_response([ListRow.of(r) for r in rows], "restricted-party-lists.csv", ListRow)
    recent = jobs.recent(session, KIND)
    return render(request, "ui/admin/lists.html", {
        "lists": rows, "recent": [job_context(j, f"/admin/lists/imports/{j.id}", STEPS) for j in recent],
        "can_import": _allowed_import(principal),
    })


def _allowed_import(principal: Principal) -> bool:
    try:
        _may_import(principal)
    except Problem:
        return False
    return True


class ListRow(BaseModel):
    name: str
    title: str
    versions: int
    newest_version: int | None
    entities: int | None
    imported_at: str

    @classmethod
    def of(cls, r) -> ListRow:
        return cls(name=r.name, title=r.title, versions=r.version_count, newest_version=r.latest.version if r.latest else None,
                   entities=r.latest.entry_count if r.latest else None,
                   imported_at=r.latest.imported_at.isoformat() if r.latest else "")


# Before /admin/lists/{name}, which would take "import" for a list's name.
@router.get("/admin/lists/import", name="admin_list_import")
def import_page(request: Request, principal: SignedInPrincipal, session: SessionDep, list: str = "") -> Response:
    _may_import(principal)
    form = _blank()
    form["list_name"] = list[:lists.MAX_NAME]
    return _form_page(request, session, form, {})


@router.get("/admin/lists/{name}", name="admin_list")
def list_page(request: Request, principal: SignedInPrincipal, session: SessionDep, name: ListName,
              format: Literal["html", "csv"] = "html") -> Response:
    _may_read(principal)
    detail = list_detail(lists.get_list(session, principal, name))
    versions = list(reversed(detail.versions))  # newest first
    if format == "csv":
        return csv_response(versions, f"{name}-versions.csv", VersionOut)
    return render(request, "ui/admin/list.html", {"list": detail, "versions": versions,
                                                   "can_import": _allowed_import(principal)})


class EntityRow(BaseModel):
    entity_id: str
    schema_: str
    name: str
    aliases: str
    countries: str
    programs: str
    identifiers: str
    addresses: str
    listed_on: str


@router.get("/admin/lists/{name}/versions/{version}", name="admin_list_version")
def version_page(request: Request, principal: SignedInPrincipal, session: SessionDep, name: ListName, version: VersionNo,
                 q: Annotated[str, Query(max_length=200)] = "", sort: Literal["file", "name"] = "file",
                 page: Annotated[int, Query(ge=1, le=1_000_000)] = 1, format: Literal["html", "csv"] = "html") -> Response:
    _may_read(principal)
    found = lists.get_version(session, principal, name, version)
    q = q.strip()
    if format == "csv":
        rows, _ = lists.search_entities(session, found.id, query=q, by_name=sort == "name", limit=100_000)
        return csv_response([EntityRow(entity_id=e.entity_id, schema_=e.schema, name=e.name, aliases="; ".join(e.aliases),
                                       countries="; ".join(e.countries), programs="; ".join(e.programs),
                                       identifiers="; ".join(e.identifiers), addresses="; ".join(e.addresses),
                                       listed_on=e.listed_on.isoformat() if e.listed_on else "") for e in rows],
                            f"{name}-v{version}.csv", EntityRow)
    entities, total = lists.search_entities(session, found.id, query=q, by_name=sort == "name",
                                            offset=(page - 1) * PAGE, limit=PAGE)
    pages = max(1, -(-total // PAGE))

    def query(**change: Any) -> str:
        return urlencode({"q": q, "sort": sort, "page": page} | change)

    return render(request, "ui/admin/list_version.html", {
        "name": name, "list_version": found, "entities": entities, "total": total, "q": q, "sort": sort, "page": page,
        "pages": pages, "query": query,
    })


# --- importing -------------------------------------------------------------------------------


def _blank() -> dict[str, str]:
    return {"list_name": "", "title": "", "format": ImportFormat.ftm.value, "mapping": "", "separator": ";",
            "encoding": "utf-8", "publisher": "", "published_on": "", "allow_shrink": ""}


def _form_page(request: Request, session: Session, form: dict[str, str], errors: dict[str, str],
               status: int = 200) -> Response:
    names = [lst.name for lst in lists.list_lists(session, request.state.principal)]
    return render(request, "ui/admin/list_import.html", {
        "form": form, "errors": errors, "names": names, "formats": [f.value for f in ImportFormat],
        "encodings": ENCODINGS, "mappable": importers.MAPPABLE,
        "limit_mb": round(get_settings().max_upload_bytes / 1024 / 1024, 1),
        "shrink_limit": f"{get_settings().list_shrink_limit:.0%}",
    }, status=status)


def _options(locale: str, form: dict[str, str], errors: dict[str, str]) -> dict[str, Any]:
    """The import's options from the form, each problem beside its field."""
    opts: dict[str, Any] = {}
    try:
        opts["list_name"] = lists.check_list_name(form["list_name"])
    except InvalidInput:
        errors["list_name"] = gettext(locale, "Use lower-case letters, digits and single hyphens, such as "
                                              "cn-unreliable-entity-list.")
    if form["format"] not in {f.value for f in ImportFormat}:
        errors["format"] = gettext(locale, "Choose the file's format.")
    else:
        opts["format"] = ImportFormat(form["format"])
    if form["format"] == ImportFormat.csv.value:
        try:
            opts["mapping"] = importers.parse_mapping(form["mapping"])
        except InvalidInput:
            errors["mapping"] = gettext(locale, "Write FIELD=COLUMN pairs separated by commas, naming at least entity_id "
                                                "and name, such as entity_id=序号,name=名称.")
        if not form["separator"]:
            errors["separator"] = gettext(locale, "Enter what separates several values in one cell, such as ;")
        opts["separator"] = form["separator"]
    elif form["mapping"]:
        errors["mapping"] = gettext(locale, "A column mapping applies to the csv format only: leave it empty.")
    if form["encoding"] not in ENCODINGS:
        errors["encoding"] = gettext(locale, "Choose the file's text encoding.")
    opts["encoding"] = form["encoding"]
    if form["published_on"]:
        try:
            opts["published_on"] = dt.date.fromisoformat(form["published_on"])
        except ValueError:
            errors["published_on"] = gettext(locale, "Enter the date as YYYY-MM-DD.")
    for key in ("title", "publisher"):
        if len(form[key]) > 300:
            errors[key] = gettext(locale, "At most 300 characters.")
    opts["title"] = form["title"] or None
    opts["publisher"] = form["publisher"]
    opts["allow_shrink"] = bool(form["allow_shrink"])
    return opts


def file_problem(locale: str, exc: Problem) -> str:
    """Why the list file cannot be read (importers.py says it in English), in the page's language."""
    detail = exc.detail
    if " is not " in detail and " text" in detail:
        return gettext(locale, "The file is not in the text encoding chosen: choose GB18030 for a Chinese "
                               "government list, or save the file as UTF-8.")
    if "no column" in detail or "header" in detail or "names" in detail and "more than once" in detail:
        return gettext(locale, "The file's first line does not name the columns this format needs (%(columns)s).",
                       columns="id, schema, name" if "id" in detail else "entity_id, name")
    if "is empty" in detail:
        return gettext(locale, "The file is empty.")
    return gettext(locale, "The file cannot be read in the format chosen.")


@router.post("/admin/lists/import")
async def upload(request: Request) -> Response:
    principal, data = await upload_post(request, max_fields=len(FIELDS) + 4)
    _may_import(principal)
    locale = request_locale(request)
    form = {k: str(data.get(k) or "")[:500].strip() for k in (*FIELDS, "allow_shrink")}
    form["separator"] = str(data.get("separator") or "")[:5]  # a space may be the separator
    errors: dict[str, str] = {}
    opts = _options(locale, form, errors)
    saved = None
    if not errors:
        try:
            saved = await save_upload(locale, data.get("file"), ENDINGS[opts["format"]])
        except UploadRefused as exc:
            errors["file"] = exc.message
    if saved is not None:
        try:
            _first_records(saved.path, opts)
        except Problem as exc:
            errors["file"] = file_problem(locale, exc)
    if errors:
        if saved is not None:
            saved.discard()
        with unit_of_work(readonly=True) as session:
            return _form_page(request, session, form, errors, status=400)
    assert saved is not None
    path = saved.path
    job_id = jobs.create(principal, kind=KIND, filename=saved.name, size=saved.size, subject=opts["list_name"])

    def work(progress: jobs.Reporter) -> dict[str, Any]:
        return _import(principal, path, opts, progress)

    runner.start(job_id, work, saved.dir)
    return RedirectResponse(f"/admin/lists/imports/{job_id}", status_code=303)


def _first_records(path, opts: dict[str, Any]) -> None:
    """Read the start of the file as the import will (header, encoding), before anything is written."""
    records = importers.parse(importers.Source(path), opts["format"], mapping=opts.get("mapping"),
                              separator=opts.get("separator", ";"), encoding=opts["encoding"])
    for n, _ in enumerate(records):
        if n >= 100:
            break


def _import(principal: Principal, path, opts: dict[str, Any], progress: jobs.Reporter) -> dict[str, Any]:
    name = opts["list_name"]
    res = list_import.import_list_staged(principal, path, progress=progress.step("reading"),
                                         index_progress=progress.step("indexing"), **opts)
    version = res.version.version if res.version is not None else None
    out: dict[str, Any] = {
        "list": name, "version": version, "unchanged": res.unchanged, "entries": res.entries, "dropped": res.dropped,
        "skipped": sum(res.skipped.values()), "rejected_count": len(res.rejected),
        "rejected": [r.as_dict() for r in res.rejected[:SHOWN_REJECTED]], "flagged": len(res.flagged),
        "added": res.entries, "removed": 0, "changed": 0,
    }
    if version is not None and not res.unchanged and version > 1:
        with unit_of_work(readonly=True) as session:
            old = lists.get_version(session, principal, name, version - 1)
            new = lists.get_version(session, principal, name, version)
            out.update(lists.version_changes(session, old.id, new.id))
    return out


@router.get("/admin/lists/imports/{job_id}", name="admin_list_import_result")
def import_result(request: Request, principal: SignedInPrincipal, session: SessionDep, job_id: JobId) -> Response:
    _may_read(principal)
    job = jobs.get(session, job_id, KIND)
    ctx = job_context(job, f"/admin/lists/imports/{job.id}", STEPS)
    ctx["error"] = _job_error(request_locale(request), job) if ctx["state"] == "failed" else ""
    ctx["list_url"] = f"/admin/lists/{quote(job.subject)}"
    return render(request, "ui/admin/list_import_result.html", ctx)


def _job_error(locale: str, job: jobs.Job) -> str:
    error = job.error or {}
    extra = error.get("extra", {})
    slug = error.get("slug")
    if slug == "list-shrinks":
        return gettext(locale, "The file would drop %(dropped)s of the %(current)s entities of version %(version)s, and at "
                               "most %(limit)s may go. Nothing was imported. If the list really shrank, import the file "
                               "again with \"The list really shrank\" ticked.",
                       dropped=extra.get("dropped_count"), current=extra.get("current_entries"),
                       version=extra.get("current_version"), limit=f"{extra.get('limit', 0):.0%}")
    if slug == "conflict":
        return gettext(locale, "Another import of this list was running. Nothing was imported; import the file again "
                               "when it has finished.")
    if slug in ("invalid-input", "unsupported-media-type"):
        return file_problem(locale, Problem(error.get("detail", "")))
    return gettext(locale, "The import stopped on an error. Nothing was imported.")


@router.get("/admin/lists/imports/{job_id}/progress", name="admin_list_import_progress")
def import_progress(request: Request, principal: SignedInPrincipal, session: SessionDep, job_id: JobId) -> Response:
    _may_read(principal)
    return progress_fragment(request, jobs.get(session, job_id, KIND), f"/admin/lists/imports/{job_id}", STEPS)
