"""Request-body limit: refuse an oversized body with 413 before the app reads it.

An anonymous 300 MB JSON body grew the server by 900 MB, and a 1 GB multipart upload was
spooled to disk before authentication refused it. This pure ASGI middleware sits outside the
app: a declared ``Content-Length`` over the limit is answered at once, without reading a byte;
a body sent without one (chunked) is counted as it streams, and the request is cut off the
moment it passes the limit. Uploads (``RAREX_MAX_UPLOAD_BYTES`` plus room for the multipart
framing) have a limit of their own; everything else has ``RAREX_MAX_BODY_BYTES``.
"""

from __future__ import annotations

import json
import re

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rarex.core.errors import PayloadTooLarge
from rarex.core.settings import get_settings
from rarex.web.problems import MEDIA_TYPE

#: Paths whose body is a document upload (multipart), allowed the upload limit: the API's, the
#: pages' (a draft's documents, the documents of an answer to a request for information), and the
#: pages that take a customs file or a restricted-party list.
UPLOAD_PATH = re.compile(r"^(/api/v1)?/applications/[^/]+(/respond)?/documents/?$|^/customs/import$|^/admin/lists/import$|^/reports/prices$")

#: Multipart boundaries, part headers and form fields around the file itself.
MULTIPART_ALLOWANCE = 64 * 1024


def body_limit(path: str) -> int:
    settings = get_settings()
    if UPLOAD_PATH.match(path):
        return settings.max_upload_bytes + MULTIPART_ALLOWANCE
    return settings.max_body_bytes


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None  # the server refuses a malformed Content-Length before the app runs
    return None


class BodyLimit:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = body_limit(scope["path"])
        declared = _declared_length(scope)
        if declared is not None and declared > limit:
            await self._refuse(scope, send, limit)
            return

        received = 0
        refused = False
        started = False

        async def counting_receive() -> Message:
            nonlocal received, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    refused = True
                    if not started:
                        await self._refuse(scope, send, limit)
                    # The app sees the client go away and stops; its answer is dropped below.
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if refused:
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except Exception:
            if not refused:  # an app that fails on the cut-off body has already been answered
                raise

    @staticmethod
    async def _refuse(scope: Scope, send: Send, limit: int) -> None:
        setting = "RAREX_MAX_UPLOAD_BYTES" if UPLOAD_PATH.match(scope["path"]) else "RAREX_MAX_BODY_BYTES"
        problem = PayloadTooLarge(f"the request body is larger than {limit} bytes (the limit set by {setting})",
                                  title="Request body too large")
        body = json.dumps(problem.to_dict(instance=scope["path"])).encode()
        await send({
            "type": "http.response.start",
            "status": problem.status,
            "headers": [
                (b"content-type", MEDIA_TYPE.encode()),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        })
        await send({"type": "http.response.body", "body": body})
