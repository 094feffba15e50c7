"""``POST /api/v1/licences/{number}/reapply``: apply again from a licence (DUR Art. 18 para. 2).

It answers with a draft application, so it lives with applications (above licences), under
the licence's path."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from rarex.applications import replacement, views
from rarex.applications.schemas import ApplicationOut, ReapplyIn
from rarex.web.deps import PrincipalDep, SessionDep

router = APIRouter(prefix="/api/v1", tags=["applications"])


@router.post(
    "/licences/{number}/reapply", response_model=ApplicationOut, status_code=201,
    summary="Draft a new application from a licence, adding or replacing end users (the old licence is handed back "
            "when it is granted)",
    description="The end user is a key element (DUR Art. 18 para. 2): another end user needs a new application, not an "
                "amendment. The draft carries the licence's type, consignee, end use and items with what remains of each "
                "(item, end user) line, plus the end users given. When it is submitted, exports under the licence stop; "
                "if it is refused or withdrawn, the licence carries on; when it is granted, the licence is handed back.",
)
def reapply(
    number: Annotated[str, Path(min_length=1, max_length=40, description="Licence number, e.g. CNDU-G2025-000001")],
    body: ReapplyIn, principal: PrincipalDep, session: SessionDep,
) -> ApplicationOut:
    return views.detail(session, replacement.reapply(session, principal, number, body), reader=principal)
