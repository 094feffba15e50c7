"""``rarex determine``: licence determination from a shell, the same service as the API.

It needs the database only with ``--org`` (the exporter's eligibility); without it the answer
is the law alone.
"""

from __future__ import annotations

import datetime as dt

import typer
from pydantic import ValidationError
from rich.markup import escape
from rich.table import Table

from rarex.cli.common import JsonOpt, cli_principal, console, fail, print_json, transaction
from rarex.core.errors import Problem
from rarex.core.inputs import DATE_METAVAR, date_parser
from rarex.determination import service
from rarex.determination.schemas import Determination, DetermineIn

_YES_NO = {True: "[bold red]yes[/]", False: "[bold green]no[/]", None: "[bold yellow]undetermined[/]"}
_OPEN = {True: "[green]open[/]", False: "[red]not open[/]", None: "[yellow]depends[/]"}


def determine(
    element: str = typer.Option(None, "--element", help="Element symbol or name, e.g. Dy, dysprosium, 镝"),
    hs: str = typer.Option(None, "--hs", help="Customs code, 4-10 digits (reference only)"),
    code: str = typer.Option(None, "--code", help="Control code, e.g. 1C905.a"),
    form: str = typer.Option(None, "--form", help="metal_alloy, oxide, compound, equipment, material or technology"),
    description: str = typer.Option(None, "--description", help="Free-text item description"),
    destination: str = typer.Option(..., "--destination", help="Destination country, ISO 3166-1 code, e.g. JP"),
    end_user_category: str = typer.Option(..., "--end-user-category", help="civil, government, research, military, ..."),
    end_use: str = typer.Option(None, "--end-use", help="The end use in words"),
    end_use_category: str = typer.Option(None, "--end-use-category", help="civil, research, military, ... (default: not known)"),
    org: str = typer.Option(None, "--org", help="The exporter's unified social credit code (uses its eligibility)"),
    registration_case: str = typer.Option(None, "--registration-case", help="A DUR Art. 19 case, e.g. repair_test_inbound"),
    on: dt.date = typer.Option(None, "--on", parser=date_parser("--on"), metavar=DATE_METAVAR,
                               help="Date of the export (default: today in the pack's time zone)"),
    json_out: bool = JsonOpt,
) -> None:
    """Is a licence needed, is the export prohibited, which licence types are open, and why."""
    try:
        body = DetermineIn(element=element, hs_code=hs, code=code, form=form, description=description, destination=destination,
                           end_user_category=end_user_category, end_use=end_use, end_use_category=end_use_category, org=org,
                           registration_case=registration_case, on=on)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        fail(f"--{str(first['loc'][0]).replace('_', '-')}: {first['msg']}")
    if body.org:
        with transaction(readonly=True) as session:
            out = service.determine_for(session, cli_principal(), body)
    else:
        try:
            out = service.determine_for(None, cli_principal(), body)
        except Problem as exc:
            fail(str(exc))
    if json_out:
        print_json(out)
        return
    _print(out)


def _print(out: Determination) -> None:
    console.print(f"{out.on} ({out.pack}): licence required {_YES_NO[out.licence_required]}, "
                  f"prohibited {_YES_NO[out.prohibited]}", highlight=False)
    table = Table("licence type", "available", "why", title="Licence types")
    for t in out.licence_types:
        table.add_row(escape(t.type), _OPEN[t.available], escape("; ".join(t.reasons)))
    console.print(table)
    table = Table("rule", "legal reference", title="Reasons")
    for r in out.reasons:
        table.add_row(escape(r.rule), escape(r.legal_ref))
    console.print(table)
    if out.caveat:
        console.print(f"[yellow]caveat:[/yellow] {escape(out.caveat)}", highlight=False)
