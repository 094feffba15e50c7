"""Verifying a licence document with nothing but the file (or a scanned QR code) and the
authority's public keys.

Outcomes: ``valid``; ``tampered`` (the signature does not match the content, the content is not
canonical, the QR seal does not name this content, or the page does not show what was signed);
``unknown_key`` (signed by a key not in the key set given); ``unreadable`` (not a rarex
document at all). Whether a valid copy is the latest is a separate, online question
(:func:`compare_latest`).
"""

from __future__ import annotations

import io
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from rarex.documents import content as doc_content
from rarex.documents.keys import PublicKey, unb64url
from rarex.documents.render import ATTACHMENT


@dataclass
class Verdict:
    outcome: str
    reason: str
    number: str | None = None
    version: int | None = None
    document: int | None = None
    status: str | None = None
    valid_to: str | None = None
    kid: str | None = None
    sha256: str | None = None
    #: Filled when a current status was asked for: whether this is the licence's latest document.
    latest: bool | None = None
    current: dict[str, Any] | None = field(default=None)

    @property
    def ok(self) -> bool:
        return self.outcome == "valid"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _check(keys: dict[str, PublicKey], kid: str, signature: str, message: bytes) -> str | None:
    """None when ``signature`` by ``kid`` verifies ``message``, else the outcome that says why not."""
    key = keys.get(kid)
    if key is None:
        return "unknown_key"
    try:
        sig = unb64url(signature)
    except ValueError:
        return "tampered"
    return None if key.verify(sig, message) else "tampered"


def verify_qr(payload: str, keys: dict[str, PublicKey]) -> Verdict:
    """Check a scanned QR payload: its seal's signature."""
    try:
        seal, f, kid, signature = doc_content.split_payload(payload)
    except ValueError as exc:
        return Verdict("unreadable", str(exc))
    base: dict[str, Any] = {"number": f["number"], "document": int(f["document"]) if f["document"].isdigit() else None,
            "version": int(f["version"]) if f["version"].isdigit() else None, "status": f["status"],
            "valid_to": f["valid_to"], "kid": kid, "sha256": f["sha256"]}
    bad = _check(keys, kid, signature, seal.encode("utf-8"))
    if bad == "unknown_key":
        return Verdict(bad, f"signed with key {kid}, which is not among the authority's published keys", **base)
    if bad:
        return Verdict(bad, "the QR code's signature does not match what it says", **base)
    return Verdict("valid", "the QR code was signed by the licensing authority", **base)


def _metadata(reader: Any) -> dict[str, str]:
    meta = reader.metadata or {}
    words = str(meta.get("/Keywords", ""))
    return dict(re.findall(r"rarex-(kid|signature|qr):(\S+)", words))


def _page_text(reader: Any) -> str:
    """The pages' text without whitespace: a long quantity may wrap inside its table cell."""
    text = "".join(page.extract_text() or "" for page in reader.pages).replace("\x00", "")
    return re.sub(r"\s+", "", text)


def verify_pdf(data: bytes, keys: dict[str, PublicKey]) -> Verdict:
    """Check a licence PDF offline: the attached canonical JSON against its signature, the QR
    seal against the content, and that the page shows the signed number, validity and quantities."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        attached = reader.attachments.get(ATTACHMENT)
        meta = _metadata(reader)
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        return Verdict("unreadable", f"not a readable PDF: {exc}")
    if not attached or "kid" not in meta or "signature" not in meta:
        return Verdict("unreadable", f"not a rarex licence document (no {ATTACHMENT} attachment or no signature in its "
                                     "metadata)")
    body = attached[0]
    kid, signature = meta["kid"], meta["signature"]
    bad = _check(keys, kid, signature, body)
    if bad == "unknown_key":
        return Verdict(bad, f"signed with key {kid}, which is not among the authority's published keys", kid=kid)
    if bad:
        return Verdict(bad, "the signature does not match the signed content: the document was changed", kid=kid)
    try:
        c = doc_content.parse(body)
    except doc_content.NotCanonical as exc:  # signed, yet not canonical: not something rarex signs
        return Verdict("tampered", f"the signed content is not canonical: {exc}", kid=kid)
    lic, doc = c["licence"], c["document"]
    found: dict[str, Any] = {"number": lic["number"], "version": lic["version"], "document": doc["no"], "status": lic["status"],
             "valid_to": lic["valid_to"], "kid": kid, "sha256": doc_content.sha256_b64(body)}
    qr = meta.get("qr")
    if qr:
        seal_verdict = verify_qr(qr, keys)
        if not seal_verdict.ok or seal_verdict.sha256 != found["sha256"]:
            return Verdict("tampered", "the QR code does not name this document's content", **found)
    text = _page_text(reader)
    shown = [lic["number"], lic["valid_from"], lic["valid_to"], c["holder"]["uscc"],
             *(ln["quantity"] for ln in c["lines"])]
    missing = [s for s in shown if re.sub(r"\s+", "", s) not in text]
    if missing:
        return Verdict("tampered", f"the page does not show what was signed (missing {', '.join(missing)})", **found)
    return Verdict("valid", "signed by the licensing authority; the content is unchanged", **found)


def compare_latest(verdict: Verdict, current: dict[str, Any]) -> Verdict:
    """Fill in whether the verified copy is the licence's latest document (``current`` is the
    public status: ``GET /verify/{number}``)."""
    verdict.current = {k: current.get(k) for k in ("status", "version", "valid_from", "valid_to", "latest_document")}
    verdict.latest = current.get("latest_sha256") == verdict.sha256 if current.get("latest_sha256") else (
        current.get("latest_document") == verdict.document)
    return verdict
