"""Licence numbers are written as the pack says (pack.yaml ``licence_number`` and each licence
type's ``number_series``), and a format that could not give unique, URL-safe numbers is refused
when the pack loads, naming the file, line and field."""

from __future__ import annotations

import pytest

from tests.policy.conftest import line_of
from tests.policy.test_loader import errors_of

FORMAT = 'licence_number: "CNDU-{series}{year}-{seq:06d}"'


def test_the_shipped_pack_numbers_each_type_in_its_own_series(pack):
    assert pack.licence_number("individual", 2026, 7) == "CNDU-I2026-000007"
    assert pack.licence_number("general", 2027, 123456) == "CNDU-G2027-123456"


def test_another_format_and_series_load_and_number_as_written(pack_copy):
    from rarex.policy.loader import load_pack

    root = pack_copy(pack=(FORMAT, 'licence_number: "MOFCOM.{year}.{series}.{seq:05d}"'),
                     licence_types=("    number_series: G\n", "    number_series: GEN\n"))
    assert load_pack(root).licence_number("general", 2026, 42) == "MOFCOM.2026.GEN.00042"


@pytest.mark.parametrize("fmt,message", [
    ('"CNDU-{series}-{seq:06d}"', "use exactly the fields {series}, {year} and {seq} (found: seq, series)"),
    ('"CNDU-{series}{year}-{seq}-{month}"', "use exactly the fields {series}, {year} and {seq} (found: month, seq, series, year)"),
    ('"CNDU/{series}{year}/{seq:06d}"', "numbers are at most 40 letters, digits"),
    ('"CNDU-{series}{year}-{seq:040d}"', "numbers are at most 40 letters, digits"),
    ('"CNDU-{series}{year}-{seq:06x"', "not a format"),
    ('"CNDU-{series}{year}-{seq:%Y}"', "cannot render a number"),
])
def test_a_format_that_cannot_give_good_numbers_is_refused_at_load(pack_copy, fmt, message):
    root = pack_copy(pack=(FORMAT, f"licence_number: {fmt}"))
    line = line_of(root / "pack.yaml", "licence_number: ")
    (error,) = errors_of(root)
    assert error.startswith(f"pack.yaml:{line}: licence_number: Value error, ") and message in error


def test_two_types_in_one_series_are_refused(pack_copy):
    root = pack_copy(licence_types=("    number_series: G\n", "    number_series: I\n"))
    lines = [n for n, text in enumerate((root / "licence_types.yaml").read_text().splitlines(), 1) if "number_series: I" in text]
    assert errors_of(root) == [
        f"licence_types.yaml:{lines[1]}: licence_types.general.number_series: series 'I' is already individual's: "
        "numbers would collide"]


def test_a_licence_type_without_a_series_is_refused(pack_copy):
    root = pack_copy(licence_types=("    number_series: G\n", ""))
    (error,) = errors_of(root)
    assert "licence_types.general: Value error, a licence type needs number_series" in error


def test_a_series_must_be_short_capitals(pack_copy):
    root = pack_copy(licence_types=("    number_series: G\n", "    number_series: g-1\n"))
    (error,) = errors_of(root)
    assert "licence_types.general.number_series: String should match pattern" in error


def test_an_issued_licence_carries_the_pack_s_number(client, session, monkeypatch):
    from rarex.licences import service as licences
    from rarex.policy.service import get_pack
    from tests.applications.helpers import build_world

    custom = get_pack().model_copy(update={"licence_number_format": "T-{series}.{year}.{seq:03d}"})
    monkeypatch.setattr(licences, "get_pack", lambda: custom)
    w = build_world(client, session)
    first, second = (w.to_state("approved") for _ in range(2))
    year = first["decided_on"][:4]
    assert (first["licence_number"], second["licence_number"]) == (f"T-I.{year}.001", f"T-I.{year}.002")
