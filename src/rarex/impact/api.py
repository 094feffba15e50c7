"""``POST /api/v1/policy/impact``: the impact of a draft amendment of the pack, the body being the draft's YAML."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from rarex.core.errors import InvalidInput, PayloadTooLarge
from rarex.core.inputs import InputDate
from rarex.impact.schemas import ImpactReport
from rarex.impact.service import DEFAULT_WINDOW_DAYS, MAX_DRAFT_BYTES, draft_impact
from rarex.policy.loader import PackError
from rarex.policy.service import get_pack
from rarex.web.deps import PrincipalDep, SessionDep, read_only

router = APIRouter(prefix="/api/v1", tags=["policy"])

DRAFT_EXAMPLE = """code: extension-2027-01-10
description_en: The suspension by Ann. 2025 No. 70 extended to 10 January 2027
description_zh: 第70号公告暂停实施期限延长至2027年1月10日
effective_from: 2026-11-11
legal_ref: draft
amendments:
  - code: 2025-70-suspension
    ...
"""


async def draft_text(request: Request) -> str:
    """The request body as text, whatever its Content-Type says: YAML is not JSON, and curl
    sends a file as application/x-www-form-urlencoded unless told otherwise."""
    raw = await request.body()
    if len(raw) > MAX_DRAFT_BYTES:
        raise PayloadTooLarge(f"the draft is larger than {MAX_DRAFT_BYTES // 1024} KiB")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"the draft is not UTF-8 text: {exc}") from exc


@router.post(
    "/policy/impact", response_model=ImpactReport,
    summary="Which pending applications, usable licences and recent shipments a draft amendment of the pack touches",
    description="The body is the draft, YAML in the pack's own format (Content-Type application/yaml or text/plain); "
                "an invalid draft is a 422 problem whose `errors` list every `draft.yaml:line: field: message`.",
    openapi_extra={"requestBody": {"required": True, "content": {
        "application/yaml": {"schema": {"type": "string"}, "example": DRAFT_EXAMPLE}}}},
)
@read_only
def impact(
    principal: PrincipalDep, session: SessionDep,
    draft: Annotated[str, Depends(draft_text)],
    on: Annotated[InputDate | None, Query(description="Date to judge on; default the draft's effective_from.")] = None,
    window_days: Annotated[int, Query(ge=1, le=3660, description="Recent shipments: the last N days up to today.")]
    = DEFAULT_WINDOW_DAYS,
) -> ImpactReport:
    try:
        return draft_impact(session, principal, get_pack(), "draft.yaml", draft, on, window_days=window_days)
    except PackError as exc:
        raise InvalidInput(str(exc), errors=exc.errors) from exc
