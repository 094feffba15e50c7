"""Render every error as an RFC 9457 problem document (``application/problem+json``)."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from rarex.core.db import is_busy
from rarex.core.errors import PROBLEM_BASE, Problem, ServiceBusy
from rarex.web.ui.errors import error_page, to_sign_in, wants_html
from rarex.web.ui.session import SignInRequired

log = logging.getLogger("rarex")
MEDIA_TYPE = "application/problem+json"


def problem_response(status: int, body: dict, headers: dict | None = None) -> JSONResponse:
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def _loc(loc) -> str:
    parts = [str(p) for p in loc if p not in ("body",)]
    return ".".join(parts) or "body"


def install(app: FastAPI) -> None:
    app.add_exception_handler(SignInRequired, to_sign_in)  # type: ignore[arg-type]

    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem):
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else {}
        if exc.retry_after is not None:
            headers["Retry-After"] = str(exc.retry_after)
        if wants_html(request):
            headers.pop("WWW-Authenticate", None)
            return error_page(request, exc.status, exc.slug, headers)
        return problem_response(exc.status, exc.to_dict(instance=request.url.path), headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        if wants_html(request):
            return error_page(request, 422, "invalid-input")
        errors = [
            {"field": _loc(e.get("loc", ())), "message": e.get("msg", ""), "type": e.get("type", "")}
            for e in exc.errors()
        ]
        detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors[:5])
        body = {
            "type": PROBLEM_BASE + "invalid-input",
            "title": "Invalid input",
            "status": 422,
            "detail": detail,
            "instance": request.url.path,
            "errors": errors,
        }
        return problem_response(422, body)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        if wants_html(request):
            return error_page(request, exc.status_code, {404: "not-found", 405: "method-not-allowed"}.get(exc.status_code, "http-error"))
        titles = {404: "Not found", 405: "Method not allowed", 401: "Authentication required", 403: "Not allowed"}
        body = {
            "type": PROBLEM_BASE + {404: "not-found", 405: "method-not-allowed"}.get(exc.status_code, "http-error"),
            "title": titles.get(exc.status_code, "Error"),
            "status": exc.status_code,
            "detail": str(exc.detail),
            "instance": request.url.path,
        }
        return problem_response(exc.status_code, body, getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        if is_busy(exc):  # a busy database reached outside a request session (see web.deps)
            log.warning("database busy on %s %s: %s", request.method, request.url.path, exc)
            return await _problem(request, ServiceBusy("the database is busy; retry shortly"))
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        body = {
            "type": PROBLEM_BASE + "internal-error",
            "title": "Internal error",
            "status": 500,
            "detail": "an unexpected error occurred; it has been logged",
            "instance": request.url.path,
        }
        return problem_response(500, body)
