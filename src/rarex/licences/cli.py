"""``rarex licences``: list, show, expire, suspend, reinstate, revoke."""

from __future__ import annotations

import datetime as dt

import typer
from rich.table import Table

from rarex.cli.common import JsonOpt, cli_principal, console, print_json, transaction
from rarex.core.inputs import DATE_METAVAR, date_parser
from rarex.licences import service, views
from rarex.licences.models import LicenceStatus

app = typer.Typer(help="Licences and their quantities.", no_args_is_help=True)


@app.command("list")
def list_(
    status: LicenceStatus = typer.Option(None, "--status", help="active, suspended, revoked, expired or exhausted"),
    type: str = typer.Option(None, "--type", help="individual or general"),
    limit: int = typer.Option(1000, "--limit", min=1, max=100000),
    json_out: bool = JsonOpt,
) -> None:
    """List licences, oldest first. Example: ``rarex licences list --status active --json``."""
    with transaction() as session:
        rows = views.summaries(session, service.list_(session, cli_principal(), status=status, licence_type=type, limit=limit))
    if json_out:
        print_json(rows)
        return
    table = Table("number", "type", "status", "holder", "valid from", "valid to")
    for r in rows:
        table.add_row(r.number, r.type, r.status, r.holder, str(r.valid_from), str(r.valid_to))
    console.print(table)
    console.print(f"{len(rows)} licence(s)")


@app.command("show")
def show(number: str = typer.Argument(..., help="Licence number"), json_out: bool = JsonOpt) -> None:
    """Show one licence with its lines: licensed, drawn and remaining quantities."""
    with transaction() as session:
        out = views.detail(session, service.get(session, cli_principal(), number))
    if json_out:
        print_json(out)
        return
    console.print(f"[bold]{out.number}[/bold] {out.type} licence, [bold]{out.status}[/bold], holder {out.holder}")
    console.print(f"valid {out.valid_from} to {out.valid_to}; application {out.application}; end use: {out.end_use}")
    for c in out.conditions:
        console.print(f"condition: {c}")
    table = Table("line", "item", "end user", "licensed", "drawn", "remaining", "unit")
    for line in out.lines:
        table.add_row(str(line.line_no), line.item, f"{line.end_user_name} ({line.end_user})", str(line.licensed),
                      str(line.drawn), str(line.remaining), line.unit)
    console.print(table)


@app.command("expire")
def expire(
    on: dt.date = typer.Option(None, "--on", parser=date_parser("--on"), metavar=DATE_METAVAR, help="Treat this date as today (default: today in the regime's zone)"),
    json_out: bool = JsonOpt,
) -> None:
    """Mark licences whose validity has ended as expired (also runs when the server starts)."""
    with transaction() as session:
        done = [lic.number for lic in service.expire_due(session, cli_principal(), on)]
    if json_out:
        print_json({"expired": done, "count": len(done)})
    else:
        console.print(f"expired {len(done)} licence(s)" + (": " + ", ".join(done) if done else ""))


def _control(action: str):
    def command(
        number: str = typer.Argument(..., help="Licence number"),
        reason: str = typer.Option(..., "--reason", help="Why (recorded in the audit log)"),
        json_out: bool = JsonOpt,
    ) -> None:
        with transaction() as session:
            out = views.detail(session, getattr(service, action)(session, cli_principal(), number, reason))
        if json_out:
            print_json(out)
        else:
            console.print(f"{out.number} is now {out.status}")

    command.__doc__ = f"{action.capitalize()} a licence, with a reason."
    return command


for _action in ("suspend", "reinstate", "revoke"):
    app.command(_action)(_control(_action))


@app.command("usage-report")
def usage_report(
    number: str = typer.Argument(..., help="Licence number"),
    date_from: dt.date = typer.Option(None, "--from", parser=date_parser("--from"), metavar=DATE_METAVAR,
                                          help="First day (default: the current reporting period's)"),
    date_to: dt.date = typer.Option(None, "--to", parser=date_parser("--to"), metavar=DATE_METAVAR,
                                        help="Last day (default: the end of the period --from falls in)"),
    csv_out: bool = typer.Option(False, "--csv", help="Print CSV (one row per line and shipment) instead of a table."),
    json_out: bool = JsonOpt,
) -> None:
    """The holder's usage report: per line licensed, drawn in the period and to date, remaining, and the shipments."""
    import sys

    from rarex.licences import usage
    from rarex.web.csvout import csv_text

    with transaction() as session:
        report = usage.usage_report(session, cli_principal(), number, date_from=date_from,
                                    date_to=date_to)
    if json_out:
        print_json(report)
        return
    if csv_out:
        sys.stdout.write(csv_text(usage.csv_rows(report), usage.UsageCsvRow))
        return
    console.print(f"[bold]{report.licence}[/bold] {report.type}, {report.status}, holder {report.holder}: usage "
                  f"{report.period_from} to {report.period_to}", highlight=False)
    table = Table("line", "item", "end user", "licensed", "drawn in period", "drawn to date", "remaining", "unit")
    for line in report.lines:
        table.add_row(str(line.line_no), line.item, f"{line.end_user_name} ({line.end_user})", str(line.licensed),
                      str(line.drawn_in_period), str(line.drawn_to_date), str(line.remaining), line.unit)
    console.print(table)
    shipped = Table("line")
    shipped.add_column("declaration", no_wrap=True)  # an identifier is never truncated
    for heading in ("date", "port", "declared", "drawn"):
        shipped.add_column(heading, no_wrap=True)
    for line in report.lines:
        for s in line.shipments:
            shipped.add_row(str(line.line_no), s.declaration, str(s.shipped_on), s.port, f"{s.quantity} {s.unit}",
                            f"{s.drawn} {line.unit}")
    if shipped.row_count:
        console.print(shipped)
    else:
        console.print("no shipments in the period")
