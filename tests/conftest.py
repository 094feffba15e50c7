"""Test fixtures: every database test runs on SQLite and, when reachable, on PostgreSQL.

The schema is built from the Alembic migrations (never ``create_all``), once per backend per
run; each test then starts from empty tables. With ``CI=true`` a missing PostgreSQL or Chromium
is a failure, not a skip.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from rarex.core import migrate
from rarex.core.authz import Role
from rarex.core.db import get_engine, make_engine, reset_engine
from rarex.core.models import metadata
from rarex.core.settings import get_settings
from rarex.users.service import issue_token
from tests.factories import make_org, make_user

# New password hashes use argon2's cheapest parameters in tests only (the production default
# is RFC 9106; tests/users check that). Verification reads the parameters from each hash.
os.environ.setdefault("RAREX_PASSWORD_HASHING", "cheapest")

CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
CHROMIUM = os.environ.get("RAREX_CHROMIUM", "/usr/bin/chromium")


def _pg_admin_url() -> str | None:
    url = os.environ.get("RAREX_TEST_DATABASE_URL")
    if url:
        return url
    try:
        eng = create_engine(DEFAULT_PG, connect_args={"connect_timeout": 3})
        with eng.connect():
            pass
        eng.dispose()
        return DEFAULT_PG
    except Exception:
        return None


def _pg_test_url(admin_url: str) -> str:
    """A database of the suite's own beside the given one, so a run never touches real data."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    # RAREX_TEST_DB_PREFIX keeps concurrent runs on one server (two checkouts) apart.
    name = f"{os.environ.get('RAREX_TEST_DB_PREFIX', 'rarex_test')}_{worker}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first():
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


PG_ADMIN_URL = _pg_admin_url()
BACKENDS = ["sqlite"] + (["postgresql"] if PG_ADMIN_URL else [])


def pytest_configure(config):
    if CI and not PG_ADMIN_URL:
        raise pytest.UsageError("CI=true but PostgreSQL is not reachable (set RAREX_TEST_DATABASE_URL or start it on 127.0.0.1:5432)")
    if CI and not shutil.which(CHROMIUM):
        raise pytest.UsageError(f"CI=true but Chromium is not at {CHROMIUM}")


def _wipe(engine) -> None:
    tables = [t.name for t in reversed(metadata.sorted_tables)]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))
        else:
            # applications and licences name each other (a licence's application; the licence an
            # application replaces), so no table order deletes row by row: check keys at commit.
            conn.execute(text("PRAGMA defer_foreign_keys = ON"))
            for t in tables:
                conn.execute(text(f'DELETE FROM "{t}"'))
            if conn.execute(text("SELECT 1 FROM sqlite_master WHERE name='sqlite_sequence'")).first():
                conn.execute(text("DELETE FROM sqlite_sequence"))


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request, tmp_path_factory) -> Iterator[str]:
    """Point rarex at a freshly migrated database of one backend for the tests that follow."""
    data_dir = tmp_path_factory.mktemp(f"data-{request.param}")
    if request.param == "sqlite":
        url = f"sqlite:///{data_dir / 'rarex.db'}"
    else:
        url = _pg_test_url(PG_ADMIN_URL)
        eng = make_engine(url)
        with eng.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        eng.dispose()
    os.environ["RAREX_DATABASE_URL"] = url
    os.environ["RAREX_DATA_DIR"] = str(data_dir)
    get_settings.cache_clear()
    reset_engine()
    migrate.upgrade(get_engine())
    yield request.param
    reset_engine()


@pytest.fixture
def db(backend) -> Iterator[str]:
    """Empty tables before the test; yields the backend name."""
    _wipe(get_engine())
    yield backend


@pytest.fixture
def session(db):
    """A session for arranging and inspecting data, in autocommit mode.

    Each statement is its own transaction, so the test never holds SQLite's write lock while
    the app under test writes, and every query sees what the app committed. Call
    ``session.expire_all()`` before re-reading ORM objects the app may have changed.
    """
    s = Session(bind=get_engine().execution_options(isolation_level="AUTOCOMMIT"), expire_on_commit=False)
    try:
        yield s
    finally:
        s.rollback()
        s.close()


@pytest.fixture
def client(db):
    from fastapi.testclient import TestClient

    from rarex.web.app import create_app

    with TestClient(create_app(run_startup_jobs=False), raise_server_exceptions=False) as c:
        yield c

@pytest.fixture
def cli(db):
    """Run ``rarex ...`` in-process against the test database (it reads RAREX_DATABASE_URL)."""
    from rarex.cli.main import app

    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):
        return runner.invoke(app, list(args), input=input)

    return invoke


@pytest.fixture
def as_role(session):
    """``as_role(role)`` -> Authorization headers of a new user with that role.

    The token is issued directly, not through POST /auth/token: tests of who may do what
    should not each pay for an argon2 verification (sign-in has tests of its own).
    """
    org = None

    def headers(role: Role) -> dict[str, str]:
        nonlocal org
        if role == Role.exporter and org is None:
            org = make_org(session)
        user = make_user(session, role, org if role == Role.exporter else None, username=f"u-{role.value}")
        token, _ = issue_token(session, user)
        session.commit()
        return {"Authorization": f"Bearer {token}"}

    return headers
