"""``rarex reports``: the statistics as files, and price series imports.

``rarex reports build --from DATE --to DATE --out DIR`` writes every figure of the internal
dashboard as CSV, XLSX and Parquet and its chart as SVG (in ``--lang``), with a progress bar,
and ``--json`` a summary of what it wrote. ``--public`` writes the public page's figures
instead, suppressed as published.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from pathlib import Path

import typer
from rich.progress import Progress

from rarex.cli.common import JsonOpt, cli_principal, console, err_console, fail, print_json, transaction
from rarex.core.errors import Problem
from rarex.core.inputs import DATE_METAVAR, date_parser
from rarex.policy.service import get_pack
from rarex.reports import charts, exports, prices, service

app = typer.Typer(help="Statistics: figures, charts and price series.", no_args_is_help=True)
prices_app = typer.Typer(help="Price series charted beside shipped volumes.", no_args_is_help=True)
app.add_typer(prices_app, name="prices")


@app.command("build")
def build(
    start: dt.date = typer.Option(None, "--from", parser=date_parser("--from"), metavar=DATE_METAVAR,
                                  help="First day (default: twelve months ago)"),
    end: dt.date = typer.Option(None, "--to", parser=date_parser("--to"), metavar=DATE_METAVAR,
                                help="Last day (default: today)"),
    out: Path = typer.Option(..., "--out", help="Directory to write into (created if missing)"),
    lang: str = typer.Option("en", "--lang", help="Language of chart titles and axes: en or zh"),
    public: bool = typer.Option(False, "--public", help="The public page's figures, suppressed as published"),
    json_out: bool = JsonOpt,
) -> None:
    """Write every figure (CSV, XLSX, Parquet) and its chart (SVG) for the period."""
    from rarex.web.ui.statistics_text import translator

    if lang not in ("en", "zh"):
        fail("--lang must be en or zh")
    started = time.monotonic()
    try:
        period = service.Period.parse(start, end, get_pack().today())
    except Problem as exc:
        fail(str(exc))
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        fail(f"cannot create {out}: {exc.strerror}")
    with transaction(readonly=True) as session:
        figures = service.figures(session, period, public=public)
    label = translator(lang)
    written: list[str] = []
    with Progress(console=console, transient=True, disable=json_out) as progress:
        task = progress.add_task("writing figures", total=len(figures))
        for key, data in figures.items():
            for fmt in exports.FORMATS:
                path = out / f"{key}.{fmt}"
                path.write_bytes(exports.to_bytes(data, fmt))
                written.append(path.name)
            svg = charts.svg(data, label)
            if svg:
                (out / f"{key}.svg").write_text(svg, encoding="utf-8")
                written.append(f"{key}.svg")
            progress.advance(task)
    summary = {"from": period.start.isoformat(), "to": period.end.isoformat(), "out": str(out), "public": public,
               "figures": len(figures), "files": len(written), "seconds": round(time.monotonic() - started, 2)}
    if json_out:
        print_json({**summary, "written": written})
    else:
        console.print(f"wrote {len(written)} files for {len(figures)} figures into {out} "
                      f"({period.start} to {period.end}) in {summary['seconds']} s")


@prices_app.command("import")
def import_prices(
    file: Path = typer.Argument(..., help="A CSV (UTF-8) or XLSX file: date, product, price, currency, unit, source"),
    json_out: bool = JsonOpt,
) -> None:
    """Import a price series; the same file twice changes nothing, a file with errors changes nothing."""
    if not file.is_file():
        fail(f"no such file: {file}")
    content = file.read_bytes()
    try:
        _, errors = prices.parse(file.name, content)
    except prices.PriceFileInvalid as exc:
        fail(exc.detail)
    if errors:
        if json_out:
            rows = [{"row": e.row, "column": e.column, "message": e.message} for e in errors]
            sys.stdout.write(json.dumps({"error": "nothing was imported", "errors": rows}, ensure_ascii=False, indent=2) + "\n")
        else:
            err_console.print(f"error: {len(errors)} row(s) have errors; nothing was imported", highlight=False, markup=False)
            for e in errors:
                err_console.print(f"  row {e.row}, {e.column}: {e.message}", highlight=False, markup=False)
        raise typer.Exit(2)
    with transaction() as session:
        result = prices.import_file(session, cli_principal(), file.name, content)
    if json_out:
        print_json(result.as_dict())
    else:
        console.print(f"{result.rows} prices: {result.inserted} new, {result.updated} corrected, "
                      f"{result.unchanged} already held")
