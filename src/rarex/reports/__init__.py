"""Statistics: figures computed with DuckDB over an extract of the operational database, the
public page's suppression of cells that could reveal one exporter, charts and downloads."""
