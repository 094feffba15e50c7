"""Refresh the Chinese catalogue of the pages from the strings marked in the code.

    .venv/bin/python scripts/i18n_update.py

Extracts every marked string (templates: ``_()``; Python: ``gettext(locale, "...")``) with
Babel, adds the new ones to ``src/rarex/web/locale/zh/LC_MESSAGES/messages.po`` with an empty
translation, marks those whose English text is gone as obsolete, and keeps every translation
already made. Then fill in the empty ``msgstr``: tests/ui/test_catalogue.py fails while any is
empty or fuzzy.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from rarex.web.i18n import LOCALE_DIR, extract_messages  # noqa: E402


def main() -> None:
    template = Catalog()
    for msgid, locations in extract_messages().items():
        template.add(msgid, locations=locations)
    po = LOCALE_DIR / "zh" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True, exist_ok=True)
    if po.exists():
        with po.open("rb") as f:
            catalog = read_po(f, locale="zh")
    else:
        catalog = Catalog(locale="zh", project="rarex")
    catalog.update(template, no_fuzzy_matching=True)
    with po.open("wb") as f:
        write_po(f, catalog, width=0, omit_header=False, ignore_obsolete=True, include_previous=False)
    missing = [m.id for m in catalog if m.id and not m.string]
    print(f"{po.relative_to(ROOT)}: {len(catalog)} messages, {len(missing)} to translate")
    for msgid in missing:
        print("  ", msgid)


if __name__ == "__main__":
    main()
