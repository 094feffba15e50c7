"""``rarex demo load``: fictional data for trying rarex out."""

from __future__ import annotations

import datetime as dt
import os
import time

import typer
from rich.progress import Progress
from rich.table import Table

from rarex.cli.common import JsonOpt, console, print_json, transaction
from rarex.demo import loader

app = typer.Typer(help="Demo data.", no_args_is_help=True)


@app.command("load")
def load(
    json_out: bool = JsonOpt,
    today: str | None = typer.Option(None, "--today", metavar="YYYY-MM-DD",
                                     help="Build the history up to this day instead of today (to reproduce or test)"),
) -> None:
    """Load ~20 exporters, their customers and about twenty months of applications up to today (idempotent).

    The history is built relative to the day it is loaded and is the same for the same day.
    Passwords are random and printed once, on the first load; set RAREX_DEMO_PASSWORD to fix them.
    """
    fixed = os.environ.get("RAREX_DEMO_PASSWORD") or None
    day = _day(today)
    started = time.monotonic()
    with Progress(console=console, transient=True, disable=json_out) as progress:
        task = progress.add_task("loading demo applications", total=None)

        def tick(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        with transaction() as session:
            result = loader.load(session, password=fixed, progress=tick, today=day)
    seconds = round(time.monotonic() - started, 1)
    if json_out:
        print_json({"loaded": result.loaded, "today": result.today.isoformat() if result.today else None,
                    "organisations": result.organisations, "applications": result.applications,
                    "licences": result.licences, "general_licences": result.general_licences,
                    "shipments": result.shipments, "open_cases": result.stages, "seconds": seconds,
                    "passwords": result.passwords})
        return
    if not result.loaded:
        console.print("demo data already loaded; nothing changed")
        return
    console.print(f"loaded {result.organisations} exporters, {result.applications} applications, {result.licences} licences "
                  f"({result.general_licences} general), {result.shipments} shipments, up to {result.today} "
                  f"in {seconds} s")
    table = Table("user", "password", title="Demo users (shown only now)")
    for user, pw in result.passwords.items():
        if not user.startswith("exporter") or user == "exporter1":
            table.add_row(user, pw)
    console.print(table)
    others = [u for u in result.passwords if u.startswith("exporter") and u != "exporter1"]
    if others and not fixed:
        console.print(f"{len(others)} more exporter users (exporter2..): use --json to see their passwords")


def _day(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date YYYY-MM-DD", param_hint="--today") from None
