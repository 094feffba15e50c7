"""The list file formats: what each record becomes, and every reason a record or a file is refused.

No database: the parsers only read files.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from rarex.core.errors import InvalidInput
from rarex.screening import importers
from rarex.screening.importers import ImportFormat
from rarex.screening.records import ParsedEntity, RowError, Skipped, country_code

OS_HEADER = ("id,schema,name,aliases,birth_date,countries,addresses,identifiers,sanctions,phones,emails,program_ids,"
             "dataset,first_seen,last_seen,last_change")


def parse(path: Path, fmt: ImportFormat, **kwargs) -> list:
    return list(importers.parse(importers.Source(path), fmt, **kwargs))


def ftm_file(tmp_path: Path, *entities, raw_lines: tuple[str, ...] = ()) -> Path:
    path = tmp_path / "list.ftm.json"
    lines = [json.dumps(e, ensure_ascii=False) for e in entities] + list(raw_lines)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def company(id_: str = "c1", **props) -> dict:
    return {"id": id_, "schema": "Company", "properties": {"name": ["Zhongshan Test Trading Co., Ltd."], **props}}


def errors(records) -> list[tuple[int, str]]:
    return [(r.row, r.reason) for r in records if isinstance(r, RowError)]


# --- FollowTheMoney --------------------------------------------------------------------------


def test_ftm_party_becomes_an_entity_with_every_field(tmp_path):
    path = ftm_file(tmp_path, {
        "id": "NK-abc", "schema": "Company", "caption": "Shenzhen Test Electronics Co., Ltd.",
        "properties": {
            "name": ["深圳测试电子有限公司", "Shenzhen Test Electronics Co., Ltd."],
            "alias": ["Shenzhen Ceshi Dianzi Youxian Gongsi", "深圳测试电子有限公司"],
            "previousName": ["深圳旧名贸易公司"], "weakAlias": ["STE"],
            "country": ["cn", "HKG"], "jurisdiction": ["ua-cri"], "mainCountry": ["zz"],
            "program": ["US-BIS-EL"], "topics": ["sanction", "export.control"],
            "registrationNumber": ["91440300MA5F000001"], "innCode": ["7701234567"], "leiCode": ["5493001KJTIIGC8Y1R12"],
            "address": ["Futian, Shenzhen"], "createdAt": ["2024-03"],
        }})
    [entity] = parse(path, ImportFormat.ftm)
    assert entity == ParsedEntity(
        row=1, entity_id="NK-abc", schema="Company", name="Shenzhen Test Electronics Co., Ltd.",
        aliases=("深圳测试电子有限公司", "Shenzhen Ceshi Dianzi Youxian Gongsi", "深圳旧名贸易公司"),
        countries=("cn", "hk", "ua"), programs=("US-BIS-EL", "sanction", "export.control"),
        identifiers=("91440300MA5F000001", "7701234567", "5493001KJTIIGC8Y1R12"), addresses=("Futian, Shenzhen",),
        listed_on=dt.date(2024, 3, 1))


def test_ftm_without_caption_takes_the_first_name_and_prefers_listing_date(tmp_path):
    path = ftm_file(tmp_path, {"id": "p1", "schema": "Person", "properties": {
        "name": ["欧阳测试", "Ouyang Ceshi"], "nationality": ["China"], "passportNumber": ["E12345678"],
        "listingDate": ["2023-05-06", "2021-01-02T10:00:00"], "createdAt": ["1999-01-01"]}})
    [entity] = parse(path, ImportFormat.ftm)
    assert (entity.name, entity.aliases, entity.schema) == ("欧阳测试", ("Ouyang Ceshi",), "Person")
    assert entity.countries == ("cn",) and entity.identifiers == ("E12345678",)
    assert entity.listed_on == dt.date(2021, 1, 2)  # the earliest listing date


def test_ftm_skips_what_is_not_a_listed_party(tmp_path):
    path = ftm_file(
        tmp_path, company("c1"),
        {"id": "s1", "schema": "Sanction", "properties": {"entity": ["c1"], "program": ["X"]}},
        {"id": "a1", "schema": "Address", "properties": {"full": ["Somewhere"]}},
        {"id": "o1", "schema": "Ownership", "properties": {"owner": ["c1"]}},
        {"id": "s2", "schema": "Sanction", "properties": {}},
        {"id": "p1", "schema": "Person", "target": False, "properties": {"name": ["A Relative"]}},
        {"id": "v1", "schema": "Vessel", "properties": {"name": ["OCEAN TEST"], "imoNumber": ["IMO 9999998"], "flag": ["pa"]}},
    )
    records = parse(path, ImportFormat.ftm)
    assert [r.entity_id for r in records if isinstance(r, ParsedEntity)] == ["c1", "v1"]
    assert [(r.row, r.what) for r in records if isinstance(r, Skipped)] == [
        (2, "schema Sanction"), (3, "schema Address"), (4, "schema Ownership"), (5, "schema Sanction"), (6, "not a target")]
    assert not errors(records)


def test_ftm_row_errors_name_the_line_and_the_reason(tmp_path):
    path = ftm_file(
        tmp_path,
        company("ok-1"),
        {"schema": "Company", "properties": {"name": ["No Id Ltd"]}},
        {"id": "no-name", "schema": "Company", "properties": {"alias": ["Only An Alias"]}},
        {"id": "no-schema", "properties": {"name": ["X"]}},
        company("ok-1"),
        company("long", name=["N" * 1001]),
        company("bad-country", country=["Narnia"]),
        company("bad-date", createdAt=["2024-13-45"]),
        company("nul", name=["Bad\x00Name Ltd"]),
        company("not-strings", name=[{"value": "x"}]),
        {"id": "bad-props", "schema": "Company", "properties": ["name"]},
        raw_lines=('{"id": "cut", "schema": "Comp', "[1, 2]", "", "   ", "[" * 100_000 + "]" * 100_000,
                   '{"id": ' + "9" * 5000 + "}"),
    )
    assert errors(parse(path, ImportFormat.ftm)) == [
        (2, "missing id"),
        (3, "missing name"),
        (4, "missing schema"),
        (5, "duplicate id 'ok-1' (first on line 1)"),
        (6, "name value is 1001 characters long; at most 1000 are allowed"),
        (7, "country 'Narnia' is not an ISO 3166 country code or a country name"),
        (8, "createdAt '2024-13-45' is not a date (YYYY-MM-DD)"),
        (9, "name contains a NUL character (U+0000)"),
        (10, "properties.name must be a list of strings"),
        (11, "properties must be an object"),
        (12, "not valid JSON: Unterminated string starting at (column 25)"),
        (13, "not a JSON object (one FollowTheMoney entity per line)"),
        (16, "not valid JSON: nested too deeply"),
        (17, "not valid JSON: a number too long to read"),
    ]


def test_ftm_row_errors_carry_the_entity_id_when_known(tmp_path):
    path = ftm_file(tmp_path, company("bad-country", country=["Narnia"]))
    [error] = parse(path, ImportFormat.ftm)
    assert error.as_dict() == {"row": 1, "id": "bad-country",
                               "reason": "country 'Narnia' is not an ISO 3166 country code or a country name"}


def test_ftm_reads_a_bom_and_keeps_chinese_names_intact(tmp_path):
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(company("c1", name=["鴻海測試精密工業股份有限公司"]), ensure_ascii=False).encode())
    [entity] = parse(path, ImportFormat.ftm)
    assert entity.name == "鴻海測試精密工業股份有限公司"


def test_ftm_that_is_not_utf8_is_refused_whole(tmp_path):
    path = tmp_path / "gbk.json"
    path.write_bytes(json.dumps(company("c1")).encode() + b"\n" + '{"id": "c2", "schema": "Company", "properties": '
                     '{"name": ["深圳测试"]}}'.encode("gb18030") + b"\n")
    with pytest.raises(InvalidInput, match=r"gbk.json line 2 is not utf-8 text: byte 0xc9 at position 60 \(FollowTheMoney files are UTF-8\)"):
        parse(path, ImportFormat.ftm)
    with pytest.raises(InvalidInput, match="UTF-8 JSON"):
        parse(path, ImportFormat.ftm, encoding="gb18030")


# --- OpenSanctions targets.simple.csv --------------------------------------------------------


def os_file(tmp_path: Path, header: str, *rows: str) -> Path:
    path = tmp_path / "targets.simple.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def test_opensanctions_csv_reads_multi_values_and_programs(tmp_path):
    path = os_file(
        tmp_path, OS_HEADER,
        'NK-1,Company,Test Rare Metals Ltd,"Test Seltene Metalle GmbH;""Test; Metals"" Co";测试稀有金属有限公司,,cn;ru,'
        '"Room 1, Tower A",7701234567;91440300MA5F000001,US-BIS-EL - Entity List,,,US-BIS-EL;EU-FSF,'
        "US Entity List,2021-08-13T00:00:00,2025-01-01T00:00:00,2024-06-01T00:00:00",
        "NK-2,CryptoWallet,0xabc,,,,,,,,,,,2021-08-13T00:00:00,,",
        "NK-3,Person,Ivan Testov,,1970-01-01,ru,,,,,,,,2022-01-01,,",
    )
    records = parse(path, ImportFormat.opensanctions_csv)
    assert records[0] == ParsedEntity(
        row=2, entity_id="NK-1", schema="Company", name="Test Rare Metals Ltd",
        aliases=("Test Seltene Metalle GmbH", "Test; Metals Co", "测试稀有金属有限公司"), countries=("cn", "ru"),
        programs=("US-BIS-EL", "EU-FSF"), identifiers=("7701234567", "91440300MA5F000001"),
        addresses=("Room 1, Tower A",), listed_on=dt.date(2021, 8, 13))
    assert records[1] == Skipped(3, "schema CryptoWallet")
    assert records[2].name == "Ivan Testov" and records[2].schema == "Person" and records[2].programs == ()


def test_opensanctions_csv_without_program_ids_keeps_the_sanctions_text(tmp_path):
    header = "id,schema,name,aliases,birth_date,countries,addresses,identifiers,sanctions,phones,emails,dataset,first_seen"
    path = os_file(tmp_path, header, "NK-1,Company,Test Ltd,,,cn,,,US-BIS-EL - Entity List - listed,,,x,2021-08-13")
    [entity] = parse(path, ImportFormat.opensanctions_csv)
    assert entity.programs == ("US-BIS-EL - Entity List - listed",)


def test_opensanctions_csv_row_errors(tmp_path):
    path = os_file(
        tmp_path, OS_HEADER,
        "NK-1,Company,Good Ltd,,,cn,,,,,,,,,,",
        ",Company,No Id Ltd,,,,,,,,,,,,,",
        "NK-3,Company,,,,,,,,,,,,,,",
        "NK-1,Company,Twice Ltd,,,,,,,,,,,,,",
        "NK-5,Company,Bad Country Ltd,,,cn;Atlantis,,,,,,,,,,",
        "NK-6,Company,Bad Date Ltd,,,,,,,,,,,yesterday,,",
        "NK-7,Company,Too Many Cells,,,,,,,,,,,,,,extra",
        "NK-8,Company,Long Identifier Ltd,,,,," + "9" * 201 + ",,,,,,,,",
    )
    assert errors(parse(path, ImportFormat.opensanctions_csv)) == [
        (3, "missing id"),
        (4, "missing name"),
        (5, "duplicate id 'NK-1' (first on line 2)"),
        (6, "country 'Atlantis' is not an ISO 3166 country code or a country name"),
        (7, "first_seen 'yesterday' is not a date (YYYY-MM-DD)"),
        (8, "17 cells but the header names 16 columns"),
        (9, "identifiers value is 201 characters long; at most 200 are allowed"),
    ]


def test_opensanctions_csv_needs_its_columns(tmp_path):
    path = os_file(tmp_path, "id,caption,aliases", "NK-1,Test,")
    with pytest.raises(InvalidInput, match=r"no column 'schema', 'name' in the header \(id, caption, aliases\)"):
        parse(path, ImportFormat.opensanctions_csv)


# --- any CSV with a mapping ------------------------------------------------------------------

MOFCOM = {"entity_id": "序号", "name": "名称", "aliases": "英文名称", "countries": "国家", "listed_on": "列入日期"}


def test_mapped_csv_in_gb18030_keeps_chinese_names(tmp_path):
    path = tmp_path / "uel.csv"
    path.write_bytes("序号,名称,英文名称,国家,列入日期\n"
                     "1,洛克测试马丁公司,Lock Test Martin Corp;LTM Corp,美国,2023-02-16\n"
                     '2,"雷神测试导弹与防务公司","Raytest Missiles, Defense",美國,2023-02-16\n'.encode("gb18030"))
    records = parse(path, ImportFormat.csv, mapping=MOFCOM, encoding="gb18030")
    assert [(r.entity_id, r.name, r.aliases, r.countries, r.schema, r.listed_on) for r in records] == [
        ("1", "洛克测试马丁公司", ("Lock Test Martin Corp", "LTM Corp"), ("us",), "LegalEntity", dt.date(2023, 2, 16)),
        ("2", "雷神测试导弹与防务公司", ("Raytest Missiles, Defense",), ("us",), "LegalEntity", dt.date(2023, 2, 16)),
    ]


def test_mapped_csv_with_a_bom_a_separator_and_a_schema_column(tmp_path):
    path = tmp_path / "list.csv"
    path.write_bytes("\ufeffRef,Name,Other names,Kind,Programs,Ids,Where\r\n"
                     "A-1,Test Holding AG,Test Holding | TH AG,Company,EL | WL,CHE-123 | LEI-9,Zug\r\n".encode())
    mapping = {"entity_id": "Ref", "name": "Name", "aliases": "Other names", "schema": "Kind", "programs": "Programs",
               "identifiers": "Ids", "addresses": "Where"}
    [entity] = parse(path, ImportFormat.csv, mapping=mapping, separator="|")
    assert entity == ParsedEntity(row=2, entity_id="A-1", schema="Company", name="Test Holding AG",
                                  aliases=("Test Holding", "TH AG"), programs=("EL", "WL"), identifiers=("CHE-123", "LEI-9"),
                                  addresses=("Zug",))


def test_mapped_csv_row_errors(tmp_path):
    path = tmp_path / "list.csv"
    path.write_text(
        "id,name,aliases,country,since\n"
        "1,Good Ltd,,de,2024-01-01\n"
        ",No Id Ltd,,,\n"
        "3,   ,,,\n"
        "4,Nul\x00 Ltd,,,\n"
        "5,Bad Date Ltd,,,01/02/2024\n"
        "6,Bad Country Ltd,,XYZ,\n"
        f"7,Long Alias Ltd,{'a' * 1001},,\n"
        f'8,Huge Cell Ltd,"{"b" * 140_000}",,\n'
        "9,Fine Again Ltd,,DEU,\n", encoding="utf-8")
    mapping = {"entity_id": "id", "name": "name", "aliases": "aliases", "countries": "country", "listed_on": "since"}
    records = parse(path, ImportFormat.csv, mapping=mapping)
    assert errors(records) == [
        (3, "missing id"),
        (4, "missing name"),
        (5, "name contains a NUL character (U+0000)"),
        (6, "listed_on '01/02/2024' is not a date (YYYY-MM-DD)"),
        (7, "country 'XYZ' is not an ISO 3166 country code or a country name"),
        (8, "aliases value is 1001 characters long; at most 1000 are allowed"),
        (9, "not valid CSV: field larger than field limit (131072)"),
    ]
    assert [r.entity_id for r in records if isinstance(r, ParsedEntity)] == ["1", "9"]


def test_mapped_csv_file_problems_are_refused_whole(tmp_path):
    path = tmp_path / "list.csv"
    path.write_bytes("名称,国家\n深圳测试,中国\n".encode("gb18030"))
    with pytest.raises(InvalidInput, match=r"line 1 is not utf-8 text: byte 0xc3 at position 1 \(.*--encoding gb18030\)"):
        parse(path, ImportFormat.csv, mapping={"entity_id": "序号", "name": "名称"})
    with pytest.raises(InvalidInput, match=r"no column '序号' in the header \(名称, 国家\)"):
        parse(path, ImportFormat.csv, mapping={"entity_id": "序号", "name": "名称"}, encoding="gb18030")
    twice = tmp_path / "twice.csv"
    twice.write_text("名称,序号,名称\n深圳测试,1,深圳测试二\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="twice.csv: the header names '名称' more than once"):
        parse(twice, ImportFormat.csv, mapping={"entity_id": "序号", "name": "名称"})
    with pytest.raises(InvalidInput, match="needs a column mapping"):
        parse(path, ImportFormat.csv)
    with pytest.raises(InvalidInput, match="applies to the csv format only"):
        parse(path, ImportFormat.ftm, mapping={"entity_id": "a", "name": "b"})
    with pytest.raises(InvalidInput, match="separator"):
        parse(path, ImportFormat.csv, mapping={"entity_id": "a", "name": "b"}, separator="")
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(InvalidInput, match="empty.csv is empty"):
        parse(empty, ImportFormat.csv, mapping={"entity_id": "a", "name": "b"})


@pytest.mark.parametrize("encoding,message", [
    ("utf-16", "encoding utf-16 is not supported"),
    ("klingon", "unknown encoding 'klingon'"),
])
def test_encodings_that_cannot_be_read_line_by_line_are_refused(encoding, message):
    with pytest.raises(InvalidInput, match=message):
        importers.check_encoding(encoding)


@pytest.mark.parametrize("spec,message", [
    ("entity_id=Ref", "must name the column of name"),
    ("name=Name", "must name the column of entity_id"),
    ("entity_id=Ref,name=Name,colour=Colour", "unknown field 'colour'"),
    ("entity_id=Ref,name=Name,name=Other", "names name twice"),
    ("entity_id=Ref,name", "'name' is not FIELD=COLUMN"),
    ("entity_id=,name=Name", "'entity_id=' is not FIELD=COLUMN"),
])
def test_bad_mappings_are_refused(spec, message):
    with pytest.raises(InvalidInput, match=message):
        importers.parse_mapping(spec)


def test_mapping_column_may_contain_spaces_and_equals_signs():
    assert importers.parse_mapping("entity_id = No. ,name=Name=EN") == {"entity_id": "No.", "name": "Name=EN"}


# --- countries -------------------------------------------------------------------------------


@pytest.mark.parametrize("value,code", [
    ("CN", "cn"), ("chn", "cn"), ("China", "cn"), ("中国", "cn"), ("美國", "us"), ("Russia", "ru"),
    ("Russian Federation", "ru"), ("North Korea", "kp"), ("Korea, Democratic People's Republic of", "kp"),
    ("xk", "xk"), ("suhh", "su"), ("ua-cri", "ua"), ("CN-XJ", "cn"), ("zz", None),
])
def test_countries_become_iso_alpha_2(value, code):
    assert country_code(value) == code


@pytest.mark.parametrize("value", ["Narnia", "C", "xx-yy", "123"])
def test_unknown_countries_are_refused(value):
    with pytest.raises(ValueError, match="is not an ISO 3166 country code or a country name"):
        country_code(value)


def test_ftm_record_with_a_lone_surrogate_is_refused_and_the_rest_read(tmp_path):
    path = ftm_file(tmp_path, company("before"), company("pair", alias=["Smile \U0001f600 Ltd"]),
                    raw_lines=('{"id": "lone", "schema": "Company", "properties": {"name": ["Bad \\ud800 Name"]}}',
                               '{"id": "low", "schema": "Company", "properties": {"name": ["Bad \\uDC00"]}}',
                               '{"id": "pair-escaped", "schema": "Company", "properties": {"name": ["Ok \\ud83d\\ude00"]}}'))
    path.write_bytes(path.read_bytes() + b'{"id": "raw", "schema": "Company", "properties": {"name": ["A \xed\xa0\x80"]}}\n'
                     + json.dumps(company("after")).encode())
    records = parse(path, ImportFormat.ftm)
    assert [r.entity_id for r in records if isinstance(r, ParsedEntity)] == ["before", "pair", "pair-escaped", "after"]
    reason = "not valid Unicode text: a lone UTF-16 surrogate (\\u{}) without its other half; the list's publisher must correct the record"
    assert errors(records) == [(3, reason.format("d800")), (4, reason.format("dc00")), (6, reason.format("d800"))]


def test_ftm_lines_json_reads_and_orjson_does_not_are_read_as_before(tmp_path):
    """Lines are decoded by orjson for speed, and by json where orjson refuses them: NaN or a
    number beyond a double (which orjson refuses), a long integer or deep nesting, in a field
    rarex does not keep, still leave the party imported."""
    deep = "[" * 600 + "]" * 600
    path = ftm_file(tmp_path, raw_lines=tuple(
        f'{{"id": "{i}", "schema": "Company", "properties": {{"name": ["Volga {i} JSC"]}}, "extra": {extra}}}'
        for i, extra in enumerate(("NaN", "123456789012345678901234567890", "1e400", deep, '"plain"'))))
    records = parse(path, ImportFormat.ftm)
    assert errors(records) == []
    assert [r.name for r in records if isinstance(r, ParsedEntity)] == [f"Volga {i} JSC" for i in range(5)]
