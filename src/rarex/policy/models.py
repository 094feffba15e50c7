"""The regime as typed data: what a policy pack's YAML may say, and the loaded :class:`Pack`.

Policy is data (DESIGN.md rule 4): control entries, licence types, deadlines and documents
live in YAML with a legal reference and a confidence on every fact, so a rule in code reads
the pack instead of hard-coding a code or a date. Models forbid unknown fields and parse
strictly (a date must be a YAML date, a number a YAML number), so a typo fails loudly at load
time instead of silently changing the law.

Dated rules follow OpenFisca's idea of dated parameters: an entry carries
``effective_from``/``effective_to``; a suspension is a separate dated amendment, never an edit.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from typing import Annotated, Any, ClassVar, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, Strict, computed_field, field_validator, model_validator

from rarex.core.bilingual import Said

Confidence = Literal["confirmed", "reported", "unconfirmed"]
Date = Annotated[dt.date, Strict()]
Code = Annotated[str, Field(min_length=1, max_length=64)]
ONE_DAY = dt.timedelta(days=1)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, populate_by_name=True, serialize_by_alias=True)

    #: Fields written in YAML as a mapping keyed by each item's code: field -> the item's key attribute.
    keyed_fields: ClassVar[dict[str, str]] = {}

    @model_validator(mode="before")
    @classmethod
    def _fill_keys(cls, data: Any) -> Any:
        return keyed(data, cls.keyed_fields)

    @field_validator("*")
    @classmethod
    def _keys_match(cls, v: Any, info) -> Any:
        attr = cls.keyed_fields.get(info.field_name or "")
        if attr and isinstance(v, dict):
            for k, item in v.items():
                if getattr(item, attr) != k:
                    raise ValueError(f"{k}: {attr} {getattr(item, attr)!r} differs from its key")
        return v


class _Sourced(_Model):
    """A fact with its legal reference and how sure we are of it."""

    legal_ref: str = Field(min_length=1)
    confidence: Confidence
    #: Per-field confidence where a field is less certain than the fact as a whole.
    field_confidence: dict[str, Confidence] = {}

    @field_validator("field_confidence")
    @classmethod
    def _fields_exist(cls, v: dict[str, Confidence]) -> dict[str, Confidence]:
        names = set(cls.model_fields) | {f.alias for f in cls.model_fields.values() if f.alias}
        unknown = sorted(set(v) - names)
        if unknown:
            raise ValueError(f"names no field of this record: {', '.join(unknown)}")
        return v


def not_before(v: dt.date | None, info: Any, start_field: str, start_name: str | None = None) -> dt.date | None:
    """A validator's body: an end date may not lie before the start date validated before it."""
    start = info.data.get(start_field)
    if v is not None and start is not None and v < start:
        raise ValueError(f"{info.field_name} {v} is before {start_name or start_field} {start}")
    return v


def keyed(data: Any, fields: dict[str, str]) -> Any:
    """Fill each item's key field (``code``, ``symbol``) from its mapping key in the YAML."""
    if not isinstance(data, dict):
        return data
    data = dict(data)
    for field, key_name in fields.items():
        items = data.get(field)
        if isinstance(items, dict):
            data[field] = {
                k: ({key_name: k, **v} if isinstance(v, dict) and key_name not in v else v) for k, v in items.items()
            }
    return data


# --- pack.yaml, announcements.yaml --------------------------------------------------------


class LegalBasis(_Sourced):
    code: Code
    title_zh: str
    title_en: str
    adopted: Date | None = None
    effective_from: Date
    notes_en: str | None = None


class Announcement(_Sourced):
    code: Annotated[str, Field(pattern=r"^\d{4}-\d{1,3}$")]
    issuers: list[str] = Field(min_length=1)
    subject_zh: str
    subject_en: str
    published: Date
    effective_from: Date
    notes_en: str | None = None


# --- control_list.yaml ----------------------------------------------------------------------


class Element(_Model):
    symbol: Annotated[str, Field(pattern=r"^[A-Z][a-z]?$")]
    name_en: str
    name_zh: str


class Form(_Model):
    code: Code
    label_en: str
    label_zh: str
    #: Words in an item description that suggest this form.
    keywords: list[str] = []


class Note(_Sourced):
    code: Code
    text_en: str
    text_zh: str
    #: Words in an item description that suggest the item is outside the entries carrying this note.
    outside_keywords: list[str] = []


class CustomsCode(_Model):
    code: Annotated[str, Field(pattern=r"^\d{4,10}$")]
    #: Customs codes never decide control; the announcements give them for reference only.
    reference_only: Literal[True]
    confidence: Confidence
    #: The code also covers goods that are not controlled.
    shared_with_uncontrolled: bool = False


class ControlEntry(_Sourced):
    code: Annotated[str, Field(pattern=r"^\d[A-Z]\d{3}(\.[a-z])?$")]
    element: str | None
    form: str
    description_en: str
    description_zh: str
    customs_codes: list[CustomsCode]
    announcement: str
    effective_from: Date
    effective_to: Date | None = None
    notes: list[str] = []
    #: Words in an item description that point to this entry (for entries not tied to an element).
    keywords: list[str] = []

    _ends_after_start = field_validator("effective_to")(lambda v, info: not_before(v, info, "effective_from"))


class MixedCandidate(_Model):
    """One control entry that goods of a :class:`MixedGoods` kind may or may not fall under."""

    entry: Code
    #: When the goods fall under the entry, in words ("it contains terbium, in any amount");
    #: default: the entry's own description.
    if_en: str | None = None
    if_zh: str | None = None
    #: Elements whose presence puts the goods under the entry, and whose stated absence rules
    #: it out; default: the entry's element.
    contains: list[str] = []
    #: Words in an item description that rule this candidate out ("NdFeB" rules out SmCo).
    ruled_out_by: list[str] = []


class MixedGoods(_Sourced):
    """A kind of goods that a customs code or a word names, covering controlled and uncontrolled
    goods alike: naming it proposes candidate entries, never decides between them.

    ``decided_by`` says what does. ``composition``: a listed element present in any amount puts
    the goods under an entry, so naming the main elements (NdFeB) rules nothing out; only a
    stated absence (Tb-free, 不含铽) or a ``ruled_out_by`` word does. ``description``: the
    goods are what the description names, so a description naming other elements rules a
    candidate out. Entries whose reference customs code is marked ``shared_with_uncontrolled``
    are candidates of the record that lists that code, without being named here.
    """

    code: Code
    label_en: str
    label_zh: str
    customs_codes: list[Annotated[str, Field(pattern=r"^\d{4,10}$")]] = []
    #: Words in an item description that name this kind of goods.
    keywords: list[str] = []
    decided_by: Literal["composition", "description"]
    decides_en: str
    decides_zh: str
    #: What of this kind is not on the list, in words.
    outside_en: str | None = None
    outside_zh: str | None = None
    candidates: dict[str, MixedCandidate] = {}

    keyed_fields: ClassVar[dict[str, str]] = {"candidates": "entry"}

    @model_validator(mode="after")
    def _named_somehow(self):
        if not self.customs_codes and not self.keywords:
            raise ValueError("give customs_codes or keywords: how an item is recognised as this kind of goods")
        return self


# --- technology_catalogue.yaml ---------------------------------------------------------------


class CatalogueInstrument(_Sourced):
    code: Code
    title_zh: str
    title_en: str
    notes_en: str | None = None


class CatalogueCategory(_Sourced):
    """A part of the catalogue and what it means for an export."""

    code: Literal["prohibited", "restricted"]
    #: prohibited: may not be exported at all; licence: needs the licence named here.
    effect: Literal["prohibited", "licence"]
    label_en: str
    label_zh: str
    licence_en: str | None = None
    licence_zh: str | None = None

    @model_validator(mode="after")
    def _licence_named(self):
        if (self.effect == "licence") != (self.licence_en is not None):
            raise ValueError("name licence_en exactly when the effect is licence")
        return self


class CatalogueRevision(_Sourced):
    """The whole catalogue as one announcement set it, in force until the next revision."""

    code: Code
    label_en: str
    label_zh: str
    published: Date | None = None
    #: None: the pack does not know when this text took effect; it is applied to every date
    #: before the next revision.
    effective_from: Date | None
    notes_en: str | None = None


class CatalogueListing(_Model):
    """How one revision lists an entry."""

    category: Literal["prohibited", "restricted"]
    confidence: Confidence
    notes_en: str | None = None


class CatalogueEntry(_Model):
    code: Code
    description_en: str
    description_zh: str
    #: Words in an item description that name this technology.
    keywords: list[str] = Field(min_length=1)
    #: Control-list entries that cover the same technology (an item classified under one of
    #: them may be this technology: a candidate).
    control_codes: list[str] = []
    #: revision code -> the listing; a revision that does not name the entry does not list it.
    listings: dict[str, CatalogueListing] = Field(min_length=1)


class TechnologyCatalogueFile(_Model):
    instrument: CatalogueInstrument
    categories: dict[str, CatalogueCategory]
    revisions: dict[str, CatalogueRevision]
    #: Words that make a technology description one about the catalogue's subject here (rare
    #: earths); any element of the control list counts too.
    topic_keywords: list[str] = []
    entries: list[CatalogueEntry]

    keyed_fields: ClassVar[dict[str, str]] = {"categories": "code", "revisions": "code"}

    @field_validator("revisions")
    @classmethod
    def _one_open_start(cls, v: dict[str, CatalogueRevision]) -> dict[str, CatalogueRevision]:
        if sum(r.effective_from is None for r in v.values()) > 1:
            raise ValueError("at most one revision may have an unknown effective_from (the earliest)")
        dates = [r.effective_from for r in v.values() if r.effective_from is not None]
        if len(dates) != len(set(dates)):
            raise ValueError("two revisions take effect on the same day")
        return v


# --- amendments.yaml --------------------------------------------------------------------------


class Amendment(_Sourced):
    code: Code
    kind: Literal["suspension"]
    announcement: str
    description_en: str
    description_zh: str
    suspends_announcements: list[str] = Field(min_length=1)
    from_: Date = Field(alias="from")
    until: Date | None = None
    #: Whether ``until`` is itself inside the suspension.
    until_inclusive: bool

    _ends_after_start = field_validator("until")(lambda v, info: not_before(v, info, "from_", "from"))

    @property
    def last_day(self) -> dt.date | None:
        """The last date the amendment applies on (None: open-ended)."""
        if self.until is None:
            return None
        return self.until if self.until_inclusive else self.until - ONE_DAY

    def active_on(self, on: dt.date) -> bool:
        return self.from_ <= on and (self.last_day is None or on <= self.last_day)


# --- licence_types.yaml -----------------------------------------------------------------------


class Condition(_Sourced):
    """A condition of a licence type, with the thresholds its evaluator reads.

    The evaluation itself is code (:mod:`rarex.eligibility.service`, one evaluator per code);
    every number it compares against is here, so a changed reading of the law is a pack edit.
    A threshold less certain than the condition carries its own ``field_confidence``.
    """

    code: Code
    kind: Literal["eligibility", "exclusion"]
    subject: Literal["exporter", "party"]
    label_en: str
    label_zh: str
    #: Only events decided within this many years before the evaluation date count.
    lookback_years: int | None = Field(default=None, ge=1)
    #: An audit of the compliance system at most this many months old shows it is working
    #: well; an older audit (or none) leaves the judgment to an officer.
    max_audit_age_months: int | None = Field(default=None, ge=1, le=120)
    #: The fewest whole years of exporting dual-use items that count as an export record.
    min_export_years: int | None = Field(default=None, ge=1, le=100)
    #: For a party condition about a restricted-party list: the list's name as rarex imports it
    #: (``rarex screening import FILE --list NAME``); the parties are screened against it.
    party_list: Annotated[str, Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=80)] | None = None


class RegistrationCase(_Model):
    code: Code
    label_en: str
    label_zh: str
    legal_ref: str = Field(min_length=1)


def _add_months(d: dt.date, months: int) -> dt.date:
    """The same calendar day ``months`` later; the 1st of the next month when it does not exist."""
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    try:
        return d.replace(year=year, month=month)
    except ValueError:
        return (dt.date(year, month, 28) + dt.timedelta(days=4)).replace(day=1)


class UsageReport(_Sourced):
    """How often a holder reports the use of a licence (DUR Art. 18 para. 1).

    Periods are calendar periods of ``period_months`` starting 1 January in the pack's time
    zone (so reports of different licences line up), clipped to the licence's validity.
    """

    period_months: int

    @field_validator("period_months")
    @classmethod
    def _divides_year(cls, v: int) -> int:
        if v not in (1, 2, 3, 4, 6, 12):
            raise ValueError(f"period_months must divide a year (1, 2, 3, 4, 6 or 12), not {v}")
        return v

    def period_of(self, on: dt.date) -> tuple[dt.date, dt.date]:
        """The first and last day of the reporting period that contains ``on``."""
        start = dt.date(on.year, (on.month - 1) // self.period_months * self.period_months + 1, 1)
        return start, _add_months(start, self.period_months) - ONE_DAY


class LicenceType(_Sourced):
    code: Code
    label_en: str
    label_zh: str
    kind: Literal["licence", "registration"]
    #: None for a per-shipment registration, which has no validity period of its own.
    max_validity_months: int | None = Field(ge=1)
    default_validity_months: int | None = Field(ge=1)
    max_end_users: int | None = Field(ge=1)
    repeated_exports: bool
    ends_when_used: bool
    per_shipment: bool
    eligibility: list[str] = []
    exclusions: list[str] = []
    cases: dict[str, RegistrationCase] = {}
    #: The holder's periodic report of use; None: the pack sets no period for this type.
    usage_report: UsageReport | None = None
    #: The ``{series}`` of this type's licence numbers (pack.yaml ``licence_number``); every
    #: type of kind licence has one, and no two types share one (their numbers would collide).
    number_series: Annotated[str, Field(pattern=r"^[A-Z0-9]{1,4}$")] | None = None
    description_en: str
    description_zh: str

    keyed_fields: ClassVar[dict[str, str]] = {"cases": "code"}

    @model_validator(mode="after")
    def _numbered(self):
        if self.kind == "licence" and self.number_series is None:
            raise ValueError("a licence type needs number_series: the letters its licence numbers carry")
        return self

    @field_validator("default_validity_months")
    @classmethod
    def _default_within_max(cls, v, info):
        top = info.data.get("max_validity_months")
        if (v is None) != (top is None) and "max_validity_months" in info.data:
            raise ValueError("set both max_validity_months and default_validity_months, or neither")
        if v is not None and top is not None and v > top:
            raise ValueError(f"default {v} exceeds max_validity_months {top}")
        return v

    def valid_to(self, valid_from: dt.date, months: int | None = None) -> dt.date:
        """Last day of validity: the day before the same calendar day ``months`` later."""
        if self.max_validity_months is None:
            raise ValueError(f"a {self.code} has no validity period")
        months = self.default_validity_months if months is None else months
        if months < 1:
            raise ValueError("validity must be at least 1 month")
        if months > self.max_validity_months:
            raise ValueError(f"a {self.code} may be valid for at most {self.max_validity_months} months, not {months}")
        return _add_months(valid_from, months) - ONE_DAY


# --- deadlines.yaml ---------------------------------------------------------------------------


class DeadlineRule(_Sourced):
    working_days: int = Field(ge=0)
    counted_from: str
    label_en: str
    label_zh: str


class AcceptanceRule(DeadlineRule):
    """Accept, or ask for every correction at once, within ``working_days`` of receipt; else the
    request is deemed accepted (Administrative Licensing Law Art. 32)."""

    counted_from: Literal["receipt"]
    #: The day a request nobody accepted or returned in time counts as accepted.
    deemed_accepted_on: Literal["receipt"]


class ClockStopKind(_Sourced):
    code: Code
    label_en: str
    label_zh: str


class NoDeadlineCase(ClockStopKind):
    pass


class Deadlines(_Model):
    acceptance: AcceptanceRule
    decision: DeadlineRule
    amendment: DeadlineRule
    clock_stop_kinds: dict[str, ClockStopKind]
    no_deadline_cases: dict[str, NoDeadlineCase]

    keyed_fields: ClassVar[dict[str, str]] = {"clock_stop_kinds": "code", "no_deadline_cases": "code"}

    @computed_field
    @property
    def decision_working_days(self) -> int:
        return self.decision.working_days

    @computed_field
    @property
    def amendment_working_days(self) -> int:
        return self.amendment.working_days


# --- documents.yaml ---------------------------------------------------------------------------


class DocumentType(_Sourced):
    code: Code
    label_en: str
    label_zh: str
    notes_en: str | None = None
    #: A condition code (licence_types.yaml) under which this document becomes required.
    required_when: str | None = None


class DocumentRequirement(_Sourced):
    code: Code
    required: list[str]


#: A licence number appears in URLs and QR codes: letters, digits and - . _ only, like the column.
_NUMBER = re.compile(r"^[A-Za-z0-9._-]{1,40}$")
_NUMBER_FIELDS = {"series", "year", "seq"}


def render_licence_number(fmt: str, series: str, year: int, seq: int) -> str:
    return fmt.format(series=series, year=year, seq=seq)


def check_licence_number_format(fmt: str) -> None:
    """Refuse a format that would not give unique, URL-safe numbers of at most 40 characters."""
    try:
        fields = {name for _, name, _, _ in string.Formatter().parse(fmt) if name is not None}
    except ValueError as exc:
        raise ValueError(f"not a format: {exc}") from None
    if fields != _NUMBER_FIELDS:
        raise ValueError(f"use exactly the fields {{series}}, {{year}} and {{seq}} (found: {', '.join(sorted(fields)) or 'none'})")
    try:
        longest = render_licence_number(fmt, "ZZZZ", 2099, 999_999)
    except (ValueError, IndexError, KeyError) as exc:
        raise ValueError(f"cannot render a number: {exc}") from None
    if not _NUMBER.match(longest):
        raise ValueError(f"gives {longest!r}: numbers are at most 40 letters, digits, '-', '.' or '_'")


# --- grounds.yaml ----------------------------------------------------------------------------

#: What a senior officer may do to a licence after (or by) a suspension (DUR Art. 18 para. 4;
#: ECL Art. 35; DUR Art. 20 para. 2).
LicenceAction = Literal["suspend", "reinstate", "order_amendment", "withdraw", "revoke"]


class Ground(_Sourced):
    """A coded ground for acting on a licence, and the actions it can support.

    ``exclusion_conditions`` names the licence-type conditions (kind ``exclusion``) whose
    arising this ground stands for: when one arises for a holder, its general licences and
    registrations are suspended and their revocation proposed on this ground (DUR Art. 20).
    """

    code: Code
    label_en: str
    label_zh: str
    actions: list[LicenceAction] = Field(min_length=1)
    exclusion_conditions: list[Code] = []


class GroundsFile(_Model):
    grounds: dict[str, Ground]

    keyed_fields: ClassVar[dict[str, str]] = {"grounds": "code"}


# --- prohibitions.yaml -----------------------------------------------------------------------


#: A control entry code (``1C902.a``) or a prefix of one (``1C902``, ``1C``, ``1``).
EntryScope = Annotated[str, Field(pattern=r"^\d(?:[A-Z](?:\d{1,3}(?:\.[a-z])?)?)?$")]
#: An ISO 3166-1 alpha-2 country code.
CountryCode = Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
CategoryCode = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")]


class Category(_Model):
    """One value of a vocabulary a rule judges a deal by (an end user's category, an end use's)."""

    code: CategoryCode
    label_en: str
    label_zh: str
    description_en: str
    description_zh: str


class Prohibition(_Sourced):
    """A dated ban on exports (ECL Art. 10; DUR Art. 13): no licence can be granted for what it
    covers, and licences already issued cannot be used for it from ``effective_from``.

    It covers a deal when the deal's items fall in ``items``, its destination is one of
    ``destinations`` (empty: any) and the end user's category is among ``end_user_categories``
    OR the end use's category is among ``end_use_categories`` (a prohibition naming neither
    covers every end user and end use).
    """

    code: Code
    announcement: str
    effective_from: Date
    effective_to: Date | None = None
    #: ``all``: every dual-use item; else control entry codes or prefixes of codes.
    items: Literal["all"] | Annotated[list[EntryScope], Field(min_length=1)]
    destinations: list[CountryCode] = []
    end_user_categories: list[CategoryCode] = []
    end_use_categories: list[CategoryCode] = []
    description_en: str
    description_zh: str

    _ends_after_start = field_validator("effective_to")(lambda v, info: not_before(v, info, "effective_from"))

    @field_validator("items", mode="before")
    @classmethod
    def _all_or_list(cls, v: Any) -> Any:
        if not isinstance(v, list) and v != "all":
            raise ValueError("items must be 'all' (every dual-use item) or a list of control entry codes or prefixes")
        return v

    def active_on(self, on: dt.date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)

    def covers_item(self, entry_code: str) -> bool:
        return self.items == "all" or any(
            entry_code == scope or entry_code.startswith(scope if len(scope) < 5 else scope + ".")
            for scope in self.items
        )


# --- one model per file -----------------------------------------------------------------------


class Authority(_Sourced):
    """The body that decides licences, as a role (never a person): the signer of licence documents."""

    name_zh: str
    name_en: str


class PackFile(_Model):
    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")]
    name_zh: str
    name_en: str
    authority: Authority | None = None
    timezone: str
    calendar: str
    reviewed_until: Date
    #: How licence numbers are written: a format with ``{series}`` (the licence type's
    #: number_series), ``{year}`` (of the decision) and ``{seq}`` (the counter), e.g.
    #: ``CNDU-{series}{year}-{seq:06d}``.
    licence_number: str
    legal_bases: dict[str, LegalBasis]

    keyed_fields: ClassVar[dict[str, str]] = {"legal_bases": "code"}

    @field_validator("licence_number")
    @classmethod
    def _number_format(cls, v: str) -> str:
        check_licence_number_format(v)
        return v

    @field_validator("timezone")
    @classmethod
    def _zone(cls, v: str) -> str:
        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {v!r}") from exc
        return v

    @field_validator("calendar")
    @classmethod
    def _calendar(cls, v: str) -> str:
        import holidays

        if v not in holidays.list_supported_countries():
            raise ValueError(f"no holiday calendar for country {v!r}")
        return v


class AnnouncementsFile(_Model):
    announcements: dict[str, Announcement]

    keyed_fields: ClassVar[dict[str, str]] = {"announcements": "code"}


class AbsenceWords(_Model):
    """How a description says an element is absent: a word before it ("without Tb", "不含铽")
    or after it ("Tb-free")."""

    before: list[str] = []
    after: list[str] = []


class CatchAll(_Sourced):
    """When an unlisted item still needs a licence (ECL Art. 12 para. 3; DUR Art. 14 para. 3)."""

    text_en: str
    text_zh: str
    #: End-use categories (prohibitions.yaml) that are the catch-all's own cases: an unlisted
    #: item for such an end use needs a licence.
    end_use_categories: list[str] = []


class ControlListFile(_Model):
    elements: dict[str, Element]
    forms: dict[str, Form]
    notes: dict[str, Note] = {}
    catch_all: CatchAll
    absence_words: AbsenceWords = AbsenceWords()
    mixed_goods: dict[str, MixedGoods] = {}
    entries: list[ControlEntry]

    keyed_fields: ClassVar[dict[str, str]] = {"elements": "symbol", "forms": "code", "notes": "code", "mixed_goods": "code"}


class AmendmentsFile(_Model):
    amendments: list[Amendment] = []


class LicenceTypesFile(_Model):
    conditions: dict[str, Condition] = {}
    licence_types: dict[str, LicenceType]

    keyed_fields: ClassVar[dict[str, str]] = {"conditions": "code", "licence_types": "code"}


class MeasureEffect(_Sourced):
    """What a listing on a party list does to a deal with the listed party."""

    code: Code
    #: ban: no licence for the deal; special_approval: only with a senior officer's special approval.
    kind: Literal["ban", "special_approval"]
    label_en: str
    label_zh: str
    #: The exporter must report on a deal approved under this effect.
    report_required: bool


class PartyMeasure(_Sourced):
    """A restricted-party list whose listings act on deals (the control list: ECL Art. 18; DUR
    Arts. 28-30). It is imported under ``party_list`` and read as it stood on the date; each
    listing's effect is the entity's ``programs`` value naming an effect code, else ``default_effect``."""

    code: Code
    party_list: Annotated[str, Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=80)]
    label_en: str
    label_zh: str
    default_effect: Code
    effects: dict[str, MeasureEffect] = Field(min_length=1)

    keyed_fields: ClassVar[dict[str, str]] = {"effects": "code"}

    @model_validator(mode="after")
    def _default_known(self):
        if self.default_effect not in self.effects:
            raise ValueError(f"default_effect {self.default_effect!r} is not one of effects: {', '.join(self.effects)}")
        return self

    def effect_of(self, programs: list[str] | tuple[str, ...]) -> tuple[MeasureEffect, bool]:
        """The effect a listing's programs name (the strictest if several), and whether it was
        stated; the default effect when none names one."""
        stated = [self.effects[p.strip().lower()] for p in programs if p.strip().lower() in self.effects]
        if not stated:
            return self.effects[self.default_effect], False
        return sorted(stated, key=lambda e: e.kind != "ban")[0], True


class ProhibitionsFile(_Model):
    end_user_categories: dict[str, Category]
    end_use_categories: dict[str, Category]
    #: The category a party or an application takes when nobody has said (existing rows, imports).
    default_end_user_category: CategoryCode
    default_end_use_category: CategoryCode
    prohibitions: list[Prohibition] = []
    party_measures: dict[str, PartyMeasure] = {}

    keyed_fields: ClassVar[dict[str, str]] = {"end_user_categories": "code", "end_use_categories": "code",
                                              "party_measures": "code"}


class DocumentsFile(_Model):
    document_types: dict[str, DocumentType]
    requirements: dict[str, DocumentRequirement]

    keyed_fields: ClassVar[dict[str, str]] = {"document_types": "code", "requirements": "code"}


# --- the loaded pack --------------------------------------------------------------------------


class EntryStatus(BaseModel):
    """Whether an entry is in force on a date, and if not, why."""

    code: str
    on: dt.date
    in_force: bool
    status: Literal["in_force", "not_yet_effective", "suspended", "ended"]
    reason: str | None = None
    suspended_by: str | None = None
    suspended_through: dt.date | None = None


class Pack(BaseModel):
    """A loaded, cross-checked policy pack. Build it with :func:`rarex.policy.loader.load_pack`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    name_zh: str
    name_en: str
    timezone: str
    calendar: str
    reviewed_until: dt.date
    licence_number_format: str
    legal_bases: dict[str, LegalBasis]
    announcements: dict[str, Announcement]
    elements: dict[str, Element]
    forms: dict[str, Form]
    notes: dict[str, Note]
    catch_all: CatchAll
    absence_words: AbsenceWords
    mixed_goods: dict[str, MixedGoods]
    entries: list[ControlEntry]
    amendments: list[Amendment]
    technology_catalogue: TechnologyCatalogueFile
    conditions: dict[str, Condition]
    licence_types: dict[str, LicenceType]
    deadlines: Deadlines
    document_types: dict[str, DocumentType]
    document_requirements: dict[str, DocumentRequirement]
    end_user_categories: dict[str, Category]
    end_use_categories: dict[str, Category]
    default_end_user_category: str
    default_end_use_category: str
    prohibitions: list[Prohibition]
    party_measures: dict[str, PartyMeasure]
    grounds: dict[str, Ground] = {}
    #: Who decides and signs licences (pack.yaml ``authority``).
    authority: Authority | None = None

    _by_code: dict[str, ControlEntry] = PrivateAttr(default_factory=dict)

    def model_post_init(self, _context) -> None:
        self._by_code.update({e.code: e for e in self.entries})

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def today(self) -> dt.date:
        """Today in the pack's time zone (legal dates are dates there, not in UTC)."""
        return dt.datetime.now(self.tz).date()

    def licence_number(self, licence_type: str, year: int, seq: int) -> str:
        """The number of the ``seq``-th licence of a type issued in ``year``."""
        return render_licence_number(self.licence_number_format, self.licence_types[licence_type].number_series, year, seq)

    # control list

    def entry(self, code: str) -> ControlEntry | None:
        return self._by_code.get(code)

    def suspensions(self, entry: ControlEntry, on: dt.date) -> list[Amendment]:
        """Suspensions covering the entry's announcement that are active on ``on``."""
        return [
            a for a in self.amendments
            if a.kind == "suspension" and entry.announcement in a.suspends_announcements and a.active_on(on)
        ]

    def status(self, entry: ControlEntry | str, on: dt.date) -> EntryStatus:
        """In force iff effective on ``on`` and no active suspension covers its announcement."""
        if isinstance(entry, str):
            found = self.entry(entry)
            if found is None:
                raise KeyError(f"no entry {entry!r} in pack {self.id}")
            entry = found
        susp = self.suspensions(entry, on)
        by = susp[0] if susp else None
        extra = dict(suspended_by=by.legal_ref, suspended_through=by.last_day) if by else {}
        if on < entry.effective_from:
            reason = f"not yet in force: effective from {entry.effective_from}"
            if by:
                reason += f" (and {_suspension_text(by)})"
            return EntryStatus(code=entry.code, on=on, in_force=False, status="not_yet_effective", reason=reason, **extra)
        if entry.effective_to is not None and on > entry.effective_to:
            return EntryStatus(
                code=entry.code, on=on, in_force=False, status="ended",
                reason=f"no longer in force: ended on {entry.effective_to}",
            )
        if by:
            return EntryStatus(code=entry.code, on=on, in_force=False, status="suspended", reason=_suspension_text(by), **extra)
        return EntryStatus(code=entry.code, on=on, in_force=True, status="in_force")

    def in_force(self, code: str, on: dt.date) -> bool:
        """False also for a code the pack does not know."""
        entry = self.entry(code)
        return entry is not None and self.status(entry, on).in_force

    def entries_in_force(self, on: dt.date) -> list[ControlEntry]:
        return [e for e in self.entries if self.status(e, on).in_force]

    def caveat(self, on: dt.date) -> str | None:
        """A warning iff ``on`` lies after the date the pack was last reviewed against the law."""
        said = self.caveat_said(on)
        return said.en if said else None

    def caveat_said(self, on: dt.date) -> Said | None:
        """:meth:`caveat` in English and Chinese."""
        if on <= self.reviewed_until:
            return None
        return Said(
            f"{on} is after {self.reviewed_until}, the date up to which the {self.id} policy pack has been "
            "checked against published announcements; later announcements (for example on the suspension "
            "by MOFCOM/GAC Ann. 2025 No. 70) may change this answer.",
            f"{on}晚于{self.reviewed_until}，即{self.id}政策包对照已公布公告核对的截止日期；"
            "此后的公告（例如有关商务部、海关总署公告2025年第70号所定暂停实施的公告）可能改变本答复。",
        )

    def element_symbol(self, text: str) -> str | None:
        """The element symbol for a symbol or English/Chinese name (case-insensitive), else None."""
        t = text.strip()
        low = t.lower()
        for el in self.elements.values():
            if low in (el.symbol.lower(), el.name_en.lower()) or t == el.name_zh:
                return el.symbol
        return None

    # the technology catalogue (a separate instrument from the control list)

    def catalogue_revision(self, on: dt.date) -> CatalogueRevision | None:
        """The revision of the technology catalogue in force on ``on``: the latest that took
        effect on or before it (one of unknown start counts as the earliest); None before any."""
        revs = self.technology_catalogue.revisions.values()
        started = [r for r in revs if r.effective_from is not None and r.effective_from <= on]
        if started:
            return max(started, key=lambda r: r.effective_from or dt.date.min)
        later = [r.effective_from for r in revs if r.effective_from is not None]
        open_start = next((r for r in revs if r.effective_from is None), None)
        return open_start if open_start is not None and all(on < d for d in later) else None

    def catalogue_listing(self, entry: CatalogueEntry, on: dt.date) -> tuple[CatalogueRevision, CatalogueListing] | None:
        """How the catalogue in force on ``on`` lists ``entry``; None when it does not."""
        rev = self.catalogue_revision(on)
        if rev is None or rev.code not in entry.listings:
            return None
        return rev, entry.listings[rev.code]

    def first_listed(self, entry: CatalogueEntry) -> CatalogueRevision:
        """The earliest revision that lists ``entry`` (one of unknown start first)."""
        revs = [self.technology_catalogue.revisions[c] for c in entry.listings]
        return min(revs, key=lambda r: r.effective_from or dt.date.min)

    # licence types and documents

    def licence_type(self, code: str) -> LicenceType:
        try:
            return self.licence_types[code]
        except KeyError:
            raise KeyError(f"unknown licence type {code!r}; known: {', '.join(self.licence_types)}") from None

    def eligibility(self, licence_type: str) -> list[Condition]:
        """Conditions that must all hold for the licence type."""
        return [self.conditions[c] for c in self.licence_type(licence_type).eligibility]

    def exclusions(self, licence_type: str) -> list[Condition]:
        """Conditions any one of which rules the licence type out."""
        return [self.conditions[c] for c in self.licence_type(licence_type).exclusions]

    def grounds_for(self, action: str) -> list[Ground]:
        """The grounds that can support ``action`` on a licence, in pack order."""
        return [g for g in self.grounds.values() if action in g.actions]

    def exclusion_ground(self, condition: str) -> Ground | None:
        """The ground that stands for an Art. 20 exclusion condition arising, if the pack has one."""
        return next((g for g in self.grounds.values() if condition in g.exclusion_conditions), None)

    def required_documents(self, licence_type: str) -> list[str]:
        """Codes of the document types an application for ``licence_type`` must carry."""
        self.licence_type(licence_type)
        return list(self.document_requirements[licence_type].required)


def _suspension_text(a: Amendment) -> str:
    through = f" through {a.last_day}" if a.last_day else ""
    return f"suspended by {a.legal_ref} from {a.from_}{through}"


