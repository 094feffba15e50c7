"""Languages of the pages: which one a request gets, and the Babel catalogues that translate them.

Every string a page shows is written in English in the template or the module that shows it,
marked for translation (``{{ _("...") }}`` in Jinja, :func:`gettext` in Python), and translated
in ``web/locale/<locale>/LC_MESSAGES/messages.po``. The catalogues are read from their ``.po``
files when the process starts (no compiled ``.mo`` in the repository): a missing Chinese
translation is caught by tests/ui/test_catalogue.py, which extracts every marked string with
Babel and fails on any that the Chinese catalogue leaves empty or fuzzy.

Which language: ``?lang=`` on the request, else the ``rarex_lang`` cookie the language switch
sets, else the browser's ``Accept-Language`` (Babel's negotiation, so ``zh-CN``, ``zh-Hant-TW``
and ``zh`` all land on Chinese), else English.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from babel import negotiate_locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from starlette.requests import Request

LOCALE_DIR = Path(__file__).parent / "locale"
#: The locales the pages are written in; the first is the fallback and the source language.
LOCALES = ("en", "zh")
#: ``<html lang>`` per locale: "zh-CN" makes browsers pick Simplified Chinese glyphs.
HTML_LANG = {"en": "en", "zh": "zh-CN"}
#: The language switch's own name for each language, in that language.
NATIVE_NAME = {"en": "English", "zh": "中文"}
LANG_COOKIE = "rarex_lang"


def parse_accept_language(header: str | None, limit: int = 20) -> list[str]:
    """Language tags from an ``Accept-Language`` header, most preferred first.

    Tags with ``q=0`` (explicitly unwanted), the wildcard, and malformed entries are dropped;
    a garbled header simply yields fewer tags, never an error.
    """
    if not header:
        return []
    weighted: list[tuple[float, int, str]] = []
    for i, part in enumerate(header[:1000].split(",")[:limit]):
        tag, _, params = part.strip().partition(";")
        tag = tag.strip()
        if not tag or tag == "*" or not all(c.isalnum() or c in "-_" for c in tag):
            continue
        q = 1.0
        params = params.strip()
        if params:
            name, _, value = params.partition("=")
            if name.strip().lower() != "q":
                continue
            try:
                q = float(value)
            except ValueError:
                continue
            if not 0 < q <= 1:
                continue
        weighted.append((-q, i, tag.replace("_", "-")))
    return [tag for _, _, tag in sorted(weighted)]


def choose_locale(lang: str | None, accept_language: str | None) -> str:
    """``lang`` if it names a locale we have, else the best match for the browser, else English."""
    preferred = ([lang[:35].replace("_", "-")] if lang else []) + parse_accept_language(accept_language)
    match = negotiate_locale(preferred, list(LOCALES), sep="-")
    if match and match.lower() in LOCALES:
        return match.lower()
    # negotiate_locale returns the caller's spelling ("ZH-cn" stays as given); map it back.
    if match:
        base = match.replace("_", "-").split("-")[0].lower()
        if base in LOCALES:
            return base
    return LOCALES[0]


def request_locale(request: Request) -> str:
    """The locale of one request: ``?lang=``, the switch's cookie, ``Accept-Language``, English."""
    lang = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE)
    return choose_locale(lang, request.headers.get("accept-language"))


@lru_cache
def translations(locale: str) -> NullTranslations:
    """The catalogue of ``locale``, compiled in memory from its ``.po`` file."""
    po = LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po"
    if locale == LOCALES[0] or not po.exists():
        return NullTranslations()
    with po.open("rb") as f:
        catalog = read_po(f, locale=locale)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return Translations(buf)


def N_(message: str) -> str:
    """Mark a string for extraction where it is defined; it is translated where it is shown."""
    return message


#: The words the pages use for the codes of each kind of thing (roles, statuses, clock states).
LABELS: dict[str, dict[str, str]] = {
    "role": {
        "exporter": N_("Exporter"), "officer": N_("Licensing officer"), "senior_officer": N_("Senior officer"),
        "customs": N_("Customs officer"), "auditor": N_("Auditor"), "admin": N_("Administrator"),
        "buyer": N_("Buyer (foreign end user)"),
    },
    "application_status": {
        "draft": N_("Draft"), "submitted": N_("Submitted"), "under_review": N_("Under review"),
        "information_requested": N_("Information requested"), "recommended": N_("Recommended"),
        "approved": N_("Approved"), "refused": N_("Refused"), "withdrawn": N_("Withdrawn"),
    },
    "clock": {
        "not_submitted": N_("Not submitted"), "awaiting_acceptance": N_("Awaiting acceptance"),
        "running": N_("Clock running"), "stopped": N_("Clock stopped"), "no_deadline": N_("No deadline"),
        "decided": N_("Decided"), "closed": N_("Closed"), "overdue": N_("Overdue"), "open_hits": N_("Open screening hits"),
    },
    "licence_status": {
        "active": N_("Active"), "suspended": N_("Suspended"), "revoked": N_("Revoked"), "expired": N_("Expired"),
        "exhausted": N_("Fully used"), "under_amendment": N_("Amendment pending"),
        "replacement_pending": N_("Stopped: replacement applied for"), "handed_back": N_("Handed back"),
        "amendment_ordered": N_("Amendment ordered"), "withdrawn": N_("Withdrawn by the ministry"),
    },
    "shipment_status": {"recorded": N_("Recorded"), "cancelled": N_("Cancelled")},
    "amendment_status": {
        "pending": N_("Awaiting acceptance"), "under_review": N_("Under review"), "recommended": N_("Recommended"),
        "approved": N_("Approved"), "refused": N_("Refused"), "withdrawn": N_("Withdrawn"), "lapsed": N_("Lapsed"),
    },
    "check_outcome": {"pass": N_("Passed"), "fail": N_("Failed"), "warn": N_("For the officer"), "info": N_("For information")},
    "impact_effect": {
        "now_prohibited": N_("Now prohibited"), "no_longer_prohibited": N_("No longer prohibited"),
        "newly_needs_licence": N_("Newly needs a licence"), "no_longer_needs_licence": N_("No longer needs a licence"),
        "licence_type_closed": N_("Licence type no longer open"), "licence_type_opened": N_("Licence type now open"),
        "now_undetermined": N_("Now undetermined"),
    },
    "impact_subject": {"application": N_("Pending application"), "licence": N_("Licence"), "shipment": N_("Recent shipment")},
    "job_state": {"running": N_("Running"), "done": N_("Finished"), "failed": N_("Not imported"),
                  "interrupted": N_("Interrupted")},
    "job_phase": {"reading": N_("reading the file"), "indexing": N_("building the search index")},
    # What each event of a timeline means, in the page's words (the code stays beside it).
    "event": {
        "application.drafted": N_("Draft started"), "application.edited": N_("Draft changed"),
        "application.document_added": N_("Document added"), "application.document_removed": N_("Document removed"),
        "application.submitted": N_("Submitted"), "application.returned": N_("Returned for corrections"),
        "application.accepted": N_("Accepted"), "application.deemed_accepted": N_("Deemed accepted"),
        "application.information_requested": N_("Information requested"),
        "application.information_provided": N_("Information provided"),
        "application.clock_stopped": N_("Clock stopped"), "application.clock_restarted": N_("Clock restarted"),
        "application.referred_to_state_council": N_("Referred to the State Council"),
        "application.recommended": N_("Recommendation recorded"), "application.approved": N_("Approved"),
        "application.refused": N_("Refused"), "application.withdrawn": N_("Withdrawn"),
        "screening.reviewed": N_("Screening reviewed by the ministry"),
        "screening.hit_false_positive": N_("Screening hit cleared"),
        "screening.hit_confirmed": N_("Screening hit confirmed"),
        "licence.issued": N_("Licence issued"), "licence.amended": N_("Licence amended"),
        "licence.suspended": N_("Licence suspended"), "licence.reinstated": N_("Licence reinstated"),
        "licence.revoked": N_("Licence revoked"), "licence.revocation_proposed": N_("Revocation proposed"),
        "licence.withdrawn": N_("Licence withdrawn by the ministry"), "licence.expired": N_("Licence expired"),
        "licence.exhausted": N_("Licence fully used"), "licence.replenished": N_("Quantity available again"),
        "licence.handed_back": N_("Licence handed back"), "licence.screening_flagged": N_("Flagged by screening"),
        "licence.screening_review": N_("Screening review"),
        "licence.amendment_requested": N_("Amendment requested"), "licence.amendment_ordered": N_("Amendment ordered"),
        "licence.amendment_closed": N_("Amendment closed"),
        "licence.replacement_requested": N_("Replacement applied for"),
        "licence.replacement_closed": N_("Replacement application closed"),
        "licence.replaced": N_("Replaced by a new licence"), "licence.replaces": N_("Replaces an earlier licence"),
        "shipment.recorded": N_("Shipment recorded"), "shipment.cancelled": N_("Shipment cancelled"),
        "amendment.requested": N_("Amendment requested"), "amendment.accepted": N_("Amendment accepted"),
        "amendment.deemed_accepted": N_("Amendment deemed accepted"),
        "amendment.recommended": N_("Amendment recommendation recorded"),
        "amendment.approved": N_("Amendment approved"), "amendment.refused": N_("Amendment refused"),
        "amendment.withdrawn": N_("Amendment withdrawn"), "amendment.lapsed": N_("Amendment lapsed"),
    },
}


def label(locale: str, kind: str, code: object) -> str:
    """The page's word for ``code`` of ``kind`` (LABELS); an unknown code shows as itself."""
    text = LABELS[kind].get(str(code))
    return gettext(locale, text) if text else str(code)


def gettext(locale: str, message: str, **values: object) -> str:
    """``message`` in ``locale``, with ``%(name)s`` placeholders filled from ``values``."""
    text = translations(locale).gettext(message)
    return text % values if values else text


#: How strings are marked: ``_()`` in templates, ``gettext(locale, message)`` in Python.
EXTRACT_KEYWORDS = {"_": None, "gettext": (2,), "N_": None}
EXTRACT_METHODS = [("**/templates/**.html", "jinja2"), ("**.py", "python")]


def extract_messages() -> dict[str, list[tuple[str, int]]]:
    """Every string the pages mark for translation, with where it is used."""
    from babel.messages.extract import extract_from_dir

    web = Path(__file__).parent
    found: dict[str, list[tuple[str, int]]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        web, EXTRACT_METHODS, keywords=EXTRACT_KEYWORDS, options_map={"**/templates/**.html": {"extensions": "jinja2.ext.i18n"}},
    ):
        if isinstance(message, str) and message:
            found.setdefault(message, []).append((filename, lineno))
    return found
