"""A file uploaded on a page's form, checked and kept in a temporary directory for an import.

The name is cleaned as a document's is (no path separators, no control characters), the type is
told by the name's ending (the importers read by content and refuse what they cannot read),
the size is held to ``RAREX_MAX_UPLOAD_BYTES`` (the body limit of these paths is that plus
the form, web/guards.py), and an empty file is refused. The message is in the page's language,
for the field. Nothing is stored anywhere but the temporary directory, which the caller (or
the import's thread) removes.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from fastapi import Request
from starlette.datastructures import FormData, UploadFile

from rarex.applications.documents import clean_filename
from rarex.core.authz import Principal
from rarex.core.errors import InvalidInput
from rarex.core.settings import get_settings
from rarex.web.i18n import gettext
from rarex.web.ui.session import CSRF_FIELD, SignInRequired, check_csrf, identify_alone

CHUNK = 1 << 20


async def upload_post(request: Request, *, max_fields: int = 4) -> tuple[Principal, FormData]:
    """The signed-in caller and the form of an upload page's POST, its CSRF token checked.

    No request transaction: the imports write in transactions of their own, and under SQLite a
    request holding the write lock would make them wait for it. The caller checks its permission."""
    principal = identify_alone(request)
    if principal is None:
        raise SignInRequired(request.url.path)
    form = await request.form(max_files=1, max_fields=max_fields)
    check_csrf(request, form.get(CSRF_FIELD), signed_in=True)
    return principal, form


class UploadRefused(Exception):
    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message, self.status = message, status


@dataclass
class Saved:
    dir: Path
    path: Path
    name: str
    size: int

    def discard(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)


async def save_upload(locale: str, value: object, endings: tuple[str, ...]) -> Saved:
    if not isinstance(value, UploadFile) or not value.filename:
        raise UploadRefused(gettext(locale, "Choose a file to upload."))
    try:
        name = clean_filename(value.filename)
    except InvalidInput:
        raise UploadRefused(gettext(locale, "Rename the file: its name may not contain / \\ or control characters, "
                                            "nor start with a dot.")) from None
    if not name.lower().endswith(endings):
        raise UploadRefused(gettext(locale, "Choose a file ending in %(endings)s.", endings=" / ".join(endings)), 415)
    limit = get_settings().max_upload_bytes
    directory = Path(tempfile.mkdtemp(prefix="rarex-import-"))
    saved = Saved(directory, directory / name, name, 0)
    try:
        with saved.path.open("wb") as out:
            while chunk := await value.read(CHUNK):
                saved.size += len(chunk)
                if saved.size > limit:
                    raise UploadRefused(gettext(locale, "The file is larger than %(mb)s MB, the most a page takes.",
                                                mb=round(limit / 1024 / 1024, 1)), 413)
                out.write(chunk)
        if not saved.size:
            raise UploadRefused(gettext(locale, "The file is empty."))
    except BaseException:
        saved.discard()
        raise
    return saved
