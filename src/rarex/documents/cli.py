"""``rarex keys`` (list, rotate), ``rarex verify`` (a PDF or a scanned QR payload, offline) and
``rarex licences document`` / ``issue-documents`` (plugged into the licences group by the CLI's
main module, since licences sits below documents)."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import typer
from rich.table import Table
from sqlalchemy import select

from rarex.cli.common import EXIT_CHECK_FAILED, JsonOpt, cli_principal, console, fail, print_json, transaction
from rarex.core.errors import NotFound
from rarex.documents import service
from rarex.documents.keys import Keyring, KeyringError, PublicKey, parse_keyring
from rarex.documents.models import LicenceDocument
from rarex.documents.render import FontMissing, render
from rarex.documents.verify import Verdict, compare_latest, verify_pdf, verify_qr
from rarex.licences.models import Licence

keys_app = typer.Typer(help="The licensing authority's document-signing keys.", no_args_is_help=True)

#: Seconds to wait for a key set or a status over the network.
TIMEOUT = 15


@keys_app.command("list")
def list_keys(json_out: bool = JsonOpt) -> None:
    """List the public keys (the current one has no retirement date); creates the first key if none."""
    published = Keyring().published()
    if json_out:
        print_json(published)
        return
    table = Table("kid", "alg", "created", "retired", "public key")
    for k in published["keys"]:
        table.add_row(k["kid"], k["alg"], k["created_at"], k["retired_at"] or "current", k["public_key"])
    console.print(table)


@keys_app.command("rotate")
def rotate(json_out: bool = JsonOpt) -> None:
    """Make a new signing key; the old one is retired: what it signed keeps verifying, it signs no more."""
    old, new = Keyring().rotate()
    if json_out:
        print_json({"retired": old, "current": new})
        return
    console.print(f"key {old} retired; new signing key {new}. Publish GET /.well-known/rarex-keys.json again.")


def _fetch(url: str) -> Any:
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT) as r:  # noqa: S310 - http(s) only, checked by the callers
            return json.loads(r.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            raise NotFound(f"{url}: not found") from None
        fail(f"{url}: HTTP {exc.code}")
    except (urllib.error.URLError, OSError, ValueError) as exc:
        fail(f"cannot read {url}: {exc}")


def _http(url: str) -> bool:
    return urllib.parse.urlsplit(url).scheme in ("http", "https")


def _keys(source: str | None) -> dict[str, PublicKey]:
    """The key set: a file or an http(s) URL of one, or this installation's own keyring."""
    try:
        if source is None:
            return Keyring().public_keys()
        if _http(source):
            return parse_keyring(_fetch(source))
        path = Path(source)
        if not path.is_file():
            fail(f"--keys {source}: no such file")
        return parse_keyring(json.loads(path.read_text(encoding="utf-8")))
    except (KeyringError, ValueError) as exc:
        fail(f"--keys {source or 'local keyring'}: {exc}")
    raise AssertionError  # fail() exits


def _current(number: str, online: str | None, use_db: bool) -> dict[str, Any] | None:
    """The licence's public status from a rarex server (``--online URL``) or the local database."""
    if online:
        if not _http(online):
            fail(f"--online {online}: give the server's http(s) address, e.g. https://rarex.example")
        return _fetch(f"{online.rstrip('/')}/api/v1/verify/{urllib.parse.quote(number, safe='')}")
    if use_db:
        with transaction(readonly=True) as session:
            s = service.public_status(session, number)
            return {"status": s.status, "version": s.version, "valid_from": str(s.valid_from), "valid_to": str(s.valid_to),
                    "latest_document": s.latest_document, "latest_sha256": s.latest_sha256}
    return None


def verify(
    file: Path = typer.Argument(None, help="The licence PDF to check", dir_okay=False),
    qr: str = typer.Option(None, "--qr", help="A scanned QR payload (RXL1|...) instead of a file"),
    keys: str = typer.Option(None, "--keys", help="The published key set: a file or an https URL of "
                             "/.well-known/rarex-keys.json (default: this installation's keyring)"),
    online: str = typer.Option(None, "--online", help="A rarex server's address: also say whether this copy is the latest"),
    use_db: bool = typer.Option(False, "--db", help="Ask the local database whether this copy is the latest"),
    json_out: bool = JsonOpt,
) -> None:
    """Check a licence document offline: valid, tampered, or signed by an unknown key (exit 0 only when valid).

    Examples: ``rarex verify CNDU-I2026-000001.pdf --keys rarex-keys.json``;
    ``rarex verify --qr 'RXL1|...' --online https://rarex.example``.
    """
    if (file is None) == (qr is None):
        fail("give either a PDF file or --qr PAYLOAD")
    key_set = _keys(keys)
    if qr is not None:
        verdict: Verdict = verify_qr(qr, key_set)
    else:
        if not file.is_file():
            fail(f"{file}: no such file")
        verdict = verify_pdf(file.read_bytes(), key_set)
    if verdict.ok and verdict.number and (online or use_db):
        try:
            current = _current(verdict.number, online, use_db)
        except NotFound:
            current = None
            verdict.reason += f"; licence {verdict.number} is not known to the server"
        if current is not None:
            compare_latest(verdict, current)
    if json_out:
        print_json(verdict.as_dict())
    else:
        colour = "green" if verdict.ok else "red"
        console.print(f"[{colour}]{verdict.outcome.upper()}[/{colour}]: {verdict.reason}", highlight=False)
        if verdict.number:
            console.print(f"licence {verdict.number} version {verdict.version}, document {verdict.document}, "
                          f"status when issued: {verdict.status}, valid to {verdict.valid_to}, key {verdict.kid}",
                          highlight=False)
        if verdict.current is not None:
            c = verdict.current
            console.print(("this is the latest document" if verdict.latest else
                           f"NOT the latest: the licence is now version {c['version']}, document {c['latest_document']}")
                          + f"; current status {c['status']}, valid {c['valid_from']} to {c['valid_to']}", highlight=False)
    if not verdict.ok:
        raise typer.Exit(EXIT_CHECK_FAILED)


def document(
    number: str = typer.Argument(..., help="Licence number"),
    out: Path = typer.Option(..., "--out", help="Where to write the PDF", dir_okay=False),
    version: int = typer.Option(None, "--version", min=1, help="The latest document of this licence version"),
) -> None:
    """Write the licence's signed document (PDF) to a file."""
    with transaction(readonly=True) as session:
        doc = service.document(session, cli_principal(), number, version)
        content, kid, sig, payload = doc.content, doc.key_id, doc.signature, service.qr_payload(doc)
        name = f"version {doc.licence_version}, document {doc.doc_no} ({doc.event})"
    try:
        data = render(content, key_id=kid, signature=sig, qr_payload=payload)
    except FontMissing as exc:
        fail(str(exc))
    try:
        out.write_bytes(data)
    except OSError as exc:
        fail(f"cannot write {out}: {exc}")
    console.print(f"{number} {name}: {len(data)} bytes written to {out}", highlight=False)


def issue_missing(json_out: bool = JsonOpt) -> None:
    """Sign a document for every licence that has none yet (licences issued before documents existed)."""
    with transaction() as session:
        have = select(LicenceDocument.licence_id).distinct()
        lics = list(session.execute(select(Licence).where(Licence.id.not_in(have)).order_by(Licence.id)).scalars())
        for lic in lics:
            service.issue(session, lic, "issued", lic.issued_at)
        issued = [lic.number for lic in lics]
    if json_out:
        print_json({"issued": issued})
        return
    console.print(f"{len(issued)} document(s) issued")
