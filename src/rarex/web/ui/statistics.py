"""The statistics pages: ``/statistics`` for everyone (no sign-in; aggregates only, cells of
fewer than three exporters withheld) and ``/reports``, the internal dashboard for officers,
senior officers and auditors. Each figure is a server-rendered SVG chart with its table and
CSV / XLSX / Parquet downloads beside it, in the reader's language.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from markupsafe import Markup

from rarex.core.authz import allowed, require
from rarex.core.errors import NotFound
from rarex.policy.service import get_pack
from rarex.reports import charts, exports, service
from rarex.reports.figures import BY_KEY, PERCENT
from rarex.reports.suppression import PRIMARY
from rarex.web.deps import SessionDep
from rarex.web.i18n import gettext, request_locale
from rarex.web.ui.render import render
from rarex.web.ui.session import SignedInPrincipal
from rarex.web.ui.statistics_text import translator

router = APIRouter(include_in_schema=False)

DateText = Annotated[str, Query(alias="from", max_length=10)]
ToText = Annotated[str, Query(alias="to", max_length=10)]
Format = Literal["csv", "xlsx", "parquet"]


def _cell(value: Any, column: str, locale: str) -> str:
    if value is None:
        return ""
    if column in PERCENT:
        return f"{float(value) * 100:.1f}%"
    if isinstance(value, float | Decimal):
        return f"{value:,.0f}" if float(value).is_integer() or abs(float(value)) >= 100 else f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _key_label(figure_key: str, key: Any, locale: str) -> str:
    pack = get_pack()
    if key == "total":
        return gettext(locale, "Total")
    if figure_key == "applications_by_licence_type" and key in pack.licence_types:
        t = pack.licence_types[key]
        return t.label_zh if locale == "zh" else t.label_en
    if figure_key in ("applications_by_end_use",) and key in pack.end_use_categories:
        c = pack.end_use_categories[key]
        return c.label_zh if locale == "zh" else c.label_en
    if key == "__total__":
        return gettext(locale, "Total")
    return str(key)


def _view(data: service.FigureData, locale: str, base: str, query: str) -> dict[str, Any]:
    tr = translator(locale)
    fig = data.figure
    svg = charts.svg(data, tr, locale)
    cols = fig.columns
    rows = []
    for i, r in enumerate(data.rows[:fig.page_rows]):
        rows.append({"key": _key_label(fig.key, r.get("key", ""), locale),
                     "cells": [{"text": _cell(r.get(c), c, locale), "why": data.flags.get((i, c))} for c in cols]})
    total = None
    if data.total:
        total = {"key": gettext(locale, "Total"),
                 "cells": [{"text": _cell(data.total.get(c), c, locale), "why": data.flags.get((-1, c))} for c in cols]}
    return {
        "key": fig.key, "title": tr(f"title:{fig.key}"), "svg": Markup(svg) if svg else None,
        "key_heading": tr(fig.key_label) if fig.key_label else "",
        "headings": [tr(c) for c in cols], "rows": rows, "total": total,
        "more": max(0, len(data.rows) - fig.page_rows),
        "downloads": [(fmt.upper(), f"{base}/{fig.key}.{fmt}{query}") for fmt in exports.FORMATS],
    }


def _period(start: str, end: str) -> service.Period:
    return service.Period.parse(start or None, end or None, get_pack().today())


def _page(request: Request, figures: dict[str, service.FigureData], period: service.Period, *, public: bool) -> Response:
    locale = request_locale(request)
    base = "/statistics" if public else "/reports"
    query = f"?from={period.start.isoformat()}&to={period.end.isoformat()}"
    views = [_view(d, locale, base, query) for d in figures.values()]
    summary = None
    if "processing_summary" in figures and figures["processing_summary"].rows:
        summary = figures["processing_summary"].rows[0]
    return render(request, "ui/statistics/page.html", {
        "public": public, "figures": views, "period": period, "base": base, "summary": summary,
        "primary": PRIMARY,
        "can_import_prices": allowed(getattr(request.state, "principal", None), "prices.import"),
    })


@router.get("/statistics", name="statistics")
def public_page(request: Request, session: SessionDep, start: DateText = "", end: ToText = "") -> Response:
    period = _period(start, end)
    return _page(request, service.public_statistics(session, period), period, public=True)


@router.get("/statistics/{key}.{fmt}", name="statistics_download")
def public_download(key: str, fmt: Format, session: SessionDep, start: DateText = "", end: ToText = "") -> Response:
    figure = BY_KEY.get(key)
    if figure is None or not figure.public:
        raise NotFound(f"no published figure {key!r}")
    period = _period(start, end)
    data = service.public_statistics(session, period, keys=[key])[key]
    return _file(data, fmt, period)


@router.get("/reports", name="reports")
def dashboard(request: Request, principal: SignedInPrincipal, session: SessionDep, start: DateText = "",
              end: ToText = "") -> Response:
    require(principal, "reports.read")
    period = _period(start, end)
    return _page(request, service.dashboard(session, principal, period), period, public=False)


@router.get("/reports/{key}.{fmt}", name="reports_download")
def dashboard_download(key: str, fmt: Format, principal: SignedInPrincipal, session: SessionDep, start: DateText = "",
                       end: ToText = "") -> Response:
    require(principal, "reports.read")
    if key not in BY_KEY:
        raise NotFound(f"no figure {key!r}")
    period = _period(start, end)
    data = service.dashboard(session, principal, period, keys=[key])[key]
    return _file(data, fmt, period)


def _file(data: service.FigureData, fmt: str, period: service.Period) -> Response:
    name = f"{data.figure.key}_{period.start.isoformat()}_{period.end.isoformat()}.{fmt}"
    return Response(exports.to_bytes(data, fmt), media_type=exports.FORMATS[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
