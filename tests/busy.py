"""A busy database, arranged: another writer holding the lock, and short waits.

"Another writer holds the lock" is, on SQLite, a second connection in BEGIN IMMEDIATE; on
PostgreSQL, one in a transaction holding the written tables in EXCLUSIVE mode (plain reads
pass, writers and FOR UPDATE wait): the same thing SQLite's write lock is.
"""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager

import pytest

from rarex.core.db import get_engine, reset_engine
from rarex.core.settings import get_settings

LOCKED_TABLES = ["users", "api_tokens", "licences", "licence_lines", "shipments", "audit_events", "audit_heads",
                 "audit_checkpoints"]


@contextmanager
def writer_holding_the_lock():
    engine = get_engine()
    if engine.dialect.name == "sqlite":
        conn = sqlite3.connect(engine.url.database, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            conn.execute("ROLLBACK")
            conn.close()
    else:
        with engine.connect() as conn:
            conn.exec_driver_sql("LOCK TABLE " + ", ".join(LOCKED_TABLES) + " IN EXCLUSIVE MODE")
            try:
                yield
            finally:
                conn.rollback()


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
