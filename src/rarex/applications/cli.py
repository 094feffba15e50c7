"""``rarex applications``: list and show cases with their clocks; the officer's clock actions
(stop and restart for an identification, expert opinion or on-site check; State Council
referral). Deemed acceptances are recorded by ``rarex deem-accepted`` (rarex.amendments.cli)."""

from __future__ import annotations

import typer
from rich.markup import escape
from rich.table import Table

from rarex.applications import service, views
from rarex.applications.models import ApplicationStatus
from rarex.cli.common import JsonOpt, cli_principal, console, print_json, transaction

app = typer.Typer(help="Licence applications.", no_args_is_help=True)


@app.command("list")
def list_(
    status: ApplicationStatus = typer.Option(None, "--status", help="draft, submitted, under_review, ..."),
    type: str = typer.Option(None, "--type", help="individual or general"),
    limit: int = typer.Option(1000, "--limit", min=1, max=100000),
    by_days_left: bool = typer.Option(False, "--by-days-left",
                                      help="The officer's queue: fewest working days left first; cases without a running "
                                      "deadline last"),
    json_out: bool = JsonOpt,
) -> None:
    """List applications with their clock state, deadline and working days left."""
    with transaction() as session:
        rows = views.summaries(session, service.list_(session, cli_principal(), status=status, licence_type=type, limit=limit))
    if by_days_left:
        rows.sort(key=lambda r: (r.working_days_left is None, r.working_days_left or 0, r.id))
    if json_out:
        print_json(rows)
        return
    table = Table("id", "reference", "type", "status", "organisation", "clock", "deadline", "days left")
    for r in rows:
        table.add_row(str(r.id), r.reference, r.licence_type, r.status, r.organisation, r.clock_state, str(r.deadline or ""),
                      "" if r.working_days_left is None else str(r.working_days_left))
    console.print(table)


@app.command("show")
def show(app_id: int = typer.Argument(..., help="Application id"), json_out: bool = JsonOpt) -> None:
    """Show one application: items, documents, check results, clock stops, deadline."""
    with transaction() as session:
        out = views.detail(session, service.get(session, cli_principal(), app_id))
    if json_out:
        print_json(out)
        return
    d = out.deadline_info
    console.print(f"[bold]{out.reference}[/bold] {out.licence_type}, [bold]{out.status}[/bold], {escape(out.organisation)}")
    console.print(f"clock {d.clock_state}: {d.explanation_en} [{d.legal_ref}]", markup=False)
    console.print(d.explanation_zh, markup=False)
    for c in out.checks:
        console.print(f"check {c.check}: {c.outcome} — {c.message}")
    table = Table("line", "item", "description", "quantity", "value")
    for i in out.items:
        table.add_row(str(i.line_no), i.control_code, i.description, f"{i.quantity} {i.unit}", f"{i.value} {i.currency}")
    console.print(table)


@app.command("remove-document")
def remove_document(
    app_id: int = typer.Argument(..., help="Application id"),
    doc_id: int = typer.Argument(..., help="Document id (see `rarex applications show ID --json`)"),
) -> None:
    """Remove a document from a draft (or one added since an open request for information); audited."""
    with transaction() as session:
        service.remove_document(session, cli_principal(), app_id, doc_id)
    console.print(f"removed document {doc_id} from application {app_id}")


@app.command("stop-clock")
def stop_clock(
    app_id: int = typer.Argument(..., help="Application id", min=1, max=2**31 - 1),
    kind: str = typer.Option(..., "--kind", help="technical_identification, expert_opinion or on_site_check"),
    reason: str = typer.Option(..., "--reason", help="What is identified, asked or checked, and why (audited)"),
    json_out: bool = JsonOpt,
) -> None:
    """Stop the decision clock while an identification, expert opinion or on-site check runs (DUR Art. 17)."""
    with transaction() as session:
        out = views.detail(session, service.stop_clock(session, cli_principal(), app_id, kind, reason))
    _print_clock(out, json_out)


@app.command("restart-clock")
def restart_clock(
    app_id: int = typer.Argument(..., help="Application id", min=1, max=2**31 - 1),
    outcome: str = typer.Option(..., "--outcome", help="What came of the identification, opinion or check (audited)"),
    json_out: bool = JsonOpt,
) -> None:
    """End the open clock stop; the clock runs again."""
    with transaction() as session:
        out = views.detail(session, service.restart_clock(session, cli_principal(), app_id, outcome))
    _print_clock(out, json_out)


@app.command("refer")
def refer(
    app_id: int = typer.Argument(..., help="Application id", min=1, max=2**31 - 1),
    reason: str = typer.Option(..., "--reason", help="Why the export goes to the State Council (audited)"),
    json_out: bool = JsonOpt,
) -> None:
    """Refer the case to the State Council: from then no decision deadline runs (DUR Art. 17 para. 2)."""
    with transaction() as session:
        out = views.detail(session, service.refer_to_state_council(session, cli_principal(), app_id, reason))
    _print_clock(out, json_out)


def _print_clock(out, json_out: bool) -> None:
    if json_out:
        print_json(out)
    else:
        console.print(f"{out.reference}: clock {out.deadline_info.clock_state}: {out.deadline_info.explanation_en}",
                      markup=False)
