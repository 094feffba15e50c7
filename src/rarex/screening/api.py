"""Restricted-party lists API: the lists, their versions, and each version's entities.

Lists are imported from files by ``rarex screening import`` (files of hundreds of megabytes are
an operator's job, not an upload); here they are read. Every version stays readable, so a
decision can be checked against the list as it stood then.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, ConfigDict, Field

from rarex.core.db import MAX_ROW_ID
from rarex.screening import lists
from rarex.screening.models import ListVersion, ScreeningList
from rarex.web.deps import PrincipalDep, SessionDep
from rarex.web.paging import Cursor, decode_cursor, next_cursor

router = APIRouter(prefix="/api/v1/screening", tags=["screening lists"])

ListName = Annotated[str, Path(min_length=1, max_length=lists.MAX_NAME, description="The list's name, e.g. cn-unreliable-entity-list")]
VersionNo = Annotated[int, Path(ge=1, le=MAX_ROW_ID, description="Version number: 1 for the list's first import")]


class VersionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    version: int
    source: str = Field(description="The file it was imported from")
    publisher: str
    published_on: dt.date | None = Field(description="The list's own date, when the importer gave it")
    format: str
    checksum: str = Field(description="SHA-256 of the imported file")
    entry_count: int
    rejected_count: int = Field(description="Records of the file that were not imported")
    imported_at: dt.datetime
    imported_by: str


class ListOut(BaseModel):
    name: str
    title: str
    created_at: dt.datetime
    version_count: int
    latest: VersionOut | None = Field(description="The newest version: the one screening uses")


class ListDetail(BaseModel):
    name: str
    title: str
    created_at: dt.datetime
    versions: list[VersionOut] = Field(description="Oldest first")


class EntityOut(BaseModel):
    model_config = ConfigDict(from_attributes=True, populate_by_name=True)

    entity_id: str = Field(description="The entity's id in the imported file")
    schema_: str = Field(alias="schema", description="FollowTheMoney schema (Company, Person, ...) or the file's own kind")
    name: str
    aliases: list[str]
    countries: list[str] = Field(description="ISO 3166-1 alpha-2, lower case")
    programs: list[str]
    identifiers: list[str]
    addresses: list[str]
    listed_on: dt.date | None


class EntityPage(BaseModel):
    items: list[EntityOut]
    next_cursor: str | None


def list_out(lst: ScreeningList) -> ListOut:
    latest = lst.versions[-1] if lst.versions else None
    return ListOut(name=lst.name, title=lst.title, created_at=lst.created_at, version_count=len(lst.versions),
                   latest=VersionOut.model_validate(latest) if latest else None)


def list_detail(lst: ScreeningList) -> ListDetail:
    return ListDetail(name=lst.name, title=lst.title, created_at=lst.created_at,
                      versions=[VersionOut.model_validate(v) for v in lst.versions])


def version_out(version: ListVersion) -> VersionOut:
    return VersionOut.model_validate(version)


@router.get("/lists", response_model=list[ListOut], summary="Restricted-party lists, each with its newest version")
def get_lists(principal: PrincipalDep, session: SessionDep) -> list[ListOut]:
    return [list_out(lst) for lst in lists.list_lists(session, principal)]


@router.get("/lists/{name}", response_model=ListDetail, summary="One list with all its versions")
def get_list(name: ListName, principal: PrincipalDep, session: SessionDep) -> ListDetail:
    return list_detail(lists.get_list(session, principal, name))


@router.get("/lists/{name}/versions/{version}/entities", response_model=EntityPage,
            summary="The entities of one version of a list, in file order")
def get_entities(
    name: ListName, version: VersionNo, principal: PrincipalDep, session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    cursor: Cursor = None,
) -> EntityPage:
    found = lists.get_version(session, principal, name, version)
    rows = lists.entities(session, found.id, after_id=decode_cursor(cursor), limit=limit + 1)
    return EntityPage(items=[EntityOut.model_validate(e) for e in rows[:limit]],
                      next_cursor=next_cursor(rows, limit))
