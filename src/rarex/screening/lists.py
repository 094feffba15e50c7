"""Restricted-party lists: versioned import, and what a list said when.

Each import of a file whose SHA-256 differs from the list's newest version becomes a new
version; older versions are kept, never changed, so a decision can be replayed against the
version that was newest on its date (:func:`version_on`). Importing the same file again is a
no-op, so a scheduled re-import of a list that has not changed costs one hash.

A new version re-screens the end users of every live licence against it
(:func:`rarex.screening.cases.rescreen_licences`): a licence whose end user now matches is
flagged for review in the same transaction.

An import runs in the caller's transaction: entities are written in batches as the file is
parsed, and if anything fails midway the edge rolls the transaction back, leaving no partial
version. A file in which not one record could be imported creates no version at all: an empty
newest version would make screening against that list pass everyone.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from rarex.core import audit
from rarex.core.authz import Principal, require
from rarex.core.errors import Conflict, InvalidInput, NotFound
from rarex.screening import importers
from rarex.screening.importers import ImportFormat, Progress
from rarex.screening.models import ListEntity, ListVersion, ScreeningList
from rarex.screening.records import ParsedEntity, RowError, Skipped

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_NAME = 80
#: Entities per INSERT round trip: large enough that per-statement costs vanish, small enough
#: that a batch of long FollowTheMoney records stays a few megabytes.
BATCH = 2000
#: Rejected rows kept on the version for later reading (all of them are in the import's result).
MAX_STORED_REJECTIONS = 1000
_ENTITIES = ListEntity.__table__


@dataclass
class ImportResult:
    list_name: str
    checksum: str
    version: ListVersion | None = None  # the new version, the unchanged newest one, or None
    unchanged: bool = False  # the file is the newest version's: nothing was written
    entries: int = 0
    skipped: Counter[str] = field(default_factory=Counter)  # "schema Sanction" -> records not imported
    rejected: list[RowError] = field(default_factory=list)
    #: Open hits on live licences whose end users match the new version (flagged for review).
    flagged: list = field(default_factory=list)


def check_list_name(name: str) -> str:
    if len(name) > MAX_NAME or not _SLUG.fullmatch(name):
        raise InvalidInput(f"list name {name!r} is not a slug: lower-case letters, digits and single hyphens, "
                           f"at most {MAX_NAME} characters (e.g. cn-unreliable-entity-list)", field="list_name")
    return name


def _check_length(value: str | None, what: str, limit: int) -> None:
    if value is not None and len(value) > limit:
        raise InvalidInput(f"{what} is {len(value)} characters long; at most {limit} are allowed", field=what)


def import_list(
    session: Session, actor: Principal, path: Path, *, list_name: str, format: ImportFormat | str,
    mapping: Mapping[str, str] | None = None, separator: str = ";", encoding: str = "utf-8", title: str | None = None,
    publisher: str = "", published_on: dt.date | None = None, force: bool = False, progress: Progress | None = None,
) -> ImportResult:
    """Import ``path`` as the next version of ``list_name`` (created on its first import).

    ``force`` imports a file even when it is the newest version's (after fixing a mapping, say).
    ``title`` names the list; given on a later import, it renames it.
    """
    require(actor, "screening.list.import")
    check_list_name(list_name)
    _check_length(title, "title", 300)
    _check_length(publisher, "publisher", 300)
    try:
        fmt = ImportFormat(format)
    except ValueError:
        raise InvalidInput(f"unknown format {format!r}; one of {', '.join(f.value for f in ImportFormat)}") from None
    path = Path(path)
    importers.check_file(path)
    result = ImportResult(list_name, importers.file_sha256(path))
    lst = session.execute(select(ScreeningList).where(ScreeningList.name == list_name).with_for_update()).scalar_one_or_none()
    newest = _newest(session, lst.id) if lst else None
    if newest is not None and newest.checksum == result.checksum and not force:
        result.version, result.unchanged = newest, True
        return result

    version: ListVersion | None = None
    batch: list[ParsedEntity] = []

    def write() -> None:
        nonlocal version, lst
        if version is None:
            lst = lst or _create_list(session, list_name)
            if title is not None:
                lst.title = title
            version = ListVersion(list_id=lst.id, version=(newest.version if newest else 0) + 1, source=path.name,
                                  publisher=publisher, published_on=published_on, format=fmt.value,
                                  checksum=result.checksum, imported_by=actor.username)
            session.add(version)
            session.flush()
        session.connection().execute(insert(_ENTITIES), [_row(version.id, e) for e in batch])
        result.entries += len(batch)
        batch.clear()

    source = importers.Source(path, progress)
    for record in importers.parse(source, fmt, mapping=mapping, separator=separator, encoding=encoding):
        if isinstance(record, ParsedEntity):
            batch.append(record)
            if len(batch) >= BATCH:
                write()
        elif isinstance(record, Skipped):
            result.skipped[record.what] += 1
        else:
            result.rejected.append(record)
    if source.checksum != result.checksum:
        raise InvalidInput(f"{path.name} changed while it was being imported; nothing was imported")
    if batch:
        write()
    if version is None:
        return result
    version.entry_count = result.entries
    version.rejected_count = len(result.rejected)
    version.rejected = [r.as_dict() for r in result.rejected[:MAX_STORED_REJECTIONS]]
    result.version = version
    audit.record(
        session, type="screening_list.imported", actor=actor, subject_type="screening_list", subject_id=list_name,
        before={"version": newest.version, "checksum": newest.checksum, "entry_count": newest.entry_count} if newest else None,
        after={"version": version.version, "source": version.source, "format": version.format, "checksum": version.checksum,
               "entry_count": version.entry_count, "rejected_count": version.rejected_count,
               "skipped": dict(result.skipped)},
    )
    # Imported here, not at the top: cases screens through the matcher, which reads the lists
    # through this module.
    from rarex.screening.cases import rescreen_licences

    result.flagged = rescreen_licences(session, actor, version)
    return result


def _create_list(session: Session, name: str) -> ScreeningList:
    lst = ScreeningList(name=name)
    session.add(lst)
    try:
        session.flush()
    except IntegrityError:  # another transaction created it first (PostgreSQL; SQLite serialises writers)
        raise Conflict(f"another import of list {name!r} is running; import again when it has finished") from None
    return lst


def _row(version_id: int, e: ParsedEntity) -> dict:
    return {"version_id": version_id, "entity_id": e.entity_id, "schema": e.schema, "name": e.name,
            "aliases": list(e.aliases), "countries": list(e.countries), "programs": list(e.programs),
            "identifiers": list(e.identifiers), "addresses": list(e.addresses), "listed_on": e.listed_on}


def _newest(session: Session, list_id: int) -> ListVersion | None:
    stmt = select(ListVersion).where(ListVersion.list_id == list_id).order_by(ListVersion.version.desc()).limit(1)
    return session.execute(stmt).scalar_one_or_none()


# --- reading ---------------------------------------------------------------------------------


def list_lists(session: Session, actor: Principal) -> list[ScreeningList]:
    require(actor, "screening.list.read")
    return list(session.execute(select(ScreeningList).order_by(ScreeningList.name)).scalars())


def get_list(session: Session, actor: Principal, name: str) -> ScreeningList:
    """The list with its versions, oldest first."""
    require(actor, "screening.list.read")
    lst = session.execute(select(ScreeningList).where(ScreeningList.name == name)).scalar_one_or_none()
    if lst is None:
        raise NotFound(f"screening list {name!r} not found")
    return lst


def get_version(session: Session, actor: Principal, name: str, version: int) -> ListVersion:
    lst = get_list(session, actor, name)
    found = next((v for v in lst.versions if v.version == version), None)
    if found is None:
        raise NotFound(f"screening list {name!r} has no version {version}")
    return found


def entities(session: Session, version_id: int, *, after_id: int = 0, limit: int = 500) -> list[ListEntity]:
    """One page of a version's entities in import order: those with an id above ``after_id``."""
    stmt = (select(ListEntity).where(ListEntity.version_id == version_id, ListEntity.id > after_id)
            .order_by(ListEntity.id).limit(limit))
    return list(session.execute(stmt).scalars())


def _end_of(day: dt.date) -> dt.datetime:
    """The end of a legal date: midnight after it in the regime's time zone."""
    from rarex.policy.service import get_pack

    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=get_pack().tz)


def version_on(session: Session, list_name: str, on: dt.date) -> ListVersion | None:
    """The version of ``list_name`` that was the newest at the end of ``on`` (in the regime's
    time zone): what the list said on that date. None when it had no version yet."""
    stmt = (select(ListVersion).join(ScreeningList).where(ScreeningList.name == list_name,
                                                          ListVersion.imported_at < _end_of(on))
            .order_by(ListVersion.version.desc()).limit(1))
    return session.execute(stmt).scalar_one_or_none()


def current_versions(session: Session, *, on: dt.date | None = None) -> list[ListVersion]:
    """The newest version of every list, by list name; with ``on``, the newest at the end of that date."""
    newest = select(ListVersion.list_id, func.max(ListVersion.version).label("version"))
    if on is not None:
        newest = newest.where(ListVersion.imported_at < _end_of(on))
    newest = newest.group_by(ListVersion.list_id).subquery()
    stmt = (select(ListVersion).join(newest, (ListVersion.list_id == newest.c.list_id)
                                     & (ListVersion.version == newest.c.version))
            .join(ScreeningList).order_by(ScreeningList.name))
    return list(session.execute(stmt).scalars())
