"""``rarex shipments``: record, cancel, show and list customs declarations; import a customs file."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import typer
from pydantic import ValidationError
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from rarex.cli.common import EXIT_CHECK_FAILED, JsonOpt, cli_principal, console, fail, print_json, transaction
from rarex.core.errors import Problem
from rarex.core.inputs import DATE_METAVAR, date_parser
from rarex.shipments import importer, service, views
from rarex.shipments.models import ShipmentStatus
from rarex.shipments.schemas import ShipmentIn, ShipmentLineIn, ShipmentOut

app = typer.Typer(help="Customs declarations drawing licence quantities down.", no_args_is_help=True)

_LINE = re.compile(r"^(?P<item>[^:]+):(?P<end_user>[^:]*):(?P<qty>[^A-Za-z]*?)\s*(?P<unit>[A-Za-z]+)?\s*$")


def parse_line(spec: str, n: int) -> ShipmentLineIn:
    """``ITEM:END_USER:QTY[UNIT]``, e.g. ``1C905.b:12:250kg`` or ``1C905.b:12:0.25t`` or ``1C905.b:12:40``."""
    m = _LINE.match(spec.strip())
    if not m or not m["qty"].strip():
        fail(f"--line {n} {spec!r}: expected ITEM:END_USER:QUANTITY[UNIT], e.g. 1C905.b:12:250kg")
    try:
        return ShipmentLineIn(item=m["item"], end_user=m["end_user"], quantity=m["qty"].strip(), unit=m["unit"])
    except ValidationError as exc:
        fail(f"--line {n} {spec!r}: {importer.validation_message(exc)}")
    raise AssertionError  # fail() exits


def _print(out: ShipmentOut, outcome: str | None = None) -> None:
    head = {"recorded": "recorded", "already_recorded": "already recorded (nothing drawn again)"}.get(outcome or "", str(out.status))
    console.print(f"[bold]{out.declaration}[/bold] on licence {out.licence}, {out.date}"
                  + (f", port {out.port}" if out.port else "") + f": [bold]{head}[/bold]")
    if out.cancelled_at:
        console.print(f"cancelled {out.cancelled_at:%Y-%m-%d %H:%M} UTC by {out.cancelled_by}: {out.cancel_reason}")
    table = Table("line", "item", "end user", "declared", "drawn")
    for line in out.lines:
        table.add_row(str(line.line_no), line.item, line.end_user, f"{line.quantity} {line.unit}", f"{line.drawn} {line.drawn_unit}")
    console.print(table)


@app.command("record")
def record(
    licence: str = typer.Option(..., "--licence", help="Licence number"),
    declaration: str = typer.Option(..., "--declaration", help="Export declaration number (the idempotency key)"),
    line: list[str] = typer.Option(..., "--line", help="ITEM:END_USER:QUANTITY[UNIT], e.g. 1C905.b:12:250kg; repeat per line"),
    date: dt.date = typer.Option(..., "--date", parser=date_parser("--date"), metavar=DATE_METAVAR, help="Declaration date (within the licence's validity)"),
    port: str = typer.Option("", "--port", help="Customs port of export"),
    json_out: bool = JsonOpt,
) -> None:
    """Record a declaration against a licence: all lines are drawn, or none.

    ITEM and END_USER are the ``item`` and ``end_user`` of ``rarex licences show NO --json``;
    without a UNIT the licence line's unit is used (kg, t and g convert exactly). Sending the
    same declaration again prints the first result and draws nothing; the same number with
    other content is refused.
    """
    lines = [parse_line(spec, n) for n, spec in enumerate(line, start=1)]
    try:
        data = ShipmentIn(declaration=declaration, date=date, port=port, lines=lines)
    except ValidationError as exc:
        fail(importer.validation_message(exc))
    with transaction() as session:
        shipment, created = service.record(session, cli_principal(), licence, data)
        out = views.detail(shipment, licence)
    outcome = "recorded" if created else "already_recorded"
    if json_out:
        print_json({**out.model_dump(mode="json"), "outcome": outcome})
    else:
        _print(out, outcome)


@app.command("cancel")
def cancel(
    declaration: str = typer.Argument(..., help="Export declaration number"),
    reason: str = typer.Option(..., "--reason", help="Why (recorded in the audit log)"),
    json_out: bool = JsonOpt,
) -> None:
    """Cancel a declaration: its quantities return to the licence. The number cannot be reused."""
    if len(reason.strip()) < 3:
        fail("--reason must be at least 3 characters")
    with transaction() as session:
        out = views.one(session, service.cancel(session, cli_principal(), declaration, reason.strip()))
    if json_out:
        print_json(out)
    else:
        _print(out)


@app.command("show")
def show(declaration: str = typer.Argument(..., help="Export declaration number"), json_out: bool = JsonOpt) -> None:
    """Show one declaration and what it drew."""
    with transaction() as session:
        out = views.one(session, service.get(session, cli_principal(), declaration))
    if json_out:
        print_json(out)
    else:
        _print(out)


@app.command("list")
def list_(
    licence: str = typer.Option(..., "--licence", help="Licence number"),
    status: ShipmentStatus = typer.Option(None, "--status", help="recorded or cancelled"),
    limit: int = typer.Option(1000, "--limit", min=1, max=100000),
    json_out: bool = JsonOpt,
) -> None:
    """List a licence's declarations, oldest first."""
    with transaction() as session:
        rows = views.details(session, service.list_for_licence(session, cli_principal(), licence, status=status, limit=limit))
    if json_out:
        print_json(rows)
        return
    table = Table("declaration", "date", "port", "status", "lines")
    for r in rows:
        table.add_row(r.declaration, str(r.date), r.port, r.status,
                      "; ".join(f"{x.item} {x.quantity} {x.unit}" for x in r.lines))
    console.print(table)
    console.print(f"{len(rows)} declaration(s)")


@app.command("import")
def import_(
    file: Path = typer.Argument(..., help="CSV file of declaration lines", dir_okay=False),
    json_out: bool = JsonOpt,
) -> None:
    """Record a customs file of declarations; safe to re-run.

    \b
    The file is UTF-8 CSV whose header names these columns (any order):
        declaration,licence,date,port,item,end_user,quantity,unit
    one row per declaration line, e.g.
        223420250000000001,CNDU-G2025-000001,2025-09-01,CNTSN,1C905.b,12,250,kg
        223420250000000001,CNDU-G2025-000001,2025-09-01,CNTSN,1C902.a,12,0.5,t

    \b
    Rows with the same declaration form one shipment (all its lines or none)
    and must agree on licence, date and port. date is YYYY-MM-DD; port and unit
    may be empty (unit: the licence line's). item and end_user are as
    `rarex licences show NO --json` shows them.

    \b
    Each declaration is its own transaction: valid ones are recorded; each
    rejected row is reported with its row number (the header is row 1),
    declaration and reason; a re-run reports declarations already recorded
    instead of drawing them again. Exit code 0 when nothing was rejected,
    1 when some rows were, 2 when the file itself is unusable.
    """
    actor = cli_principal()
    try:
        with Progress(TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TimeRemainingColumn(), console=console, transient=True, disable=json_out) as progress:
            task = progress.add_task(f"importing {file.name}", total=None)
            result = importer.run(file, actor, lambda done, total: progress.update(task, completed=done, total=total))
    except Problem as exc:
        fail(str(exc))
    if json_out:
        print_json(result.as_dict())
    else:
        if result.rejections:
            table = Table("row", "declaration", "reason", title="Rejected rows")
            for r in result.rejections:
                table.add_row(str(r.row), r.declaration, r.reason)
            console.print(table)
        console.print(f"{result.declarations} declaration(s) in {result.rows} row(s): {len(result.recorded)} recorded, "
                      f"{len(result.already_recorded)} already recorded, {len(result.rejected)} rejected")
    if result.rejected:
        raise typer.Exit(EXIT_CHECK_FAILED)
