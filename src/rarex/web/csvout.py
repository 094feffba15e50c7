"""CSV export of list endpoints (``format=csv``): the same rows as the JSON, flattened."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from fastapi.responses import Response
from pydantic import BaseModel


def csv_response(rows: Sequence[BaseModel], filename: str, model: type[BaseModel] | None = None) -> Response:
    fields = list((model or (type(rows[0]) if rows else BaseModel)).model_fields)
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=fields, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("" if v is None else v) for k, v in row.model_dump(mode="json").items()})
    return Response(
        buf.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
