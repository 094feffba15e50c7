"""Opaque cursors for list endpoints (``limit``/``cursor``): the last id seen, base64-encoded."""

from __future__ import annotations

import base64
import binascii

from rarex.core.db import MAX_ROW_ID
from rarex.core.errors import InvalidInput



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
