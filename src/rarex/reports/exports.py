"""A figure's table as a file: CSV (UTF-8 with BOM, so spreadsheet programs read Chinese),
XLSX (openpyxl) or Parquet (pyarrow), with the same columns as the page's table."""

from __future__ import annotations

import io

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from openpyxl import Workbook

from rarex.reports.service import FigureData

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "parquet": "application/vnd.apache.parquet",
}


def _table(data: FigureData) -> pa.Table:
    table = data.arrow()
    # A column that is empty throughout (every cell withheld) has no type: write it as text.
    return pa.table({n: c.cast(pa.string()) if pa.types.is_null(c.type) else c
                     for n, c in zip(table.column_names, table.columns)})


def to_bytes(data: FigureData, fmt: str) -> bytes:
    table = _table(data)
    buf = io.BytesIO()
    if fmt == "csv":
        buf.write("\ufeff".encode())
        pacsv.write_csv(table, buf)
    elif fmt == "parquet":
        pq.write_table(table, buf)
    elif fmt == "xlsx":
        wb = Workbook(write_only=True)
        ws = wb.create_sheet(data.figure.key[:31])
        ws.append(table.column_names)
        for row in table.to_pylist():
            ws.append([row[c] for c in table.column_names])
        wb.save(buf)
    else:
        raise ValueError(f"unknown format {fmt!r}")
    return buf.getvalue()
