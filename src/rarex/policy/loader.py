"""Load a policy pack directory into a :class:`~rarex.policy.models.Pack`, or say exactly what is wrong.

A pack is edited by hand by people reading announcements, so a mistake must point at the
spot: every error names the file, the line and the field, e.g.
``control_list.yaml:42: entries[3].effective_from: Input should be a valid date``. Lines come
from PyYAML's composed node tree; pydantic's error locations are walked down that tree.
After each file validates on its own, references between files are checked (an amendment
suspending an unknown announcement, an entry naming an unknown element, duplicate codes...).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pycountry
import yaml
from pydantic import BaseModel, ValidationError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from rarex.policy import models as m

PACKS_DIR = Path(__file__).resolve().parent / "packs"

#: The files of a pack and the model each must satisfy.
FILES: dict[str, type[BaseModel]] = {
    "pack.yaml": m.PackFile,
    "announcements.yaml": m.AnnouncementsFile,
    "control_list.yaml": m.ControlListFile,
    "amendments.yaml": m.AmendmentsFile,
    "licence_types.yaml": m.LicenceTypesFile,
    "deadlines.yaml": m.Deadlines,
    "documents.yaml": m.DocumentsFile,
    "grounds.yaml": m.GroundsFile,
    "technology_catalogue.yaml": m.TechnologyCatalogueFile,
    "prohibitions.yaml": m.ProhibitionsFile,
}


class PackError(Exception):
    """A pack that cannot be loaded; ``errors`` holds every ``file:line: field: message``."""

    def __init__(self, errors: Sequence[str]):
        self.errors = list(errors)
        first = self.errors[0] if self.errors else "invalid policy pack"
        more = f" (and {len(self.errors) - 1} more)" if len(self.errors) > 1 else ""
        super().__init__(first + more)


class _Loader(yaml.SafeLoader):
    """Safe YAML; a malformed timestamp stays a string so the model reports it with its line."""


def _lenient_timestamp(loader: yaml.SafeLoader, node: ScalarNode) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _lenient_timestamp)


@dataclass
class YamlDoc:
    name: str
    node: Node | None
    model: Any = None

    def line(self, loc: Iterable[Any]) -> int:
        """The line of the node at ``loc``, or of the nearest enclosing node that exists."""
        node = self.node
        if node is None:
            return 1
        line = node.start_mark.line + 1
        parts = list(loc)
        for i, part in enumerate(parts):
            if isinstance(node, MappingNode):
                pair = next((p for p in node.value if isinstance(p[0], ScalarNode) and p[0].value == str(part)), None)
                if pair is None:
                    break
                key, node = pair
                line = key.start_mark.line + 1
                if i + 1 < len(parts) and parts[i + 1] == "[key]":
                    break
            elif isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
                node = node.value[part]
                line = node.start_mark.line + 1
            else:
                break
        return line

    def error(self, loc: Sequence[Any], message: str) -> str:
        return f"{self.name}:{self.line(loc)}: {format_loc(loc)}: {message}"


def format_loc(loc: Iterable[Any]) -> str:
    out = ""
    for part in loc:
        if part == "[key]":
            continue
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(top level)"


def _duplicate_keys(doc: YamlDoc, node: Node, path: tuple = ()) -> list[str]:
    """PyYAML keeps the last of two equal keys silently; a pack must not."""
    errors: list[str] = []
    if isinstance(node, MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            name = key.value if isinstance(key, ScalarNode) else None
            if name is not None and name in seen:
                errors.append(f"{doc.name}:{key.start_mark.line + 1}: {format_loc(path + (name,))}: duplicate key")
            if name is not None:
                seen.add(name)
            errors += _duplicate_keys(doc, value, path + (name,))
    elif isinstance(node, SequenceNode):
        for i, item in enumerate(node.value):
            errors += _duplicate_keys(doc, item, path + (i,))
    return errors


def _read(path: Path, model: type[BaseModel]) -> tuple[YamlDoc, list[str]]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return YamlDoc(path.name, None), [f"{path.name}:1: cannot read: {exc}"]
    return parse_yaml(path.name, text, model)


def parse_yaml(name: str, text: str, model: type[BaseModel]) -> tuple[YamlDoc, list[str]]:
    """Validate one YAML document against ``model``; errors are ``name:line: field: message``.

    Also used for files that are not part of a pack directory (a draft amendment of a pack)."""
    doc = YamlDoc(name, None)
    loader = _Loader(text)
    try:
        doc.node = loader.get_single_node()
        if doc.node is not None:
            errors = _duplicate_keys(doc, doc.node)
            if errors:
                return doc, errors
        data = loader.construct_document(doc.node) if doc.node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        return doc, [f"{name}:{line}: {exc.problem or exc.context or 'invalid YAML'}"]
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        return doc, [f"{name}:1: (top level): expected a mapping of fields"]
    try:
        doc.model = model.model_validate(data)
    except ValidationError as exc:
        return doc, [doc.error(e["loc"], e["msg"]) for e in exc.errors(include_url=False)]
    return doc, []


def _cross_check(d: dict[str, YamlDoc]) -> list[str]:
    errors: list[str] = []
    ann = d["announcements.yaml"].model.announcements
    cl, cl_doc = d["control_list.yaml"].model, d["control_list.yaml"]
    lt, lt_doc = d["licence_types.yaml"].model, d["licence_types.yaml"]
    docs, docs_doc = d["documents.yaml"].model, d["documents.yaml"]
    am_doc = d["amendments.yaml"]

    errors += duplicate_codes(cl_doc, "entries", cl.entries)
    for i, e in enumerate(cl.entries):
        errors += check_entry(cl_doc, ("entries", i), e, cl, ann)

    errors += _check_mixed_goods(cl, cl_doc)
    errors += _check_catalogue(d["technology_catalogue.yaml"], cl)

    errors += duplicate_codes(am_doc, "amendments", am_doc.model.amendments)
    for i, a in enumerate(am_doc.model.amendments):
        errors += check_amendment(am_doc, ("amendments", i), a, ann)

    series: dict[str, str] = {}
    for code, t in lt.licence_types.items():
        if t.number_series is not None and t.number_series in series:
            errors.append(lt_doc.error(("licence_types", code, "number_series"),
                                       f"series {t.number_series!r} is already {series[t.number_series]}'s: numbers would collide"))
        if t.number_series is not None:
            series.setdefault(t.number_series, code)
    for code, t in lt.licence_types.items():
        for field, kind in (("eligibility", "eligibility"), ("exclusions", "exclusion")):
            for j, c in enumerate(getattr(t, field)):
                cond = lt.conditions.get(c)
                if cond is None:
                    errors.append(lt_doc.error(("licence_types", code, field, j), f"unknown condition {c!r}"))
                elif cond.kind != kind:
                    errors.append(lt_doc.error(("licence_types", code, field, j), f"condition {c!r} is of kind {cond.kind}, not {kind}"))

    for code, dt_ in docs.document_types.items():
        if dt_.required_when is not None and dt_.required_when not in lt.conditions:
            errors.append(docs_doc.error(("document_types", code, "required_when"), f"unknown condition {dt_.required_when!r}"))
    for code, req in docs.requirements.items():
        if code not in lt.licence_types:
            errors.append(docs_doc.error(("requirements", code, "[key]"), f"unknown licence type {code!r}"))
        for j, doc_code in enumerate(req.required):
            if doc_code not in docs.document_types:
                errors.append(docs_doc.error(("requirements", code, "required", j), f"unknown document type {doc_code!r}"))
    for code in lt.licence_types:
        if code not in docs.requirements:
            errors.append(docs_doc.error(("requirements",), f"no entry for licence type {code!r}"))

    gr_doc = d["grounds.yaml"]
    claimed: dict[str, str] = {}
    for code, g in gr_doc.model.grounds.items():
        for j, c in enumerate(g.exclusion_conditions):
            where = ("grounds", code, "exclusion_conditions", j)
            cond = lt.conditions.get(c)
            if cond is None:
                errors.append(gr_doc.error(where, f"unknown condition {c!r}; known: {', '.join(lt.conditions)}"))
            elif cond.kind != "exclusion":
                errors.append(gr_doc.error(where, f"condition {c!r} is of kind {cond.kind}, not exclusion"))
            elif c in claimed:
                errors.append(gr_doc.error(where, f"condition {c!r} is already ground {claimed[c]}'s"))
            claimed.setdefault(c, code)
        if g.exclusion_conditions and not {"suspend", "revoke"} <= set(g.actions):
            errors.append(gr_doc.error(("grounds", code, "actions"),
                                       "an exclusion ground must support suspend and revoke (DUR Art. 20 para. 2)"))
    used = {c for t in lt.licence_types.values() for c in t.exclusions}
    for c in sorted(used - set(claimed)):
        cond = lt.conditions.get(c)
        if cond is not None and cond.subject == "exporter":
            errors.append(gr_doc.error(("grounds",), f"no ground names exclusion condition {c!r} in exclusion_conditions: "
                                                     "its arising could not be cited when general licences are suspended"))
    for j, c in enumerate(cl.catch_all.end_use_categories):
        if c not in d["prohibitions.yaml"].model.end_use_categories:
            errors.append(cl_doc.error(("catch_all", "end_use_categories", j), f"unknown end-use category {c!r} (prohibitions.yaml)"))
    return errors + _check_prohibitions(d["prohibitions.yaml"], ann, [e.code for e in cl.entries])


def check_entry(doc: YamlDoc, at: tuple, e: m.ControlEntry, cl: m.ControlListFile | m.Pack, ann: dict) -> list[str]:
    """One control entry's references: its element, form, announcement and notes."""
    errors: list[str] = []
    if e.element is not None and e.element not in cl.elements:
        errors.append(doc.error(at + ("element",), f"unknown element {e.element!r}; add it to elements"))
    if e.form not in cl.forms:
        errors.append(doc.error(at + ("form",), f"unknown form {e.form!r}; known: {', '.join(cl.forms)}"))
    if e.announcement not in ann:
        errors.append(doc.error(at + ("announcement",), f"announcement {e.announcement} is not in announcements.yaml"))
    for j, n in enumerate(e.notes):
        if n not in cl.notes:
            errors.append(doc.error(at + ("notes", j), f"unknown note {n!r}"))
    return errors


def check_amendment(doc: YamlDoc, at: tuple, a: m.Amendment, ann: dict) -> list[str]:
    """One amendment's references: its own announcement and those it suspends."""
    errors: list[str] = []
    if a.announcement not in ann:
        errors.append(doc.error(at + ("announcement",), f"announcement {a.announcement} is not in announcements.yaml"))
    for j, target in enumerate(a.suspends_announcements):
        if target not in ann:
            errors.append(doc.error(at + ("suspends_announcements", j),
                                    f"suspends announcement {target}, which announcements.yaml does not list"))
    return errors


def duplicate_codes(doc: YamlDoc, field: str, items: Sequence[Any]) -> list[str]:
    errors: list[str] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        if item.code in seen:
            errors.append(doc.error((field, i, "code"), f"duplicate code {item.code} (first at {field}[{seen[item.code]}])"))
        seen.setdefault(item.code, i)
    return errors


def _check_prohibitions(doc: YamlDoc, ann: dict, entry_codes: list[str]) -> list[str]:
    errors: list[str] = []
    pf = doc.model
    for field, vocab in (("default_end_user_category", "end_user_categories"), ("default_end_use_category", "end_use_categories")):
        if getattr(pf, field) not in getattr(pf, vocab):
            errors.append(doc.error((field,), f"unknown category {getattr(pf, field)!r}; known: {', '.join(getattr(pf, vocab))}"))
    errors += duplicate_codes(doc, "prohibitions", pf.prohibitions)
    for i, p in enumerate(pf.prohibitions):
        errors += check_prohibition(doc, ("prohibitions", i), p, ann, entry_codes,
                                    {"end_user_categories": pf.end_user_categories, "end_use_categories": pf.end_use_categories})
    return errors


def check_prohibition(doc: YamlDoc, at: tuple, p: m.Prohibition, ann: dict, entry_codes: list[str],
                      vocabs: dict[str, dict]) -> list[str]:
    """One prohibition's references: its announcement, item scopes, countries and categories."""
    errors: list[str] = []
    if p.announcement not in ann:
        errors.append(doc.error(at + ("announcement",), f"announcement {p.announcement} is not in announcements.yaml"))
    if p.items != "all":
        for j, scope in enumerate(p.items):
            if not any(p.model_copy(update={"items": [scope]}).covers_item(c) for c in entry_codes):
                errors.append(doc.error(at + ("items", j), f"{scope!r} is no control entry code or prefix of one in control_list.yaml"))
    for j, cc in enumerate(p.destinations):
        if pycountry.countries.get(alpha_2=cc) is None:
            errors.append(doc.error(at + ("destinations", j), f"{cc!r} is not an ISO 3166-1 alpha-2 country code"))
    for field, vocab in vocabs.items():
        for j, c in enumerate(getattr(p, field)):
            if c not in vocab:
                errors.append(doc.error(at + (field, j), f"unknown category {c!r}; known: {', '.join(vocab)}"))
    return errors


def _check_mixed_goods(cl: m.ControlListFile, doc: YamlDoc) -> list[str]:
    """Each candidate is a known entry with known elements; every reference code marked as
    shared with uncontrolled goods is named by a mixed_goods record, so what decides is data."""
    errors: list[str] = []
    codes = {e.code for e in cl.entries}
    named: set[str] = set()
    for code, g in cl.mixed_goods.items():
        named.update(g.customs_codes)
        for entry, cand in g.candidates.items():
            at = ("mixed_goods", code, "candidates", entry)
            if entry not in codes:
                errors.append(doc.error(at + ("[key]",), f"unknown entry {entry!r}"))
            for j, el in enumerate(cand.contains):
                if el not in cl.elements:
                    errors.append(doc.error(at + ("contains", j), f"unknown element {el!r}"))
    for i, e in enumerate(cl.entries):
        for j, c in enumerate(e.customs_codes):
            if c.shared_with_uncontrolled and c.code not in named:
                errors.append(doc.error(("entries", i, "customs_codes", j),
                                        f"{c.code} is shared with uncontrolled goods but no mixed_goods record names it: "
                                        "add one saying what decides"))
    return errors


def _check_catalogue(doc: YamlDoc, cl: m.ControlListFile) -> list[str]:
    errors: list[str] = []
    cat = doc.model
    for code in ("prohibited", "restricted"):
        if code not in cat.categories:
            errors.append(doc.error(("categories",), f"no category {code!r}"))
    codes = {e.code for e in cl.entries}
    errors += duplicate_codes(doc, "entries", cat.entries)
    for i, e in enumerate(cat.entries):
        at = ("entries", i)
        for j, c in enumerate(e.control_codes):
            if c not in codes:
                errors.append(doc.error(at + ("control_codes", j), f"control_codes names {c!r}, not an entry of control_list.yaml"))
        for rev in e.listings:
            if rev not in cat.revisions:
                errors.append(doc.error(at + ("listings", rev, "[key]"), f"unknown revision {rev!r}; known: {', '.join(cat.revisions)}"))
    return errors


def load_pack(path: str | Path) -> m.Pack:
    """Load and cross-check the pack in directory ``path``; raise :class:`PackError` if anything is wrong."""
    root = Path(path)
    if not root.is_dir():
        raise PackError([f"{root}: not a policy pack directory"])
    present = {p.name for p in root.iterdir() if p.suffix in (".yaml", ".yml")}
    errors = [f"{name}:1: unknown file in a policy pack (expected: {', '.join(FILES)})" for name in sorted(present - set(FILES))]
    errors += [f"{name}: missing from the pack" for name in FILES if name not in present]
    if errors:
        raise PackError(errors)
    loaded: dict[str, YamlDoc] = {}
    for name, model in FILES.items():
        loaded[name], file_errors = _read(root / name, model)
        errors += file_errors
    if errors:
        raise PackError(errors)
    errors = _cross_check(loaded)
    if errors:
        raise PackError(errors)
    p, cl, lt, pr = (loaded[n].model for n in ("pack.yaml", "control_list.yaml", "licence_types.yaml", "prohibitions.yaml"))
    return m.Pack(
        id=p.id, name_zh=p.name_zh, name_en=p.name_en, timezone=p.timezone, calendar=p.calendar,
        reviewed_until=p.reviewed_until, authority=p.authority, licence_number_format=p.licence_number, legal_bases=p.legal_bases,
        announcements=loaded["announcements.yaml"].model.announcements,
        elements=cl.elements, forms=cl.forms, notes=cl.notes, catch_all=cl.catch_all, absence_words=cl.absence_words,
        mixed_goods=cl.mixed_goods,
        technology_catalogue=loaded["technology_catalogue.yaml"].model,
        entries=sorted(cl.entries, key=lambda e: e.code),
        amendments=loaded["amendments.yaml"].model.amendments,
        conditions=lt.conditions, licence_types=lt.licence_types,
        deadlines=loaded["deadlines.yaml"].model,
        document_types=loaded["documents.yaml"].model.document_types,
        document_requirements=loaded["documents.yaml"].model.requirements,
        grounds=loaded["grounds.yaml"].model.grounds,
        end_user_categories=pr.end_user_categories, end_use_categories=pr.end_use_categories,
        default_end_user_category=pr.default_end_user_category, default_end_use_category=pr.default_end_use_category,
        prohibitions=pr.prohibitions, party_measures=pr.party_measures,
    )
