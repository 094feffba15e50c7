"""CSV export of list endpoints (``format=csv``): the same rows as the JSON, flattened.

Cells that a spreadsheet would run as a formula (starting with = + - @ or a control
character) get a leading apostrophe: names and descriptions come from exporters, and officers
open these files in spreadsheets.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from fastapi.responses import Response
from pydantic import BaseModel

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_text(rows: Sequence[BaseModel], model: type[BaseModel]) -> str:
    fields = list(model.model_fields)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(fields)
    for row in rows:
        data = row.model_dump(mode="json")
        writer.writerow([cell(data.get(f)) for f in fields])
    return buf.getvalue()


def csv_response(rows: Sequence[BaseModel], filename: str, model: type[BaseModel], headers: dict | None = None) -> Response:
    return Response(
        csv_text(rows, model),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"', **(headers or {})},
    )
