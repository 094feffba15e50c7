"""Security headers on every response, errors and 500s included.

The middleware wraps the whole application, outside Starlette's error middleware, so that even
the "internal error" page carries them:

- ``Content-Security-Policy``: only this origin's scripts, styles and images; no inline
  script; no framing (``frame-ancestors 'none'``, and ``X-Frame-Options`` for old browsers).
- ``X-Content-Type-Options: nosniff``, so an uploaded or exported file is never run as script.
- ``Referrer-Policy: no-referrer``: licence numbers and case ids in URLs stay here.
- ``Cache-Control: no-store`` on answers to signed-in requests and on the sign-in endpoints,
  so no shared cache or browser history keeps another organisation's data or a token.

The API documentation pages are made by FastAPI and start Swagger UI with an inline script.
Their policy allows exactly those inline blocks by SHA-256 hash, computed from the page as
sent (only on those fixed paths, whose content no user influences); ReDoc also injects its
styles at run time, so its page alone allows inline styles.
"""

from __future__ import annotations

import base64
import hashlib
import re

from starlette.types import ASGIApp, Message, Receive, Scope, Send

BASE_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}

SWAGGER_PATHS = frozenset({"/docs", "/docs/oauth2-redirect"})
REDOC_PATH = "/redoc"

#: Requests carrying credentials or asking for them: their answers are never stored.
NO_STORE_PREFIXES = ("/api/v1/auth/",)

_INLINE = re.compile(rb"<(script|style)(?:\s[^>]*)?>(.*?)</\1>", re.DOTALL | re.IGNORECASE)


def policy(**overrides: str) -> bytes:
    return "; ".join(f"{k} {v}" for k, v in (BASE_POLICY | overrides).items()).encode()


DEFAULT_CSP = policy()
REDOC_CSP = policy(**{"style-src": "'self' 'unsafe-inline'", "worker-src": "'self' blob:"})


def inline_hashes_policy(html: bytes) -> bytes:
    """The base policy plus the hash of each inline ``<script>`` and ``<style>`` block of ``html``."""
    extra: dict[str, list[str]] = {"script": [], "style": []}
    for kind, content in _INLINE.findall(html):
        if content.strip():
            digest = base64.b64encode(hashlib.sha256(content).digest()).decode()
            extra[kind.decode().lower()].append(f"'sha256-{digest}'")
    return policy(**{f"{k}-src": " ".join(["'self'", *v]) for k, v in extra.items() if v})


def _wants_no_store(scope: Scope) -> bool:
    if scope["path"].startswith(NO_STORE_PREFIXES):
        return True
    return any(name in (b"authorization", b"cookie") for name, _ in scope.get("headers", ()))


class SecurityHeaders:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        no_store = _wants_no_store(scope)
        if path in SWAGGER_PATHS:
            await self._with_hashed_policy(scope, receive, send, no_store)
            return
        csp = REDOC_CSP if path == REDOC_PATH else DEFAULT_CSP

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = self._decorate(message, csp, no_store)
            await send(message)

        await self.app(scope, receive, send_with_headers)

    async def _with_hashed_policy(self, scope: Scope, receive: Receive, send: Send, no_store: bool) -> None:
        """Hold the (small) docs page until it is complete, then send it with its hashes."""
        start: Message | None = None
        chunks: list[bytes] = []

        async def buffering_send(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            if message["type"] != "http.response.body" or start is None:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                body = b"".join(chunks)
                await send(self._decorate(start, inline_hashes_policy(body), no_store))
                await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, buffering_send)

    @staticmethod
    def _decorate(start: Message, csp: bytes, no_store: bool) -> Message:
        ours = {
            b"content-security-policy": csp,
            b"x-content-type-options": b"nosniff",
            b"x-frame-options": b"DENY",
            b"referrer-policy": b"no-referrer",
        }
        if no_store:
            ours[b"cache-control"] = b"no-store"
        # An endpoint that serves content rarex did not write (an uploaded document) sets a
        # sandboxing policy of its own; that one is stricter than ours and stays.
        own = [v for k, v in start.get("headers", []) if k.lower() == b"content-security-policy"]
        if own and b"sandbox" in own[0]:
            ours[b"content-security-policy"] = own[0]
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() not in ours]
        return {**start, "headers": headers + list(ours.items())}
