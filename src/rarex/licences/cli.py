"""``rarex licences``: list, show, expire; suspend and its outcomes (reinstate, order-amendment,
withdraw, revoke) on a coded ground; pending-revocations and sign-revocation (DUR Art. 20)."""

from __future__ import annotations

import datetime as dt

import typer
from rich.table import Table

from rarex.cli.common import JsonOpt, cli_principal, console, print_json, transaction
from rarex.core.inputs import DATE_METAVAR, date_parser
from rarex.licences import (
    exclusion,  # noqa: F401  (registers the reaction to an Art. 20 exclusion)
    service,
    views,
)
from rarex.licences.flows import GROUNDED_ACTIONS
from rarex.licences.models import LicenceStatus

app = typer.Typer(help="Licences and their quantities.", no_args_is_help=True)


@app.command("list")
def list_(
    status: LicenceStatus = typer.Option(None, "--status", help=", ".join(s.value for s in LicenceStatus)),
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
    if out.status_reason:
        ground = f" [{out.status_ground.code}: {out.status_ground.label_en}, {out.status_ground.legal_ref}]" if out.status_ground else ""
        console.print(f"status reason: {out.status_reason}{ground}", highlight=False)
    if out.pending_revocation:
        p = out.pending_revocation
        console.print(f"[bold]revocation awaits signature[/bold] since {p.proposed_at:%Y-%m-%d %H:%M} UTC: "
                      f"{p.ground.code} ({p.ground.legal_ref})", highlight=False)
    if out.replaces:
        console.print(f"replaces licence {out.replaces}")
    if out.replaced_by:
        console.print(f"handed back; replaced by licence {out.replaced_by}")
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
        ground: str = typer.Option(None, "--ground", help="A ground code of the pack that supports the action "
                                                          "(rarex policy grounds); required to suspend, withdraw, revoke"),
        json_out: bool = JsonOpt,
    ) -> None:
        with transaction() as session:
            out = views.detail(session, service.control(session, cli_principal(), number, action, reason, ground))
        if json_out:
            print_json(out)
        else:
            console.print(f"{out.number} is now {out.status}")

    command.__doc__ = f"{GROUNDED_ACTIONS[action]}, with a ground and a reason."
    return command


for _action in GROUNDED_ACTIONS:
    app.command(_action.replace("_", "-"))(_control(_action))


@app.command("sign-revocation")
def sign_revocation(
    number: str = typer.Argument(..., help="Licence number"),
    reason: str = typer.Option(..., "--reason", help="Why (recorded in the audit log)"),
    json_out: bool = JsonOpt,
) -> None:
    """Sign the revocation proposed when an exclusion arose for the holder (DUR Art. 20 para. 2)."""
    with transaction() as session:
        out = views.detail(session, service.sign_revocation(session, cli_principal(), number, reason))
    if json_out:
        print_json(out)
    else:
        console.print(f"{out.number} is now {out.status}")


@app.command("pending-revocations")
def pending_revocations(
    limit: int = typer.Option(1000, "--limit", min=1, max=100000),
    json_out: bool = JsonOpt,
) -> None:
    """Licences whose revocation on an exclusion awaits a senior officer's signature."""
    with transaction() as session:
        rows = [views.detail(session, lic) for lic in service.pending_revocations(session, cli_principal(), limit=limit)]
    if json_out:
        print_json(rows)
        return
    table = Table("number", "type", "holder", "ground", "proposed at")
    for r in rows:
        assert r.pending_revocation is not None
        table.add_row(r.number, r.type, r.holder, r.pending_revocation.ground.code,
                      f"{r.pending_revocation.proposed_at:%Y-%m-%d %H:%M}")
    console.print(table)
    console.print(f"{len(rows)} licence(s) await a signature")


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
