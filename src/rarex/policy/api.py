"""Public policy endpoints: the dated control list, classification, licence types, grounds, deadlines.

No sign-in: the law is public, and an exporter should be able to check an item before it has
an account. Every answer states the date it is for and carries a caveat when that date lies
after the pack's last review.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from rarex.core.errors import InvalidInput
from rarex.core.inputs import InputDate
from rarex.policy import service
from rarex.policy.classify import Classification
from rarex.policy.models import Ground
from rarex.policy.schemas import ClassifyIn, ControlListOut, DeadlineOut, LicenceTypeOut

router = APIRouter(prefix="/api/v1", tags=["policy"])

OnQuery = Annotated[InputDate | None, Query(description="Date (YYYY-MM-DD); default today in the pack's time zone.")]


@router.get("/policy/control-list", response_model=ControlListOut, summary="Control list entries in force on a date")
def control_list(on: OnQuery = None) -> ControlListOut:
    pack = service.get_pack()
    return service.control_list(pack, on or pack.today())


@router.post("/policy/classify", response_model=Classification, summary="Candidate control entries for an item on a date")
def classify(body: ClassifyIn) -> Classification:
    pack = service.get_pack()
    return service.classify(
        pack, on=body.on or pack.today(), hs_code=body.hs_code, element=body.element, form=body.form,
        description=body.description, code=body.code,
    )


@router.get("/policy/licence-types", response_model=list[LicenceTypeOut], summary="Licence types with conditions and documents")
def licence_types() -> list[LicenceTypeOut]:
    return service.licence_types(service.get_pack())


@router.get("/policy/grounds", response_model=list[Ground],
            summary="Grounds for acting on a licence (suspend, reinstate, order an amendment, withdraw, revoke), each "
                    "with its legal reference and the actions it supports")
def grounds() -> list[Ground]:
    return list(service.get_pack().grounds.values())


@router.get(
    "/calendar/deadline", response_model=DeadlineOut, response_model_by_alias=True,
    summary="The date N official working days after a date",
)
def deadline(
    start: Annotated[InputDate, Query(alias="from", description="Start date; itself not counted.")],
    working_days: Annotated[int, Query(ge=0, le=3650, description="Number of working days.")],
) -> DeadlineOut:
    try:
        return service.deadline(service.get_pack(), start, working_days)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from exc
