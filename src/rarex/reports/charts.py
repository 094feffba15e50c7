"""Charts as Vega-Lite (altair), rendered to SVG on the server by vl-convert: no script, no
network, the same picture on the page and in the report files.

Titles, axis titles and legends come translated from the caller's ``label(name)`` (a column's
heading, or ``title:<figure key>`` for a title); the font stack puts
Noto Sans CJK first so Chinese renders in the browser and in vl-convert's text measuring.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import altair as alt
import vl_convert

from rarex.reports.figures import PERCENT
from rarex.reports.service import FigureData

FONT = "Noto Sans CJK SC, Noto Sans SC, Noto Sans, DejaVu Sans, sans-serif"
#: One colour per measure on every chart, so "refused" is the same red everywhere.
COLOURS = {"received": "#1d70b8", "approved": "#00703c", "refused": "#d4351c", "withdrawn": "#6f777b",
           "licensed_kg": "#1d70b8", "shipped_kg": "#f47738", "median_working_days": "#1d70b8", "breaches": "#d4351c"}
WIDTH = 640
HEIGHT = 260


def spec(data: FigureData, tr: Callable[[str], str]) -> dict[str, Any] | None:
    """The figure's Vega-Lite spec, or None when it has no chart or nothing to draw."""
    chart = data.figure.chart
    if chart is None or not data.rows:
        return None
    x_title = tr(data.figure.key_label)
    rows = [r for r in data.rows if r["key"] != "__total__" and r.get(chart.color or "key") != "__total__"]
    values = []
    for row in rows:
        for col in chart.y:
            if row.get(col) is None:
                continue
            values.append({"x": str(row["key"]), "y": float(row[col]), "series": _series(row, col, chart.color, tr)})
    percent = any(c in PERCENT for c in chart.y)
    y_title = tr(chart.y[0]) if len(chart.y) == 1 else ""
    x = alt.X("x:N", title=x_title, sort="-y" if chart.x_category else "ascending", axis=alt.Axis(labelAngle=-40))
    y = alt.Y("y:Q", title=y_title, axis=alt.Axis(format=".0%" if percent else "~s"))
    series_title = tr(chart.color) if chart.color else ""
    if chart.color is None:
        scale = alt.Scale(domain=[tr(c) for c in chart.y], range=[COLOURS.get(c, "#1d70b8") for c in chart.y])
    else:
        scale = alt.Scale(scheme="tableau10")
    color = alt.Color("series:N", title=series_title, legend=alt.Legend(orient="bottom"), scale=scale)
    base = alt.Chart(alt.Data(values=values))
    if chart.mark == "line":
        layer: alt.Chart = base.mark_line(point=True).encode(x=x, y=y, color=color)
    else:
        layer = base.mark_bar().encode(x=x, y=y, color=color, xOffset="series:N")
    top: Any = layer
    if data.figure.key == "prices_by_month":
        # Shipped volume as bars on its own scale behind the price lines.
        volumes = [{"x": str(r["key"]), "kg": float(r["shipped_kg"])} for r in _unique_months(rows)
                   if r.get("shipped_kg") is not None]
        bars = alt.Chart(alt.Data(values=volumes)).mark_bar(opacity=0.3, color="#7a8b99").encode(
            x=alt.X("x:N", title=x_title), y=alt.Y("kg:Q", title=tr("shipped_kg"), axis=alt.Axis(format="~s")))
        top = alt.layer(bars, layer).resolve_scale(y="independent")
    out = top.properties(title=tr(f"title:{data.figure.key}"), width=WIDTH, height=HEIGHT).configure(
        font=FONT, background="white").configure_view(stroke=None)
    return out.to_dict()


def _series(row: dict, col: str, color: str | None, tr: Callable[[str], str]) -> str:
    if color is None:
        return tr(col)
    if color == "product":  # prices: the same product may be quoted per kg and per t
        return f"{row['product']} ({row['currency']}/{row['unit']})"
    return str(row[color])


def _unique_months(rows: list[dict]) -> list[dict]:
    seen: dict[str, dict] = {}
    for r in rows:
        seen.setdefault(str(r["key"]), r)
    return list(seen.values())


def svg(data: FigureData, tr: Callable[[str], str], locale: str = "") -> str | None:
    """The chart as an SVG document, or None without a chart; kept beside the figure's answer
    (per language) while its extract stands, since rendering costs tens of milliseconds."""
    key = ("svg", *data.memo_key, locale)
    if locale and key in data.memo:
        return data.memo[key]
    s = spec(data, tr)
    out = vl_convert.vegalite_to_svg(s) if s else None
    if locale:
        data.memo[key] = out
    return out
