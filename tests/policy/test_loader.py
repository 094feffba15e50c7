"""A malformed pack fails with file, line and field; the shipped pack loads."""

from __future__ import annotations

import pytest

from rarex.policy.loader import PackError, load_pack
from rarex.policy.service import get_pack
from tests.policy.conftest import PACK_DIR, line_of


def errors_of(root) -> list[str]:
    with pytest.raises(PackError) as exc:
        load_pack(root)
    return exc.value.errors


def test_shipped_pack_loads_and_is_cached(pack):
    assert pack.id == "cn-dual-use" and pack.calendar == "CN" and pack.timezone == "Asia/Shanghai"
    assert get_pack() is get_pack("cn-dual-use")


def test_bad_date_names_file_line_and_field(pack_copy):
    root = pack_copy(control_list=("    effective_from: 2025-04-04\n", "    effective_from: 2025-13-45\n"))
    line = line_of(root / "control_list.yaml", "2025-13-45")
    assert errors_of(root) == [f"control_list.yaml:{line}: entries[0].effective_from: Input should be a valid date"]
    with pytest.raises(PackError, match=rf"^control_list.yaml:{line}: entries\[0\].effective_from"):
        load_pack(root)


def test_quoted_date_is_not_a_date(pack_copy):
    root = pack_copy(pack=("reviewed_until: 2026-04-01", 'reviewed_until: "April 2026"'))
    line = line_of(root / "pack.yaml", 'reviewed_until: "April')
    assert errors_of(root) == [f"pack.yaml:{line}: reviewed_until: Input should be a valid date"]


def test_unknown_field(pack_copy):
    root = pack_copy(licence_types=("    repeated_exports: true\n", "    repeated_exports: true\n    renewable: true\n"))
    line = line_of(root / "licence_types.yaml", "renewable")
    assert errors_of(root) == [f"licence_types.yaml:{line}: licence_types.general.renewable: Extra inputs are not permitted"]


def test_missing_legal_ref(pack_copy):
    root = pack_copy(control_list=("    legal_ref: MOFCOM/GAC Ann. 2025 No. 18, annex, 1C903.b\n", ""))
    line = line_of(root / "control_list.yaml", "code: 1C903.b")
    assert errors_of(root) == [f"control_list.yaml:{line}: entries[4].legal_ref: Field required"]


def test_duplicate_code(pack_copy):
    root = pack_copy(control_list=("  - code: 1C903.b\n", "  - code: 1C903.a\n"))
    path = root / "control_list.yaml"
    dup = [n for n, line in enumerate(path.read_text().splitlines(), 1) if line == "  - code: 1C903.a"][1]
    assert errors_of(root) == [f"control_list.yaml:{dup}: entries[4].code: duplicate code 1C903.a (first at entries[3])"]


def test_dangling_amendment(pack_copy):
    root = pack_copy(amendments=('"2025-62"]', '"2025-62", "2025-99"]'))
    line = line_of(root / "amendments.yaml", "2025-99")
    assert errors_of(root) == [
        f"amendments.yaml:{line}: amendments[0].suspends_announcements[6]: "
        "suspends announcement 2025-99, which announcements.yaml does not list"
    ]


def test_effective_to_before_effective_from(pack_copy):
    root = pack_copy(control_list=(
        "    effective_from: 2025-10-09\n", "    effective_from: 2025-10-09\n    effective_to: 2025-10-01\n",
    ))
    line = line_of(root / "control_list.yaml", "effective_to: 2025-10-01")
    (err,) = errors_of(root)
    assert err.startswith(f"control_list.yaml:{line}: entries[21].effective_to: Value error, effective_to 2025-10-01 is before")


def test_unknown_element_and_form_in_entry(pack_copy):
    root = pack_copy(control_list=("    element: Gd\n    form: metal_alloy\n", "    element: Gx\n    form: powder\n"))
    path = root / "control_list.yaml"
    assert errors_of(root) == [
        f"control_list.yaml:{line_of(path, 'element: Gx')}: entries[3].element: unknown element 'Gx'; add it to elements",
        f"control_list.yaml:{line_of(path, 'form: powder')}: entries[3].form: unknown form 'powder'; known: "
        "metal_alloy, oxide, compound, equipment, material, technology",
    ]


def test_duplicate_yaml_key(pack_copy):
    root = pack_copy(deadlines=("  working_days: 45\n", "  working_days: 45\n  working_days: 40\n"))
    line = line_of(root / "deadlines.yaml", "working_days: 40")
    assert errors_of(root) == [f"deadlines.yaml:{line}: decision.working_days: duplicate key"]


def test_yaml_syntax_error_has_a_line(pack_copy):
    root = pack_copy(documents=("  contract:\n", "  contract: [\n"))
    (err,) = errors_of(root)
    assert err.startswith("documents.yaml:") and int(err.split(":")[1]) > 1


def test_string_customs_code_must_be_quoted_digits(pack_copy):
    root = pack_copy(control_list=('{code: "2805301910", reference_only: true, confidence: reported}',
                                   '{code: 2805301910, reference_only: false, confidence: reported}'))
    line = line_of(root / "control_list.yaml", "code: 2805301910,")
    assert errors_of(root) == [
        f"control_list.yaml:{line}: entries[0].customs_codes[0].code: Input should be a valid string",
        f"control_list.yaml:{line}: entries[0].customs_codes[0].reference_only: Input should be True",
    ]


def test_requirement_names_unknown_document_type(pack_copy):
    root = pack_copy(documents=("required: [identity_documents, contract,", "required: [identity_documents, contrat,"))
    line = line_of(root / "documents.yaml", "contrat,")
    assert errors_of(root) == [f"documents.yaml:{line}: requirements.individual.required[1]: unknown document type 'contrat'"]


def test_unknown_and_missing_files(pack_copy):
    root = pack_copy()
    (root / "amendments.yaml").rename(root / "amendment.yaml")
    errs = errors_of(root)
    assert errs[0].startswith("amendment.yaml:1: unknown file in a policy pack")
    assert errs[1] == "amendments.yaml: missing from the pack"


def test_not_a_directory(tmp_path):
    assert errors_of(tmp_path / "nope") == [f"{tmp_path / 'nope'}: not a policy pack directory"]


def test_unknown_pack_name():
    with pytest.raises(PackError):
        get_pack("../etc")
    with pytest.raises(PackError):
        get_pack("no-such-pack")


def test_pack_dir_is_package_data():
    assert PACK_DIR.is_dir() and (PACK_DIR / "pack.yaml").is_file()


def test_code_written_under_a_different_key(pack_copy):
    root = pack_copy(licence_types=("  individual:\n", "  individual:\n    code: single\n"))
    line = line_of(root / "licence_types.yaml", "licence_types:")
    assert errors_of(root) == [
        f"licence_types.yaml:{line}: licence_types: Value error, individual: code 'single' differs from its key"
    ]


def test_field_confidence_must_name_a_field(pack_copy):
    root = pack_copy(amendments=("      until: unconfirmed\n", "      untill: unconfirmed\n"))
    line = line_of(root / "amendments.yaml", "field_confidence:")
    assert errors_of(root) == [
        f"amendments.yaml:{line}: amendments[0].field_confidence: Value error, names no field of this record: untill"
    ]


def test_acceptance_rule_says_from_receipt_or_fails(pack_copy):
    root = pack_copy(deadlines=("  deemed_accepted_on: receipt\n", "  deemed_accepted_on: decision\n"))
    line = line_of(root / "deadlines.yaml", "deemed_accepted_on: decision")
    (err,) = errors_of(root)
    assert err.startswith(f"deadlines.yaml:{line}: acceptance.deemed_accepted_on: Input should be 'receipt'")
