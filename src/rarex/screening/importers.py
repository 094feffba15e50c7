"""Streaming parsers for restricted-party list files.

Three formats:

- ``ftm``: FollowTheMoney JSON lines, one entity per line, as OpenSanctions publishes its
  collections (``entities.ftm.json``): ``{"id", "schema", "properties": {"name": [...], ...}}``.
- ``opensanctions-csv``: OpenSanctions' ``targets.simple.csv`` (``id,schema,name,aliases,
  birth_date,countries,addresses,identifiers,sanctions,phones,emails,program_ids,dataset,
  first_seen,last_seen,last_change``; several values in one cell are themselves written as a
  row of ``;``-separated CSV).
- ``csv``: any CSV with a header, read through a column mapping (``entity_id=COL,name=COL,...``)
  with several values in one cell split on a separator.

Lists run to hundreds of megabytes, so a file is read once, line by line, and each record is
yielded as soon as it is parsed: a :class:`~rarex.screening.records.ParsedEntity`, a
:class:`~rarex.screening.records.Skipped` record (not a party, so never screened) or a
:class:`~rarex.screening.records.RowError` with its line and reason. A problem with the file as
a whole (no such file, a header without the needed columns, text not in the stated encoding)
raises :class:`InvalidInput`: the file cannot be read as intended, so nothing of it should be.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import json
from collections.abc import Callable, Iterator, Mapping
from enum import StrEnum
from pathlib import Path

import orjson

from rarex.core.errors import InvalidInput
from rarex.screening.records import ParsedEntity, Refused, RowError, Skipped, build

Record = ParsedEntity | RowError | Skipped
Progress = Callable[[int, int], None]  # (bytes read, file size)


class ImportFormat(StrEnum):
    ftm = "ftm"
    opensanctions_csv = "opensanctions-csv"
    csv = "csv"


#: FollowTheMoney schemata of parties a licence can name: the only records screened. Everything
#: else in a FollowTheMoney file (Sanction, Address, Ownership, Identification, ...) is skipped.
PARTY_SCHEMATA = frozenset({"LegalEntity", "Person", "Organization", "Company", "PublicBody", "Vessel", "Airplane"})

# FollowTheMoney properties read into each field. ``weakAlias`` is left out on purpose:
# FollowTheMoney marks it "should not be used for matching in screening systems" (short,
# generic names such as an acronym), and every alias imported here is matched.
FTM_ALIASES = ("alias", "previousName")
FTM_COUNTRIES = ("country", "jurisdiction", "mainCountry", "nationality", "citizenship", "flag")
FTM_PROGRAMS = ("program", "programId", "topics")
FTM_IDENTIFIERS = ("registrationNumber", "idNumber", "taxNumber", "vatCode", "uscCode", "innCode", "ogrnCode", "okpoCode",
                   "leiCode", "dunsCode", "swiftBic", "imoNumber", "mmsi", "passportNumber")
FTM_DATES = ("listingDate", "createdAt")  # the first of these an entity has gives listed_on
#: property -> the field it feeds (the date properties feed themselves: only one of them is used)
FTM_FIELDS = {"name": "names", "address": "addresses", **{p: p for p in FTM_DATES},
              **{p: field for field, props in (("aliases", FTM_ALIASES), ("countries", FTM_COUNTRIES),
                                               ("programs", FTM_PROGRAMS), ("identifiers", FTM_IDENTIFIERS)) for p in props}}

#: Fields a ``csv`` mapping may name; ``entity_id`` and ``name`` are required.
MAPPABLE = ("entity_id", "name", "aliases", "countries", "programs", "identifiers", "addresses", "schema", "listed_on")
MULTI_VALUED = frozenset({"aliases", "countries", "programs", "identifiers", "addresses"})

OS_REQUIRED = ("id", "schema", "name")

_BOM = "\ufeff"


def file_sha256(path: Path) -> str:
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def check_file(path: Path) -> None:
    if not path.exists():
        raise InvalidInput(f"{path}: no such file")
    if not path.is_file():
        raise InvalidInput(f"{path}: not a file")
    try:
        path.open("rb").close()
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot be read ({exc.strerror})") from None


def check_encoding(encoding: str) -> str:
    """The codec's canonical name; the file is read line by line, so each line must end in a
    newline byte, which rules out UTF-16 and UTF-32."""
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        raise InvalidInput(f"unknown encoding {encoding!r}; e.g. utf-8 or gb18030") from None
    if "a,\n".encode(name) != b"a,\n":
        raise InvalidInput(f"encoding {encoding} is not supported: convert the file to UTF-8 (or GB18030)")
    return name


def parse_mapping(spec: str) -> dict[str, str]:
    """``entity_id=COL,name=COL[,aliases=COL]...`` -> {field: column}."""
    mapping: dict[str, str] = {}
    for part in spec.split(","):
        field, sep, column = part.partition("=")
        field, column = field.strip(), column.strip()
        if not sep or not column:
            raise InvalidInput(f"mapping {part.strip()!r} is not FIELD=COLUMN")
        if field not in MAPPABLE:
            raise InvalidInput(f"mapping names unknown field {field!r}; fields: {', '.join(MAPPABLE)}")
        if field in mapping:
            raise InvalidInput(f"mapping names {field} twice")
        mapping[field] = column
    missing = [f for f in ("entity_id", "name") if f not in mapping]
    if missing:
        raise InvalidInput(f"mapping must name the column of {' and '.join(missing)}")
    return mapping


class Source:
    """A file read once, line by line, as bytes.

    It reports the bytes read (for a progress bar) and hashes them as they go by, so that the
    importer can check that what it parsed is the file whose checksum it records.
    """

    PROGRESS_EVERY = 1 << 20

    def __init__(self, path: Path, progress: Progress | None = None):
        self.path = path
        self.size = path.stat().st_size
        self._progress = progress
        self._hash = hashlib.sha256()

    @property
    def checksum(self) -> str:
        return self._hash.hexdigest()

    def lines(self) -> Iterator[tuple[int, bytes]]:
        done = reported = 0
        with self.path.open("rb") as fh:
            for line_no, line in enumerate(fh, start=1):
                self._hash.update(line)
                done += len(line)
                if self._progress and done - reported >= self.PROGRESS_EVERY:
                    self._progress(done, self.size)
                    reported = done
                yield line_no, line
        if self._progress:
            self._progress(done, self.size)

    def text_lines(self, encoding: str) -> Iterator[str]:
        hint = " (a Chinese government list is often GB18030: --encoding gb18030)" if encoding == "utf-8" else ""
        for line_no, raw in self.lines():
            try:
                text = raw.decode(encoding)
            except UnicodeDecodeError as exc:
                raise self.not_text(line_no, raw, encoding, exc, hint) from None
            yield text.removeprefix(_BOM) if line_no == 1 else text

    def not_text(self, line_no: int, raw: bytes, encoding: str, exc: UnicodeDecodeError, hint: str = "") -> InvalidInput:
        return InvalidInput(f"{self.path.name} line {line_no} is not {encoding} text: byte 0x{raw[exc.start]:02x} "
                            f"at position {exc.start + 1}{hint}; nothing was imported")


def parse(source: Source, format: ImportFormat, *, mapping: Mapping[str, str] | None = None, separator: str = ";",
          encoding: str = "utf-8") -> Iterator[Record]:
    """Every record of the file, in file order; entity ids must be unique within the file."""
    if mapping and format != ImportFormat.csv:
        raise InvalidInput("a column mapping applies to the csv format only")
    if format == ImportFormat.ftm:
        if check_encoding(encoding) != "utf-8":
            raise InvalidInput("FollowTheMoney files are UTF-8 JSON; --encoding applies to CSV formats only")
        records = _ftm(source)
    elif format == ImportFormat.opensanctions_csv:
        records = _opensanctions(source, check_encoding(encoding))
    else:
        if not mapping:
            raise InvalidInput("a csv import needs a column mapping: entity_id=COL,name=COL[,aliases=COL]...")
        if not separator:
            raise InvalidInput("the separator of several values in one cell must not be empty")
        records = _mapped(source, check_encoding(encoding), mapping, separator)
    first_row: dict[str, int] = {}
    for record in records:
        if isinstance(record, ParsedEntity):
            seen = first_row.setdefault(record.entity_id, record.row)
            if seen != record.row:
                record = RowError(record.row, f"duplicate id {record.entity_id!r} (first on line {seen})", record.entity_id)
        yield record


# --- FollowTheMoney --------------------------------------------------------------------------


def _strings(key: str, value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    raise Refused(f"properties.{key} must be a list of strings")


def _ftm(source: Source) -> Iterator[Record]:
    for line_no, raw in source.lines():
        if line_no == 1:
            raw = raw.removeprefix(_BOM.encode())
        raw = raw.rstrip(b"\r\n")
        if not raw.strip():
            continue
        try:
            obj = _decoded(raw)
        except UnicodeDecodeError as exc:
            raise source.not_text(line_no, raw, "utf-8", exc, " (FollowTheMoney files are UTF-8)") from None
        except json.JSONDecodeError as exc:
            yield RowError(line_no, f"not valid JSON: {exc.msg} (column {exc.colno})")
            continue
        except RecursionError:
            yield RowError(line_no, "not valid JSON: nested too deeply")
            continue
        except ValueError:  # what json.loads leaves: an integer beyond Python's digit limit
            yield RowError(line_no, "not valid JSON: a number too long to read")
            continue
        # A \uD800-\uDFFF escape, or a surrogate written as UTF-8 bytes (ED A0..BF, which json
        # reads with "surrogatepass"): maybe half a surrogate pair.
        suspect = b"\\ud" in raw or b"\\uD" in raw or b"\xed" in raw
        if suspect and (problem := _lone_surrogate(obj)) is not None:
            yield RowError(line_no, problem)
            continue
        yield _ftm_entity(line_no, obj)


def _decoded(raw: bytes):
    """A line's JSON read by orjson (five times as fast: a million lines took json seconds), or
    by json where orjson refuses it, so that what json accepts is still accepted (NaN, 1e400,
    lone surrogates, which are refused below with their own message) and a line
    that is not JSON gets json's message, which says where the error is."""
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        return json.loads(raw)


def _lone_surrogate(obj) -> str | None:
    """Why a decoded record is not Unicode text, if it holds a lone UTF-16 surrogate.

    JSON may escape a character outside the Basic Multilingual Plane as a pair of surrogates
    (``\\ud83d\\ude00``), which ``json`` joins into one character; half a pair is left as a
    lone surrogate that no database can store as UTF-8 text, so the record is refused here
    rather than failing the whole import when it is written.
    """
    try:
        json.dumps(obj, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as exc:
        char = exc.object[exc.start]
        return (f"not valid Unicode text: a lone UTF-16 surrogate (\\u{ord(char):04x}) without its other half; "
                "the list's publisher must correct the record")
    return None


def _ftm_entity(line_no: int, obj) -> Record:
    if not isinstance(obj, dict):
        return RowError(line_no, "not a JSON object (one FollowTheMoney entity per line)")
    entity_id = obj.get("id")
    entity_id = entity_id if isinstance(entity_id, str) else ""
    schema = obj.get("schema")
    if not isinstance(schema, str) or not schema.strip():
        return RowError(line_no, "missing schema", entity_id or None)
    if schema not in PARTY_SCHEMATA:
        return Skipped(line_no, f"schema {schema[:40]}")
    if obj.get("target") is False:  # OpenSanctions: in the data (a relative, an owner), but not itself listed
        return Skipped(line_no, "not a target")
    props = obj.get("properties", {})
    if not isinstance(props, dict):
        return RowError(line_no, "properties must be an object", entity_id or None)
    try:
        # One pass over the properties the entity has (a handful), not a look-up of every one read.
        fields: dict[str, list[str]] = {}
        for key, value in props.items():
            if (field := FTM_FIELDS.get(key)) is not None:
                fields.setdefault(field, []).extend(_strings(key, value))
        names = fields.get("names", [])
        caption = obj.get("caption")
        if isinstance(caption, str) and caption in names:  # OpenSanctions' choice of the display name
            names = [caption, *(n for n in names if n != caption)]
        date_field = next((key for key in FTM_DATES if fields.get(key)), FTM_DATES[0])
        return build(line_no, entity_id=entity_id, schema=schema, names=names, aliases=fields.get("aliases", ()),
                     countries_=fields.get("countries", ()), programs=fields.get("programs", ()),
                     identifiers=fields.get("identifiers", ()), addresses=fields.get("addresses", ()),
                     dates=fields.get(date_field, ()), date_field=date_field)
    except Refused as exc:
        return RowError(line_no, str(exc), entity_id or None)


# --- CSV -------------------------------------------------------------------------------------


def _csv_rows(source: Source, encoding: str, required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]] | RowError]:
    """The header's columns checked, then each record as {column: cell} with its first line."""
    reader = csv.reader(source.text_lines(encoding))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise InvalidInput(f"{source.path.name}: the header is not CSV ({exc})") from None
    if header is None:
        raise InvalidInput(f"{source.path.name} is empty; the first line must name the columns")
    header = [h.strip() for h in header]
    missing = [c for c in required if c not in header]
    if missing:
        raise InvalidInput(f"{source.path.name}: no column {', '.join(repr(c) for c in missing)} in the header "
                           f"({', '.join(header)})")
    twice = [c for c in required if header.count(c) > 1]
    if twice:
        raise InvalidInput(f"{source.path.name}: the header names {', '.join(repr(c) for c in twice)} more than once")
    last_line = reader.line_num
    while True:
        start = last_line + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield RowError(start, f"not valid CSV: {exc}")
            last_line = reader.line_num
            continue
        last_line = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(header):
            yield RowError(start, f"{len(cells)} cells but the header names {len(header)} columns")
            continue
        yield start, {column: cells[i] if i < len(cells) else "" for i, column in enumerate(header)}


def _cell_values(cell: str) -> list[str]:
    """A targets.simple.csv cell: several values as one row of ``;``-separated CSV."""
    if '"' not in cell:
        return cell.split(";")
    return next(csv.reader([cell], delimiter=";"), [])


def _opensanctions(source: Source, encoding: str) -> Iterator[Record]:
    for item in _csv_rows(source, encoding, OS_REQUIRED):
        if isinstance(item, RowError):
            yield item
            continue
        row, cells = item
        schema = cells["schema"].strip()
        if schema and schema not in PARTY_SCHEMATA:
            yield Skipped(row, f"schema {schema[:40]}")
            continue
        # Newer exports give program ids; older ones only the sanctions' text.
        programs = cells["program_ids"] if "program_ids" in cells else cells.get("sanctions", "")
        yield build(row, entity_id=cells["id"], schema=schema, names=[cells["name"]],
                    aliases=_cell_values(cells.get("aliases", "")), countries_=_cell_values(cells.get("countries", "")),
                    programs=_cell_values(programs), identifiers=_cell_values(cells.get("identifiers", "")),
                    addresses=_cell_values(cells.get("addresses", "")), dates=[cells.get("first_seen", "")],
                    date_field="first_seen")


def _mapped(source: Source, encoding: str, mapping: Mapping[str, str], separator: str) -> Iterator[Record]:
    columns = list(dict.fromkeys(mapping.values()))
    for item in _csv_rows(source, encoding, tuple(columns)):
        if isinstance(item, RowError):
            yield item
            continue
        row, cells = item

        def get(field: str, cells: list[str] = cells) -> list[str]:
            column = mapping.get(field)
            if column is None:
                return []
            value = cells[column]
            return value.split(separator) if field in MULTI_VALUED else [value]

        yield build(row, entity_id=cells[mapping["entity_id"]], schema=(get("schema") or [""])[0],
                    names=get("name"), aliases=get("aliases"), countries_=get("countries"), programs=get("programs"),
                    identifiers=get("identifiers"), addresses=get("addresses"), dates=get("listed_on"))
