"""``rarex buyers cover`` and ``rarex buyers invite``: the buyer's view from a shell."""

from __future__ import annotations

import typer
from rich.markup import escape
from rich.table import Table

from rarex.buyers import service
from rarex.cli.common import JsonOpt, cli_principal, console, print_json, transaction

app = typer.Typer(help="Foreign end users: their cover on the licences naming them, and buyer accounts.",
                  no_args_is_help=True)


@app.command("cover")
def cover(
    party: int = typer.Option(..., "--party", min=1, max=2**31 - 1, help="The end-user party id"),
    window_days: int = typer.Option(service.WINDOW_DAYS, "--window-days", min=1, max=366, help="Days of drawdown for the rate"),
    expiring_within: int = typer.Option(service.EXPIRING_WITHIN_DAYS, "--expiring-within", min=0, max=1100,
                                        help="Licences ending within this many days are flagged"),
    json_out: bool = JsonOpt,
) -> None:
    """Every licence line naming the end user: remaining, drawdown rate, days of cover, expiring soon."""
    with transaction(readonly=True) as session:
        out = service.cover(session, cli_principal(), party, window_days=window_days, expiring_within_days=expiring_within)
    if json_out:
        print_json(out)
        return
    console.print(f"{escape(out.party_name)} ({out.country}) on {out.today}; drawdown {out.window_from} to {out.window_to}",
                  highlight=False)
    table = Table("licence", "holder", "line", "code", "element", "licensed", "drawn", "remaining", "per day", "days of cover",
                  "valid to", title="Licence lines")
    for c in out.lines:
        days = str(c.days_of_cover) if c.days_of_cover is not None else "no recent drawdown"
        table.add_row(escape(c.licence_no), escape(c.holder), str(c.line_no), escape(c.control_code), c.element or "",
                      f"{c.licensed} {c.unit}", f"{c.drawn}", f"{c.remaining}", f"{c.daily_rate}", days,
                      f"{c.valid_to}{' (soon)' if c.expires_soon else ''}")
    console.print(table)
    table = Table("element", "unit", "remaining", "per day", "days of cover", title="Per element")
    for e in out.elements:
        table.add_row(e.element or "-", e.unit, str(e.remaining), str(e.daily_rate),
                      str(e.days_of_cover) if e.days_of_cover is not None else "no recent drawdown")
    console.print(table)
    for x in out.expiring:
        console.print(f"[yellow]expires soon:[/yellow] {escape(x.licence_no)} on {x.valid_to} ({x.days_to_expiry} days)",
                      highlight=False)


@app.command("invite")
def invite(
    party: int = typer.Option(..., "--party", min=1, max=2**31 - 1, help="The end-user party id"),
    username: str = typer.Option(..., "--username", help="The buyer account's username"),
    display_name: str = typer.Option("", "--display-name", help="Its display name (default: the party's name)"),
    json_out: bool = JsonOpt,
) -> None:
    """Create a buyer account for an end user; prints its one-time set-password link (shown once)."""
    with transaction() as session:
        out = service.invite(session, cli_principal(), party_id=party, username=username, display_name=display_name)
    if json_out:
        print_json(out)
        return
    console.print(f"invited {escape(out.username)} for party {out.party_id}; link valid until {out.expires_at:%Y-%m-%d %H:%M} UTC:",
                  highlight=False)
    console.print(out.set_password_path, highlight=False, soft_wrap=True)
