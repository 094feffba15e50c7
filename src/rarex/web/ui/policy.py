"""The policy pack as it stood on any date: which entries were in force and on what legal basis,
which were not and why, and the licence types. Everything is read from the pack's own bilingual
data, so the Chinese page shows the pack's Chinese text, not a translation made here."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from rarex.core.inputs import InputDate
from rarex.policy.service import control_list, get_pack
from rarex.web.ui.render import render
from rarex.web.ui.session import SignedInPrincipal

router = APIRouter(include_in_schema=False)


@router.get("/policy", name="policy_pack")
def policy_page(request: Request, principal: SignedInPrincipal,
                on: Annotated[InputDate | None, Query(description="the date to show the pack as it stood")] = None) -> Response:
    pack = get_pack()
    day: dt.date = on or pack.today()
    listing = control_list(pack, day)
    by_announcement: dict[str, list[Any]] = {}
    for entry in listing.entries:
        by_announcement.setdefault(entry.announcement, []).append(entry)
    return render(request, "ui/policy.html", {
        "pack": pack, "on": day, "today": pack.today(), "groups": by_announcement, "not_in_force": listing.not_in_force,
        "after_review": day > pack.reviewed_until,
    })
