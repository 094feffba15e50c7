"""Every figure against the fixed history of conftest.py, worked out by hand.

Months are Beijing months: a1 (submitted 15:30Z on K's last day) is K's, a2 (16:30Z the same
day) is M's; licence L2 issued at 16:30Z on K's last day counts in M, L3 at 15:00Z in K.
"""

from __future__ import annotations

import datetime as dt

import pytest

from rarex.core.calendar import calendar_for
from rarex.policy.service import get_pack
from rarex.reports import service


def ym(d: dt.date) -> str:
    return d.strftime("%Y-%m")


@pytest.fixture
def figs(session, history):
    period = service.Period(history.k, history.today)
    return service.figures(session, period, public=False)


def by_key(rows):
    return {r["key"]: r for r in rows}


def test_applications_by_month_on_both_sides_of_the_beijing_month_boundary(figs, history):
    rows = by_key(figs["applications_by_month"].rows)
    k, m, b = ym(history.k), ym(history.m), ym(history.b)
    assert list(rows) == [k, m, b]
    # K: a1 (23:30 Beijing on K's last day), a4, a5. M: a2 (00:30 Beijing on M's first day), a3. B: a6.
    assert [rows[x]["received"] for x in (k, m, b)] == [3, 2, 1]
    assert rows[k]["received_exporters"] == 2  # A and D
    # Decided in M: a1, a3, a7 approved, a2 refused; a4 withdrawn in M.
    assert (rows[m]["decided"], rows[m]["approved"], rows[m]["refused"], rows[m]["withdrawn"]) == (4, 3, 1, 1)
    assert rows[m]["approval_rate"] == 0.75
    assert rows[k]["approval_rate"] is None and rows[k]["decided"] == 0
    total = figs["applications_by_month"].total
    assert (total["received"], total["approved"], total["refused"], total["withdrawn"]) == (6, 3, 1, 1)


def test_applications_by_licence_type_element_destination_and_end_use(figs):
    t = by_key(figs["applications_by_licence_type"].rows)
    assert (t["individual"]["received"], t["individual"]["approved"], t["individual"]["refused"]) == (5, 2, 1)
    assert (t["general"]["received"], t["general"]["approved"]) == (1, 1)
    e = by_key(figs["applications_by_element"].rows)
    assert (e["Dy"]["received"], e["Tb"]["received"]) == (4, 2)
    assert (e["Dy"]["approved"], e["Dy"]["refused"], e["Tb"]["withdrawn"]) == (2, 1, 1)
    d = by_key(figs["applications_by_destination"].rows)
    assert (d["DE"]["received"], d["JP"]["received"], d["FR"]["received"]) == (3, 2, 1)
    assert d["DE"]["approval_rate"] == pytest.approx(2 / 3, abs=1e-4)
    u = by_key(figs["applications_by_end_use"].rows)
    assert u["civil"]["received"] == 6


def test_processing_time_in_working_days_against_the_deadline(figs, history):
    cal = calendar_for(get_pack().calendar)
    m = history.m
    a1 = cal.working_days_between(m - dt.timedelta(days=1), m + dt.timedelta(days=1))
    # a2's clock stopped from M+3 to M+10: those working days do not count.
    a2 = cal.working_days_between(m, m + dt.timedelta(days=20)) - cal.working_days_between(
        m + dt.timedelta(days=3), m + dt.timedelta(days=10))
    a3 = cal.working_days_between(m + dt.timedelta(days=1), m + dt.timedelta(days=10))
    a7 = cal.working_days_between(history.k - dt.timedelta(days=90), m + dt.timedelta(days=3))
    used = sorted([a1, a2, a3, a7])
    summary = figs["processing_summary"].rows[0]
    assert summary["decided"] == 4
    assert summary["median_working_days"] == (used[1] + used[2]) / 2
    assert summary["breaches"] == 1 and a7 > 45
    # Open: a5 (accepted 100 days ago: overdue) and a6 (accepted today).
    assert (summary["open_cases"], summary["overdue"]) == (2, 1)
    risk = figs["cases_at_risk"].rows
    assert [r["key"] for r in risk] == [history.apps["a5"].reference]
    assert risk[0]["deadline"] == cal.add_working_days(history.today - dt.timedelta(days=100), 45)
    assert risk[0]["working_days_left"] < 0
    dist = by_key(figs["processing_time_distribution"].rows)
    assert sum(r["cases"] for r in dist.values()) == 4
    assert dist["50+"]["cases"] == (1 if a7 >= 50 else 0)
    month = by_key(figs["processing_time_by_month"].rows)[ym(m)]
    assert (month["decided"], month["breaches"]) == (4, 1)


def test_licensed_and_shipped_volumes_in_kilograms(figs, history):
    month = by_key(figs["volumes_by_month"].rows)
    k, m, b = ym(history.k), ym(history.m), ym(history.b)
    # L3 (500 kg) issued in K; L1 (1000 kg) and L2 (2 t) in M. Shipped: 500 kg in K; 400 kg + 0.5 t in M; 200 kg in B.
    # The cancelled 300 kg counts nowhere.
    assert [(month[x]["licensed_kg"], month[x]["shipped_kg"]) for x in (k, m, b)] == [(500, 500), (3000, 900), (0, 200)]
    assert month[k]["shipped_change_pct"] is None
    assert month[m]["shipped_change_pct"] == 80.0
    assert month[b]["shipped_change_pct"] == pytest.approx(-77.8)
    el = by_key(figs["volumes_by_element"].rows)
    assert (el["Dy"]["licensed_kg"], el["Dy"]["shipped_kg"], el["Tb"]["licensed_kg"], el["Tb"]["shipped_kg"]) == (
        1500, 1100, 2000, 500)
    dest = by_key(figs["volumes_by_destination"].rows)
    assert (dest["DE"]["shipped_kg"], dest["JP"]["shipped_kg"]) == (1100, 500)
    assert dest["DE"]["shipped_kg_exporters"] == 2
    cross = {(r["key"], r["country"]): r["shipped_kg"] for r in figs["shipped_by_element_and_destination"].rows}
    assert cross[("Dy", "DE")] == 1100 and cross[("Tb", "JP")] == 500
    assert cross[("__total__", "__total__")] == 1600


def test_each_licence_utilisation_and_general_licence_holders(figs, history):
    util = by_key(figs["licence_utilisation"].rows)
    n = {k: v.number for k, v in history.licences.items()}
    assert (util[n["L1"]]["utilisation"], util[n["L2"]]["utilisation"], util[n["L3"]]["utilisation"]) == (0.6, 0.25, 1.0)
    assert util[n["L2"]]["licensed_kg"] == 2000
    dist = by_key(figs["utilisation_distribution"].rows)
    assert (dist["60–69%"]["licences"], dist["20–29%"]["licences"], dist["100%"]["licences"]) == (1, 1, 1)
    holders = figs["general_licence_holders"].rows
    assert [h["name_en"] for h in holders] == ["Exporter C"]


def test_a_period_outside_the_history_is_empty_not_an_error(session, history):
    period = service.Period(history.k - dt.timedelta(days=400), history.k - dt.timedelta(days=370))
    figs = service.figures(session, period, public=False)
    assert all(r["received"] == 0 for r in figs["applications_by_month"].rows)
    assert figs["volumes_by_element"].rows == []


def test_a_new_shipment_is_counted_without_waiting_for_the_cache(session, history):
    """The extract is kept per data version: a new row (a new id) is a new version."""
    from tests.reports.history import Builder

    period = service.Period(history.k, history.today)
    before = by_key(service.figures(session, period, public=False)["volumes_by_month"].rows)[ym(history.b)]
    Builder(session).ship(history.licences["L1"], history.b, "50")
    session.commit()
    after = by_key(service.figures(session, period, public=False)["volumes_by_month"].rows)[ym(history.b)]
    assert (before["shipped_kg"], after["shipped_kg"]) == (200, 250)
