"""Human-readable numbers (application references, licence numbers) from counters kept in
the database, so any number of app processes hand out unique, gap-free sequences."""

from __future__ import annotations

from sqlalchemy import Integer, String
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from rarex.core.db import Base


class Counter(Base):
    __tablename__ = "counters"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)


_COUNTERS = Counter.__table__


def _take(dialect):
    stmt = dialect.insert(_COUNTERS).values(value=1)
    return stmt.on_conflict_do_update(
        index_elements=[_COUNTERS.c.name], set_={"value": _COUNTERS.c.value + 1},
    ).returning(_COUNTERS.c.value)


# Built once per dialect, like the shipment claim: the statement runs in every draft and issue.
_TAKE = {"postgresql": _take(postgresql), "sqlite": _take(sqlite)}


def next_value(session: Session, name: str) -> int:
    """Increment and return the counter ``name``, holding its row lock until commit.

    One ``INSERT ... ON CONFLICT DO UPDATE ... RETURNING`` statement: the first taker of a new
    counter (the first application of a year, the first licence of a type) inserts it, and a
    concurrent first taker waits on that row and then increments it, where a select followed
    by an insert let both insert and one fail on the primary key.
    """
    conn = session.connection()
    return conn.execute(_TAKE[conn.dialect.name], {"name": name}).scalar_one()
