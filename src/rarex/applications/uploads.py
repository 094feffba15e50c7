"""Reading an upload's body: only once the caller is known, and never more of it than the limit.

A route with ``File()``/``Form()`` parameters has FastAPI read and spool the whole multipart
body before any dependency runs, so an anonymous 1 GB upload was written to disk before its
401. The upload route therefore takes the raw request, checks who is asking and whether the
case takes documents, and only then reads the stream through :func:`read_form`, which refuses
a declared or actual body over the limit (413) as soon as it sees it.
"""

from __future__ import annotations

from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.types import Message

from rarex.core.errors import InvalidInput, PayloadTooLarge, UnsupportedMediaType

#: Room for the multipart framing and the doc_type field around a file of the full size.
FORM_OVERHEAD = 64 * 1024
DOC_TYPE_MAX = 40

#: The request body the route reads by hand, for the OpenAPI document.
OPENAPI_BODY = {
    "requestBody": {
        "required": True,
        "content": {"multipart/form-data": {"schema": {
            "type": "object",
            "required": ["doc_type", "file"],
            "properties": {
                "doc_type": {"type": "string", "maxLength": DOC_TYPE_MAX, "description": "A document type of the policy pack"},
                "file": {"type": "string", "format": "binary", "description": "PDF, PNG or JPEG"},
            },
        }}},
    }
}


def _too_large(limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(f"the upload is larger than the {limit}-byte limit for one document (RAREX_MAX_UPLOAD_BYTES)",
                           limit=limit)


async def read_form(request: Request, limit: int, *, fields: int = 2) -> FormData:
    """The multipart form of ``request``, refusing a body over ``limit`` plus framing (413).
    ``fields``: how many plain fields besides the file it may hold (a page's form adds its token)."""
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != "multipart/form-data":
        raise UnsupportedMediaType("send the document as multipart/form-data with the fields doc_type and file")
    cap = limit + FORM_OVERHEAD
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > cap:
        raise _too_large(limit)
    received = 0

    async def receive() -> Message:
        nonlocal received
        message = await request.receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > cap:
                raise _too_large(limit)
        return message

    return await Request(request.scope, receive).form(max_files=1, max_fields=fields)


async def document_fields(form: FormData) -> tuple[str, UploadFile, bytes]:
    """(doc_type, file, content) from the form, or 422 naming what is missing."""
    doc_type, file = form.get("doc_type"), form.get("file")
    if not isinstance(doc_type, str) or not doc_type:
        raise InvalidInput("doc_type: a document type is required", field="doc_type")
    if len(doc_type) > DOC_TYPE_MAX:
        raise InvalidInput(f"doc_type: at most {DOC_TYPE_MAX} characters", field="doc_type")
    if not isinstance(file, UploadFile):
        raise InvalidInput("file: a file is required (a multipart part with a filename)", field="file")
    return doc_type, file, await file.read()
