"""The figures: each one SQL over the fact tables (:mod:`rarex.reports.facts`), with what its
columns mean, how it is charted and whether the public page may show it.

Periods are legal dates in the pack's time zone, ``$from`` to ``$to`` inclusive. Licensed
quantities count in the month the licence was issued, shipped ones in the month of the
declaration; both in kilograms. ``*_exporters`` columns count the distinct exporters behind a
cell: the public page suppresses cells built from fewer than three (:mod:`.suppression`) and
never shows those columns.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rarex.reports.suppression import TOTAL

_MONTHS = """months AS (
  SELECT strftime(m, '%Y-%m') AS month
  FROM generate_series(date_trunc('month', CAST($from AS DATE)), date_trunc('month', CAST($to AS DATE)), INTERVAL 1 MONTH) g(m))"""

_APP_MEASURES = """
  count(*) FILTER (WHERE kind = 'received') AS received,
  count(*) FILTER (WHERE kind IN ('approved', 'refused')) AS decided,
  count(*) FILTER (WHERE kind = 'approved') AS approved,
  count(*) FILTER (WHERE kind = 'refused') AS refused,
  count(*) FILTER (WHERE kind = 'withdrawn') AS withdrawn,
  round(count(*) FILTER (WHERE kind = 'approved') / nullif(count(*) FILTER (WHERE kind IN ('approved', 'refused')), 0), 4)
    AS approval_rate,
  count(DISTINCT org_id) FILTER (WHERE kind = 'received') AS received_exporters,
  count(DISTINCT org_id) FILTER (WHERE kind IN ('approved', 'refused')) AS decided_exporters,
  count(DISTINCT org_id) FILTER (WHERE kind = 'approved') AS approved_exporters,
  count(DISTINCT org_id) FILTER (WHERE kind = 'refused') AS refused_exporters,
  count(DISTINCT org_id) FILTER (WHERE kind = 'withdrawn') AS withdrawn_exporters"""

_APP_TOTALS = f"SELECT {_APP_MEASURES} FROM app_events WHERE on_d BETWEEN $from AND $to"

_APP_COLUMNS = ["received", "decided", "approved", "refused", "withdrawn", "approval_rate"]


def _apps_by(key: str, join: str = "") -> str:
    return f"""SELECT {key} AS key, {_APP_MEASURES}
FROM app_events ev {join}
WHERE on_d BETWEEN $from AND $to
GROUP BY ALL ORDER BY received DESC, key"""


_VOL_MEASURES = """
  coalesce(sum(licensed_kg), 0) AS licensed_kg, coalesce(sum(shipped_kg), 0) AS shipped_kg,
  count(DISTINCT org_id) FILTER (WHERE licensed_kg IS NOT NULL) AS licensed_kg_exporters,
  count(DISTINCT org_id) FILTER (WHERE shipped_kg IS NOT NULL) AS shipped_kg_exporters"""

_VOL_FACTS = """vol AS (
  SELECT org_id, element, country, strftime(issued_on, '%Y-%m') AS month, licensed_kg, NULL AS shipped_kg
  FROM line_kg WHERE issued_on BETWEEN $from AND $to
  UNION ALL
  SELECT org_id, element, country, strftime(shipped_on, '%Y-%m'), NULL, kg
  FROM shipped_kg WHERE shipped_on BETWEEN $from AND $to)"""

_VOL_TOTALS = f"WITH {_VOL_FACTS} SELECT {_VOL_MEASURES} FROM vol"


@dataclass(frozen=True)
class Chart:
    """How a figure is drawn: a Vega-Lite mark over the figure's columns."""

    mark: str  # bar, line, area
    x: str
    y: list[str]
    #: x is a category (sorted by y) rather than time.
    x_category: bool = False
    color: str | None = None
    #: A second figure's y drawn on its own scale beside this one (prices beside volumes).
    percent: bool = False


@dataclass(frozen=True)
class Figure:
    key: str
    #: The English title; the pages' catalogue (web/ui/statistics_text.py) holds it in Chinese.
    title: str
    sql: str
    columns: list[str]
    chart: Chart | None = None
    public: bool = False
    #: The column naming each row (suppression reads it); its values are shown as labels.
    key_label: str = "key"
    #: Measures whose cells carry a ``<measure>_exporters`` count (suppressed when fewer than 3).
    protected: list[str] = field(default_factory=list)
    #: Columns worked out from protected ones: suppressed with any of them.
    derived: dict[str, list[str]] = field(default_factory=dict)
    #: A crosstab: (row column, column column, value column); suppressed in two dimensions.
    crosstab: tuple[str, str, str] | None = None
    #: One row of the protected measures over the whole period, with their exporters: the
    #: published total line that secondary suppression protects cells against.
    totals: str | None = None
    #: Most rows shown on a page (downloads hold all of them).
    page_rows: int = 50


FIGURES: list[Figure] = [
    Figure(
        "applications_by_month", "Applications by month",
        f"""WITH {_MONTHS}, f AS (SELECT strftime(on_d, '%Y-%m') AS month, {_APP_MEASURES}
                 FROM app_events WHERE on_d BETWEEN $from AND $to GROUP BY 1)
            SELECT months.month AS key, coalesce(received, 0) AS received, coalesce(decided, 0) AS decided,
                   coalesce(approved, 0) AS approved, coalesce(refused, 0) AS refused, coalesce(withdrawn, 0) AS withdrawn,
                   approval_rate, coalesce(received_exporters, 0) AS received_exporters,
                   coalesce(decided_exporters, 0) AS decided_exporters, coalesce(approved_exporters, 0) AS approved_exporters,
                   coalesce(refused_exporters, 0) AS refused_exporters, coalesce(withdrawn_exporters, 0) AS withdrawn_exporters
            FROM months LEFT JOIN f USING (month) ORDER BY key""",
        _APP_COLUMNS, Chart("bar", "key", ["received", "approved", "refused", "withdrawn"]), public=True,
        key_label="month", protected=["received", "decided", "approved", "refused", "withdrawn"],
        derived={"approval_rate": ["approved", "refused"]}, totals=_APP_TOTALS, page_rows=36,
    ),
    Figure(
        "approval_rate_by_month", "Approval rate by month",
        f"""WITH {_MONTHS}, f AS (SELECT strftime(on_d, '%Y-%m') AS month, {_APP_MEASURES}
                 FROM app_events WHERE on_d BETWEEN $from AND $to GROUP BY 1)
            SELECT months.month AS key, coalesce(decided, 0) AS decided, approval_rate,
                   coalesce(approved, 0) AS approved, coalesce(refused, 0) AS refused,
                   coalesce(decided_exporters, 0) AS decided_exporters,
                   coalesce(approved_exporters, 0) AS approved_exporters,
                   coalesce(refused_exporters, 0) AS refused_exporters
            FROM months LEFT JOIN f USING (month) ORDER BY key""",
        ["decided", "approval_rate"], Chart("line", "key", ["approval_rate"], percent=True), public=True,
        key_label="month", protected=["decided", "approved", "refused"],
        derived={"approval_rate": ["decided", "approved", "refused"]}, totals=_APP_TOTALS, page_rows=36,
    ),
    Figure("applications_by_licence_type", "Applications by licence type", _apps_by("licence_type"), _APP_COLUMNS,
           Chart("bar", "key", ["received", "approved", "refused"], x_category=True), public=True,
           key_label="licence_type", protected=["received", "decided", "approved", "refused", "withdrawn"],
           derived={"approval_rate": ["approved", "refused"]}, totals=_APP_TOTALS),
    Figure("applications_by_element", "Applications by element",
           _apps_by("el.element", "JOIN app_elements el USING (app_id)"), _APP_COLUMNS,
           Chart("bar", "key", ["received", "approved", "refused"], x_category=True), public=True,
           key_label="element", protected=["received", "decided", "approved", "refused", "withdrawn"],
           derived={"approval_rate": ["approved", "refused"]}),
    Figure("applications_by_destination", "Applications by destination country", _apps_by("country"), _APP_COLUMNS,
           Chart("bar", "key", ["received", "approved", "refused"], x_category=True), public=True,
           key_label="country", protected=["received", "decided", "approved", "refused", "withdrawn"],
           derived={"approval_rate": ["approved", "refused"]}, totals=_APP_TOTALS),
    Figure("applications_by_end_use", "Applications by end-use sector", _apps_by("end_use_category"), _APP_COLUMNS,
           Chart("bar", "key", ["received", "approved", "refused"], x_category=True), public=True,
           key_label="end_use", protected=["received", "decided", "approved", "refused", "withdrawn"],
           derived={"approval_rate": ["approved", "refused"]}, totals=_APP_TOTALS),
    Figure(
        "processing_summary", "Processing time against the deadline",
        """SELECT count(*) FILTER (WHERE decided_on BETWEEN $from AND $to) AS decided,
                  median(used_wd) FILTER (WHERE decided_on BETWEEN $from AND $to) AS median_working_days,
                  quantile_disc(used_wd, 0.9) FILTER (WHERE decided_on BETWEEN $from AND $to) AS p90_working_days,
                  count(*) FILTER (WHERE decided_on BETWEEN $from AND $to AND used_wd > $allowed) AS breaches,
                  count(*) FILTER (WHERE open) AS open_cases,
                  count(*) FILTER (WHERE open AND deadline BETWEEN $today AND $week_end) AS due_this_week,
                  count(*) FILTER (WHERE open AND deadline < $today) AS overdue
           FROM case_clock""",
        ["decided", "median_working_days", "p90_working_days", "breaches", "open_cases", "due_this_week", "overdue"],
        key_label="",
    ),
    Figure(
        "processing_time_distribution", "Processing time in working days",
        """WITH b AS (SELECT least(used_wd // 5, 10) AS bucket FROM case_clock WHERE decided_on BETWEEN $from AND $to)
           SELECT CASE WHEN bucket = 10 THEN '50+' ELSE printf('%d–%d', bucket * 5, bucket * 5 + 4) END AS key,
                  count(*) AS cases
           FROM b GROUP BY bucket ORDER BY bucket""",
        ["cases"], Chart("bar", "key", ["cases"]), key_label="working_days",
    ),
    Figure(
        "processing_time_by_month", "Median processing time and deadline breaches by month",
        f"""WITH {_MONTHS}, f AS (SELECT strftime(decided_on, '%Y-%m') AS month, count(*) AS decided,
                 median(used_wd) AS median_working_days, count(*) FILTER (WHERE used_wd > $allowed) AS breaches
                 FROM case_clock WHERE decided_on BETWEEN $from AND $to GROUP BY 1)
            SELECT months.month AS key, coalesce(decided, 0) AS decided, median_working_days, coalesce(breaches, 0) AS breaches
            FROM months LEFT JOIN f USING (month) ORDER BY key""",
        ["decided", "median_working_days", "breaches"], Chart("line", "key", ["median_working_days", "breaches"]),
        key_label="month", page_rows=36,
    ),
    Figure(
        "cases_at_risk", "Open cases due this week or overdue",
        """SELECT reference AS key, accepted_on, deadline,
                  CAST((SELECT c2.wd FROM dim_calendar c2 WHERE c2.d = deadline) - (SELECT c1.wd FROM dim_calendar c1 WHERE c1.d = $today) AS INTEGER)
                    AS working_days_left
           FROM case_clock WHERE open AND deadline <= $week_end ORDER BY deadline, key""",
        ["accepted_on", "deadline", "working_days_left"], key_label="reference",
    ),
    Figure(
        "general_licence_holders", "General licence holders",
        """SELECT o.name_zh AS key, o.name_en, count(*) AS active_general_licences, min(l.valid_from) AS valid_from,
                  max(l.valid_to) AS valid_to
           FROM src_licences l JOIN src_organisations o ON o.id = l.org_id
           WHERE l.licence_type = 'general' AND l.status = 'active' AND l.valid_from <= $today AND l.valid_to >= $today
           GROUP BY o.name_zh, o.name_en ORDER BY key""",
        ["name_en", "active_general_licences", "valid_from", "valid_to"], public=True, key_label="holder", page_rows=500,
    ),
    Figure(
        "volumes_by_element", "Licensed and shipped quantity by element (kg)",
        f"WITH {_VOL_FACTS} SELECT element AS key, {_VOL_MEASURES} FROM vol GROUP BY 1 ORDER BY licensed_kg DESC, key",
        ["licensed_kg", "shipped_kg"], Chart("bar", "key", ["licensed_kg", "shipped_kg"], x_category=True), public=True,
        key_label="element", protected=["licensed_kg", "shipped_kg"], totals=_VOL_TOTALS,
    ),
    Figure(
        "volumes_by_destination", "Licensed and shipped quantity by destination (kg)",
        f"WITH {_VOL_FACTS} SELECT country AS key, {_VOL_MEASURES} FROM vol GROUP BY 1 ORDER BY licensed_kg DESC, key",
        ["licensed_kg", "shipped_kg"], Chart("bar", "key", ["licensed_kg", "shipped_kg"], x_category=True), public=True,
        key_label="country", protected=["licensed_kg", "shipped_kg"], totals=_VOL_TOTALS,
    ),
    Figure(
        "volumes_by_month", "Licensed and shipped quantity by month (kg)",
        f"""WITH {_MONTHS}, {_VOL_FACTS}, f AS (SELECT month, {_VOL_MEASURES} FROM vol GROUP BY 1)
            SELECT months.month AS key, coalesce(licensed_kg, 0) AS licensed_kg, coalesce(shipped_kg, 0) AS shipped_kg,
                   round(100 * (coalesce(shipped_kg, 0) / nullif(lag(coalesce(shipped_kg, 0)) OVER (ORDER BY months.month), 0) - 1), 1)
                     AS shipped_change_pct,
                   coalesce(licensed_kg_exporters, 0) AS licensed_kg_exporters,
                   coalesce(shipped_kg_exporters, 0) AS shipped_kg_exporters
            FROM months LEFT JOIN f USING (month) ORDER BY key""",
        ["licensed_kg", "shipped_kg", "shipped_change_pct"], Chart("bar", "key", ["licensed_kg", "shipped_kg"]), public=True,
        key_label="month", protected=["licensed_kg", "shipped_kg"], derived={"shipped_change_pct": ["shipped_kg"]},
        totals=_VOL_TOTALS, page_rows=36,
    ),
    Figure(
        "shipped_by_element_and_destination", "Shipped quantity by element and destination (kg)",
        # Row, column and grand totals come with their own exporters (GROUPING SETS), keyed TOTAL.
        f"""SELECT coalesce(element, '{TOTAL}') AS key, coalesce(country, '{TOTAL}') AS country, sum(kg) AS shipped_kg,
                  count(DISTINCT org_id) AS shipped_kg_exporters
           FROM shipped_kg WHERE shipped_on BETWEEN $from AND $to
           GROUP BY GROUPING SETS ((element, country), (element), (country), ())
           ORDER BY key = '{TOTAL}', key, country = '{TOTAL}', country""",
        ["country", "shipped_kg"], Chart("bar", "key", ["shipped_kg"], x_category=True, color="country"), public=True,
        key_label="element", crosstab=("key", "country", "shipped_kg"), page_rows=200,
    ),
    Figure(
        "licence_utilisation", "Utilisation of each licence",
        """SELECT number AS key, any_value(o.name_zh) AS holder_zh, any_value(o.name_en) AS holder_en,
                  any_value(licence_type) AS licence_type, any_value(status) AS status, any_value(valid_to) AS valid_to,
                  sum(licensed_kg) AS licensed_kg, sum(drawn_kg) AS drawn_kg,
                  round(sum(drawn_kg) / nullif(sum(licensed_kg), 0), 4) AS utilisation
           FROM line_kg JOIN src_organisations o ON o.id = line_kg.org_id
           WHERE valid_from <= $to AND valid_to >= $from
           GROUP BY number ORDER BY utilisation DESC NULLS LAST, key""",
        ["holder_zh", "holder_en", "licence_type", "status", "valid_to", "licensed_kg", "drawn_kg", "utilisation"],
        key_label="licence",
    ),
    Figure(
        "utilisation_distribution", "Licences by share of their quantity drawn",
        """WITH u AS (SELECT sum(drawn_kg) / nullif(sum(licensed_kg), 0) AS share FROM line_kg
                      WHERE valid_from <= $to AND valid_to >= $from GROUP BY licence_id),
                b AS (SELECT least(CAST(floor(share * 10) AS INTEGER), 10) AS bucket FROM u WHERE share IS NOT NULL)
           SELECT CASE WHEN bucket = 10 THEN '100%' ELSE printf('%d–%d%%', bucket * 10, bucket * 10 + 9) END AS key,
                  count(*) AS licences
           FROM b GROUP BY bucket ORDER BY bucket""",
        ["licences"], Chart("bar", "key", ["licences"]), key_label="drawn",
    ),
    Figure(
        "prices_by_month", "Prices beside shipped volumes",
        f"""WITH {_MONTHS},
             p AS (SELECT strftime(priced_on, '%Y-%m') AS month, product, currency, unit,
                          round(avg(price) / {10_000}, 2) AS average_price
                   FROM src_prices WHERE priced_on BETWEEN $from AND $to GROUP BY ALL),
             s AS (SELECT strftime(shipped_on, '%Y-%m') AS month, sum(kg) AS shipped_kg,
                          count(DISTINCT org_id) AS shipped_kg_exporters
                   FROM shipped_kg WHERE shipped_on BETWEEN $from AND $to GROUP BY 1)
           SELECT months.month AS key, p.product, p.currency, p.unit, p.average_price,
                  coalesce(s.shipped_kg, 0) AS shipped_kg, coalesce(s.shipped_kg_exporters, 0) AS shipped_kg_exporters
           FROM months LEFT JOIN p USING (month) LEFT JOIN s USING (month)
           ORDER BY key, product""",
        ["product", "currency", "unit", "average_price", "shipped_kg"],
        Chart("line", "key", ["average_price"], color="product"), public=True, key_label="month",
        protected=["shipped_kg"], page_rows=120,
    ),
]

BY_KEY = {f.key: f for f in FIGURES}

#: Columns shown as a share (0.7 -> 70%).
PERCENT = {"approval_rate", "utilisation"}
PUBLIC = [f for f in FIGURES if f.public]
