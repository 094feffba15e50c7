"""A command against a database that was never migrated says so in one line, no traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from rarex.core.db import make_engine
from tests.conftest import PG_ADMIN_URL


def _rarex() -> Path:
    script = Path(sys.executable).parent / "rarex"
    if not script.exists():
        pytest.skip("the rarex console script is not installed next to this Python")
    return script


def _run(url: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "RAREX_DATABASE_URL": url}
    return subprocess.run([str(_rarex()), *args], capture_output=True, text=True, env=env, timeout=60)


def _one_line(proc: subprocess.CompletedProcess) -> None:
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr.strip() == "error: the database is not migrated; run `rarex db upgrade` first"
    assert "Traceback" not in proc.stderr and proc.stdout == ""


@pytest.mark.parametrize("args", [("orgs", "list"), ("users", "list", "--json"), ("audit", "verify")])
def test_sqlite_never_migrated(tmp_path, args):
    _one_line(_run(f"sqlite:///{tmp_path / 'fresh.db'}", *args))


def test_postgresql_never_migrated():
    if not PG_ADMIN_URL:
        pytest.skip("no PostgreSQL")
    prefix = os.environ.get("RAREX_TEST_DB_PREFIX", "rarex_test")
    name = f"{prefix}_unmigrated_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    admin = make_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    _one_line(_run(make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False), "orgs", "list"))


def test_a_migrated_database_still_shows_real_errors_as_before(cli, db):
    r = cli("orgs", "show", "999999")
    assert r.exit_code == 2 and "not migrated" not in r.stderr
