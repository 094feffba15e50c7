"""Errors a user can cause, as RFC 9457 problem details.

Services raise :class:`Problem` subclasses; the web layer renders them as
``application/problem+json`` and the CLI prints ``title: detail`` on one line of stderr and
exits non-zero. Nothing a user sends should surface as a 500.
"""

from __future__ import annotations

from typing import Any

PROBLEM_BASE = "https://rarex.example/problems/"


class Problem(Exception):
    status: int = 400
    slug: str = "bad-request"
    title: str = "Bad request"
    #: Seconds after which the same request may succeed; sent as ``Retry-After`` when set.
    retry_after: int | None = None

    def __init__(self, detail: str, *, title: str | None = None, slug: str | None = None, **extra: Any):
        super().__init__(detail)
        self.detail = detail
        if title:
            self.title = title
        if slug:
            self.slug = slug
        self.extra = extra

    @property
    def type(self) -> str:
        return PROBLEM_BASE + self.slug

    def to_dict(self, instance: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {"type": self.type, "title": self.title, "status": self.status, "detail": self.detail}
        if instance:
            body["instance"] = instance
        body.update(self.extra)
        return body

    def __str__(self) -> str:
        return f"{self.title}: {self.detail}"


class InvalidInput(Problem):
    status, slug, title = 422, "invalid-input", "Invalid input"


class Unauthenticated(Problem):
    status, slug, title = 401, "unauthenticated", "Authentication required"


class Forbidden(Problem):
    status, slug, title = 403, "forbidden", "Not allowed"


class NotFound(Problem):
    status, slug, title = 404, "not-found", "Not found"


class Conflict(Problem):
    status, slug, title = 409, "conflict", "Conflict"


class InvalidTransition(Conflict):
    """A state machine was asked for a transition its table does not allow."""

    slug, title = "invalid-transition", "Transition not allowed"

    def __init__(self, thing: str, current: str, action: str, allowed_from: list[str] | None = None):
        detail = f"cannot {action} {thing}: it is {current}"
        if allowed_from:
            detail += f" (allowed only when {' or '.join(allowed_from)})"
        super().__init__(detail, current_state=current, action=action)


class PayloadTooLarge(Problem):
    status, slug, title = 413, "payload-too-large", "Upload too large"


class QuotaExceeded(Conflict):
    """A limit on what one application or organisation may hold was reached."""

    slug, title = "quota-exceeded", "Quota exceeded"


class UnsupportedMediaType(Problem):
    status, slug, title = 415, "unsupported-media-type", "Unsupported file type"


class TooManyRequests(Problem):
    """Refused for now; ``Retry-After`` (seconds) says when to try again."""

    status, slug, title = 429, "too-many-requests", "Too many requests"

    def __init__(self, detail: str, *, retry_after: int, **extra: Any):
        super().__init__(detail, retry_after=retry_after, **extra)
        self.retry_after = retry_after


class ServiceBusy(Problem):
    """The server is full (no database slot, connection or lock in time): retry, nothing changed."""

    status, slug, title, retry_after = 503, "busy", "Service busy", 1
