"""``rarex reports build``: every figure as CSV, XLSX and Parquet and its chart as SVG, with a
JSON summary; the public variant holds only the published figures, suppressed."""

from __future__ import annotations

import json

import pyarrow.parquet as pq

from rarex.reports.figures import FIGURES, PUBLIC


def test_build_writes_every_figure_and_chart(cli, history, tmp_path):
    out = tmp_path / "report"
    r = cli("reports", "build", "--from", history.k.isoformat(), "--to", history.today.isoformat(), "--out", str(out),
            "--lang", "zh", "--json")
    assert r.exit_code == 0, r.output
    summary = json.loads(r.stdout)
    assert summary["figures"] == len(FIGURES)
    for f in FIGURES:
        for fmt in ("csv", "xlsx", "parquet"):
            assert (out / f"{f.key}.{fmt}").stat().st_size > 0
        if f.chart:
            assert "<svg" in (out / f"{f.key}.svg").read_text(encoding="utf-8")
    assert "按月申请情况" in (out / "applications_by_month.svg").read_text(encoding="utf-8")
    months = pq.read_table(out / "volumes_by_month.parquet").to_pylist()
    assert [m["shipped_kg"] for m in months if m["key"] != "total"] == [500, 900, 200]


def test_public_build_holds_only_published_figures(cli, history, tmp_path):
    r = cli("reports", "build", "--out", str(tmp_path), "--public", "--json")
    assert r.exit_code == 0
    assert json.loads(r.stdout)["figures"] == len(PUBLIC)
    assert not (tmp_path / "licence_utilisation.csv").exists()


def test_a_bad_period_is_one_line_and_exit_2(cli, tmp_path):
    r = cli("reports", "build", "--from", "2026-02-30", "--out", str(tmp_path))
    assert r.exit_code == 2 and "YYYY-MM-DD" in r.stderr
