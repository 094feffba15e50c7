"""``rarex classify``, ``rarex policy ...`` and ``rarex calendar ...``: the policy pack from a shell.

These read the pack and the holiday calendar only; they need no database. Bad input is one
line on stderr and exit 2, like every rarex command.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from rarex.cli.common import EXIT_BAD_INPUT, JsonOpt, console, err_console, fail, print_json
from rarex.core.errors import Problem
from rarex.core.inputs import DATE_METAVAR, date_parser
from rarex.policy import service
from rarex.policy.loader import PACKS_DIR

policy_app = typer.Typer(help="The policy pack: control list and validation.", no_args_is_help=True)
calendar_app = typer.Typer(help="Official working days and deadlines.", no_args_is_help=True)


def _pack():
    try:
        return service.get_pack()
    except service.PackError as exc:
        fail(f"policy pack: {exc}")


def classify(
    hs: str = typer.Option(None, "--hs", help="Customs code, 4-10 digits, e.g. 2846901940"),
    element: str = typer.Option(None, "--element", help="Element symbol or name, e.g. Dy, dysprosium, 镝"),
    form: str = typer.Option(None, "--form", help="metal_alloy, oxide, compound, equipment, material or technology"),
    description: str = typer.Option(None, "--description", help="Free-text item description"),
    code: str = typer.Option(None, "--code", help="A control code of the pack, e.g. 1C905.a (it decides)"),
    on: dt.date = typer.Option(None, "--on", parser=date_parser("--on"), metavar=DATE_METAVAR, help="Date (default: today in the pack's time zone)"),
    json_out: bool = JsonOpt,
) -> None:
    """Classify an item against the control list and the technology catalogue on a date.

    Example: ``rarex classify --element Dy --form oxide``. The answer is controlled, not
    controlled, or undetermined (with the candidates and what decides between them)."""
    pack = _pack()
    day = on or pack.today()
    try:
        result = service.classify(pack, on=day, hs_code=hs, element=element, form=form, description=description, code=code)
    except Problem as exc:
        fail(str(exc))
    if json_out:
        print_json(result)
        return
    verdict = {True: "[bold red]controlled[/]", None: "[bold yellow]undetermined[/]: see the candidates and what decides",
               False: "[bold green]not controlled[/] by a listed entry"}[result.controlled]
    if result.prohibited:
        verdict += ", [bold red]export prohibited[/]"
    console.print(f"{result.on} ({result.pack}): {verdict}")
    if result.entries:
        table = Table("code", "element", "form", "matched on", "legal reference", "confidence", title="In force")
        for e in result.entries:
            table.add_row(*map(escape, (e.code, e.element or "", e.form, ", ".join(e.matched_on), e.legal_ref, e.confidence)))
        console.print(table)
    if result.candidates:
        table = Table("code", "matched on", "decided by", "falls under it if", "legal reference", title="Candidates (undecided)")
        for c in result.candidates:
            table.add_row(*map(escape, (c.code, ", ".join(c.matched_on), c.decided_by, c.decides_en, c.legal_ref)))
        console.print(table)
    if result.technology or result.technology_candidates:
        table = Table("technology", "part", "matched on", "legal reference", "confidence", title="Technology catalogue")
        for t in result.technology + result.technology_candidates:
            part = t.category if t in result.technology else f"{t.category} (candidate)"
            table.add_row(*map(escape, (t.description_en, part, ", ".join(t.matched_on), t.legal_ref, t.confidence)))
        console.print(table)
    if result.not_in_force:
        table = Table("code", "matched on", "why not in force", title="Matching but not in force")
        for e in result.not_in_force:
            table.add_row(*map(escape, (e.code, ", ".join(e.matched_on), e.reason)))
        console.print(table)
    for line in ([result.caveat] if result.caveat else []) + result.notes:
        console.print(f"- {escape(line)}", highlight=False)


@policy_app.command("control-list")
def control_list(
    on: dt.date = typer.Option(None, "--on", parser=date_parser("--on"), metavar=DATE_METAVAR, help="Date (default: today in the pack's time zone)"),
    json_out: bool = JsonOpt,
) -> None:
    """The control list entries in force on a date, and those that are not, with why."""
    pack = _pack()
    out = service.control_list(pack, on or pack.today())
    if json_out:
        print_json(out)
        return
    table = Table("code", "element", "form", "description", "legal reference", "since", title=f"In force on {out.on}")
    for e in out.entries:
        table.add_row(*map(escape, (e.code, e.element or "", e.form, e.description_en, e.legal_ref, str(e.effective_from))))
    console.print(table)
    if out.not_in_force:
        table = Table("code", "element", "form", "why not in force", title="Not in force")
        for e in out.not_in_force:
            table.add_row(*map(escape, (e.code, e.element or "", e.form, e.reason)))
        console.print(table)
    if out.caveat:
        console.print(f"- {escape(out.caveat)}", highlight=False)


@policy_app.command("grounds")
def grounds(json_out: bool = JsonOpt) -> None:
    """Grounds for acting on a licence, with their legal references and the actions each supports."""
    pack = _pack()
    rows = list(pack.grounds.values())
    if json_out:
        print_json(rows)
        return
    table = Table("code", "label", "legal reference", "actions")
    for g in rows:
        table.add_row(*map(escape, (g.code, f"{g.label_en} / {g.label_zh}", g.legal_ref, ", ".join(g.actions))))
    console.print(table)


@policy_app.command("validate")
def validate(
    path: Path = typer.Argument(None, help="Pack directory (default: the configured pack)"),
) -> None:
    """Load a pack directory and report every error as file:line: field: message."""
    from rarex.core.settings import get_settings

    root = path or PACKS_DIR / get_settings().policy_pack
    try:
        pack = service.load_pack(root)
    except service.PackError as exc:
        for line in exc.errors:
            err_console.print(f"[red]error:[/red] {escape(line)}", highlight=False, soft_wrap=True)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    console.print(
        f"ok: pack {pack.id}: {len(pack.entries)} entries, {len(pack.amendments)} amendments, "
        f"{len(pack.licence_types)} licence types, reviewed until {pack.reviewed_until}",
        highlight=False, soft_wrap=True,
    )


@calendar_app.command("deadline")
def deadline(
    start: dt.date = typer.Option(..., "--from", parser=date_parser("--from"), metavar=DATE_METAVAR, help="Start date (itself not counted)"),
    working_days: int = typer.Option(..., "--working-days", help="Number of official working days"),
    json_out: bool = JsonOpt,
) -> None:
    """The date N official working days after a date, in the pack's calendar."""
    pack = _pack()
    day = start
    try:
        out = service.deadline(pack, day, working_days)
    except ValueError as exc:
        fail(str(exc))
    if json_out:
        print_json(out.model_dump(mode="json", by_alias=True))
        return
    console.print(f"{working_days} working days after {day} ({out.calendar}): [bold]{out.deadline}[/bold]")
    if out.caveat:
        console.print(f"- {escape(out.caveat)}", highlight=False)
