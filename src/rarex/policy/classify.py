"""Classify an item against the control list and the technology catalogue as they stood on a date.

This is advice for an exporter's self-classification (DUR Art. 14 para. 4), not a ruling: the
control code and the item description decide, never a customs code on its own. So the answer
names every entry the item is (``entries``), every entry it may be and what decides
(``candidates``), which are not in force on the date and why, and notes where the match is weak.

``controlled`` is ``true`` when the query decides that an entry in force (or a technology of
the catalogue) covers the item, ``null`` when candidates remain that the query does not decide
between, and ``false`` only when nothing in force is left: every candidate ruled out.

Matching. Element (symbol, English or Chinese name) and form are filters: a candidate must not
contradict them. Positive matches decide: the element, an element or a keyword named in the
description, the control code. Weak matches only propose candidates: a form alone, a customs
code (reference only, FACTS.md section 2: it proposes, prefix match both ways, never decides
nor removes), and a kind of goods the pack records as covering controlled and uncontrolled
goods alike (``mixed_goods``: heading 8505.11, "NdFeB magnet"), whose record says what decides.
A stated absence ("Tb-free", "without Dy", "不含铽") rules out the entries of that element.

Technology is also matched against the export-technology catalogue (a separate instrument:
MOFCOM/MOST Ann. 2023 No. 57): a listed technology is ``prohibited`` or needs a
technology-export licence, whatever the status of the dual-use entry 1E902.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, Field

from rarex.core.bilingual import Said
from rarex.core.errors import InvalidInput
from rarex.policy.models import CatalogueEntry, ControlEntry, MixedCandidate, MixedGoods, Pack
from rarex.policy.schemas import EntryOut, NotInForceOut

#: The parts of the technology catalogue, as a Chinese reference names them.
CATEGORY_ZH = {"prohibited": "禁止出口", "restricted": "限制出口"}
_FORMULA = re.compile(r"^(?:[A-Z][a-z]?\d*)+$")
#: Positive matches: the item is the entry. Others only make it a candidate.
DECIDING = frozenset({"element", "description", "code"})


class MatchedEntry(EntryOut):
    matched_on: list[str]


class MatchedNotInForce(NotInForceOut):
    matched_on: list[str]


class Candidate(MatchedEntry):
    decided_by: Literal["element", "description", "composition"] = Field(
        description="What decides whether the item falls under this entry")
    decides_en: str = Field(description="When the item falls under this entry, in words")
    decides_zh: str | None = None


class RuledOut(BaseModel):
    code: str
    reason: str


class GoodsKind(BaseModel):
    """A kind of goods the query named that covers controlled and uncontrolled goods alike."""

    code: str
    label_en: str
    label_zh: str
    decided_by: str
    decides_en: str
    decides_zh: str
    outside_en: str | None
    outside_zh: str | None = None
    legal_ref: str
    confidence: str
    matched_on: list[str]


class TechnologyMatch(BaseModel):
    """A technology of the export-technology catalogue, as the revision in force lists it."""

    code: str
    description_en: str
    description_zh: str
    category: Literal["prohibited", "restricted"]
    effect: Literal["prohibited", "licence"]
    licence_en: str | None = Field(description="The licence a restricted technology needs")
    licence_zh: str | None = None
    revision: str
    legal_ref: str
    legal_ref_zh: str | None = None
    confidence: str
    listed_since: dt.date | None = Field(description="When the listing revision took effect; null: not known to the pack")
    matched_on: list[str]
    decides_en: str | None = Field(default=None, description="For a candidate: what decides")


class TechnologyNotListed(BaseModel):
    code: str
    description_en: str
    reason: str
    matched_on: list[str]


class Classification(BaseModel):
    controlled: bool | None = Field(description=(
        "true: an entry in force or a catalogue technology covers the item; null: undetermined, candidates remain "
        "(see candidates and what decides); false: nothing in force can cover it"))
    prohibited: bool | None = Field(default=False, description=(
        "true: the technology catalogue prohibits its export; null: a prohibited technology is among the candidates"))
    entries: list[MatchedEntry]
    candidates: list[Candidate] = []
    ruled_out: list[RuledOut] = []
    goods_kinds: list[GoodsKind] = []
    not_in_force: list[MatchedNotInForce]
    technology: list[TechnologyMatch] = []
    technology_candidates: list[TechnologyMatch] = []
    technology_not_listed: list[TechnologyNotListed] = []
    on: dt.date
    pack: str
    pack_reviewed_until: dt.date
    caveat: str | None
    caveat_zh: str | None = Field(default=None, description="The caveat in Chinese")
    notes: list[str]
    notes_zh: list[str] = Field(default=[], description="The notes in Chinese, in the same order")
    query: dict[str, str | None]


def _has(text: str, keyword: str) -> bool:
    if keyword.isascii():
        return re.search(rf"(?<![A-Za-z0-9]){re.escape(keyword)}(?![A-Za-z0-9])", text, re.IGNORECASE) is not None
    return keyword in text


def _elements_in(pack: Pack, text: str) -> set[str]:
    """Elements a description names: by name, or as a symbol inside a formula-like token (NdFeB, Tb)."""
    found = {el.symbol for el in pack.elements.values() if _has(text, el.name_en) or el.name_zh in text}
    for token in re.findall(r"[A-Za-z0-9]+", text):
        if _FORMULA.match(token):
            found |= {s for s in re.findall(r"[A-Z][a-z]?", token) if s in pack.elements}
    return found


def _element_pattern(pack: Pack) -> tuple[str, dict[str, str]]:
    """One alternation naming any element (symbols case-sensitive), and name -> symbol."""
    names: dict[str, str] = {}
    alts = []
    for el in sorted(pack.elements.values(), key=lambda e: -len(e.name_en)):
        names[el.name_en.lower()] = names[el.symbol] = names[el.name_zh] = el.symbol
        alts += [re.escape(el.name_en), re.escape(el.name_zh)]
    alts += [f"(?-i:{re.escape(s)})" for s in sorted(pack.elements, key=len, reverse=True)]
    return "(?:" + "|".join(alts) + ")", names


def _absent_in(pack: Pack, text: str) -> set[str]:
    """Elements a description says are absent: "Tb-free", "Tb- and Dy-free", "without Dy", "不含铽和镝"."""
    words = pack.absence_words
    if not words.before and not words.after:
        return set()
    el, names = _element_pattern(pack)
    edge_l, edge_r = r"(?<![A-Za-z0-9])", r"(?![a-z0-9])"
    joint = r"\s*-?\s*(?:,|/|and|or|、|和|或|及)\s*"
    listing = rf"{el}{edge_r}(?:-?{joint}{el}{edge_r})*"
    found: set[str] = set()
    patterns = []
    if words.before:
        before = "|".join(re.escape(w) for w in sorted(words.before, key=len, reverse=True))
        patterns.append(rf"(?:{edge_l}|(?<=[^\x00-\x7f]))(?:{before})\s*({listing})")
    if words.after:
        after = "|".join(re.escape(w.lstrip("-")) for w in sorted(words.after, key=len, reverse=True))
        patterns.append(rf"{edge_l}({listing})\s*-?\s*(?:{after})(?![A-Za-z])")
    for pattern in patterns:
        for m in re.finditer(pattern, text, re.IGNORECASE):
            for name in re.findall(el, m.group(1), re.IGNORECASE):
                symbol = names.get(name) or names.get(name.lower())
                if symbol:
                    found.add(symbol)
    return found


def _normalise(pack: Pack, element, form, hs_code, description, code):
    if element is not None and element.strip():
        symbol = pack.element_symbol(element)
        if symbol is None:
            known = ", ".join(pack.elements)
            raise InvalidInput(f"unknown element {element.strip()!r}: give a rare-earth element symbol or name, one of {known}",
                               field="element")
        element = symbol
    else:
        element = None
    if form is not None and form.strip():
        f = form.strip().lower().replace("-", "_").replace(" ", "_")
        if f not in pack.forms:
            raise InvalidInput(f"unknown form {form.strip()!r}: expected one of {', '.join(pack.forms)}", field="form")
        form = f
    else:
        form = None
    if hs_code is not None and hs_code.strip():
        digits = re.sub(r"[\s.]", "", hs_code)
        if not re.fullmatch(r"\d{4,10}", digits):
            raise InvalidInput(f"customs code {hs_code.strip()!r} must be 4 to 10 digits, e.g. 2846901940", field="hs_code")
        hs_code = digits
    else:
        hs_code = None
    description = description.strip() if description and description.strip() else None
    if description is not None and len(description) > 2000:
        raise InvalidInput("description is longer than 2000 characters", field="description")
    if code is not None and code.strip():
        code = code.strip()
        if pack.entry(code) is None:
            raise InvalidInput(f"unknown control code {code!r}: not an entry of pack {pack.id}", field="code")
    else:
        code = None
    if not any((element, form, hs_code, description, code)):
        raise InvalidInput("give at least one of element, form, hs_code, description or code", field="description")
    return element, form, hs_code, description, code


def _prefix_hit(codes: list[str], hs: str) -> list[str]:
    return [c for c in codes if c.startswith(hs) or hs.startswith(c)]


def _hs_hits(entry: ControlEntry, hs: str) -> list[str]:
    return _prefix_hit([c.code for c in entry.customs_codes], hs)


@dataclass
class _Query:
    pack: Pack
    on: dt.date
    element: str | None
    form: str | None
    hs_code: str | None
    description: str | None
    code: str | None
    #: Elements the description names as present, and as absent.
    present: set[str] = field(default_factory=set)
    absent: set[str] = field(default_factory=set)
    #: Forms the description suggests (only when no form is given).
    forms: set[str] = field(default_factory=set)

    def says(self, word: str) -> bool:
        return self.description is not None and _has(self.description, word)

    @classmethod
    def parse(cls, pack: Pack, on: dt.date, element, form, hs_code, description, code) -> _Query:
        q = cls(pack, on, element, form, hs_code, description, code)
        if description:
            q.absent = _absent_in(pack, description)
            q.present = _elements_in(pack, description) - q.absent - ({element} if element else set())
            if not form:
                q.forms = {f.code for f in pack.forms.values() if any(_has(description, k) for k in f.keywords)}
                if "technology" in q.forms:  # technology about magnets is technology, not magnets
                    q.forms = {"technology"}
        return q


@dataclass
class _Mixed:
    record: MixedGoods
    matched_on: list[str]
    #: entry code -> its candidate terms (explicit, or defaults for a shared reference code)
    candidates: dict[str, MixedCandidate]


def _mixed_goods(q: _Query) -> list[_Mixed]:
    """The mixed_goods records the query names, by customs code or by a word of the description."""
    out = []
    for g in q.pack.mixed_goods.values():
        on_ = []
        if q.hs_code and _prefix_hit(g.customs_codes, q.hs_code):
            on_.append("hs_code")
        if any(q.says(k) for k in g.keywords):
            on_.append("goods_kind")
        if not on_:
            continue
        cands = dict(g.candidates)
        for e in q.pack.entries:
            if e.code not in cands and any(c.shared_with_uncontrolled and c.code in g.customs_codes for c in e.customs_codes):
                cands[e.code] = MixedCandidate(entry=e.code)
        out.append(_Mixed(g, on_, cands))
    return out


@dataclass
class _Hit:
    entry: ControlEntry
    matched_on: list[str]
    mixed: _Mixed | None = None
    terms: MixedCandidate | None = None

    @property
    def decided(self) -> bool:
        return bool(DECIDING & set(self.matched_on))


def _why_out(q: _Query, e: ControlEntry, mixed: _Mixed | None, terms: MixedCandidate | None) -> str | None:
    """Why the query rules ``e`` out (None: it does not)."""
    composition = mixed is not None and mixed.record.decided_by == "composition"
    contains = (terms.contains if terms and terms.contains else [e.element] if e.element else [])
    if q.form and e.form != q.form:
        return f"the form given is {q.form}, the entry's is {e.form}"
    if q.forms and e.form not in q.forms:
        return f"the description names the form {', '.join(sorted(q.forms))}, the entry's is {e.form}"
    if contains and all(el in q.absent for el in contains):
        return f"the description says {', '.join(contains)} is absent"
    if terms:
        said = [w for w in terms.ruled_out_by if q.says(w)]
        if said:
            return f"the description names {said[0]}"
    if e.element is not None and not composition:
        if q.element and e.element != q.element and e.element not in q.present:
            return f"the element given is {q.element}"
        if q.present and e.element not in q.present and e.element != q.element:
            return f"the description names {', '.join(sorted(q.present))}, not {e.element}"
    return None


def _match_entries(q: _Query, mixed: list[_Mixed]) -> tuple[list[_Hit], list[RuledOut]]:
    proposed = {code: (m, t) for m in mixed for code, t in m.candidates.items()}
    hits, ruled_out = [], []
    for e in q.pack.entries:
        if q.code is not None:
            if e.code == q.code:
                hits.append(_Hit(e, ["code"]))
            continue
        m, terms = proposed.get(e.code, (None, None))
        why = _why_out(q, e, m, terms)
        if why is not None:
            if m is not None:
                ruled_out.append(RuledOut(code=e.code, reason=why))
            continue
        on_: list[str] = []
        if q.element and e.element == q.element:
            on_.append("element")
        elif e.element is not None and e.element in q.present:
            on_.append("description")
        if q.form:
            on_.append("form")
        if q.description and e.keywords and "description" not in on_ and any(q.says(k) for k in e.keywords):
            on_.append("description")
        if q.hs_code and _hs_hits(e, q.hs_code) and "hs_code" not in on_:
            on_.append("hs_code")
        if m is not None:
            on_ += [x for x in m.matched_on if x not in on_]
        if on_:
            hits.append(_Hit(e, on_, m, terms))
    return hits, ruled_out


def _candidate(pack: Pack, h: _Hit) -> Candidate:
    e = h.entry
    if h.mixed is not None:
        t = h.terms
        decided_by = h.mixed.record.decided_by
        en = (t.if_en if t and t.if_en else f"the goods are: {e.description_en}")
        zh = (t.if_zh if t and t.if_zh else f"物项为：{e.description_zh}")
    elif "hs_code" in h.matched_on or e.element is None:
        decided_by, en, zh = ("description", f"the goods are: {e.description_en} (a customs code is given for reference only)",
                              f"物项为：{e.description_zh}（海关商品编号仅供参考）")
    else:
        el = pack.elements[e.element]
        decided_by, en, zh = ("element", f"the item's element is {e.element} ({el.name_en})",
                              f"物项所含元素为{e.element}（{el.name_zh}）")
    return Candidate.of(pack, e, matched_on=h.matched_on, decided_by=decided_by, decides_en=en, decides_zh=zh)


# --- the technology catalogue -----------------------------------------------------------------


def _technology(q: _Query) -> tuple[list[TechnologyMatch], list[TechnologyMatch], list[TechnologyNotListed]]:
    pack, on = q.pack, q.on
    cat = pack.technology_catalogue
    if q.form and q.form != "technology":
        return [], [], []
    coded = pack.entry(q.code) if q.code else None
    if coded is not None and coded.form != "technology":
        return [], [], []
    topic = bool(q.element or q.present or coded) or any(q.says(k) for k in cat.topic_keywords)
    by_word = {ce.code for ce in cat.entries if q.description and topic and any(q.says(k) for k in ce.keywords)}
    if q.forms and "technology" not in q.forms and not by_word:
        return [], [], []
    technology_named = q.form == "technology" or "technology" in q.forms or coded is not None
    decided, candidates, not_listed = [], [], []
    for ce in cat.entries:
        if ce.code in by_word:
            on_ = ["description"]
        elif by_word:
            continue  # the description named the technology: the others are not candidates
        elif coded is not None and coded.code in ce.control_codes:
            on_ = ["code"]
        elif technology_named and (topic or not q.description):
            on_ = ["form"]
        else:
            continue
        match = _listed(pack, ce, on, on_)
        if isinstance(match, TechnologyNotListed):
            not_listed.append(match)
        elif on_ == ["description"]:
            decided.append(match)
        else:
            candidates.append(match.model_copy(update={"decides_en": f"whether the technology is: {ce.description_en}"}))
    return decided, candidates, not_listed


def _listed(pack: Pack, ce: CatalogueEntry, on: dt.date, matched_on: list[str]) -> TechnologyMatch | TechnologyNotListed:
    found = pack.catalogue_listing(ce, on)
    if found is None:
        first = pack.first_listed(ce)
        since = f"from {first.effective_from} ({first.legal_ref})" if first.effective_from else f"in {first.legal_ref}"
        return TechnologyNotListed(code=ce.code, description_en=ce.description_en, matched_on=matched_on,
                                   reason=f"not in the catalogue as it stood on {on}; listed {since}")
    rev, listing = found
    cat = pack.technology_catalogue.categories[listing.category]
    return TechnologyMatch(
        code=ce.code, description_en=ce.description_en, description_zh=ce.description_zh, category=listing.category,
        effect=cat.effect, licence_en=cat.licence_en, licence_zh=cat.licence_zh, revision=rev.code,
        legal_ref=f"{rev.legal_ref}: {pack.technology_catalogue.instrument.title_en}, {listing.category} part",
        legal_ref_zh=f"{rev.legal_ref}：《{pack.technology_catalogue.instrument.title_zh}》{CATEGORY_ZH[listing.category]}部分",
        confidence=listing.confidence, listed_since=rev.effective_from, matched_on=matched_on,
    )


# --- the answer -------------------------------------------------------------------------------


def classify(
    pack: Pack,
    *,
    on: dt.date,
    hs_code: str | None = None,
    element: str | None = None,
    form: str | None = None,
    description: str | None = None,
    code: str | None = None,
) -> Classification:
    """What the item is, or may be, on ``on``; raises InvalidInput for an unknown element, form or code or a bad customs code."""
    q = _Query.parse(pack, on, *_normalise(pack, element, form, hs_code, description, code))
    # A code decides by itself; technology is not goods, so kinds of goods do not apply to it.
    mixed = _mixed_goods(q) if q.code is None and "technology" not in ({q.form} | q.forms) else []
    hits, ruled_out = _match_entries(q, mixed)

    entries, candidates, not_in_force = [], [], []
    for h in hits:
        st = pack.status(h.entry, on)
        if not st.in_force:
            not_in_force.append(MatchedNotInForce.of_status(pack, h.entry, st, matched_on=h.matched_on))
        elif h.decided:
            entries.append(MatchedEntry.of(pack, h.entry, matched_on=h.matched_on))
        else:
            candidates.append(_candidate(pack, h))
    if entries:  # decided: a candidate of the same kind of goods is one more entry it may also fall under
        candidates = [c for c in candidates if c.decided_by == "composition"]
    technology, tech_candidates, tech_not_listed = _technology(q)

    if entries or technology:
        controlled: bool | None = True
    elif candidates or tech_candidates:
        controlled = None
    else:
        controlled = False
    if any(t.effect == "prohibited" for t in technology):
        prohibited: bool | None = True
    elif any(t.effect == "prohibited" for t in tech_candidates):
        prohibited = None
    else:
        prohibited = False

    kinds = [GoodsKind(code=m.record.code, label_en=m.record.label_en, label_zh=m.record.label_zh,
                       decided_by=m.record.decided_by, decides_en=m.record.decides_en, decides_zh=m.record.decides_zh,
                       outside_en=m.record.outside_en, outside_zh=m.record.outside_zh, legal_ref=m.record.legal_ref, confidence=m.record.confidence,
                       matched_on=m.matched_on) for m in mixed]
    result = Classification(
        controlled=controlled, prohibited=prohibited, entries=entries, candidates=candidates, ruled_out=ruled_out,
        goods_kinds=kinds, not_in_force=not_in_force, technology=technology, technology_candidates=tech_candidates,
        technology_not_listed=tech_not_listed, on=on, pack=pack.id, pack_reviewed_until=pack.reviewed_until,
        caveat=pack.caveat(on), caveat_zh=_zh(pack.caveat_said(on)), notes=[],
        query={"element": q.element, "form": q.form, "hs_code": q.hs_code, "description": q.description, "code": q.code},
    )
    notes = _notes(pack, q, hits, result)
    result.notes, result.notes_zh = [n.en for n in notes], [n.zh for n in notes]
    return result


def _zh(said: Said | None) -> str | None:
    return said.zh if said else None


def _notes(pack: Pack, q: _Query, hits: list[_Hit], r: Classification) -> list[Said]:
    notes: list[Said] = []
    weak = [h for h in hits if not h.decided and q.hs_code and _hs_hits(h.entry, q.hs_code)]
    if weak:
        codes = ", ".join(h.entry.code for h in weak)
        notes.append(Said(
            f"A customs code never decides control on its own; the item description does. {q.hs_code} matched only "
            f"reference codes of {codes}.",
            f"海关商品编号本身从不决定是否受管制，起决定作用的是物项描述。{q.hs_code}仅与{codes}的参考编号相符。"))
        shared = sorted({c.code for h in weak for c in h.entry.customs_codes
                         if c.shared_with_uncontrolled and c.code in _hs_hits(h.entry, q.hs_code or "")})
        if shared:
            notes.append(Said(f"Customs code {', '.join(shared)} is also used for goods that are not controlled.",
                              f"海关商品编号{'、'.join(shared)}也用于不受管制的货物。"))
    elif q.hs_code and hits and not any("hs_code" in h.matched_on for h in hits):
        notes.append(Said(
            f"Customs code {q.hs_code} is not among the reference codes of the matched entries; reference codes "
            "are indicative only, so check the declaration.",
            f"海关商品编号{q.hs_code}不在所匹配编码的参考编号之列；参考编号仅供参考，请核对报关单。"))
    if hits and all(h.matched_on == ["form"] for h in hits) and any(h.entry.element for h in hits):
        notes.append(Said("Matched on form alone; give the element to narrow the result.",
                          "仅按形态匹配；请注明元素以缩小结果范围。"))
    for k in r.goods_kinds:
        if r.controlled is None:
            notes.append(Said(f"Undetermined: {k.label_en}: this covers controlled and uncontrolled goods alike. What decides: "
                              f"{k.decides_en} ({k.legal_ref}; {k.confidence})",
                              f"尚未确定：{k.label_zh}既包括受管制货物，也包括不受管制货物。决定因素：{k.decides_zh}"
                              f"（{k.legal_ref}）"))
        if k.outside_en and r.controlled is False:
            notes.append(Said(k.outside_en, k.outside_zh or k.outside_en))
    if r.controlled is None and not r.goods_kinds and r.candidates:
        notes.append(Said("Undetermined: the query does not decide between the candidates; see what decides each.",
                          "尚未确定：所给信息不足以在候选编码之间作出判断；请查看每个候选编码的决定因素。"))
    listed = {e.element for e in pack.entries if e.element}
    wanted = ({q.element} if q.element else set()) | q.present
    if not any(h.entry.element for h in hits) and "technology" not in ({q.form} | q.forms):
        for sym in sorted(wanted - listed):
            el = pack.elements[sym]
            notes.append(Said(
                f"{sym} ({el.name_en}, {el.name_zh}) is not itself on the control list of pack {pack.id}; goods that "
                "also contain a listed element (for example Tb or Dy in NdFeB magnets) are classified by that element.",
                f"{sym}（{el.name_zh}）本身未列入{pack.id}政策包的管控清单；同时含有所列元素的货物"
                "（例如钕铁硼磁体中的铽或镝）按该元素归类。"))
    if q.description:
        seen: set[str] = set()
        for h in hits:
            for n in h.entry.notes:
                note = pack.notes[n]
                if n not in seen and any(q.says(k) for k in note.outside_keywords):
                    seen.add(n)
                    notes.append(Said(f"{note.text_en} ({note.legal_ref}; {note.confidence})",
                                      f"{note.text_zh}（{note.legal_ref}）"))
    notes += _technology_notes(pack, r)
    if r.controlled is False:
        notes.append(Said(f"No listed entry in force matches. {pack.catch_all.text_en} ({pack.catch_all.legal_ref})",
                          f"没有有效的清单编码与之相符。{pack.catch_all.text_zh}（{pack.catch_all.legal_ref}）"))
    return notes


def _technology_notes(pack: Pack, r: Classification) -> list[Said]:
    notes: list[Said] = []
    cat = pack.technology_catalogue
    for t in r.technology:
        c = cat.categories[t.category]
        what = Said("may not be exported at all", "一律不得出口") if t.effect == "prohibited" \
            else Said(f"needs a {c.licence_en} to be exported", f"须取得{c.licence_zh or c.licence_en}方可出口")
        notes.append(Said(f"Technology catalogue: {t.description_en} is {c.label_en.lower()} ({t.legal_ref}; {t.confidence}): "
                          f"it {what.en}, independently of the dual-use control list.",
                          f"技术目录：{t.description_zh}属于{c.label_zh}（{t.legal_ref_zh or t.legal_ref}）：{what.zh}，"
                          "与两用物项管控清单无关。"))
        if t.listed_since is None:
            rev = cat.revisions[t.revision]
            notes.append(Said(f"{rev.label_en}: the pack does not know since when it listed this technology "
                              f"({rev.legal_ref}; effective_from unconfirmed).",
                              f"{rev.label_zh}：政策包不掌握其自何时起列入该技术（{rev.legal_ref}；生效日期未经确认）。"))
    suspended = [e for e in r.not_in_force if e.status == "suspended" and e.form == "technology"]
    if (r.technology or r.technology_candidates) and suspended:
        codes = [e.code for e in suspended]
        notes.append(Said(f"{', '.join(codes)} is suspended ({suspended[0].reason}); the technology "
                          f"catalogue is a separate instrument and the suspension does not touch it.",
                          f"{'、'.join(codes)}暂停实施；技术目录是另一项文件，不受该暂停影响。"))
    return notes
