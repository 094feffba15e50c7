"""Screening API: search a name, and the hits on cases that officers resolve.

``POST /api/v1/screening/search`` answers ``{"threshold", "lists", "hits": [...]}`` with the
hits best first; ``alert`` is true when a hit reaches the threshold that blocks a case.
"""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Query

from rarex.core.db import MAX_ROW_ID
from rarex.screening import cases, service
from rarex.screening.models import HitStatus
from rarex.screening.views import HitOut, HitPage, ResolveIn, SearchIn, SearchOut, hit_out, hits_out, search_out
from rarex.web.deps import PrincipalDep, SessionDep, read_only
from rarex.web.paging import Cursor, Limit, decode_cursor, next_cursor
from rarex.web.params import RowId

router = APIRouter(prefix="/api/v1", tags=["screening"])


@router.post("/screening/search", response_model=SearchOut, summary="Screen one name against the restricted-party lists")
@read_only
def search(body: SearchIn, principal: PrincipalDep, session: SessionDep) -> SearchOut:
    return search_out(service.search(session, principal, body.name, country=body.country, on=body.on, limit=body.limit))


@router.get("/screening/hits", response_model=HitPage, summary="Screening hits on applications and licences")
def list_hits(
    principal: PrincipalDep,
    session: SessionDep,
    status: HitStatus | None = None,
    subject: Literal["application", "licence"] | None = Query(default=None, description="Only hits on this kind of case"),
    application_id: int | None = Query(default=None, ge=1, le=MAX_ROW_ID),
    licence: str | None = Query(default=None, min_length=1, max_length=40, description="A licence number"),
    limit: Limit = 50,
    cursor: Cursor = None,
) -> HitPage:
    after = decode_cursor(cursor)
    hits = cases.list_hits(session, principal, application_id=application_id, licence=licence, status=status,
                           subject=subject, after_id=after, limit=limit + 1)
    return HitPage(items=hits_out(session, hits[:limit]), next_cursor=next_cursor(hits, limit))


@router.get("/screening/hits/{hit_id}", response_model=HitOut, summary="One screening hit")
def get_hit(hit_id: RowId, principal: PrincipalDep, session: SessionDep) -> HitOut:
    return hit_out(session, cases.get_hit(session, principal, hit_id))


@router.post("/screening/hits/{hit_id}/resolve", response_model=HitOut,
             summary="Officer: clear a hit as a false positive, or confirm it, with a reason")
def resolve(hit_id: RowId, body: ResolveIn, principal: PrincipalDep, session: SessionDep) -> HitOut:
    return hit_out(session, cases.resolve(session, principal, hit_id, HitStatus(body.resolution), body.reason))
