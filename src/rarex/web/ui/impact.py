"""The officer's page for a draft amendment of the pack: paste or upload the draft, pick a date,
and see which pending cases, usable licences and recent shipments it touches, grouped by how.

The same service as ``POST /api/v1/policy/impact`` and ``rarex policy impact``; the draft's
errors (file, line, field) are shown beside the draft field. Nothing is stored: the form posts
the draft and the page answers with the report.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from rarex.core.authz import require
from rarex.impact.schemas import EFFECT_ORDER
from rarex.impact.service import DEFAULT_WINDOW_DAYS, MAX_DRAFT_BYTES, draft_impact
from rarex.policy.loader import PackError
from rarex.policy.service import get_pack
from rarex.web.deps import SessionDep
from rarex.web.i18n import gettext, request_locale
from rarex.web.ui.render import render
from rarex.web.ui.session import CSRF_FIELD, SignedInPrincipal, check_csrf

router = APIRouter(include_in_schema=False)


def _page(request: Request, form: dict[str, str], errors: dict[str, str], draft_errors: list[str],
          report: Any = None, status: int = 200) -> Response:
    groups = []
    if report is not None:
        for effect in EFFECT_ORDER:
            rows = [r for r in report.rows if effect in r.effects]
            if rows:
                groups.append({"effect": effect.value, "counts": report.counts[effect.value], "rows": rows})
    return render(request, "ui/officer/impact.html", {
        "form": form, "errors": errors, "draft_errors": draft_errors, "report": report, "groups": groups,
        "max_kib": MAX_DRAFT_BYTES // 1024, "default_window": DEFAULT_WINDOW_DAYS,
    }, status=status)


@router.get("/policy/impact", name="policy_impact")
def impact_form(request: Request, principal: SignedInPrincipal) -> Response:
    require(principal, "policy.impact")
    return _page(request, {"draft": "", "on": "", "window_days": str(DEFAULT_WINDOW_DAYS)}, {}, [])


@router.post("/policy/impact")
async def impact_report(request: Request, principal: SignedInPrincipal, session: SessionDep) -> Response:
    data = await request.form()
    check_csrf(request, data.get(CSRF_FIELD))
    require(principal, "policy.impact")
    locale = request_locale(request)
    form = {k: str(data.get(k) or "")[:20].strip() for k in ("on", "window_days")}
    text = str(data.get("draft") or "")
    name = "draft.yaml"
    errors: dict[str, str] = {}
    upload = data.get("draft_file")
    if isinstance(upload, UploadFile) and upload.filename:
        raw = await upload.read(MAX_DRAFT_BYTES + 1)
        try:
            text, name = raw.decode("utf-8"), upload.filename.rsplit("/", 1)[-1][:100] or name
        except UnicodeDecodeError:
            errors["draft_file"] = gettext(locale, "The file is not UTF-8 text.")
    form["draft"] = text[:MAX_DRAFT_BYTES + 1]
    if len(text.encode("utf-8")) > MAX_DRAFT_BYTES:
        errors["draft"] = gettext(locale, "The draft is larger than %(kib)s KiB; a draft amendment is a short file.",
                                  kib=MAX_DRAFT_BYTES // 1024)
    elif not text.strip() and "draft_file" not in errors:
        errors["draft"] = gettext(locale, "Paste the draft or choose its file.")
    on: dt.date | None = None
    if form["on"]:
        try:
            on = dt.date.fromisoformat(form["on"])
        except ValueError:
            errors["on"] = gettext(locale, "Enter a date such as 2026-01-31.")
    window = int(form["window_days"]) if form["window_days"].isdigit() else 0
    if not 1 <= window <= 3660:
        errors["window_days"] = gettext(locale, "Enter a number of days from 1 to 3660.")
    if errors:
        return _page(request, form, errors, [], status=400)
    try:
        report = draft_impact(session, principal, get_pack(), name, text, on, window_days=window)
    except PackError as exc:
        return _page(request, form, {"draft": gettext(locale, "The draft has errors; each names its line and field.")},
                     exc.errors, status=400)
    return _page(request, form, {}, [], report)
