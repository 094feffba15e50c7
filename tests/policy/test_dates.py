"""Every dated rule of the CN pack, tested on both sides of its date."""

from __future__ import annotations

import datetime as dt

import pytest

from rarex.policy.loader import load_pack

D = dt.date.fromisoformat


def codes(pack, announcement: str) -> list[str]:
    return [e.code for e in pack.entries if e.announcement == announcement]


def test_pack_holds_the_announced_entries(pack):
    assert len(codes(pack, "2025-18")) == 21  # 7 elements x .a/.b/.c
    assert codes(pack, "2025-57") == [f"1C9{n:02d}.{s}" for n in range(9, 14) for s in "abc"]
    assert set(codes(pack, "2025-56")) == {"1C914.a", "1C914.b", "1C914.c", "2B902"}
    assert codes(pack, "2025-62") == ["1E902.a", "1E902.b"]
    assert all(e.legal_ref and e.confidence for e in pack.entries)
    assert all(c.reference_only for e in pack.entries for c in e.customs_codes)


@pytest.mark.parametrize("day, expected", [("2025-04-03", False), ("2025-04-04", True)])
def test_no18_takes_effect_on_4_april_2025(pack, day, expected):
    assert {pack.in_force(c, D(day)) for c in codes(pack, "2025-18")} == {expected}


@pytest.mark.parametrize("day", ["2025-11-07", "2025-11-08", "2026-01-01", "2026-11-10", "2026-11-11"])
def test_no18_is_not_suspended(pack, day):
    assert all(pack.in_force(c, D(day)) for c in codes(pack, "2025-18"))


@pytest.mark.parametrize("ann", ["2025-56", "2025-57"])
def test_no56_no57_effective_date_falls_inside_the_suspension(pack, ann):
    for code in codes(pack, ann):
        before, on = pack.status(code, D("2025-11-07")), pack.status(code, D("2025-11-08"))
        assert (before.in_force, before.status) == (False, "not_yet_effective")
        assert "effective from 2025-11-08" in before.reason
        assert (on.in_force, on.status) == (False, "suspended")
        assert on.suspended_by == "MOFCOM/GAC Ann. 2025 No. 70" and on.suspended_through == D("2026-11-10")


@pytest.mark.parametrize("ann", ["2025-56", "2025-57", "2025-62"])
def test_suspension_runs_through_10_november_2026_inclusive(pack, ann):
    for code in codes(pack, ann):
        assert pack.status(code, D("2026-11-10")).status == "suspended"
        assert pack.in_force(code, D("2026-11-11"))


@pytest.mark.parametrize(
    "day, in_force, status",
    [
        ("2025-10-08", False, "not_yet_effective"),
        ("2025-10-09", True, "in_force"),
        ("2025-11-06", True, "in_force"),
        ("2025-11-07", False, "suspended"),
        ("2026-11-10", False, "suspended"),
        ("2026-11-11", True, "in_force"),
    ],
)
def test_1e902_technology_dates(pack, day, in_force, status):
    for code in ("1E902.a", "1E902.b"):
        st = pack.status(code, D(day))
        assert (st.in_force, st.status) == (in_force, status)
        assert pack.in_force(code, D(day)) is in_force


def test_entries_in_force_counts(pack):
    assert len(pack.entries_in_force(D("2025-04-03"))) == 0
    assert len(pack.entries_in_force(D("2025-10-09"))) == 23
    assert len(pack.entries_in_force(D("2025-11-07"))) == 21
    assert len(pack.entries_in_force(D("2026-11-11"))) == len(pack.entries) == 42


def test_unknown_code_is_not_in_force(pack):
    assert pack.entry("9Z999") is None
    assert pack.in_force("9Z999", D("2026-01-01")) is False


def test_caveat_only_after_reviewed_until(pack):
    assert pack.reviewed_until == D("2026-04-01")
    assert pack.caveat(D("2025-04-04")) is None
    assert pack.caveat(D("2026-04-01")) is None
    caveat = pack.caveat(D("2026-04-02"))
    assert caveat and "2026-04-01" in caveat


def test_until_inclusive_is_data_not_code(pack_copy):
    """Reading "until 10 Nov" as exclusive is one flag in the YAML, and moves the date by one day."""
    exclusive = load_pack(pack_copy(amendments=("until_inclusive: true", "until_inclusive: false")))
    assert exclusive.in_force("1E902.a", D("2026-11-10"))
    assert exclusive.status("1E902.a", D("2026-11-09")).suspended_through == D("2026-11-09")


def test_effective_to_ends_an_entry(pack_copy):
    ended = load_pack(pack_copy(control_list=(
        "    effective_from: 2025-04-04\n", "    effective_from: 2025-04-04\n    effective_to: 2025-12-31\n",
    )))
    first = ended.entries[0].code
    assert ended.in_force(first, D("2025-12-31"))
    st = ended.status(first, D("2026-01-01"))
    assert (st.in_force, st.status) == (False, "ended") and "2025-12-31" in st.reason


def test_today_is_in_the_pack_time_zone(pack):
    assert str(pack.tz) == "Asia/Shanghai"
    assert pack.today() == dt.datetime.now(pack.tz).date()
