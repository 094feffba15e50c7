"""Short waits for the tests of a busy database: a lock or a slot that stays taken should
answer 503 in a fraction of a second, not after the production defaults."""

from __future__ import annotations

import pytest

from rarex.core.db import reset_engine
from rarex.core.settings import get_settings


@pytest.fixture
def short_waits(db, monkeypatch):
    """Lock, pool and admission waits of 0.3 s, on a fresh engine; restored afterwards."""
    for name in ("RAREX_DB_LOCK_TIMEOUT", "RAREX_DB_POOL_TIMEOUT", "RAREX_ADMISSION_TIMEOUT"):
        monkeypatch.setenv(name, "0.3")
    get_settings.cache_clear()
    reset_engine()
    yield get_settings()
    monkeypatch.undo()
    get_settings.cache_clear()
    reset_engine()
