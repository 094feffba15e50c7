"""Reasons come in both languages from the service that gives them: automated checks (kept on the
case), eligibility conditions and summaries, licence determination. The Chinese holds no English
of its own; the API keeps the English under its old name."""

from __future__ import annotations

import datetime as dt

import pytest

from rarex.core.authz import Role
from rarex.core.bilingual import COMMA, SEMI, Said, in_language
from rarex.determination.schemas import DetermineIn
from rarex.determination.service import determine
from rarex.eligibility import service as eligibility
from rarex.parties.models import Violation
from rarex.policy.service import get_pack
from tests.applications.helpers import build_world
from tests.chinese import assert_chinese, english_words
from tests.factories import bearer, make_org, make_user

ON = dt.date(2026, 3, 10)


def test_said_joins_each_language_with_its_own_punctuation():
    parts = [Said("a", "甲"), Said("b", "乙")]
    assert SEMI.join(parts) == Said("a; b", "甲；乙") and COMMA.join(parts) == Said("a, b", "甲、乙")
    assert Said("not eligible", "不符合条件").then(Said.same("1C902")).ref("DUR Art. 20") == \
        Said("not eligible: 1C902 (DUR Art. 20)", "不符合条件：1C902（DUR Art. 20）")
    assert in_language("zh", "en", None) == ("en", "en") and in_language("zh", "en", "中") == ("中", "zh")


def test_the_chinese_check_finds_english_words_but_not_codes_or_legal_references():
    assert english_words("第1项（1C902.a）：DUR Art. 20 禁止出口") == []
    assert english_words("不符合 the conditions") == ["the", "conditions"]


def test_every_condition_and_the_summary_in_both_languages(session):
    org = make_org(session, has_icp=False, export_experience_years=1, stable_channels=False,
                   foreign_control_list_affiliate=None)
    session.add(Violation(org_id=org.id, kind="serious_administrative", decided_on=dt.date(2023, 5, 1),
                          description="exported beyond licence", legal_ref="ECL Art. 34"))
    session.add(Violation(org_id=org.id, kind="criminal", decided_on=dt.date(2010, 5, 1),
                          description="smuggling", legal_ref="ECL Art. 43"))
    session.flush()
    result = eligibility.evaluate(session, org, "general", ON)
    assert result.status == "not_eligible"
    assert result.summary.startswith("not eligible for a general licence on 2026-03-10: ")
    assert result.summary_zh.startswith("2026-03-10不符合通用许可的条件：")
    assert_chinese(result.summary_zh)
    for c in result.conditions:
        assert c.reason and c.reason_zh and c.reason != c.reason_zh
        assert_chinese(c.reason_zh)
    icp = next(c for c in result.conditions if c.code == "internal_compliance_system")
    assert "合规档案未记载出口管制内部合规制度" in icp.reason_zh


@pytest.mark.parametrize("body", [
    dict(code="1C902.a", destination="DE", end_user_category="civil"),
    dict(description="NdFeB magnet manufacturing technology", destination="US", end_user_category="military"),
    dict(element="Ce", form="oxide", destination="JP", end_user_category="civil"),
    dict(hs_code="8505.11", description="NdFeB magnet", destination="DE", end_user_category="unknown"),
    dict(hs_code="2846901940", destination="DE", end_user_category="civil"),
    dict(element="La", destination="DE", end_user_category="civil"),
    dict(description="NdFeB magnet without Tb, Dy or Ho", destination="DE", end_user_category="civil"),
])
def test_determination_reasons_in_both_languages(body):
    pack = get_pack()
    answer = determine(pack, DetermineIn(on=ON, **body))
    assert answer.reasons
    for r in answer.reasons:
        assert r.rule and r.rule_zh
        assert_chinese(r.rule_zh)
    notes = answer.classification
    assert len(notes.notes_zh) == len(notes.notes)
    for zh in notes.notes_zh:
        assert_chinese(zh)
    for t in answer.licence_types:
        assert len(t.reasons_zh) == len(t.reasons)
        for zh in t.reasons_zh:
            assert_chinese(zh)


def test_submitted_checks_keep_their_chinese_and_the_api_gives_both(client, session):
    w = build_world(client, session)
    case = w.to_state("submitted")
    body = client.get(f"/api/v1/applications/{case['id']}", headers=w.officer).json()
    assert {c["check"] for c in body["checks"]} >= {"completeness", "controlled", "parties", "validity"}
    for c in body["checks"]:
        assert c["message"] and c["message_zh"], c
        assert_chinese(c["message_zh"], "Magnetwerk Test GmbH", "Antriebstechnik Test AG")
    completeness = next(c for c in body["checks"] if c["check"] == "completeness")
    assert completeness["message"].startswith("complete: ") and completeness["message_zh"].startswith("材料齐全：")


def test_the_exporter_sees_the_screening_check_withheld_in_both_languages(client, session):
    w = build_world(client, session)
    case = w.to_state("submitted")
    body = client.get(f"/api/v1/applications/{case['id']}", headers=w.exporter).json()
    screening = next(c for c in body["checks"] if c["check"] == "screening")
    assert screening["message"].startswith("every party was screened") and "受限制当事方清单" in screening["message_zh"]


def test_eligibility_api_gives_reason_zh_and_summary_zh(client, session):
    org = make_org(session, has_icp=True, icp_established_on=dt.date(2020, 1, 1), icp_last_audit_on=dt.date(2025, 9, 1),
                   export_experience_years=6, stable_channels=True, foreign_control_list_affiliate=False)
    user = make_user(session, Role.exporter, org)
    session.commit()
    r = client.get(f"/api/v1/organisations/{org.id}/eligibility?on=2026-03-10", headers=bearer(session, user))
    assert r.status_code == 200
    body = r.json()
    assert body["summary"].startswith("eligible for a general licence on 2026-03-10 pending officer review")
    assert_chinese(body["summary_zh"])
    assert all(c["reason_zh"] for c in body["conditions"])
