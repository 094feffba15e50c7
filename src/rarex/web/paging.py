"""Paging for list endpoints (``limit``/``cursor``): the query parameters every list takes, and
opaque cursors (the last id seen, base64-encoded).

An endpoint asks its service for ``limit + 1`` rows after ``decode_cursor(cursor)``; the extra
row only tells that there is a next page, whose cursor :func:`next_cursor` gives.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from typing import Annotated

from fastapi import Query

from rarex.core.db import MAX_ROW_ID
from rarex.core.errors import InvalidInput

Limit = Annotated[int, Query(ge=1, le=500, description="Page size")]
Cursor = Annotated[str | None, Query(max_length=200, description="next_cursor of the previous page")]


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"id:{last_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        prefix, value = raw.split(":", 1)
        # ASCII digits only, and no larger than any id can be: otherwise a 500, not this 422.
        if prefix != "id" or not (value.isascii() and value.isdigit()) or int(value) > MAX_ROW_ID:
            raise ValueError
        return int(value)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise InvalidInput("cursor is not one this API issued; use next_cursor from the previous page", field="cursor") from None


def next_cursor(rows: Sequence, limit: int) -> str | None:
    """The cursor of the page after ``rows[:limit]``, if ``rows`` (fetched with ``limit + 1``)
    show there is one."""
    return encode_cursor(rows[limit - 1].id) if len(rows) > limit else None
