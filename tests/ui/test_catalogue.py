"""No English left on a Chinese page: every string the pages mark has a Chinese translation."""

from __future__ import annotations

import re

from babel.messages.pofile import read_po

from rarex.web.i18n import LOCALE_DIR, extract_messages, gettext

PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _zh():
    with (LOCALE_DIR / "zh" / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f, locale="zh")


def test_every_marked_string_is_translated_to_chinese():
    catalog = _zh()
    marked = extract_messages()
    assert len(marked) > 50  # the extraction found the templates and the Python messages
    missing = [m for m in marked if not (catalog.get(m) and catalog.get(m).string)]
    fuzzy = [m for m in marked if catalog.get(m) and catalog.get(m).fuzzy]
    assert not missing, f"run scripts/i18n_update.py and translate: {missing}"
    assert not fuzzy, f"fuzzy translations are not used: {fuzzy}"


def test_translations_keep_their_placeholders_and_are_chinese():
    for message in _zh():
        if not message.id:
            continue
        assert set(PLACEHOLDER.findall(message.id)) == set(PLACEHOLDER.findall(message.string)), message.id
        assert re.search(r"[\u4e00-\u9fff]", message.string), f"not Chinese: {message.string!r}"


def test_the_catalogue_holds_no_string_the_pages_no_longer_use():
    marked = set(extract_messages())
    stale = [m.id for m in _zh() if m.id and m.id not in marked]
    assert not stale, f"run scripts/i18n_update.py to drop: {stale}"


def test_gettext_fills_placeholders_in_either_language():
    assert gettext("en", "Welcome, %(name)s", name="Li") == "Welcome, Li"
    assert gettext("zh", "Welcome, %(name)s", name="Li") == "欢迎，Li"


def test_every_template_compiles():
    """Babel skips a template it cannot parse, so a broken one would also hide its strings."""
    from rarex.web.ui.render import environment

    env = environment("en")
    names = env.list_templates(extensions=["html"])
    assert "ui/sign_in.html" in names
    for name in names:
        env.get_template(name)
