"""Fact tables built in DuckDB from the extract, once per extract: every figure reads these.

``app_events`` has one row per thing that happened to an application (received, approved,
refused, withdrawn) on its legal date in the pack's time zone: an application submitted at
2026-01-31T16:30Z was received on 1 February in Shanghai and counts in February.
``case_clock`` is the decision clock of :mod:`rarex.applications.deadline` in SQL: working days
in (accepted, decided] less those in clock stops (S, E]; the deadline is the working day on
which the running count reaches the allowed days plus the stopped ones. ``line_kg`` and
``shipped_kg`` put every mass quantity in kilograms (pieces are left out of the volumes).
"""

from __future__ import annotations

import datetime as dt
import re

import duckdb

from rarex.policy.models import Pack

_FACTS = """
CREATE TABLE app_events AS
  SELECT id AS app_id, org_id, licence_type, end_use_category, coalesce(country, '??') AS country,
         'received' AS kind, CAST(timezone($tz, submitted_at) AS DATE) AS on_d
  FROM src_applications
  UNION ALL
  SELECT id, org_id, licence_type, end_use_category, coalesce(country, '??'), status, decided_on
  FROM src_applications WHERE status IN ('approved', 'refused') AND decided_on IS NOT NULL
  UNION ALL
  SELECT id, org_id, licence_type, end_use_category, coalesce(country, '??'), 'withdrawn',
         CAST(timezone($tz, withdrawn_at) AS DATE)
  FROM src_applications WHERE withdrawn_at IS NOT NULL;

CREATE TABLE app_elements AS
  SELECT DISTINCT i.application_id AS app_id, coalesce(e.element, 'other') AS element
  FROM src_application_items i LEFT JOIN dim_elements e USING (control_code);

CREATE TABLE case_clock AS
  WITH stops AS (
    SELECT s.application_id,
           sum(greatest(c2.wd - c1.wd, 0)) AS stopped,
           bool_or(s.ended_on IS NULL) AS open_stop
    FROM src_clock_stops s
    JOIN src_applications a ON a.id = s.application_id
    JOIN dim_calendar c1 ON c1.d = s.started_on
    JOIN dim_calendar c2 ON c2.d = least(coalesce(s.ended_on, $today), coalesce(a.decided_on, $today))
    GROUP BY s.application_id)
  SELECT a.id AS app_id, a.reference, a.org_id, a.status, a.accepted_on, a.decided_on,
         coalesce(st.stopped, 0) AS stopped,
         CASE WHEN a.decided_on IS NOT NULL THEN cd.wd - ca.wd - coalesce(st.stopped, 0) END AS used_wd,
         CASE WHEN coalesce(st.open_stop, false) THEN NULL ELSE dl.d END AS deadline,
         a.decided_on IS NULL AND a.withdrawn_at IS NULL AND a.referred_on IS NULL
           AND a.status NOT IN ('approved', 'refused', 'withdrawn') AS open
  FROM src_applications a
  JOIN dim_calendar ca ON ca.d = a.accepted_on
  LEFT JOIN dim_calendar cd ON cd.d = a.decided_on
  LEFT JOIN stops st ON st.application_id = a.id
  LEFT JOIN dim_calendar dl ON dl.working AND dl.wd = ca.wd + $allowed + coalesce(st.stopped, 0);

CREATE TABLE line_kg AS
  SELECT ll.id AS line_id, ll.licence_id, l.number, l.org_id, l.licence_type, l.status, l.valid_from, l.valid_to,
         CAST(timezone($tz, l.issued_at) AS DATE) AS issued_on, coalesce(l.country, '??') AS country,
         coalesce(e.element, 'other') AS element,
         ll.licensed / 1e6 * u.factor AS licensed_kg, ll.drawn / 1e6 * u.factor AS drawn_kg
  FROM src_licence_lines ll
  JOIN src_licences l ON l.id = ll.licence_id
  JOIN dim_units u ON u.unit = ll.unit AND u.dimension = 'mass'
  LEFT JOIN dim_elements e ON e.control_code = ll.control_code;

CREATE TABLE shipped_kg AS
  SELECT s.shipped_on, lk.org_id, lk.element, lk.country, lk.licence_type,
         sl.drawn / 1e6 * u.factor AS kg
  FROM src_shipment_lines sl
  JOIN src_shipments s ON s.id = sl.shipment_id
  JOIN line_kg lk ON lk.line_id = sl.licence_line_id
  JOIN dim_units u ON u.unit = sl.drawn_unit AND u.dimension = 'mass';
"""


def build(duck: duckdb.DuckDBPyConnection, pack: Pack, today: dt.date) -> None:
    params = {"tz": pack.timezone, "today": today, "allowed": pack.deadlines.decision.working_days}
    for statement in filter(str.strip, _FACTS.split(";")):
        used = {k: v for k, v in params.items() if re.search(rf"\${k}\b", statement)}
        duck.execute(statement, used)
