"""Alembic environment: one code path for SQLite and PostgreSQL.

The URL is taken from the connection handed in by :mod:`rarex.core.migrate` (tests, CLI) or,
when run as ``alembic`` directly, from rarex's settings.
"""

from alembic import context

from rarex.core.db import ExactDecimal, UTCDateTime, get_engine
from rarex.core.models import metadata

config = context.config


def render_item(type_, obj, autogen_context):
    """Render rarex's column types as their plain implementation types."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    if type_ == "type" and isinstance(obj, ExactDecimal):
        return "sa.BigInteger()"
    return False


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        with get_engine().connect() as connection:
            _configure_and_run(connection)
    else:
        _configure_and_run(connection)


def _configure_and_run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        render_item=render_item,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run()
