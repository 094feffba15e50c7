"""The buyer's view over the API: ``GET /api/v1/buyer/cover``, ``POST /api/v1/buyer/invitations``,
and ``POST /api/v1/auth/invitation`` (the invited buyer sets its first password)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from rarex.buyers import service
from rarex.buyers.schemas import AcceptIn, CoverOut, InvitationOut, InviteIn
from rarex.core.db import MAX_ROW_ID
from rarex.users import invitations
from rarex.web.deps import PrincipalDep, SessionDep

router = APIRouter(prefix="/api/v1", tags=["buyers"])


@router.get("/buyer/cover", response_model=CoverOut,
            summary="Licence lines naming an end user: remaining per element, 90-day drawdown, days of cover, expiring soon")
def cover(
    principal: PrincipalDep, session: SessionDep,
    party_id: Annotated[int | None, Query(ge=1, le=MAX_ROW_ID, description="The end user; a buyer's own by default.")] = None,
    window_days: Annotated[int, Query(ge=1, le=366, description="Days of drawdown the rate is taken over.")] = service.WINDOW_DAYS,
    expiring_within_days: Annotated[int, Query(ge=0, le=1100, description="Licences ending within this many days.")]
    = service.EXPIRING_WITHIN_DAYS,
) -> CoverOut:
    return service.cover(session, principal, party_id, window_days=window_days, expiring_within_days=expiring_within_days)


@router.post("/buyer/invitations", response_model=InvitationOut, status_code=201,
             summary="Invite a buyer account for one of your end users; the answer holds its one-time set-password token")
def invite(body: InviteIn, principal: PrincipalDep, session: SessionDep) -> InvitationOut:
    return service.invite(session, principal, party_id=body.party_id, username=body.username, display_name=body.display_name)


@router.post("/auth/invitation", status_code=204, summary="Set the first password of an invited account (the token is the credential)")
def accept(body: AcceptIn, session: SessionDep) -> None:
    invitations.accept(session, body.token, body.password)
