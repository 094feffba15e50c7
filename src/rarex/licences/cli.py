"""``rarex licences``: list, show, expire, suspend, reinstate, revoke."""

from __future__ import annotations

import datetime as dt

import typer
from rich.table import Table

from rarex.cli.common import JsonOpt, cli_principal, console, print_json, transaction
from rarex.licences import service, views
from rarex.licences.models import LicenceStatus

app = typer.Typer(help="Licences and their quantities.", no_args_is_help=True)


@app.command("list")
def list_(
    status: LicenceStatus = typer.Option(None, "--status", help="active, suspended, revoked or expired"),
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
    on: dt.datetime = typer.Option(None, "--on", formats=["%Y-%m-%d"], help="Treat this date as today (default: today in the regime's zone)"),
    json_out: bool = JsonOpt,
) -> None:
    """Mark licences whose validity has ended as expired (also runs when the server starts)."""
    with transaction() as session:
        done = [lic.number for lic in service.expire_due(session, cli_principal(), on.date() if on else None)]
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
