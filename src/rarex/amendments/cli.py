"""``rarex amendments``: list and show amendments with their 20-working-day clocks; and
``rarex deem-accepted``, the job that records deemed acceptances of applications and amendments.

Requests and decisions are people's acts with their names on them (an exporter asks, an
officer accepts and recommends, another senior officer decides), so they go through the API,
not the operator's console.
"""

from __future__ import annotations

import datetime as dt

import typer
from rich.markup import escape
from rich.table import Table

from rarex.amendments import jobs, service, views
from rarex.amendments.models import AmendmentStatus
from rarex.cli.common import JsonOpt, cli_principal, console, print_json, transaction
from rarex.core.inputs import DATE_METAVAR, date_parser

app = typer.Typer(help="Amendments of licences (DUR Art. 18).", no_args_is_help=True)


@app.command("list")
def list_(
    status: AmendmentStatus = typer.Option(None, "--status", help="pending, recommended, approved, refused, withdrawn or lapsed"),
    licence: str = typer.Option(None, "--licence", help="Only this licence's amendments"),
    limit: int = typer.Option(1000, "--limit", min=1, max=100000),
    json_out: bool = JsonOpt,
) -> None:
    """List amendments, oldest first, with deadlines. Example: ``rarex amendments list --status pending --json``."""
    with transaction() as session:
        rows = views.summaries(session, service.list_(session, cli_principal(), status=status, licence=licence, limit=limit))
    if json_out:
        print_json(rows)
        return
    table = Table("id", "licence", "status", "changes", "requested", "clock", "deadline", "days left")
    for r in rows:
        table.add_row(str(r.id), r.licence, r.status, r.kinds, str(r.requested_on), r.clock_state, str(r.deadline or ""),
                      "" if r.working_days_left is None else f"{r.working_days_left}{' OVERDUE' if r.overdue else ''}")
    console.print(table)
    console.print(f"{len(rows)} amendment(s)")


@app.command("show")
def show(amendment_id: int = typer.Argument(..., help="Amendment id", min=1, max=2**31 - 1), json_out: bool = JsonOpt) -> None:
    """Show one amendment: its changes (with the values they replace), review, decision, deadline."""
    with transaction() as session:
        out = views.detail(session, service.get(session, cli_principal(), amendment_id))
    if json_out:
        print_json(out)
        return
    d = out.deadline_info
    console.print(f"[bold]amendment {out.id}[/bold] of {out.licence} (version {out.base_version}), [bold]{out.status}[/bold], "
                  f"{escape(out.organisation)}")
    console.print(f"requested {out.requested_on}; clock {d.clock_state}: {d.explanation_en} [{d.legal_ref}]", markup=False)
    console.print(d.explanation_zh, markup=False)
    for i, ch in enumerate(out.changes):
        rest = ", ".join(f"{k}={v}" for k, v in ch.items() if k != "kind")
        console.print(f"change {i}: {ch['kind']}: {rest}", markup=False)
    if out.recommendation:
        console.print(f"recommended {out.recommendation} by {out.recommended_by}: {out.recommendation_reasons}", markup=False)
    if out.decision:
        console.print(f"decided {out.decision} by {out.decided_by} on {out.decided_on}: {out.decision_reasons}", markup=False)
    if out.closed_reason:
        console.print(f"closed: {out.closed_reason}", markup=False)


# ``rarex deem-accepted``: registered at the top by rarex.cli.main (it records applications too).
def deem_accepted(
    on: dt.date = typer.Option(None, "--on", parser=date_parser("--on"), metavar=DATE_METAVAR,
                               help="Treat this date as today (default: today in the regime's zone)"),
    json_out: bool = JsonOpt,
) -> None:
    """Record the acceptance of every application and amendment request nobody accepted or returned
    within the acceptance window: accepted on the day received (Administrative Licensing Law
    Art. 32). Also runs when the server starts."""
    with transaction() as session:
        apps, ams = jobs.deem_accept_due(session, cli_principal(), on)
        apps_done = [{"reference": a.reference, "accepted_on": a.accepted_on} for a in apps]
        ams_done = [{"amendment": a.id, "accepted_on": a.accepted_on} for a in ams]
    if json_out:
        print_json({"applications": apps_done, "amendments": ams_done, "count": len(apps) + len(ams)})
        return
    console.print(f"deemed accepted {len(apps)} application(s) and {len(ams)} amendment(s)")
    for a in apps_done:
        console.print(f"  application {a['reference']}: accepted on {a['accepted_on']}")
    for m in ams_done:
        console.print(f"  amendment {m['amendment']}: accepted on {m['accepted_on']}")


# ``rarex licences versions``: registered on the licences app by rarex.cli.main (licences sits below amendments).
def licence_versions(number: str = typer.Argument(..., help="Licence number"), json_out: bool = JsonOpt) -> None:
    """Show every version of a licence, oldest first: each approved amendment made the next one."""
    with transaction() as session:
        lic, past = service.versions(session, cli_principal(), number)
        out = views.versions(session, lic, past)
    if json_out:
        print_json(out)
        return
    table = Table("version", "valid from", "valid to", "lines", "made by amendment", "replaced")
    for v in out:
        table.add_row(str(v.version) + (" (current)" if v.current else ""), str(v.valid_from), str(v.valid_to),
                      "; ".join(f"{line.line_no}: {line.item} {line.licensed} {line.unit} (drawn {line.drawn})" for line in v.lines),
                      str(v.made_by_amendment or ""), str(v.superseded_at or ""))
    console.print(table)
