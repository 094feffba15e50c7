"""The "controlled" check reads the technology catalogue and never takes "undetermined" for "not controlled"."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from rarex.applications.checks import FAIL, INFO, PASS, WARN, CheckContext, controlled
from rarex.policy.service import get_pack

D = dt.date.fromisoformat
SUSPENDED = D("2026-01-15")  # Nos. 57 and 62 suspended by No. 70; No. 18 in force


def run(on: dt.date, *items: tuple[str, str, str]):
    app = SimpleNamespace(items=[SimpleNamespace(control_code=c, hs_code=hs, description=d) for c, hs, d in items])
    return controlled(CheckContext(application=app, pack=get_pack(), on=on))  # type: ignore[arg-type]


def test_prohibited_technology_fails_even_while_1e902_is_suspended():
    for on in (SUSPENDED, D("2026-11-11")):
        o = run(on, ("1E902.a", "", "NdFeB magnet manufacturing technology"))
        assert o.outcome == FAIL and "prohibited" in o.message and "MOFCOM/MOST Ann. 2023 No. 57" in o.message


def test_technology_the_description_does_not_name_is_for_the_officer():
    o = run(SUSPENDED, ("1E902.a", "", "rare-earth process know-how"))
    assert o.outcome == WARN and "officer decides whether the technology is prohibited" in o.message


def test_restricted_technology_warns_of_the_separate_licence():
    o = run(D("2026-11-11"), ("1E902.a", "", "rare-earth mining technology"))
    assert o.outcome == WARN and "technology-export licence" in o.message


def test_an_undetermined_description_is_not_read_as_not_controlled():
    # 1C909.a (Ho) is suspended; the goods are described as NdFeB magnets, which may hold Tb or Dy
    o = run(SUSPENDED, ("1C909.a", "8505111000", "NdFeB magnet"))
    assert o.outcome == WARN and "officer decides" in o.message and "may match 1C904.a, 1C905.a" in o.message
    assert o.details["undetermined"]


@pytest.mark.parametrize("description", ["Holmium oxide", "NdFeB magnet, Tb- and Dy-free"])
def test_a_description_ruling_everything_out_keeps_the_no_licence_answer(description):
    o = run(SUSPENDED, ("1C909.a", "", description))
    assert o.outcome == INFO and "not needed" in o.message


def test_in_force_items_pass():
    assert run(SUSPENDED, ("1C905.b", "2846901993", "Dysprosium oxide 99.5%")).outcome == PASS
