"""Screening names against the lists: the matcher over the list versions in force, and search.
(Screening in the workflow, hits and their resolution are in :mod:`rarex.screening.cases`.)

Each list version has its match index, built once when it is imported and kept in files that
every process maps (:mod:`rarex.screening.index_store`); a matcher over several lists searches
their indexes together. The versions in force are read from the database on every call (one
small query), so a new list version is seen at once by every process serving rarex, and a
replay on a past date ("what did the lists say when the case was decided") gets the versions
of that date.

A version whose index is not there (imported before indexes were kept, imported by a process
whose RAREX_DATA_DIR this one does not share, or after a change of the normaliser made every
index of the old FORMAT invisible) is built:

- at once, in the caller, when the version is small (:data:`BUILD_IN_REQUEST` entities or
  fewer: a fraction of a second) or when the caller says ``wait`` (re-screening against a new
  version must use that version);
- otherwise in a background thread, while searches go on with the index of the list's newest
  older version that has one; only a large list with no index of any version at all (its
  first version, right after an upgrade) makes the search that meets it build it in place.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import Session

from rarex.core.authz import Principal, require
from rarex.core.db import get_engine
from rarex.core.errors import InvalidInput, NotFound
from rarex.screening import index_store, lists
from rarex.screening.matching import ALERT_THRESHOLD, Hit, Matcher
from rarex.screening.models import ListVersion
from rarex.screening.segment import Segment

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

#: A version of at most this many entities without an index is indexed by the search that
#: needs it (well under a second); a larger one in the background.
BUILD_IN_REQUEST = 2000
_CACHE_SIZE = 4
_SEGMENTS = 16

_cache: OrderedDict[tuple[str, ...], Matcher] = OrderedDict()
_segments: OrderedDict[str, Segment] = OrderedDict()
_building: set[int] = set()
_cache_lock = threading.Lock()


def segment_for(session: Session, version: ListVersion, *, wait: bool = False) -> Segment:
    """The index of ``version``, opened once per process (see the module docstring for what
    happens when it is not built)."""
    key = index_store.key_of(version)
    with _cache_lock:
        if key in _segments:
            _segments.move_to_end(key)
            return _segments[key]
    found = index_store.open_segment(key)
    if found is None:
        if not wait and version.entry_count > BUILD_IN_REQUEST:
            build_in_background(version.id)
            older = index_store.previous_ready(session, version)
            if older is not None:
                log.info("list version %s is being indexed; searching version %s's index meanwhile", version.id,
                         older.meta.get("version_id"))
                return older
        found = index_store.build(session, version)
    index_store.prefault_in_background(found)  # a worker's first searches need not fault its pages in one by one
    with _cache_lock:
        _segments[key] = found
        while len(_segments) > _SEGMENTS:
            _segments.popitem(last=False)
    return found


def build_in_background(version_id: int) -> threading.Thread | None:
    """Index a list version in a thread of this process, unless one is at it already."""
    with _cache_lock:
        if version_id in _building:
            return None
        _building.add(version_id)

    def run() -> None:
        try:
            with read_only_session() as session:
                version = session.get(ListVersion, version_id)
                if version is not None:
                    index_store.build(session, version)
        except Exception:
            log.exception("indexing list version %s failed", version_id)
        finally:
            with _cache_lock:
                _building.discard(version_id)

    thread = threading.Thread(target=run, name=f"screening-index-{version_id}", daemon=True)
    thread.start()
    return thread


def matcher_for(session: Session, versions: Sequence[ListVersion], *, wait: bool = False) -> Matcher:
    """The matcher over these list versions' indexes (``wait``: each version's own, built now
    if need be; otherwise perhaps an older version's while it is built)."""
    segments = [segment_for(session, v, wait=wait) for v in sorted(versions, key=lambda v: v.id)]
    key = tuple(s.key for s in segments)
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    matcher = Matcher(segments=segments)
    with _cache_lock:
        _cache[key] = matcher
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return matcher


def index_status(session: Session, actor: Principal) -> list[dict]:
    """Every list version in force, and whether its match index is built (with its figures)."""
    require(actor, "screening.list.read")
    return index_store.status(session)


def build_indexes(session: Session, actor: Principal, *, list_name: str | None = None,
                  progress: Callable[[ListVersion], index_store.Progress | None] = lambda v: None) -> list[dict]:
    """Build the missing match indexes of the list versions in force (of one list, if named),
    then their status: what an operator runs after upgrading rarex (a new normaliser makes
    every older index invisible) so that no search meets a list without one."""
    require(actor, "screening.list.import")
    in_force = versions_on(session, None)
    if list_name is not None and list_name not in {v.list.name for v in in_force}:
        raise NotFound(f"screening list {list_name!r} has no version in force")
    for v in in_force:
        if list_name in (None, v.list.name):
            index_store.build(session, v, progress=progress(v), total=v.entry_count)
    return [row for row in index_store.status(session) if list_name in (None, row["list"])]


def prune_indexes(session: Session, actor: Principal, *, keep_days: int | None = None) -> dict:
    """Delete the match indexes of versions no longer in force (beyond the previous one and
    those in force within ``keep_days`` days), of older FORMATs, and abandoned temporary ones;
    a dated search that needs a deleted one has it built again."""
    require(actor, "screening.list.import")
    if keep_days is not None and keep_days < 0:
        raise InvalidInput(f"keep_days is {keep_days}; give 0 or more days", field="keep_days")
    return index_store.prune(session, keep_days=keep_days)


@contextmanager
def read_only_session() -> Iterator[Session]:
    """A session outside any transaction, for long reads (building a matcher, checking a staged
    import): on SQLite a transaction begins with BEGIN IMMEDIATE and would hold the write lock
    for as long as the read takes."""
    with Session(bind=get_engine().execution_options(isolation_level="AUTOCOMMIT")) as session:
        yield session


def warm_up() -> threading.Thread:
    """Open the indexes of the lists in force in the background (building any that is
    missing), so the first search after start-up does not wait for them."""

    def build() -> None:
        try:
            with read_only_session() as session:
                matcher_for(session, versions_on(session, None), wait=True)
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
