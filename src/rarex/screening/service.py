"""Screening names against the lists: the matcher over the list versions in force, and search.
(Screening in the workflow, hits and their resolution are in :mod:`rarex.screening.cases`.)

The matcher (:mod:`rarex.screening.matching`) is an in-memory index; building it reads every
entity of the list versions it covers, so it is cached per set of version ids. The set is read
from the database on every call (one small query), so a new list version is seen at once by
every process serving rarex, and a replay on a past date ("what did the lists say when the case
was decided") gets the versions of that date.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import Session

from rarex.core.authz import Principal, require
from rarex.core.db import get_engine
from rarex.core.errors import InvalidInput
from rarex.screening import lists
from rarex.screening.matching import ALERT_THRESHOLD, Entry, Hit, Matcher
from rarex.screening.models import ListEntity, ListVersion

log = logging.getLogger(__name__)

#: Hits kept per screened name: enough for an officer to see near misses, not a long tail.
HITS_PER_PARTY = 5
#: Below this a candidate is not a hit at all.
MIN_SCORE = 0.7
_CACHE_SIZE = 4


@dataclass(frozen=True)
class Screened:
    """What one search looked at and found."""

    versions: tuple[ListVersion, ...]
    hits: list[Hit]
    threshold: float = ALERT_THRESHOLD


# --- the matcher cache -------------------------------------------------------------------------

_cache: OrderedDict[tuple, Matcher] = OrderedDict()
_cache_lock = threading.Lock()


def _entries(session: Session, version_ids: Sequence[int]) -> Iterable[Entry]:
    names = {v.id: v.list.name for v in session.execute(select(ListVersion).where(ListVersion.id.in_(version_ids))).scalars()}
    rows = session.execute(
        select(ListEntity.id, ListEntity.version_id, ListEntity.entity_id, ListEntity.name, ListEntity.aliases,
               ListEntity.countries, ListEntity.identifiers)
        .where(ListEntity.version_id.in_(version_ids)).order_by(ListEntity.id)
    )
    for ref, version_id, entity_id, name, aliases, countries, identifiers in rows:
        yield Entry(ref, entity_id, names[version_id], name, tuple(aliases or ()), tuple(countries or ()),
                    tuple(identifiers or ()), version_id)


def matcher_for(session: Session, versions: Sequence[ListVersion]) -> Matcher:
    """The matcher over exactly these list versions, built once per process."""
    ids = tuple(sorted(v.id for v in versions))
    # The id says which version, the checksum and database that it is still the same one (a
    # database rebuilt from scratch reuses ids).
    key = (str(session.get_bind().url), tuple(sorted((v.id, v.checksum) for v in versions)))
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    matcher = Matcher(_entries(session, ids)) if ids else Matcher(())
    with _cache_lock:
        _cache[key] = matcher
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return matcher


@contextmanager
def read_only_session() -> Iterator[Session]:
    """A session outside any transaction, for long reads (building a matcher, checking a staged
    import): on SQLite a transaction begins with BEGIN IMMEDIATE and would hold the write lock
    for as long as the read takes."""
    with Session(bind=get_engine().execution_options(isolation_level="AUTOCOMMIT")) as session:
        yield session


def warm_up() -> threading.Thread:
    """Build the matcher for the lists in force in the background, so the first search after
    start-up does not wait for it (seconds for a list of tens of thousands)."""

    def build() -> None:
        try:
            with read_only_session() as session:
                matcher_for(session, versions_on(session, None))
        except (OperationalError, ProgrammingError) as exc:  # database not migrated yet
            log.warning("screening warm-up skipped: %s", exc.__class__.__name__)

    thread = threading.Thread(target=build, name="screening-warm-up", daemon=True)
    thread.start()
    return thread


def versions_on(session: Session, on: dt.date | None) -> tuple[ListVersion, ...]:
    """The newest version of every list, or the version each list had at the end of ``on``."""
    return tuple(lists.current_versions(session, on=on))


# --- search ------------------------------------------------------------------------------------


def check_query(name: str, country: str | None) -> tuple[str, str | None]:
    """The name stripped and the country as a lower-case alpha-2 code, or a precise 422."""
    name = name.strip()
    if not name:
        raise InvalidInput("name is empty: give the name to screen", field="name")
    if len(name) > 500:
        raise InvalidInput(f"name is {len(name)} characters long; at most 500", field="name")
    country = (country or "").strip().lower() or None
    if country is not None and (len(country) != 2 or not country.isascii() or not country.isalpha()):
        raise InvalidInput(f"country {country!r} is not an ISO 3166-1 alpha-2 code such as CN or DE", field="country")
    return name, country


def search(session: Session, actor: Principal, name: str, *, country: str | None = None, on: dt.date | None = None,
           limit: int = 10) -> Screened:
    """Screen one name against every list (as they stood on ``on``, if given)."""
    require(actor, "screening.search")
    name, country = check_query(name, country)
    versions = versions_on(session, on)
    hits = matcher_for(session, versions).search(name, country=country, limit=limit, min_score=MIN_SCORE)
    return Screened(versions, hits)


def screen_names(matcher: Matcher, names: Iterable[str], country: str | None, *, limit: int = HITS_PER_PARTY) -> list[Hit]:
    """Screen every name a party goes by (its Latin name, its name in its own script); the best
    hit per entity, best first."""
    best: dict[int, Hit] = {}
    for name in dict.fromkeys(n.strip() for n in names if n and n.strip()):
        for h in matcher.search(name, country=country, limit=limit, min_score=MIN_SCORE):
            if h.entry.ref not in best or h.score > best[h.entry.ref].score:
                best[h.entry.ref] = h
    return sorted(best.values(), key=lambda h: (-h.score, h.entry.list_name, h.entry.entity_id))[:limit]
