"""``rarex applications``: list and show cases with their clocks; the officer's clock actions
(stop and restart for an identification, expert opinion or on-site check; State Council
referral); ``rarex licences reapply``. Deemed acceptances are recorded by ``rarex deem-accepted`` (rarex.amendments.cli)."""

from __future__ import annotations

from pathlib import Path

import typer
from pydantic import ValidationError
from rich.markup import escape
from rich.table import Table

from rarex.applications import replacement, service, views
from rarex.applications.models import ApplicationStatus
from rarex.applications.schemas import NewEndUserIn, ReapplyIn
from rarex.cli.common import JsonOpt, cli_principal, console, fail, print_json, transaction

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


# ``rarex licences reapply``: registered on the licences app by rarex.cli.main (licences sits below applications).
def reapply(
    number: str = typer.Argument(..., help="Licence number"),
    replace: list[str] = typer.Option([], "--replace", metavar="OLD:NEW",
                                      help="Put end user NEW in place of the licence's end user OLD (party ids); "
                                           "OLD's remaining quantities move to NEW. Repeatable."),
    request: Path = typer.Option(None, "--request", exists=True, dir_okay=False,
                                 help="A JSON file with the API's body ({\"end_users\": [...]}), e.g. to add an end "
                                      "user with its items"),
    json_out: bool = JsonOpt,
) -> None:
    """Draft a new application from a licence with new or replacing end users (DUR Art. 18 para. 2).

    Example: ``rarex licences reapply CNDU-I2026-000001 --replace 12:31 --json``.
    """
    end_users: list[NewEndUserIn] = []
    try:
        for pair in replace:
            old, sep, new = pair.partition(":")
            if not sep or not old.strip().isdigit() or not new.strip().isdigit():
                fail(f"--replace {pair!r}: give OLD:NEW, two party ids")
            end_users.append(NewEndUserIn(end_user_id=int(new), replaces_end_user_id=int(old)))
        if request is not None:
            end_users += ReapplyIn.model_validate_json(request.read_text(encoding="utf-8")).end_users
        data = ReapplyIn(end_users=end_users)
    except ValidationError as exc:
        first = exc.errors()[0]
        fail(f"{'.'.join(str(p) for p in first['loc']) or 'request'}: {first['msg']}")
    with transaction() as session:
        out = views.detail(session, replacement.reapply(session, cli_principal(), number, data))
    if json_out:
        print_json(out)
    else:
        console.print(f"drafted application {out.reference} (id {out.id}) replacing licence {number}; edit, upload "
                      "its documents and submit it", highlight=False)
