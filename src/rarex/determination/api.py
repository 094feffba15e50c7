"""``POST /api/v1/policy/determine``: is a licence needed, is the export prohibited, which licence types are open."""

from __future__ import annotations

from fastapi import APIRouter

from rarex.determination import service
from rarex.determination.schemas import Determination, DetermineIn
from rarex.web.deps import PrincipalDep, SessionDep, read_only

router = APIRouter(prefix="/api/v1", tags=["policy"])


@router.post(
    "/policy/determine", response_model=Determination,
    summary="Licence determination for an item, destination, end user and end use on a date",
)
@read_only
def determine(body: DetermineIn, principal: PrincipalDep, session: SessionDep) -> Determination:
    return service.determine_for(session, principal, body)
