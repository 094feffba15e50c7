"""Short waits for the tests of a busy database (see tests/busy.py)."""

from tests.busy import short_waits

__all__ = ["short_waits"]
