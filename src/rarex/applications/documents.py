"""Uploaded documents: checked for size, type and name before anything is stored.

Content is stored once under its SHA-256 (content-addressed), written to a temporary file
and renamed into place, so a crash never leaves a half-written document under a real name.
A declared media type must agree with the file's own signature: a renamed executable is not
a PDF.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import unicodedata
from pathlib import Path

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from rarex.applications.models import ApplicationDocument
from rarex.core.errors import InvalidInput, PayloadTooLarge, UnsupportedMediaType
from rarex.core.settings import get_settings

#: media type -> (allowed extensions, leading magic bytes)
ALLOWED: dict[str, tuple[tuple[str, ...], tuple[bytes, ...]]] = {
    "application/pdf": ((".pdf",), (b"%PDF-",)),
    "image/png": ((".png",), (b"\x89PNG\r\n\x1a\n",)),
    "image/jpeg": ((".jpg", ".jpeg"), (b"\xff\xd8\xff",)),
}
_BAD_NAME = re.compile(r"[\x00-\x1f\x7f/\\]")


def clean_filename(name: str | None) -> str:
    if not name:
        raise InvalidInput("the file has no name", field="file")
    name = unicodedata.normalize("NFC", name).strip()
    if _BAD_NAME.search(name) or name in (".", "..") or name.startswith("."):
        raise InvalidInput(f"file name {name!r} contains path separators, control characters or starts with a dot", field="file")
    if len(name.encode()) > 255:
        raise InvalidInput("file name is longer than 255 bytes", field="file")
    return name


def check_upload(filename: str | None, content_type: str | None, data: bytes) -> tuple[str, str]:
    """Validate an upload; return (clean filename, media type). Raises before anything is stored."""
    limit = get_settings().max_upload_bytes
    if len(data) > limit:
        raise PayloadTooLarge(f"file is {len(data)} bytes; the limit is {limit}")
    if not data:
        raise InvalidInput("the file is empty", field="file")
    name = clean_filename(filename)
    media = (content_type or "").split(";")[0].strip().lower()
    if media not in ALLOWED:
        raise UnsupportedMediaType(f"{media or 'unknown type'} is not accepted; upload PDF, PNG or JPEG", field="file")
    exts, magics = ALLOWED[media]
    if not name.lower().endswith(exts):
        raise UnsupportedMediaType(f"file name {name!r} does not end in {' or '.join(exts)} as a {media} must", field="file")
    if not data.startswith(magics):
        raise UnsupportedMediaType(f"the content of {name!r} is not a {media} file", field="file")
    return name, media


def storage_path(sha256: str) -> Path:
    return get_settings().documents_dir / sha256[:2] / sha256


def store(data: bytes) -> str:
    """Write the content under its SHA-256 (idempotent) and return the digest."""
    digest = hashlib.sha256(data).hexdigest()
    path = storage_path(digest)
    if path.exists():
        return digest
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return digest


def read(sha256: str) -> bytes:
    return storage_path(sha256).read_bytes()


def remove_after_commit(session: Session, sha256: str) -> None:
    """Delete the content from the store once ``session`` commits, unless a document still
    holds it. Never before the commit: a rolled-back removal must find its file in place."""
    def _remove(committed: Session) -> None:
        with Session(bind=committed.get_bind()) as check:
            if check.scalar(select(ApplicationDocument.id).where(ApplicationDocument.sha256 == sha256).limit(1)) is None:
                storage_path(sha256).unlink(missing_ok=True)

    event.listen(session, "after_commit", _remove, once=True)
