"""The first page after sign-in: who you are, for whom you act, and where your work is."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from rarex.web.ui.render import render
from rarex.web.ui.session import SignedInPrincipal

router = APIRouter(include_in_schema=False)


@router.get("/home", name="home")
def home(request: Request, principal: SignedInPrincipal) -> Response:
    return render(request, "ui/home.html", {"role": str(principal.role or "")})
