"""``rarex screening``: import restricted-party lists and read their versions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer
from rich.markup import escape
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn, TransferSpeedColumn
from rich.table import Table

from rarex.cli.common import EXIT_CHECK_FAILED, JsonOpt, cli_principal, console, err_console, fail, print_json, transaction
from rarex.core.errors import Problem
from rarex.screening import importers, list_import, lists
from rarex.screening.api import list_detail, list_out, version_out
from rarex.screening.importers import ImportFormat
from rarex.screening.index_store import KEEP_DAYS

app = typer.Typer(help="Restricted-party lists and screening.", no_args_is_help=True)
index_app = typer.Typer(help="The match indexes of the list versions in force (kept under RAREX_DATA_DIR).",
                        no_args_is_help=True)
app.add_typer(index_app, name="index")

#: Rejected rows printed as a table; --json gives all of them.
SHOWN_REJECTIONS = 20


def _summary(result: list_import.ImportResult) -> dict:
    return {
        "list": result.list_name, "checksum": result.checksum, "unchanged": result.unchanged,
        "version": version_out(result.version) if result.version else None,
        "entries": result.entries, "skipped_count": sum(result.skipped.values()), "skipped": dict(result.skipped),
        "rejected_count": len(result.rejected), "rejected": [r.as_dict() for r in result.rejected],
        "dropped_count": result.dropped,
        "flagged_licence_hits": [{"hit": h.id, "licence_id": h.licence_id, "party": h.query, "entity_id": h.entity_id,
                                  "score": h.score} for h in result.flagged],
    }


def _print_import(file: Path, result: list_import.ImportResult) -> None:
    if result.unchanged:
        console.print(f"{escape(file.name)} is version {result.version.version} of {result.list_name} already "
                      f"(sha256 {result.checksum[:12]}…): nothing imported; --force imports it again")
        return
    if result.rejected:
        table = Table("line", "id", "reason", title=f"Rejected records ({len(result.rejected)})")
        for r in result.rejected[:SHOWN_REJECTIONS]:
            table.add_row(str(r.row), escape(r.entity_id or ""), escape(r.reason))
        console.print(table)
        if len(result.rejected) > SHOWN_REJECTIONS:
            console.print(f"… and {len(result.rejected) - SHOWN_REJECTIONS} more: --json lists them all")
    skipped = ", ".join(f"{what} {n}" for what, n in result.skipped.most_common())
    if result.version:
        console.print(f"[bold]{result.list_name}[/bold] version {result.version.version}: {result.entries} entities from "
                      f"{escape(file.name)}, {len(result.rejected)} rejected"
                      + (f", {sum(result.skipped.values())} skipped ({skipped})" if skipped else "")
                      + (f", {result.dropped} of the previous version's gone" if result.dropped else ""))
    if result.flagged:
        console.print(f"[bold red]{len(result.flagged)} end user(s) of live licences now match this list[/bold red]: "
                      "flagged for review (rarex screening hits --status open)")


@app.command("import")
def import_(
    file: Path = typer.Argument(..., help="The list file", dir_okay=False),
    list_name: str = typer.Option(..., "--list", help="The list's name, a slug: cn-unreliable-entity-list"),
    format: ImportFormat = typer.Option(..., "--format", help="ftm (FollowTheMoney JSON lines), opensanctions-csv "
                                        "(targets.simple.csv) or csv (with --map)"),
    map_: str | None = typer.Option(None, "--map", help="csv only: entity_id=COL,name=COL[,aliases=COL][,countries=COL]"
                                    "[,programs=COL][,identifiers=COL][,addresses=COL][,schema=COL][,listed_on=COL]"),
    separator: str = typer.Option(";", "--separator", help="csv only: what separates several values in one cell"),
    encoding: str = typer.Option("utf-8", "--encoding", help="Text encoding of a CSV file, e.g. gb18030"),
    title: str | None = typer.Option(None, "--title", help="The list's title (renames it on a later import)"),
    publisher: str = typer.Option("", "--publisher", help="Who issues the list"),
    published_on: dt.datetime | None = typer.Option(None, "--published-on", formats=["%Y-%m-%d"],
                                                    help="The list's own date"),
    force: bool = typer.Option(False, "--force", help="Import even if the file is the newest version's"),
    allow_shrink: bool = typer.Option(False, "--allow-shrink", help="Import even if the file drops more of the "
                                      "list's entities than RAREX_LIST_SHRINK_LIMIT allows (the list really shrank)"),
    json_out: bool = JsonOpt,
) -> None:
    """Import a list file as the list's next version; older versions are kept.

    \b
    Examples:
      rarex screening import entities.ftm.json --list os-sanctions --format ftm
      rarex screening import targets.simple.csv --list os-default --format opensanctions-csv
      rarex screening import uel.csv --list cn-unreliable-entity-list --format csv \\
          --map entity_id=序号,name=名称,aliases=英文名称,countries=国家 --encoding gb18030

    \b
    A file identical to the newest version (by SHA-256) imports nothing. Records
    that cannot be imported are reported with their line and reason; records that
    are not parties (FollowTheMoney Sanction, Address, ...) are skipped and counted.
    A file that drops more than RAREX_LIST_SHRINK_LIMIT (default 20%) of the
    current version's entities is refused, naming what would disappear, unless
    --allow-shrink. The file is written in short transactions into a version that
    takes effect only when all of it is in and its match index is built (under
    RAREX_DATA_DIR), so the API keeps serving meanwhile, and searches the new
    version from the moment it is in force.
    Exit code 0 when imported (even with rejected records) or unchanged, 1 when no
    record could be imported, 2 for bad arguments, an unreadable file or a refusal.
    """
    with Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TransferSpeedColumn(),
                  TimeRemainingColumn(), console=err_console, transient=True) as progress:
        task = progress.add_task(f"importing {file.name}", total=None)
        indexing: list = []

        def index_progress(done: int, total: int) -> None:
            if not indexing:
                progress.update(task, visible=False)
                indexing.append(progress.add_task("building the match index (entities)", total=total or None))
            progress.update(indexing[0], completed=done, total=total or None)

        try:
            mapping = importers.parse_mapping(map_) if map_ is not None else None
            result = list_import.import_list_staged(
                cli_principal(), file, list_name=list_name, format=format, mapping=mapping,
                separator=separator, encoding=encoding, title=title, publisher=publisher,
                published_on=published_on.date() if published_on else None, force=force, allow_shrink=allow_shrink,
                progress=lambda done, total: progress.update(task, completed=done, total=total),
                index_progress=index_progress)
        except Problem as exc:
            fail(str(exc))
    if json_out:
        print_json(_summary(result))
    else:
        _print_import(file, result)
    if result.version is None:
        fail(f"nothing imported from {file.name}: none of its records could be imported", EXIT_CHECK_FAILED)


@app.command("lists")
def lists_(json_out: bool = JsonOpt) -> None:
    """The restricted-party lists, each with its newest version."""
    with transaction() as session:
        rows = [list_out(lst) for lst in lists.list_lists(session, cli_principal())]
    if json_out:
        print_json(rows)
        return
    table = Table("list", "title", "versions", "newest", "entities", "imported (UTC)")
    for r in rows:
        latest = r.latest
        table.add_row(r.name, escape(r.title), str(r.version_count), str(latest.version) if latest else "",
                      str(latest.entry_count) if latest else "", f"{latest.imported_at:%Y-%m-%d %H:%M}" if latest else "")
    console.print(table)


@app.command("versions")
def versions(name: str = typer.Argument(..., help="The list's name"), json_out: bool = JsonOpt) -> None:
    """Every version of one list, oldest first."""
    with transaction() as session:
        detail = list_detail(lists.get_list(session, cli_principal(), name))
    if json_out:
        print_json(detail)
        return
    table = Table("version", "imported (UTC)", "source", "publisher", "entities", "rejected", "sha256",
                  title=escape(f"{detail.name}: {detail.title}" if detail.title else detail.name))
    for v in detail.versions:
        table.add_row(str(v.version), f"{v.imported_at:%Y-%m-%d %H:%M}", escape(v.source), escape(v.publisher),
                      str(v.entry_count), str(v.rejected_count), v.checksum[:12])
    console.print(table)


def _print_index(rows: list[dict]) -> None:
    table = Table("list", "version", "entities", "index", "forms", "built in (s)", "names copied")
    for r in rows:
        built = r["built"] or {}
        table.add_row(r["list"], str(r["version"]), str(r["entries"]), "ready" if r["ready"] else "[bold]missing[/bold]",
                      str(built.get("forms", "")), str(built.get("seconds", "")), str(built.get("names_reused", "")))
    console.print(table)


@index_app.command("status")
def index_status(json_out: bool = JsonOpt) -> None:
    """Whether each list version in force has its match index built."""
    from rarex.screening import service

    with service.read_only_session() as session:
        rows = service.index_status(session, cli_principal())
    if json_out:
        print_json(rows)
    else:
        _print_index(rows)


@index_app.command("build")
def index_build(
    list_name: str | None = typer.Option(None, "--list", help="Only this list (default: every list in force)"),
    json_out: bool = JsonOpt,
) -> None:
    """Build the missing match indexes of the list versions in force.

    An import builds its version's index; run this after upgrading rarex (a changed name
    normaliser makes older indexes invisible), or when RAREX_DATA_DIR was emptied, so that no
    search has to wait for one. An index already built is left as it is.
    """
    from rarex.screening import service

    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total} entities"),
                  TimeRemainingColumn(), console=err_console, transient=True, disable=json_out) as progress:

        def bar(version):
            task = progress.add_task(f"indexing {version.list.name} v{version.version}", total=version.entry_count or None)
            return lambda done, total: progress.update(task, completed=done, total=total or None)

        try:
            with service.read_only_session() as session:
                rows = service.build_indexes(session, cli_principal(), list_name=list_name, progress=bar)
        except Problem as exc:
            fail(str(exc))
    if json_out:
        print_json(rows)
    else:
        _print_index(rows)


@index_app.command("prune")
def index_prune(
    keep_days: int = typer.Option(KEEP_DAYS, "--keep-days", min=0,
                                  help="Keep the indexes of versions in force within this many days"),
    json_out: bool = JsonOpt,
) -> None:
    """Delete match indexes no search needs soon: of versions superseded more than
    --keep-days ago (beyond each list's previous version), of older index FORMATs, and
    temporary ones of builds that died. An import prunes after its swap; a search on an older
    date has its version's index built again."""
    from rarex.screening import service

    try:
        with service.read_only_session() as session:
            done = service.prune_indexes(session, cli_principal(), keep_days=keep_days)
    except Problem as exc:
        fail(str(exc))
    if json_out:
        print_json(done)
        return
    console.print(f"removed {len(done['indexes'])} index(es), {len(done['formats'])} older format(s), "
                  f"{len(done['temporary'])} temporary director(ies); {done['freed_bytes'] / 2 ** 20:.1f} MB freed; "
                  f"{len(done['kept'])} kept")
