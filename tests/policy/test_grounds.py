"""grounds.yaml: coded grounds for acting on a licence, validated by the loader with file, line
and field, and served publicly."""

from __future__ import annotations

import pytest

from rarex.policy.loader import PackError, load_pack
from tests.policy.conftest import line_of


def errors_of(root) -> list[str]:
    with pytest.raises(PackError) as exc:
        load_pack(root)
    return exc.value.errors


def test_every_ground_has_labels_a_legal_ref_and_actions(pack):
    assert pack.grounds, "the pack codes its grounds"
    for g in pack.grounds.values():
        assert g.label_en and g.label_zh and g.legal_ref and g.actions, g.code
    assert {g.code for g in pack.grounds_for("revoke")} >= {"fraud_or_bribery", "illegal_transfer", "art20_exclusion"}
    assert "fraud_or_bribery" not in {g.code for g in pack.grounds_for("withdraw")}, "fraud is a revocation (ECL Art. 35)"
    for code in ("criminal_penalty", "serious_administrative_penalty", "foreign_control_list_affiliate"):
        assert pack.exclusion_ground(code).code == "art20_exclusion"
    assert pack.exclusion_ground("internal_compliance_system") is None


def test_an_unknown_action_names_file_line_and_field(pack_copy):
    root = pack_copy(grounds=("    actions: [reinstate]\n", "    actions: [reinstate, forgive]\n"))
    line = line_of(root / "grounds.yaml", "forgive")
    (error,) = errors_of(root)
    assert error.startswith(f"grounds.yaml:{line}: grounds.checks_cleared.actions[1]: Input should be ")


def test_an_unknown_exclusion_condition_is_refused(pack_copy):
    root = pack_copy(grounds=("mofcom_other_exclusion]", "mofcom_other_exclusion, no_such_condition]"))
    line = line_of(root / "grounds.yaml", "no_such_condition")
    (error,) = errors_of(root)
    assert error.startswith(f"grounds.yaml:{line}: grounds.art20_exclusion.exclusion_conditions[4]: unknown condition")


def test_an_eligibility_condition_is_not_an_exclusion_ground(pack_copy):
    root = pack_copy(grounds=("mofcom_other_exclusion]", "mofcom_other_exclusion, export_record]"))
    (error,) = errors_of(root)
    assert "condition 'export_record' is of kind eligibility, not exclusion" in error


def test_an_exclusion_ground_must_suspend_and_revoke(pack_copy):
    root = pack_copy(grounds=("    actions: [suspend, revoke]\n    exclusion_conditions",
                              "    actions: [suspend]\n    exclusion_conditions"))
    (error,) = errors_of(root)
    assert "grounds.art20_exclusion.actions: an exclusion ground must support suspend and revoke" in error


def test_every_exporter_exclusion_of_a_licence_type_needs_a_ground(pack_copy):
    root = pack_copy(grounds=("    exclusion_conditions: [criminal_penalty, ", "    exclusion_conditions: ["))
    (error,) = errors_of(root)
    assert error.startswith("grounds.yaml:") and "no ground names exclusion condition 'criminal_penalty'" in error


def test_a_missing_legal_ref_is_refused(pack_copy):
    root = pack_copy(grounds=("    legal_ref: ECL Art. 35\n", ""))
    line = line_of(root / "grounds.yaml", "  fraud_or_bribery:")
    assert errors_of(root) == [f"grounds.yaml:{line}: grounds.fraud_or_bribery.legal_ref: Field required"]


def test_grounds_are_public(public_client):
    r = public_client.get("/api/v1/policy/grounds")
    assert r.status_code == 200
    by_code = {g["code"]: g for g in r.json()}
    assert by_code["art20_exclusion"]["legal_ref"] == "DUR Art. 20 para. 2"
    assert by_code["art20_exclusion"]["actions"] == ["suspend", "revoke"]
    assert by_code["factors_changed"]["label_zh"] == "审查考虑因素发生重大变化"
