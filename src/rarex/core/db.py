"""Database engine, sessions and the column types every domain shares.

One transaction per request, command or job: services receive a ``Session`` and never commit;
:func:`unit_of_work` (CLI, jobs) and :func:`rarex.web.deps.get_session` (requests) commit or
roll back at the edge.

SQLite is the embedded default, PostgreSQL the production database; both run the same code.
On SQLite every write transaction starts with ``BEGIN IMMEDIATE`` so that a read-check-write
sequence holds the write lock from its first statement (the equivalent of ``SELECT ... FOR
UPDATE`` on PostgreSQL) instead of failing at commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from functools import lru_cache

from sqlalchemy import BigInteger, DateTime, Engine, MetaData, create_engine, event
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

from rarex.core.errors import InvalidInput
from rarex.core.settings import get_settings
from rarex.core.units import plain

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


#: Largest integer primary key (PostgreSQL INTEGER): an id beyond it is refused as input,
#: never sent to the database, where it would be an error rather than "not found".
MAX_ROW_ID = 2**31 - 1


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timezone-aware UTC timestamp on both databases (SQLite hands back naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where a UTC timestamp is required")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: dt.datetime | None, dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


class ExactDecimal(TypeDecorator[Decimal]):
    """A Decimal stored as a scaled 64-bit integer, exact on SQLite and PostgreSQL alike.

    SQLite has no exact decimal type (NUMERIC becomes a float), and quantities must never
    drift: a licence cap of 0.1 t must admit exactly 100 kg. Scaling by ``10**scale`` keeps
    arithmetic and comparisons in SQL (``remaining >= q``) exact on both databases. A value
    with more decimal places than the scale is refused rather than rounded.
    """

    impl = BigInteger
    cache_ok = True

    def __init__(self, scale: int = 6):
        super().__init__()
        self.scale = scale
        self._factor = Decimal(10) ** scale

    def process_bind_param(self, value, dialect) -> int | None:
        if value is None:
            return None
        d = Decimal(value) * self._factor
        if d != d.to_integral_value():
            raise ValueError(f"{value} has more than {self.scale} decimal places")
        return int(d)

    def process_result_value(self, value, dialect) -> Decimal | None:
        if value is None:
            return None
        if not value:
            return Decimal(0)
        return plain(Decimal(value) / self._factor)

    def process_literal_param(self, value, dialect) -> str:
        return str(self.process_bind_param(value, dialect))


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def is_sqlite(url_or_engine) -> bool:
    name = url_or_engine.dialect.name if hasattr(url_or_engine, "dialect") else str(url_or_engine)
    return name.startswith("sqlite")


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(_has_nul(v) for v in value)
    return False


def _refuse_nul(conn, cursor, statement, parameters, context, executemany) -> None:
    """Refuse text with a NUL character before any database sees it.

    PostgreSQL cannot store or even compare U+0000 in text (psycopg raises, and a request that
    sent one got a 500), while SQLite stores it: the same input must get the same answer on
    both, so it is bad input (422) everywhere, whichever field, path or query it came in.
    ``parameters`` is a dict, a tuple, or a list of either (executemany, insertmanyvalues).
    """
    if _has_nul(parameters):
        raise InvalidInput("text must not contain NUL (U+0000) characters")


def make_engine(url: str, **kwargs) -> Engine:
    """Create an engine with the per-dialect settings rarex relies on."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False}, **kwargs)
        event.listen(engine, "before_cursor_execute", _refuse_nul)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):
            # Let SQLAlchemy, not the driver, issue BEGIN (pysqlite's implicit BEGIN is deferred).
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):
            if conn.get_execution_options().get("isolation_level") != "AUTOCOMMIT":
                conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    kwargs.setdefault("pool_pre_ping", True)
    engine = create_engine(url, **kwargs)
    event.listen(engine, "before_cursor_execute", _refuse_nul)
    return engine


@lru_cache
def get_engine() -> Engine:
    settings = get_settings()
    if settings.effective_database_url.startswith("sqlite"):
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    return make_engine(settings.effective_database_url)


@lru_cache
def get_sessionmaker() -> sessionmaker[Session]:
    return sessionmaker(bind=get_engine(), expire_on_commit=False)


def reset_engine() -> None:
    """Forget the cached engine (tests, or after settings change)."""
    if get_engine.cache_info().currsize:
        get_engine().dispose()
    get_engine.cache_clear()
    get_sessionmaker.cache_clear()


@contextmanager
def unit_of_work() -> Iterator[Session]:
    """One transaction: commit when the block ends normally, roll back on any exception."""
    session = get_sessionmaker()()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
