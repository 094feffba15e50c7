"""Database engine, sessions and the column types every domain shares.

One transaction per request, command or job: services receive a ``Session`` and never commit;
:func:`unit_of_work` (CLI, jobs) and :func:`rarex.web.deps.get_session` (requests) commit or
roll back at the edge.

SQLite is the embedded default, PostgreSQL the production database; both run the same code.
On SQLite every write transaction starts with ``BEGIN IMMEDIATE`` so that a read-check-write
sequence holds the write lock from its first statement (the equivalent of ``SELECT ... FOR
UPDATE`` on PostgreSQL) instead of failing at commit.

A read-only unit of work (``unit_of_work(readonly=True)``, and every GET request) must not
queue behind writers: on SQLite it starts with a plain deferred ``BEGIN`` (WAL readers never
wait for the write lock), on PostgreSQL with ``SET TRANSACTION READ ONLY``; on both, a write slipped
into a read path fails loudly instead of taking locks. Waiting is bounded everywhere (pool
checkout, SQLite busy timeout, PostgreSQL ``lock_timeout``); :func:`is_busy` tells such a
timeout from a real error, so that the edge answers "busy, retry" (503) rather than 500.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from functools import lru_cache

from sqlalchemy import BigInteger, CursorResult, DateTime, Engine, MetaData, Result, create_engine, event
from sqlalchemy import exc as sa_exc
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


#: Execution option carried by read-only engines and sessions (see :func:`readonly_engine`).
READONLY = "rarex_readonly"

#: PostgreSQL SQLSTATEs that mean "waited too long or lost a race; the same request may
#: succeed if retried": lock_not_available (lock_timeout), deadlock_detected,
#: serialization_failure, too_many_connections.
_PG_BUSY_STATES = {"55P03", "40P01", "40001", "53300"}


def _begin(conn) -> None:
    """Open each transaction in the mode its engine asks for (read-only or read-write)."""
    options = conn.get_execution_options()
    readonly = options.get(READONLY, False)
    autocommit = options.get("isolation_level") == "AUTOCOMMIT"
    if conn.dialect.name == "sqlite":
        # query_only makes SQLite refuse a write as PostgreSQL's READ ONLY does. It is a flag
        # of the pooled connection, not of the transaction: set it either way, every time.
        conn.exec_driver_sql(f"PRAGMA query_only={int(readonly)}")
        if not autocommit:
            conn.exec_driver_sql("BEGIN" if readonly else "BEGIN IMMEDIATE")
    elif readonly and not autocommit:
        # psycopg opens the transaction implicitly; this is its first statement.
        conn.exec_driver_sql("SET TRANSACTION READ ONLY")


def make_engine(url: str, **kwargs) -> Engine:
    """Create an engine with the per-dialect settings rarex relies on.

    The pool and every wait are bounded by settings (``RAREX_DB_*``): a full server should
    say so within seconds, not after the 30 s defaults of the pool and the SQLite driver.
    """
    settings = get_settings()
    kwargs.setdefault("pool_size", settings.db_pool_size)
    kwargs.setdefault("max_overflow", settings.db_max_overflow)
    kwargs.setdefault("pool_timeout", settings.db_pool_timeout)
    lock_ms = int(settings.db_lock_timeout * 1000)
    if url.startswith("sqlite"):
        connect_args = {"timeout": settings.db_lock_timeout, "check_same_thread": False}
        engine = create_engine(url, connect_args=connect_args, **kwargs)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):
            # Let SQLAlchemy, not the driver, issue BEGIN (pysqlite's implicit BEGIN is deferred).
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute(f"PRAGMA busy_timeout={lock_ms}")
            cur.close()

    else:
        kwargs.setdefault("pool_pre_ping", True)
        engine = create_engine(url, connect_args={"options": f"-c lock_timeout={lock_ms}"}, **kwargs)
    event.listen(engine, "before_cursor_execute", _refuse_nul)
    event.listen(engine, "begin", _begin)
    return engine


class WriterQueueTimeout(TimeoutError):
    """A SQLite write unit of work waited longer than the lock timeout for its turn."""


def affected(result: Result) -> int:
    """Rows an UPDATE or DELETE touched (``Session.execute`` is typed as returning any Result;
    for those statements it is a CursorResult, which counts them)."""
    assert isinstance(result, CursorResult)
    return result.rowcount


def is_busy(exc: BaseException) -> bool:
    """Whether ``exc`` (or what caused it) means the database was too busy, not that the
    request was wrong: a pool checkout timeout, SQLite's "database is locked", or a
    PostgreSQL lock timeout, deadlock or serialization failure. Such a request gets a 503
    with ``Retry-After``; anything else stays an error."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        exc = current
        seen.add(id(exc))
        if isinstance(exc, (sa_exc.TimeoutError, WriterQueueTimeout)):
            return True
        if isinstance(exc, sa_exc.DBAPIError):
            current = exc.orig
            continue
        if getattr(exc, "sqlstate", None) in _PG_BUSY_STATES:
            return True
        if type(exc).__module__ == "sqlite3" and "database is locked" in str(exc):
            return True
        current = exc.__cause__ or exc.__context__
    return False


@lru_cache
def get_engine() -> Engine:
    settings = get_settings()
    if settings.effective_database_url.startswith("sqlite"):
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    return make_engine(settings.effective_database_url)


def readonly_engine(engine: Engine) -> Engine:
    """The same engine and pool, with transactions opened read-only (see :func:`_begin`)."""
    return engine.execution_options(**{READONLY: True})


@lru_cache
def get_sessionmaker(readonly: bool = False) -> sessionmaker[Session]:
    engine = get_engine()
    return sessionmaker(bind=readonly_engine(engine) if readonly else engine, expire_on_commit=False)


def reset_engine() -> None:
    """Forget the cached engine (tests, or after settings change)."""
    if get_engine.cache_info().currsize:
        get_engine().dispose()
    get_engine.cache_clear()
    get_sessionmaker.cache_clear()
    _sqlite_writer.cache_clear()


@lru_cache
def _sqlite_writer() -> threading.Lock | None:
    """The queue this process's SQLite writers wait in; None on PostgreSQL (row locks there).

    SQLite admits one writer, and its busy handler makes the others poll with growing sleeps
    (up to 100 ms), so under load the lock often stood idle while a writer slept, and an
    unlucky one starved past the timeout. Waiting on a lock in the process instead hands the
    turn over at once. Other processes on the same file still meet the busy timeout.
    """
    return threading.Lock() if is_sqlite(get_engine()) else None


@contextmanager
def _writer_turn(readonly: bool) -> Iterator[None]:
    lock = None if readonly else _sqlite_writer()
    if lock is None:
        yield
        return
    timeout = get_settings().db_lock_timeout
    if not lock.acquire(timeout=timeout):
        raise WriterQueueTimeout(f"another write held the database for more than {timeout:g} s")
    try:
        yield
    finally:
        lock.release()


@contextmanager
def unit_of_work(readonly: bool = False) -> Iterator[Session]:
    """One transaction: commit when the block ends normally, roll back on any exception.

    ``readonly=True`` never takes SQLite's write lock and is READ ONLY on PostgreSQL: use it
    wherever nothing is written, so reads never queue behind shipments.
    """
    with _writer_turn(readonly):
        session = get_sessionmaker(readonly)()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()
