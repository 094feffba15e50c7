"""Restricted-party lists: what a list said when, and the list names rarex accepts.

Every version of a list is kept, never changed, so a decision can be replayed against the
version that was newest on its date (:func:`version_on`). Versions are made by
:mod:`rarex.screening.list_import`; a version it is still writing (staged) is in force nowhere
and every reading here leaves it out.
"""

from __future__ import annotations

import datetime as dt
import json
import re

from sqlalchemy import Text, and_, cast, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from rarex.core.authz import Principal, require
from rarex.core.errors import InvalidInput, NotFound
from rarex.screening.models import ListEntity, ListVersion, ScreeningList

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_NAME = 80


def check_list_name(name: str) -> str:
    if len(name) > MAX_NAME or not _SLUG.fullmatch(name):
        raise InvalidInput(f"list name {name!r} is not a slug: lower-case letters, digits and single hyphens, "
                           f"at most {MAX_NAME} characters (e.g. cn-unreliable-entity-list)", field="list_name")
    return name


def newest_version(session: Session, list_id: int) -> ListVersion | None:
    """The list's version in force: its newest that is not staged."""
    stmt = (select(ListVersion).where(ListVersion.list_id == list_id, ListVersion.staged_at.is_(None))
            .order_by(ListVersion.version.desc()).limit(1))
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


def _matching(version_id: int, query: str):
    """Entities of the version whose id, name or an alias contains ``query`` (any case).

    Aliases are JSON text, where a non-ASCII character is written as a ``\\uXXXX`` escape: the
    query is looked for as typed and as JSON writes it."""
    stmt = select(ListEntity).where(ListEntity.version_id == version_id)
    if query:
        escaped = json.dumps(query)[1:-1]
        stmt = stmt.where(or_(ListEntity.entity_id.icontains(query, autoescape=True),
                              ListEntity.name.icontains(query, autoescape=True),
                              cast(ListEntity.aliases, Text).icontains(query, autoescape=True),
                              cast(ListEntity.aliases, Text).icontains(escaped, autoescape=True)))
    return stmt


def search_entities(session: Session, version_id: int, *, query: str = "", by_name: bool = False, offset: int = 0,
                    limit: int = 50) -> tuple[list[ListEntity], int]:
    """One page of a version's entities that match ``query``, in file order or by name, and how many match."""
    stmt = _matching(version_id, query)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    order = (ListEntity.name, ListEntity.id) if by_name else (ListEntity.id,)
    return list(session.execute(stmt.order_by(*order).offset(offset).limit(limit)).scalars()), total


def version_changes(session: Session, old_version_id: int, new_version_id: int) -> dict[str, int]:
    """Entities (by their id in the file) the new version added, removed, and changed in any field."""
    old, new = aliased(ListEntity), aliased(ListEntity)

    def only_in(a, b, a_id: int, b_id: int) -> int:
        other = exists().where(b.version_id == b_id, b.entity_id == a.entity_id)
        return session.scalar(select(func.count()).select_from(a).where(a.version_id == a_id, ~other)) or 0

    differs = or_(new.name != old.name, new.schema != old.schema, new.listed_on.is_distinct_from(old.listed_on),
                  *(cast(getattr(new, f), Text) != cast(getattr(old, f), Text)
                    for f in ("aliases", "countries", "programs", "identifiers", "addresses")))
    changed = session.scalar(
        select(func.count()).select_from(new)
        .join(old, and_(old.entity_id == new.entity_id, old.version_id == old_version_id))
        .where(new.version_id == new_version_id, differs)) or 0
    return {"added": only_in(new, old, new_version_id, old_version_id),
            "removed": only_in(old, new, old_version_id, new_version_id), "changed": changed}


def _end_of(day: dt.date) -> dt.datetime:
    """The end of a legal date: midnight after it in the regime's time zone."""
    from rarex.policy.service import get_pack

    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=get_pack().tz)


def version_on(session: Session, list_name: str, on: dt.date) -> ListVersion | None:
    """The version of ``list_name`` that was the newest at the end of ``on`` (in the regime's
    time zone): what the list said on that date. None when it had no version yet."""
    stmt = (select(ListVersion).join(ScreeningList).where(ScreeningList.name == list_name, ListVersion.staged_at.is_(None),
                                                          ListVersion.imported_at < _end_of(on))
            .order_by(ListVersion.version.desc()).limit(1))
    return session.execute(stmt).scalar_one_or_none()


def current_versions(session: Session, *, on: dt.date | None = None) -> list[ListVersion]:
    """The newest version of every list, by list name; with ``on``, the newest at the end of that date."""
    newest = select(ListVersion.list_id, func.max(ListVersion.version).label("version")).where(ListVersion.staged_at.is_(None))
    if on is not None:
        newest = newest.where(ListVersion.imported_at < _end_of(on))
    newest = newest.group_by(ListVersion.list_id).subquery()
    stmt = (select(ListVersion).join(newest, (ListVersion.list_id == newest.c.list_id)
                                     & (ListVersion.version == newest.c.version))
            .join(ScreeningList).order_by(ScreeningList.name))
    return list(session.execute(stmt).scalars())
