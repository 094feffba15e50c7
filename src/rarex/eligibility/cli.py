"""``rarex orgs eligibility``: the same answer as the API, for operators and scripts."""

from __future__ import annotations

import datetime as dt

import typer
from rich.markup import escape
from rich.table import Table

from rarex.cli.common import JsonOpt, cli_principal, console, print_json, transaction
from rarex.core.inputs import DATE_METAVAR, date_parser
from rarex.eligibility import service
from rarex.parties.service import find_organisation

_MARK = {"met": "[green]met[/green]", "not_met": "[red]not met[/red]", "cannot_evaluate": "[yellow]officer review[/yellow]"}


def eligibility(
    ref: str = typer.Argument(..., metavar="ID_OR_USCC", help="Organisation id or unified social credit code"),
    licence_type: str = typer.Option("general", "--licence-type", help="A licence type of the policy pack"),
    on: dt.date = typer.Option(None, "--on", parser=date_parser("--on"), metavar=DATE_METAVAR,
                                   help="Evaluate as on this date (default: today in the regime's time zone)"),
    json_out: bool = JsonOpt,
) -> None:
    """Whether an exporter may hold a licence type, with a reason and legal reference per condition."""
    with transaction() as session:
        actor = cli_principal()
        org = find_organisation(session, actor, ref)
        out = service.eligibility(session, actor, org.id, licence_type, on)
    if json_out:
        print_json(out)
        return
    console.print(f"[bold]{escape(out.organisation)}[/bold] (id {out.org_id}) — {out.licence_type} on {out.on}: "
                  f"[bold]{out.status.value.replace('_', ' ')}[/bold]", highlight=False)
    if out.failing:
        console.print(f"failing: {', '.join(out.failing)}", highlight=False)
    if out.needs_review:
        console.print(f"for officer review: {', '.join(out.needs_review)}", highlight=False)
    table = Table()
    table.add_column("condition", no_wrap=True)  # a code is never truncated
    for heading in ("status", "reason", "legal ref"):
        table.add_column(heading)
    for c in out.conditions:
        table.add_row(c.code, _MARK[c.status.value], escape(c.reason), c.legal_ref)
    console.print(table)
    if out.caveat:
        console.print(f"[yellow]caveat:[/yellow] {escape(out.caveat)}", highlight=False)
