"""``rarex policy impact DRAFT.yaml --on DATE``: what a draft amendment of the pack would touch."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from rarex.cli.common import EXIT_BAD_INPUT, JsonOpt, cli_principal, console, err_console, fail, print_json, transaction
from rarex.core.inputs import DATE_METAVAR, date_parser
from rarex.impact.schemas import EFFECT_ORDER, Answer, ImpactReport
from rarex.impact.service import DEFAULT_WINDOW_DAYS, MAX_DRAFT_BYTES, draft_impact
from rarex.policy.loader import PackError
from rarex.policy.service import get_pack

_YES_NO = {True: "y", False: "n", None: "?"}
_LEGEND = "L licence needed, P prohibited, T the line's licence type open: y yes, n no, ? undetermined"


def impact(
    draft: Path = typer.Argument(..., help="The draft amendment, a YAML file in the pack's own format"),
    on: dt.date = typer.Option(None, "--on", parser=date_parser("--on"), metavar=DATE_METAVAR,
                               help="The date to judge on (default: the draft's effective_from)"),
    window_days: int = typer.Option(DEFAULT_WINDOW_DAYS, "--window-days", min=1, max=3660,
                                    help="Recent shipments: those of the last N days up to today"),
    json_out: bool = JsonOpt,
) -> None:
    """Which pending applications, usable licences and recent shipments a draft would touch, and how."""
    try:
        if draft.stat().st_size > MAX_DRAFT_BYTES:
            fail(f"{draft}: larger than {MAX_DRAFT_BYTES // 1024} KiB; a draft amendment is a short file")
        text = draft.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"{draft}: cannot read: {exc}")
    pack = get_pack()
    try:
        with transaction(readonly=True) as session, Progress(
                TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(),
                TimeRemainingColumn(), console=err_console, transient=True, disable=json_out) as bar:
            task = bar.add_task(f"judging lines under {draft.name}", total=None)
            out = draft_impact(session, cli_principal(), pack, draft.name, text, on, window_days=window_days,
                               progress=lambda done, total: bar.update(task, completed=done, total=total))
    except PackError as exc:
        for line in exc.errors:
            err_console.print(f"[red]error:[/red] {escape(line)}", highlight=False, soft_wrap=True)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    if json_out:
        print_json(out)
        return
    _print(out)


def _answer(a: Answer) -> str:
    return f"L{_YES_NO[a.licence_required]} P{_YES_NO[a.prohibited]} T{_YES_NO[a.licence_type_available]}"


def _print(out: ImpactReport) -> None:
    console.print(f"[bold]{escape(out.draft_code)}[/bold] ({escape(out.legal_ref)}) on {out.on}, pack {out.pack}; "
                  f"shipments {out.shipments_from} to {out.shipments_to}", highlight=False)
    changes = Table("section", "code", "change", "from", "to", "legal reference", title="What the draft changes")
    for c in out.changes:
        changes.add_row(c.section, escape(c.code), c.action, str(c.effective_from or ""), str(c.effective_to or ""),
                        escape(c.legal_ref))
    console.print(changes)
    if not out.rows:
        console.print("Nothing pending, usable or recently shipped is touched on this date.")
    for effect in EFFECT_ORDER:
        rows = [r for r in out.rows if effect in r.effects]
        if not rows:
            continue
        counts = ", ".join(f"{n} {s}{'s' if n != 1 else ''}" for s, n in out.counts[effect.value].items())
        table = Table("subject", "reference/line", "item to", "now", "draft", "exporter",
                      title=f"{effect.value.replace('_', ' ')}: {counts}", caption=_LEGEND)
        cells = [(r.subject, f"{r.ref}/{r.line_no}", f"{r.control_code} {r.destination}", _answer(r.before),
                  _answer(r.after), r.org_name) for r in rows]
        for i, col in enumerate(table.columns):  # one line per row; only the exporter's name (last) gives way
            col.no_wrap = True
            if i < len(table.columns) - 1:
                col.min_width = max(len(str(col.header)), *(len(cell[i]) for cell in cells))
        table.columns[-1].overflow = "ellipsis"
        for cell in cells:
            table.add_row(*map(escape, cell))
        console.print(table)
    for s in out.skipped:
        console.print(f"[yellow]not judged:[/yellow] {s.subject} {escape(s.ref)} line {s.line_no}: {escape(s.reason)}",
                      highlight=False)
    if out.caveat:
        console.print(f"[yellow]caveat:[/yellow] {escape(out.caveat)}", highlight=False)
