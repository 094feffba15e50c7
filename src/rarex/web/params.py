"""Path and query parameters shared by the routers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

from rarex.core.db import MAX_ROW_ID

#: A row id in a path: out-of-range numbers are a 422, not a database error.
RowId = Annotated[int, Path(ge=1, le=MAX_ROW_ID, description="Numeric id")]
#: An optional organisation filter in a query string.
OrgFilter = Annotated[int | None, Query(ge=1, le=MAX_ROW_ID, description="Only this organisation's rows")]
