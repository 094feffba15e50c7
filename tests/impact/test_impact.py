"""The impact report of a draft amendment: which pending cases, licences and recent shipments it
touches and how, on both sides of each date it sets."""

from __future__ import annotations

import datetime as dt

import pytest

from rarex.core.authz import Principal
from rarex.impact.service import draft_impact
from rarex.policy.loader import PackError
from rarex.policy.service import get_pack
from tests.impact.helpers import build_world, draft, pack_without, suspension_draft, today, touched

SYSTEM = Principal.system("test")


def run(session, text: str, on: dt.date, pack=None, **kw):
    return draft_impact(session, SYSTEM, pack or get_pack(), "draft.yaml", text, on, **kw)


# --- the November 2025 suspension replayed as a draft -----------------------------------------


@pytest.fixture
def replay_pack():
    """The pack as it stood before Ann. 2025 No. 70: the October additions with no suspension."""
    return pack_without(amendments=("2025-70-suspension",))


@pytest.mark.parametrize("on, expected", [
    (dt.date(2025, 11, 7), False),   # suspended from 7 Nov, but No. 57's entries only start on 8 Nov
    (dt.date(2025, 11, 8), True),    # No. 57 in force without the draft; suspended with it
    (dt.date(2026, 11, 10), True),   # the last day of the suspension (read as inclusive)
    (dt.date(2026, 11, 11), False),  # the announcements apply again
])
def test_replayed_suspension_lifts_the_licence_requirement_for_no_57_items(session, replay_pack, on, expected):
    w = build_world(session, "1C909.b")
    report = run(session, suspension_draft(), on, pack=replay_pack)
    lines = {("application", w.ids["pending"], 1), ("licence", w.ids["licence"], 1), ("shipment", w.ids["inside"], 1)}
    if not expected:
        assert report.rows == [] and report.counts == {}
        return
    assert touched(report) == lines
    assert {e for r in report.rows for e in r.effects} == {"no_longer_needs_licence"}
    assert report.counts == {"no_longer_needs_licence": {"application": 1, "licence": 1, "shipment": 1}}
    row = next(r for r in report.rows if r.subject == "licence")
    assert (row.before.licence_required, row.after.licence_required) == (True, False)
    assert row.ref.startswith("CNDU-G2026-77") and row.control_code == "1C909.b" and row.destination == "DE"
    assert any("MOFCOM/GAC Ann. 2025 No. 70" in r for r in row.reasons)
    assert report.changes[0].action == "added" and report.changes[0].code == "2025-70-suspension"


def test_replay_leaves_no_18_items_drafts_expired_licences_and_old_shipments_alone(session, replay_pack):
    """The Dy oxide line (No. 18, untouched by No. 70), the draft application, the expired
    licence, the shipment 90 days ago (outside the window) and the cancelled one."""
    w = build_world(session, "1C909.b")
    report = run(session, suspension_draft(), dt.date(2025, 12, 1), pack=replay_pack)
    subjects = {(r.subject, r.id) for r in report.rows}
    assert ("application", w.ids["draft_app"]) not in subjects
    assert ("licence", w.ids["expired"]) not in subjects
    assert ("shipment", w.ids["outside"]) not in subjects and ("shipment", w.ids["cancelled"]) not in subjects
    assert ("licence", w.ids["licence"], 2) not in touched(report)
    assert report.shipments_to == today() and report.shipments_from == today() - dt.timedelta(days=89)


def test_the_shipment_window_is_configurable(session, replay_pack):
    w = build_world(session, "1C909.b")
    report = run(session, suspension_draft(), dt.date(2025, 12, 1), pack=replay_pack, window_days=91)
    assert {r.id for r in report.rows if r.subject == "shipment"} == {w.ids["inside"], w.ids["outside"]}
    report = run(session, suspension_draft(), dt.date(2025, 12, 1), pack=replay_pack, window_days=89)
    assert {r.id for r in report.rows if r.subject == "shipment"} == set()


@pytest.mark.parametrize("on, expected", [(dt.date(2025, 11, 6), set()), (dt.date(2025, 11, 7), {"now_undetermined"})])
def test_replayed_suspension_on_no_62_technology_from_its_first_day(session, replay_pack, on, expected):
    """No. 62's technology entries were in force from 9 Oct 2025; suspended from 7 Nov, the
    technology catalogue may still reach them, so the answer becomes undetermined, not 'free'."""
    build_world(session, "1E902.a")
    report = run(session, suspension_draft(), on, pack=replay_pack)
    assert {e for r in report.rows for e in r.effects} == expected


def test_the_shipped_pack_with_its_own_suspension_again_changes_nothing(session):
    build_world(session, "1C909.b")
    assert run(session, suspension_draft(), dt.date(2025, 12, 1)).rows == []


# --- other kinds of change ---------------------------------------------------------------------


def _entry_draft(start: dt.date) -> str:
    return draft(effective_from=start, announcements={"2026-90": {
        "issuers": ["MOFCOM", "GAC"], "subject_zh": "钬氧化物管制（草案）", "subject_en": "Control of holmium oxide (draft)",
        "published": start - dt.timedelta(days=30), "effective_from": start, "legal_ref": "MOFCOM/GAC Ann. 2026 No. 90 (draft)",
        "confidence": "unconfirmed"}}, entries=[{
            "code": "1C909.b", "element": "Ho", "form": "oxide", "description_en": "Holmium oxide and its mixtures",
            "description_zh": "氧化钬及其混合物", "customs_codes": [], "announcement": "2026-90", "effective_from": start,
            "legal_ref": "MOFCOM/GAC Ann. 2026 No. 90 (draft), 1C909.b", "confidence": "unconfirmed"}])


@pytest.mark.parametrize("offset, expected", [(-1, set()), (0, {"newly_needs_licence"})])
def test_an_added_entry_newly_needs_a_licence_from_its_date(session, offset, expected):
    """A pack that does not list holmium oxide; the draft adds it from a date ten days ahead."""
    build_world(session, "1C909.b")
    start = today() + dt.timedelta(days=10)
    report = run(session, _entry_draft(start), start + dt.timedelta(days=offset),
                 pack=pack_without(entries=("1C909.b",)))
    assert {e for r in report.rows for e in r.effects} == expected
    if expected:
        assert report.counts["newly_needs_licence"] == {"application": 1, "licence": 1, "shipment": 1}
        assert report.changes[0].action == "added" and report.changes[0].section == "entries"


def _prohibition_draft(start: dt.date) -> str:
    return draft(effective_from=start, prohibitions=[{
        "code": "de-dy-civil-draft", "announcement": "2026-1", "effective_from": start, "items": ["1C905"],
        "destinations": ["DE"], "end_user_categories": ["civil"], "description_en": "Test ban on Dy to German civil users",
        "description_zh": "测试：禁止向德国民用用户出口镝", "legal_ref": "Draft prohibition", "confidence": "unconfirmed"}])


@pytest.mark.parametrize("offset, expected", [(-1, set()), (0, {"now_prohibited"})])
def test_a_prohibition_is_reported_from_its_first_day(session, offset, expected):
    w = build_world(session, "1C905.b")
    start = today() + dt.timedelta(days=5)
    report = run(session, _prohibition_draft(start), start + dt.timedelta(days=offset))
    assert {e for r in report.rows for e in r.effects} == expected
    if expected:
        # both lines of the licence are Dy oxide here; the pending case and the shipment too
        assert ("licence", w.ids["licence"], 2) in touched(report)
        assert report.counts["now_prohibited"] == {"application": 1, "licence": 1, "shipment": 1}
        row = report.rows[0]
        assert row.after.prohibited is True and row.after.licence_type_available is False


@pytest.mark.parametrize("offset, expected", [(-1, set()), (0, {"licence_type_closed"})])
def test_a_stricter_licence_rule_closes_the_general_licence_from_the_drafts_date(session, offset, expected):
    """The export-record condition raised from 1 to 5 years; the exporter has 3."""
    build_world(session, "1C905.b", export_years=3)
    pack = get_pack()
    cond = pack.conditions["export_record"].model_dump(mode="python", by_alias=True, exclude={"code"})
    start = today() + dt.timedelta(days=20)
    text = draft(effective_from=start, conditions={"export_record": cond | {"min_export_years": 5}})
    report = run(session, text, start + dt.timedelta(days=offset))
    assert {e for r in report.rows for e in r.effects} == expected
    if expected:
        row = report.rows[0]
        assert row.licence_type == "general" and row.after.licence_type_available is False
        assert row.before.licence_type_available is not False
        assert report.changes[0].section == "conditions" and report.changes[0].action == "replaced"


def test_an_exporter_meeting_the_stricter_rule_is_not_touched(session):
    build_world(session, "1C905.b", export_years=6)
    cond = get_pack().conditions["export_record"].model_dump(mode="python", by_alias=True, exclude={"code"})
    start = today()
    assert run(session, draft(effective_from=start, conditions={"export_record": cond | {"min_export_years": 5}}), start).rows == []


# --- invalid drafts ------------------------------------------------------------------------------


def _ban(code: str, items: list[str] | None = None) -> dict:
    return {"code": code, "announcement": "2026-1", "effective_from": dt.date(2026, 2, 1), "items": items or ["1C905"],
            "description_en": "x", "description_zh": "x", "legal_ref": "x", "confidence": "reported"}



@pytest.mark.parametrize("text, message", [
    ("code: [unclosed", "draft.yaml:1:"),
    ("- a list\n", "draft.yaml:1: (top level): expected a mapping of fields"),
    (draft(), "the draft changes nothing"),
    (draft(amendments=[{"code": "x", "kind": "suspension", "announcement": "2099-1", "description_en": "x",
                        "description_zh": "x", "suspends_announcements": ["2025-57"], "from": dt.date(2026, 1, 1),
                        "until_inclusive": True, "legal_ref": "x", "confidence": "reported"}]),
     "draft.yaml:9: amendments[0].announcement: announcement 2099-1 is not in announcements.yaml"),
    (draft(prohibitions=[{"code": "p", "announcement": "2026-1", "effective_from": "2026-01-01", "items": "all",
                          "description_en": "x", "description_zh": "x", "legal_ref": "x", "confidence": "reported"}]),
     "prohibitions[0].effective_from: Input should be a valid date"),
    (draft(licence_types={"platinum": {"label_en": "x"}}), "licence_types.platinum"),
    (draft(entries=[{"code": "1C999.a", "element": "Xx", "form": "oxide", "description_en": "x", "description_zh": "x",
                     "customs_codes": [], "announcement": "2025-57", "effective_from": dt.date(2026, 1, 1),
                     "legal_ref": "x", "confidence": "reported"}]),
     "entries[0].element: unknown element 'Xx'"),
    (draft(conditions={"export_record": {"kind": "exclusion", "subject": "exporter", "label_en": "x", "label_zh": "x",
                                         "legal_ref": "x", "confidence": "reported"}}),
     "conditions.export_record.kind: condition 'export_record' is of kind eligibility in the pack"),
    (draft(surprise=1, entries=[]), "surprise: Extra inputs are not permitted"),
    (draft(prohibitions=[_ban("p"), _ban("p")]), "prohibitions[1].code: duplicate code p (first at prohibitions[0])"),
    (draft(prohibitions=[_ban("p", items=["9Z"])]), "prohibitions[0].items[0]: '9Z' is no control entry code"),
    (draft(licence_types={"general": get_pack().licence_types["general"].model_dump(mode="python", by_alias=True,
                                                                                     exclude={"code"}) | {"number_series": "Q"}}),
     "licence_types.general.number_series: number_series 'Q' differs from the pack's"),
])
def test_an_invalid_draft_is_refused_with_file_line_and_field(session, text, message):
    with pytest.raises(PackError) as exc:
        run(session, text, today())
    assert any(message in e for e in exc.value.errors), exc.value.errors


def test_only_the_ministry_may_run_it(session):
    from rarex.core.authz import Role
    from rarex.core.errors import Forbidden

    for role in (Role.exporter, Role.customs):
        with pytest.raises(Forbidden):
            draft_impact(session, Principal(user_id=1, username="x", role=role, org_id=1), get_pack(), "d.yaml",
                         suspension_draft(), today())


def test_progress_counts_every_line_judged(session, replay_pack):
    """The pending item, the licence's two lines and the shipment inside the window."""
    build_world(session, "1C909.b")
    seen: list[tuple[int, int]] = []
    run(session, suspension_draft(), dt.date(2025, 12, 1), pack=replay_pack, progress=lambda d, t: seen.append((d, t)))
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]
