"""What every command shares: one transaction, one-line errors, ``--json`` output."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import typer
from pydantic import BaseModel
from rich.console import Console
from rich.markup import escape
from sqlalchemy import inspect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from rarex.core.audit import jsonable
from rarex.core.authz import Principal
from rarex.core.db import get_engine, is_busy, unit_of_work
from rarex.core.errors import Problem

console = Console()
err_console = Console(stderr=True)

#: Exit codes: 0 fine, 1 a check failed (e.g. audit verify found tampering), 2 bad input.
EXIT_CHECK_FAILED = 1
EXIT_BAD_INPUT = 2

JsonOpt = typer.Option(False, "--json", help="Print JSON instead of a table.")


def cli_principal() -> Principal:
    """The CLI acts as the operator at the console; events name the OS user."""
    import getpass

    try:
        who = getpass.getuser()
    except Exception:  # no user name in some containers
        who = "operator"
    return Principal.system(f"cli:{who}")


def fail(message: str, code: int = EXIT_BAD_INPUT) -> None:
    """Print one line on stderr and exit."""
    # The message often quotes user input ("organisation '[x]' not found"): escape it so Rich
    # neither swallows bracketed text as markup nor crashes on a stray closing tag.
    err_console.print(f"[red]error:[/red] {escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


NOT_MIGRATED = "the database is not migrated; run `rarex db upgrade` first"


def _migrated() -> bool:
    """True once Alembic has stamped the database (its version table exists)."""
    try:
        return inspect(get_engine()).has_table("alembic_version")
    except DBAPIError:
        return True  # cannot tell (the server is down...): let the original error speak


@contextmanager
def transaction(readonly: bool = False) -> Iterator[Session]:
    """One unit of work per command; a Problem becomes one line on stderr and exit 2.

    ``readonly=True`` for commands that only look (see :func:`rarex.core.db.unit_of_work`). A
    database that stays locked past ``RAREX_DB_LOCK_TIMEOUT`` is one line too, not a traceback,
    and so is a database that was never migrated (no tables yet).
    """
    try:
        with unit_of_work(readonly=readonly) as session:
            yield session
    except Problem as exc:
        fail(str(exc))
    except Exception as exc:
        if is_busy(exc):
            fail(f"the database is busy (locked by another writer); nothing was changed, retry shortly: {exc}")
        if isinstance(exc, DBAPIError) and not _migrated():
            fail(NOT_MIGRATED, code=EXIT_CHECK_FAILED)
        raise


def to_plain(data: Any) -> Any:
    if isinstance(data, BaseModel):
        return data.model_dump(mode="json")
    if isinstance(data, list):
        return [to_plain(d) for d in data]
    if isinstance(data, dict):
        return {k: to_plain(v) for k, v in data.items()}
    return jsonable(data)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(to_plain(data), ensure_ascii=False, indent=2) + "\n")
