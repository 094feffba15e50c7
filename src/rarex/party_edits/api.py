"""``PATCH /api/v1/parties/{id}``: a party's exporter changes its details (see :mod:`.service`)."""

from __future__ import annotations

from fastapi import APIRouter

from rarex.parties.schemas import PartyOut, PartyPatch
from rarex.party_edits import service
from rarex.web.deps import PrincipalDep, SessionDep
from rarex.web.params import RowId

router = APIRouter(prefix="/api/v1", tags=["organisations and parties"])


@router.patch(
    "/parties/{party_id}", response_model=PartyOut,
    summary="Change a party's details (its exporter): a new version; key elements are fixed while a live case or licence names it",
    responses={409: {"description": "A key element of a party that a live licence, open case or amendment names"}},
)
def update_party(party_id: RowId, body: PartyPatch, principal: PrincipalDep, session: SessionDep) -> PartyOut:
    return PartyOut.model_validate(service.edit_party(session, principal, party_id, **body.model_dump(exclude_unset=True)))
