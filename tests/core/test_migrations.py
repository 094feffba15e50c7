"""Schema only through Alembic: the migrations build what the models describe."""

from __future__ import annotations

from sqlalchemy import inspect

from rarex.core import migrate
from rarex.core.db import get_engine
from rarex.core.models import metadata


def test_models_and_migrations_agree(backend):
    """``alembic check`` on the database the suite built from the migrations."""
    migrate.check(get_engine())


def test_every_model_table_exists(backend):
    tables = set(inspect(get_engine()).get_table_names())
    assert {t.name for t in metadata.sorted_tables} <= tables
    assert "alembic_version" in tables
