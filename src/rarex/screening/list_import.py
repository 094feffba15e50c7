"""Importing a list file as the list's next version: staged, checked, then swapped in.

Each import of a file whose SHA-256 differs from the list's newest version becomes a new
version; importing the same file again is a no-op, so a scheduled re-import of a list that has
not changed costs one hash.

The entities are written into a *staged* version (``staged_at`` set), which nothing reads:
screening, search, the API and the CLI see only versions in force. When the whole file is in,
two checks run, and only then does one short transaction make the staged version the newest:

- the file must have given at least one entity (an empty newest version would make screening
  against that list pass everyone);
- the shrink guard: a file that drops more than ``RAREX_LIST_SHRINK_LIMIT`` of the entities of
  the version in force (by entity id) is refused with :class:`ListShrinks`, naming what would
  disappear, unless the importer says ``allow_shrink``. A truncated download must not quietly
  clear most of a list.

Before the swap the new version's match index is built and kept under ``RAREX_DATA_DIR``
(:mod:`rarex.screening.index_store`), so the version is searchable from the moment it is in
force, by every process, without any search waiting for an index.

The swap also re-screens the end users of every live licence against the new version
(:func:`rarex.screening.cases.rescreen_licences`): a licence whose end user now matches is
flagged for review in the same transaction.

Two ways to run it, one code path:

- :func:`import_list` runs in the caller's transaction (the demo, tests, small files): all or
  nothing, as any other service;
- :func:`import_list_staged` (``rarex screening import``) writes each batch of
  :data:`BATCH` entities in its own short transaction, so a file of hundreds of thousands of
  entities never holds SQLite's write lock for longer than one batch and the API keeps
  answering. If it fails, it removes what it staged; if its process dies, the next import
  removes a staged version that has written nothing for ``RAREX_LIST_IMPORT_STALE_MINUTES``.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections import Counter
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from sqlalchemy import Connection, Table, delete, exists, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from rarex.core import audit
from rarex.core.authz import Principal, require
from rarex.core.db import affected, unit_of_work, utcnow
from rarex.core.errors import Conflict, InvalidInput
from rarex.core.settings import get_settings
from rarex.screening import importers, index_follower, index_store
from rarex.screening.cases import rescreen_licences
from rarex.screening.importers import ImportFormat, Progress
from rarex.screening.lists import check_list_name, newest_version
from rarex.screening.models import ListEntity, ListVersion, ScreeningList
from rarex.screening.records import ParsedEntity, RowError, Skipped
from rarex.screening.service import read_only_session

log = logging.getLogger(__name__)

#: Entities per COPY or executemany and, in a staged import, per transaction: large enough that
#: per-statement costs vanish, small enough that a batch holds SQLite's write lock for tens of
#: milliseconds.
BATCH = 2000
#: Rejected rows kept on the version for later reading (all of them are in the import's result).
MAX_STORED_REJECTIONS = 1000
#: Entities that would disappear named in a shrink refusal (the count covers all of them).
SHOWN_DROPPED = 20
_ENTITIES = cast(Table, ListEntity.__table__)

Units = Callable[[], AbstractContextManager[Session]]


class ListShrinks(Conflict):
    """The file would drop more of the list than ``RAREX_LIST_SHRINK_LIMIT`` allows."""

    slug, title = "list-shrinks", "List would shrink"


@dataclass
class ImportResult:
    list_name: str
    checksum: str
    version: ListVersion | None = None  # the new version, the unchanged newest one, or None
    unchanged: bool = False  # the file is the newest version's: nothing was written
    entries: int = 0
    skipped: Counter[str] = field(default_factory=Counter)  # "schema Sanction" -> records not imported
    rejected: list[RowError] = field(default_factory=list)
    #: Entities of the previous version (by id) that the new one no longer has.
    dropped: int = 0
    #: Open hits on live licences whose end users match the new version (flagged for review).
    flagged: list = field(default_factory=list)


@dataclass(frozen=True)
class ImportOptions:
    list_name: str
    format: ImportFormat
    mapping: Mapping[str, str] | None = None
    separator: str = ";"
    encoding: str = "utf-8"
    title: str | None = None
    publisher: str = ""
    published_on: dt.date | None = None
    force: bool = False  # import even when the file is the newest version's (after fixing a mapping, say)
    allow_shrink: bool = False
    progress: Progress | None = None
    index_progress: Progress | None = None  # (entities indexed, entities) while the match index is built


def import_list(session: Session, actor: Principal, path: Path, *, list_name: str, format: ImportFormat | str,
                **options) -> ImportResult:
    """Import ``path`` as the next version of ``list_name`` (created on its first import), in
    the caller's transaction. ``title`` names the list; given on a later import, it renames it."""
    def same() -> AbstractContextManager[Session]:
        return nullcontext(session)

    return _Import(actor, Path(path), _options(list_name, format, options), writes=same, reads=same, own=False).run()


def import_list_staged(actor: Principal, path: Path, *, list_name: str, format: ImportFormat | str,
                       writes: Units = unit_of_work, reads: Units = read_only_session, **options) -> ImportResult:
    """As :func:`import_list`, each batch in its own short transaction from ``writes``, checks
    read through ``reads``, and the new version put in force by one last transaction."""
    return _Import(actor, Path(path), _options(list_name, format, options), writes=writes, reads=reads, own=True).run()


def _options(list_name: str, format: ImportFormat | str, options: dict) -> ImportOptions:
    check_list_name(list_name)
    _check_length(options.get("title"), "title", 300)
    _check_length(options.get("publisher"), "publisher", 300)
    try:
        fmt = ImportFormat(format)
    except ValueError:
        raise InvalidInput(f"unknown format {format!r}; one of {', '.join(f.value for f in ImportFormat)}") from None
    return ImportOptions(list_name=list_name, format=fmt, **options)


def _check_length(value: str | None, what: str, limit: int) -> None:
    if value is not None and len(value) > limit:
        raise InvalidInput(f"{what} is {len(value)} characters long; at most {limit} are allowed", field=what)


class _Import:
    """One run of an import; ``own`` says whether each step has a transaction of its own."""

    def __init__(self, actor: Principal, path: Path, options: ImportOptions, *, writes: Units, reads: Units, own: bool):
        self.actor, self.path, self.o = actor, path, options
        self.writes, self.reads, self.own = writes, reads, own
        self.staged_id: int | None = None

    def run(self) -> ImportResult:
        require(self.actor, "screening.list.import")
        importers.check_file(self.path)
        result = ImportResult(self.o.list_name, importers.file_sha256(self.path))
        remove_stale_imports(self.writes)
        previous = self._stage(result)
        if result.unchanged:
            return result
        follower = self._follower(previous)
        try:
            self._write_entities(result)
            if not result.entries:
                self._discard()
                return result
            if previous is not None:
                self._check_shrink(result, previous)
            self._build_index(result, follower)
            self._swap(result, previous)
        except BaseException:
            if follower is not None:  # before the staged rows go: it reads them
                follower.stop()
            if self.own:  # in the caller's transaction, its rollback removes everything
                self._discard()
            raise
        finally:
            if follower is not None:
                follower.stop()
        self._prune()
        return result

    # --- the steps --------------------------------------------------------------------------

    def _stage(self, result: ImportResult) -> ListVersion | None:
        """The staged version, numbered after the newest; returns the newest (None for a new list)."""
        with self.writes() as s:
            lst = s.execute(select(ScreeningList).where(ScreeningList.name == self.o.list_name)
                            .with_for_update()).scalar_one_or_none()
            previous = newest_version(s, lst.id) if lst else None
            if previous is not None and previous.checksum == result.checksum and not self.o.force:
                result.version, result.unchanged = previous, True
                return previous
            if lst is not None:
                running = s.scalar(select(ListVersion.staged_at).where(ListVersion.list_id == lst.id,
                                                                       ListVersion.staged_at.is_not(None)))
                if running is not None:
                    raise Conflict(f"an import of list {self.o.list_name!r} is running (last wrote at {running:%H:%M:%S} "
                                   "UTC); import again when it has finished")
            else:
                lst = _create_list(s, self.o.list_name)
            now = utcnow()
            version = ListVersion(list_id=lst.id, version=(previous.version if previous else 0) + 1,
                                  source=self.path.name, publisher=self.o.publisher, published_on=self.o.published_on,
                                  format=self.o.format.value, checksum=result.checksum,
                                  imported_by=self.actor.username, imported_at=now, staged_at=now)
            s.add(version)
            try:
                s.flush()
            except IntegrityError:  # PostgreSQL: another import numbered the same version first
                raise Conflict(f"another import of list {self.o.list_name!r} is running; import again when it has "
                               "finished") from None
            self.staged_id = version.id
            return previous

    def _follower(self, previous: ListVersion | None) -> index_follower.Follower | None:
        """A process that builds the staged version's index while its entities are written
        (see :mod:`rarex.screening.index_follower`), for a large file of a staged import."""
        size = self.path.stat().st_size
        if not self.own or size < index_follower.FOLLOW_FROM_BYTES:
            return None
        assert self.staged_id is not None, "a follower builds the staged version's index"
        estimate = previous.entry_count if previous is not None and previous.entry_count else size // 300
        return index_follower.follow(self.staged_id, estimate)

    def _write_entities(self, result: ImportResult) -> None:
        batch: list[ParsedEntity] = []
        source = importers.Source(self.path, self.o.progress)
        records = importers.parse(source, self.o.format, mapping=self.o.mapping, separator=self.o.separator,
                                  encoding=self.o.encoding)
        for record in records:
            if isinstance(record, ParsedEntity):
                batch.append(record)
                if len(batch) >= BATCH:
                    self._write_batch(batch, result)
            elif isinstance(record, Skipped):
                result.skipped[record.what] += 1
            else:
                result.rejected.append(record)
        if source.checksum != result.checksum:
            raise InvalidInput(f"{self.path.name} changed while it was being imported; nothing was imported")
        if batch:
            self._write_batch(batch, result)

    def _write_batch(self, batch: list[ParsedEntity], result: ImportResult) -> None:
        assert self.staged_id is not None, "a batch is written into the staged version"
        with self.writes() as s:
            # The heartbeat that keeps another import from taking this one for abandoned.
            alive = s.execute(update(ListVersion).where(ListVersion.id == self.staged_id, ListVersion.staged_at.is_not(None))
                              .values(staged_at=utcnow()))
            if affected(alive) != 1:
                raise Conflict(f"the import of list {self.o.list_name!r} was removed as abandoned (nothing written for "
                               f"{get_settings().list_import_stale_minutes} minutes); import again")
            _insert_entities(s.connection(), self.staged_id, batch)
        result.entries += len(batch)
        batch.clear()

    def _check_shrink(self, result: ImportResult, previous: ListVersion) -> None:
        kept = select(ListEntity.entity_id).where(ListEntity.version_id == self.staged_id)
        gone = (ListEntity.version_id == previous.id) & ListEntity.entity_id.not_in(kept)
        with self.reads() as s:
            result.dropped = s.scalar(select(func.count()).select_from(ListEntity).where(gone)) or 0
            if self.o.allow_shrink or not previous.entry_count:
                return
            limit = get_settings().list_shrink_limit
            if result.dropped <= limit * previous.entry_count:
                return
            shown = s.execute(select(ListEntity.entity_id, ListEntity.name).where(gone).order_by(ListEntity.id)
                              .limit(SHOWN_DROPPED)).all()
        names = "; ".join(f"{entity_id} {name[:80]}" for entity_id, name in shown)
        raise ListShrinks(
            f"{self.path.name} would drop {result.dropped} of the {previous.entry_count} entities of "
            f"{self.o.list_name} version {previous.version} (at most {limit:.0%} may go; the file gives "
            f"{result.entries}): {names}{' ...' if result.dropped > len(shown) else ''}. Nothing was imported; "
            "if the list really shrank, import it again with --allow-shrink",
            list=self.o.list_name, current_version=previous.version, current_entries=previous.entry_count,
            new_entries=result.entries, dropped_count=result.dropped, limit=limit,
            dropped=[{"id": entity_id, "name": name} for entity_id, name in shown],
        )

    def _build_index(self, result: ImportResult, follower: index_follower.Follower | None) -> None:
        """Build and persist the new version's match index before the swap puts it in force:
        searches go on with the previous version (and its index) until then, no search ever
        waits for the new one, and the swap's re-screening of live licences reads it. In the
        caller's transaction (small files) the swap's re-screening builds it instead. A
        follower has built most of it by now; if it failed, the index is built here."""
        if not self.own:
            return
        if self.o.index_progress:  # the step starts: say so before its first chunk is done
            self.o.index_progress(0, result.entries)
        if follower is not None:
            follower.written(result.entries)
            follower.wait(result.entries, self.o.index_progress)
        with self.reads() as s:
            version = s.get_one(ListVersion, self.staged_id)
            index_store.build(s, version, progress=self.o.index_progress, total=result.entries)

    def _swap(self, result: ImportResult, previous: ListVersion | None) -> None:
        with self.writes() as s:
            lst = s.execute(select(ScreeningList).where(ScreeningList.name == self.o.list_name)
                            .with_for_update()).scalar_one()
            version = s.get(ListVersion, self.staged_id)
            in_force = newest_version(s, lst.id)
            moved_on = (in_force.id if in_force else None) != (previous.id if previous else None)
            if version is None or version.staged_at is None or moved_on:
                raise Conflict(f"list {self.o.list_name!r} changed while this import was being staged; import again")
            if self.o.title is not None:
                lst.title = self.o.title
            version.staged_at = None
            version.imported_at = utcnow()
            version.entry_count = result.entries
            version.rejected_count = len(result.rejected)
            version.rejected = [r.as_dict() for r in result.rejected[:MAX_STORED_REJECTIONS]]
            s.flush()
            result.version = version
            audit.record(
                s, type="screening_list.imported", actor=self.actor, subject_type="screening_list",
                subject_id=self.o.list_name,
                before={"version": previous.version, "checksum": previous.checksum,
                        "entry_count": previous.entry_count} if previous else None,
                after={"version": version.version, "source": version.source, "format": version.format,
                       "checksum": version.checksum, "entry_count": version.entry_count,
                       "rejected_count": version.rejected_count, "skipped": dict(result.skipped),
                       "dropped": result.dropped, "allow_shrink": self.o.allow_shrink},
            )
            result.flagged = rescreen_licences(s, self.actor, version)
        self.staged_id = None

    def _prune(self) -> None:
        """The swap superseded a version: delete the indexes no search needs soon. A failure
        to delete costs disk space, never the import."""
        if not self.own:
            return
        try:
            with self.reads() as s:
                index_store.prune(s)
        except Exception:  # the import is committed: cleaning up after it must not report it failed
            log.exception("pruning the screening indexes after importing %s failed", self.o.list_name)

    def _discard(self) -> None:
        if self.staged_id is not None:
            _remove(self.writes, self.staged_id)
            self.staged_id = None


def remove_stale_imports(writes: Units = unit_of_work) -> int:
    """Remove the staged versions that have written nothing for ``RAREX_LIST_IMPORT_STALE_MINUTES``
    (their import's process died); returns how many."""
    cutoff = utcnow() - dt.timedelta(minutes=get_settings().list_import_stale_minutes)
    with writes() as s:
        stale = list(s.scalars(select(ListVersion.id).where(ListVersion.staged_at < cutoff)))
    for version_id in stale:
        _remove(writes, version_id)
    return len(stale)


def _remove(writes: Units, version_id: int) -> None:
    """A staged version's entities a batch per transaction, then the version, and its list if
    that has no other version (it was created by this import)."""
    while True:
        with writes() as s:
            ids = select(ListEntity.id).where(ListEntity.version_id == version_id).limit(BATCH).scalar_subquery()
            if not affected(s.execute(delete(ListEntity).where(ListEntity.id.in_(ids)))):
                break
    with writes() as s:
        list_id = s.scalar(select(ListVersion.list_id).where(ListVersion.id == version_id))
        s.execute(delete(ListVersion).where(ListVersion.id == version_id, ListVersion.staged_at.is_not(None)))
        if list_id is not None and not s.scalar(select(exists().where(ListVersion.list_id == list_id))):
            s.execute(delete(ScreeningList).where(ScreeningList.id == list_id))


def _create_list(session: Session, name: str) -> ScreeningList:
    lst = ScreeningList(name=name)
    session.add(lst)
    try:
        session.flush()
    except IntegrityError:  # another transaction created it first (PostgreSQL; SQLite serialises writers)
        raise Conflict(f"another import of list {name!r} is running; import again when it has finished") from None
    return lst


#: The columns of an entity's row, in the order :func:`_insert_entities` gives them.
_COLUMNS = ("version_id", "entity_id", "schema", "name", "aliases", "countries", "programs", "identifiers", "addresses",
            "listed_on")


def _insert_entities(conn: Connection, version_id: int, batch: list[ParsedEntity]) -> None:
    """Write ``batch`` into version ``version_id`` the way each database takes many rows fastest:
    COPY on PostgreSQL, one prepared INSERT run over every row (the driver's executemany) on
    SQLite. Both skip SQLAlchemy's handling of each row's parameters, which cost more than the
    database's own work; the values are written as an INSERT through SQLAlchemy writes them
    (version_changes compares the JSON columns of two versions as text)."""
    dialect = conn.dialect
    # SQLite keeps a date as ISO text, as SQLAlchemy's Date type writes it; psycopg takes the date.
    as_date = _ENTITIES.c.listed_on.type.dialect_impl(dialect).bind_processor(dialect) or (lambda day: day)
    rows = [(version_id, e.entity_id, e.schema, e.name, _json(e.aliases), _json(e.countries), _json(e.programs),
             _json(e.identifiers), _json(e.addresses), as_date(e.listed_on)) for e in batch]
    columns = ", ".join(dialect.identifier_preparer.quote(c) for c in _COLUMNS)
    driver = conn.connection.driver_connection
    assert driver is not None, "a connection in a transaction has its driver's"
    if dialect.name == "postgresql":
        with driver.cursor() as cursor, cursor.copy(f"COPY {_ENTITIES.name} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    cursor = driver.cursor()
    try:
        cursor.executemany(f"INSERT INTO {_ENTITIES.name} ({columns}) VALUES ({', '.join('?' * len(_COLUMNS))})", rows)
    finally:
        cursor.close()


def _json(values: tuple[str, ...]) -> str:
    """A list column's text, as SQLAlchemy's JSON type writes it (json.dumps: the engine sets no
    serializer of its own); most lists of most entities are empty."""
    return json.dumps(values) if values else "[]"

