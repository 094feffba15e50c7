"""``rarex screening search|batch|hits|resolve``: screen names, one or a file of them, and
resolve the hits on cases."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import typer
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from rarex.cli.common import (
    EXIT_CHECK_FAILED,
    JsonOpt,
    cli_principal,
    console,
    err_console,
    fail,
    print_json,
    transaction,
)
from rarex.core.errors import InvalidInput
from rarex.core.inputs import DATE_METAVAR, date_parser
from rarex.screening import cases, service
from rarex.screening.models import HitStatus
from rarex.screening.views import hit_out, hits_out, search_out
from rarex.web.csvout import cell

BATCH_COLUMNS = ("id", "rank", "entity_id", "list", "score", "alert", "explanation")


def search(
    name: str = typer.Argument(..., help="The name to screen, in any script"),
    country: str | None = typer.Option(None, "--country", help="ISO 3166-1 alpha-2 code of the party's country"),
    on: dt.date | None = typer.Option(None, "--on", parser=date_parser("--on"), metavar=DATE_METAVAR, help="Lists as they stood at the end of this day"),
    limit: int = typer.Option(10, "--limit", min=1, max=50),
    as_json: bool = JsonOpt,
) -> None:
    """Screen one name against every list; best hits first."""
    with transaction() as session:
        found = service.search(session, cli_principal(), name, country=country, on=on, limit=limit)
    if as_json:
        print_json(search_out(found))
        return
    lists = ", ".join(f"{v.list.name} v{v.version}" for v in found.versions) or "no list imported"
    console.print(f"screened against {lists}; alert threshold {found.threshold}")
    if not found.hits:
        console.print("no hit")
        return
    # The explanation is a paragraph: under its hit, not squeezed into a column.
    for h in found.hits:
        flag = "[bold red]ALERT[/bold red]" if h.alert else "     "
        console.print(f"{h.score:.2f} {flag} [bold]{escape(h.entry.name)}[/bold]  {escape(h.entry.list_name)} "
                      f"{escape(h.entry.entity_id)}", highlight=False)
        console.print(f"      {escape(h.explanation)}", highlight=False, style="dim")


def _read_batch(path: Path) -> list[tuple[int, dict]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        fail(f"{path}: no such file")
    except UnicodeDecodeError as exc:
        fail(f"{path}: not UTF-8 text (byte {exc.start}); save it as UTF-8")
    reader = csv.DictReader(text.splitlines())
    missing = {"id", "name"} - set(reader.fieldnames or ())
    if missing:
        fail(f"{path}: the header needs the columns id,name[,country]; missing {', '.join(sorted(missing))}")
    return [(n, row) for n, row in enumerate(reader, start=2)]


def batch(
    infile: Path = typer.Argument(..., help="CSV with columns id,name,country (country may be empty)"),
    outfile: Path = typer.Argument(..., help="CSV written with id,rank,entity_id,list,score,alert,explanation"),
    top: int = typer.Option(3, "--top", min=1, max=50, help="Hits kept per query"),
    on: dt.date | None = typer.Option(None, "--on", parser=date_parser("--on"), metavar=DATE_METAVAR, help="Lists as they stood at the end of this day"),
    as_json: bool = JsonOpt,
) -> None:
    """Screen a CSV of names (id,name,country) into a CSV of hits.

    Every query gets at least one row (an empty entity_id when nothing matched); rows that
    cannot be screened are reported on stderr and left out.
    """
    rows = _read_batch(infile)
    rejected: list[dict] = []
    written = queries = alerts = 0
    with transaction() as session:
        versions = service.versions_on(session, on)
        matcher = service.matcher_for(session, versions)
        with outfile.open("w", newline="", encoding="utf-8") as fh, Progress(
            TextColumn("screening"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
            console=err_console, transient=True, disable=as_json,
        ) as progress:
            writer = csv.writer(fh, lineterminator="\r\n")
            writer.writerow(BATCH_COLUMNS)
            task = progress.add_task("screening", total=len(rows))
            for n, row in rows:
                progress.advance(task)
                qid = (row.get("id") or "").strip()
                try:
                    if not qid:
                        raise InvalidInput("id is empty")
                    name, country = service.check_query(row.get("name") or "", row.get("country"))
                except InvalidInput as exc:
                    rejected.append({"row": n, "id": qid, "reason": exc.detail})
                    continue
                queries += 1
                hits = matcher.search(name, country=country, limit=top, min_score=service.MIN_SCORE)
                alerts += any(h.alert for h in hits)
                for rank, h in enumerate(hits, start=1):
                    writer.writerow([cell(qid), rank, cell(h.entry.entity_id), cell(h.entry.list_name), f"{h.score:.4f}",
                                     str(h.alert).lower(), cell(h.explanation)])
                    written += 1
                if not hits:
                    writer.writerow([cell(qid), "", "", "", "", "false", ""])
                    written += 1
    summary = {"queries": queries, "with_alert": alerts, "rows_written": written, "rejected": rejected,
               "lists": [{"list": v.list.name, "version": v.version} for v in versions], "threshold": service.ALERT_THRESHOLD}
    if as_json:
        print_json(summary)
    else:
        console.print(f"{queries} names screened, {alerts} with an alert (score >= {service.ALERT_THRESHOLD}); "
                      f"{written} rows written to {outfile}")
        for r in rejected:
            err_console.print(f"row {r['row']}: {r['reason']}", highlight=False)
    if not queries and rejected:
        raise typer.Exit(EXIT_CHECK_FAILED)


def hits(
    status: HitStatus | None = typer.Option(None, "--status"),
    application: int | None = typer.Option(None, "--application", min=1, help="Hits on this application"),
    licence: str | None = typer.Option(None, "--licence", help="Hits on this licence (its number)"),
    limit: int = typer.Option(100, "--limit", min=1, max=1000),
    as_json: bool = JsonOpt,
) -> None:
    """Screening hits on applications and licences."""
    with transaction() as session:
        found = hits_out(session, cases.list_hits(session, cli_principal(), application_id=application, licence=licence,
                                                  status=status, limit=limit))
    if as_json:
        print_json([h.model_dump(mode="json") for h in found])
        return
    table = Table("hit", "case", "party", "list", "entity", "score", "status")
    for h in found:
        case = f"application {h.application}" if h.application_id else f"licence {h.licence}"
        table.add_row(str(h.id), case, h.party, h.list, f"{h.entity_id} {h.entity_name}", f"{h.score:.2f}", str(h.status))
    console.print(table)


def resolve(
    hit_id: int = typer.Argument(..., min=1, help="The hit's id"),
    resolution: HitStatus = typer.Option(..., "--as", help="false_positive or confirmed"),
    reason: str = typer.Option(..., "--reason", help="Why: recorded in the audit log"),
    as_json: bool = JsonOpt,
) -> None:
    """Resolve a hit as a false positive or a confirmed match."""
    with transaction() as session:
        out = hit_out(session, cases.resolve(session, cli_principal(), hit_id, resolution, reason))
    if as_json:
        print_json(out.model_dump(mode="json"))
    else:
        console.print(f"hit {out.id} resolved as {out.status}")


def register(app: typer.Typer) -> None:
    """Add these commands to ``rarex screening``."""
    app.command("search")(search)
    app.command("batch")(batch)
    app.command("hits")(hits)
    app.command("resolve")(resolve)

