"""Downloading, tampering with and looking at licence documents in tests."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

from pypdf import PdfReader, PdfWriter

from rarex.documents.keys import parse_keyring
from rarex.documents.render import ATTACHMENT, render
from tests.amendments.helpers import API
from tests.licences.helpers import control_body


def download(aw, number: str, who=None, version: int | None = None):
    q = f"?version={version}" if version else ""
    return aw.client.get(f"{API}/licences/{number}/document.pdf{q}", headers=who or aw.w.exporter)


def pdf(aw, number: str, **kw) -> bytes:
    r = download(aw, number, **kw)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf"
    return r.content


def published_keys(aw) -> dict:
    """The key set as anyone fetches it (no sign-in)."""
    r = aw.client.get("/.well-known/rarex-keys.json")
    assert r.status_code == 200, r.text
    return parse_keyring(r.json())


def attached(data: bytes) -> tuple[str, dict[str, str]]:
    """The signed canonical JSON a PDF carries, and its rarex metadata (kid, signature, qr)."""
    reader = PdfReader(io.BytesIO(data))
    words = str(reader.metadata["/Keywords"]).split()
    meta = dict(w.removeprefix("rarex-").split(":", 1) for w in words)
    return reader.attachments[ATTACHMENT][0].decode("utf-8"), meta


def forged(data: bytes, new_content: str) -> bytes:
    """The PDF drawn again around changed content, keeping the original signature and QR code:
    what a forger who edits the document would produce."""
    _, meta = attached(data)
    return render(new_content, key_id=meta["kid"], signature=meta["signature"], qr_payload=meta["qr"])


def repaged(original: bytes, pages_from: bytes) -> bytes:
    """``original``'s signed attachment and metadata around the pages of ``pages_from``."""
    content, _ = attached(original)
    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(pages_from)).pages:
        writer.add_page(page)
    writer.add_attachment(ATTACHMENT, content.encode("utf-8"))
    writer.add_metadata({"/Keywords": PdfReader(io.BytesIO(original)).metadata["/Keywords"]})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def control(aw, number: str, action: str) -> None:
    r = aw.client.post(f"{API}/licences/{number}/{action}", json=control_body(action), headers=aw.w.senior)
    assert r.status_code == 200, r.text


def keep_pngs(data: bytes, name: str, tmp_path: Path) -> list[Path]:
    """Rasterise the PDF (pdftoppm -r 80) to PNGs, kept in RAREX_E2E_SCREENSHOTS when set."""
    out_dir = Path(os.environ.get("RAREX_E2E_SCREENSHOTS") or tmp_path)
    out_dir.mkdir(parents=True, exist_ok=True)
    src = tmp_path / f"{name}.pdf"
    src.write_bytes(data)
    assert shutil.which("pdftoppm"), "poppler-utils (pdftoppm) is needed to look at the PDFs"
    subprocess.run(["pdftoppm", "-png", "-r", "80", str(src), str(out_dir / name)], check=True)
    return sorted(out_dir.glob(f"{name}*.png"))
