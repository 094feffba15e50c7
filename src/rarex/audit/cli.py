"""``rarex audit``: verify the chain, seal a checkpoint, read events."""

from __future__ import annotations

import typer
from rich.table import Table
from rich.text import Text

from rarex.audit import service
from rarex.audit.schemas import AuditEventOut
from rarex.cli.common import EXIT_CHECK_FAILED, JsonOpt, cli_principal, console, err_console, print_json, transaction
from rarex.core import audit

app = typer.Typer(help="The tamper-evident audit log.", no_args_is_help=True)


@app.command("verify")
def verify(json_out: bool = JsonOpt) -> None:
    """Recompute every hash. Exit 0 when intact; exit 1 naming the first bad event."""
    # Read-only: verifying a long chain must not hold SQLite's write lock against shipments.
    with transaction(readonly=True) as session:
        result = audit.verify(session)
    if json_out:
        print_json(result.as_dict())
    elif result.ok:
        console.print(
            f"audit log intact: {result.events} events in {result.streams} streams, {result.checkpoints} checkpoints"
        )
    else:
        first = result.first_bad
        assert first is not None, "a failed verification names its first bad event"
        where = f"event {first.event_id} ({first.stream} #{first.seq})" if first.event_id else f"{first.stream or 'checkpoints'}"
        # One finding per line, never wrapped at the terminal width (scripts grep for the id),
        # and no Rich markup: stream names and reasons are data.
        def say(line: str) -> None:
            err_console.print(line, highlight=False, markup=False, soft_wrap=True)

        say(f"audit log TAMPERED: first bad {where}: {first.reason}")
        # first_bad is the lowest event id, not necessarily findings[0]: list the others.
        for f in [f for f in result.findings if f is not first][:9]:
            say(f"  also: event {f.event_id} {f.stream} #{f.seq}: {f.reason}")
    if not result.ok:
        raise typer.Exit(EXIT_CHECK_FAILED)


@app.command("checkpoint")
def checkpoint(json_out: bool = JsonOpt) -> None:
    """Seal every stream head into the checkpoint chain (run periodically, e.g. hourly)."""
    with transaction() as session:
        cp = audit.checkpoint(session)
        out = {"id": cp.id, "streams": len(cp.heads), "hash": cp.hash, "created_at": cp.created_at}
    if json_out:
        print_json(out)
    else:
        console.print(f"checkpoint {out['id']} sealed {out['streams']} streams: {out['hash']}")


@app.command("events")
def events(
    stream: str = typer.Option(None, help="Only this stream, e.g. application:12"),
    type: str = typer.Option(None, "--type", help="Only this event type, e.g. licence.issued"),
    limit: int = typer.Option(50, min=1, max=10000),
    json_out: bool = JsonOpt,
) -> None:
    """List audit events, oldest first."""
    with transaction(readonly=True) as session:
        rows = [AuditEventOut.model_validate(e) for e in service.list_events(session, cli_principal(), stream=stream, type=type, limit=limit)]
    if json_out:
        print_json(rows)
        return
    table = Table("id", "when (UTC)", "type", "subject", "actor", "reason")
    for e in rows:
        # Text(), not str: a reason typed by a user may contain "[...]", which Rich would
        # otherwise read as markup (and crash on an unmatched closing tag).
        cells = [str(e.id), e.occurred_at.strftime("%Y-%m-%d %H:%M:%S"), e.type, e.stream, e.actor, e.reason or ""]
        table.add_row(*(Text(c) for c in cells))
    console.print(table)
