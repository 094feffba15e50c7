"""``rarex demo load``: fictional data for trying rarex out."""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable
from typing import TypeVar

import typer
from rich.progress import Progress
from rich.table import Table
from sqlalchemy.orm import Session

from rarex.cli.common import JsonOpt, console, print_json, transaction
from rarex.demo import loader

app = typer.Typer(help="Demo data.", no_args_is_help=True)
T = TypeVar("T")


def _with_progress(label: str, json_out: bool, work: Callable[[Session, Callable[[int, int], None]], T]) -> tuple[T, float]:
    """Run ``work`` in one transaction with a progress bar (none with --json); its result and seconds."""
    started = time.monotonic()
    with Progress(console=console, transient=True, disable=json_out) as progress:
        task = progress.add_task(label, total=None)

        def tick(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        with transaction() as session:
            result = work(session, tick)
    return result, round(time.monotonic() - started, 1)


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
    result, seconds = _with_progress("loading demo applications", json_out,
                                     lambda session, tick: loader.load(session, password=fixed, progress=tick, today=day))
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


@app.command("generate")
def generate(
    applications: int = typer.Option(..., "--applications", min=1, max=5_000_000, help="How many applications to write"),
    shipments: int = typer.Option(0, "--shipments", min=0, max=5_000_000,
                                  help="How many shipments (one per approved individual licence, at most)"),
    today: str | None = typer.Option(None, "--today", metavar="YYYY-MM-DD", help="The day the history runs up to"),
    seed: int = typer.Option(1, "--seed", help="Random seed"),
    json_out: bool = JsonOpt,
) -> None:
    """Write a large synthetic history fast (bulk inserts) on top of the demo data, for scale work.

    Loads the demo first if it is not there. Rows are consistent for the pages and the queue
    (statuses, deadlines, licences, lines, shipments) but carry no audit events.
    """
    from rarex.demo import generate as gen

    day = _day(today)
    result, seconds = _with_progress("writing applications", json_out, lambda session, tick: gen.generate(
        session, applications, shipments, today=day, seed=seed, progress=tick))
    out = {"applications": result.applications, "open_cases": result.open_cases, "licences": result.licences,
           "shipments": result.shipments, "seconds": seconds}
    if json_out:
        print_json(out)
        return
    console.print(f"wrote {result.applications} applications ({result.open_cases} open), {result.licences} licences, "
                  f"{result.shipments} shipments in {seconds} s")
