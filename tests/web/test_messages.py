"""The Arabic catalogues cover every interface string the code shows.

The strings are extracted as ``make messages`` extracts them (babel.cfg: ``t('...')`` in
templates and in the web package, ``N_('...')`` anywhere in Python), plus the English
labels of codes outside the vocabularies (:data:`dalil.web.code_labels.LABELS`, shown
through ``term``). Each must have a non-empty, non-fuzzy Arabic form in exactly one
``.po`` file, and a translation must keep the placeholders of its English text.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
from collections import defaultdict
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_keywords, parse_mapping_cfg
from babel.messages.pofile import read_po

from dalil.web import i18n
from dalil.web.code_labels import LABELS

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "src/dalil/web/locale/ar/LC_MESSAGES"
#: {name} (str.format) and %(name)s / %s / %d (printf) placeholders
PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}|%\([A-Za-z_][A-Za-z0-9_]*\)[sdfr]|%[sdf]")


def extracted() -> dict[str, set[str]]:
    """msgid -> the files that show it, as ``pybabel extract -F babel.cfg -k N_`` finds them."""
    with (ROOT / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found: dict[str, set[str]] = defaultdict(set)
    for filename, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=parse_keywords(["N_"])
    ):
        if isinstance(message, str) and message:
            found[message].add(filename)
    return found


def catalogues() -> dict[str, list[tuple[str, str, bool]]]:
    """msgid -> [(file name, msgstr, fuzzy)] over every Arabic .po file."""
    entries: dict[str, list[tuple[str, str, bool]]] = defaultdict(list)
    for po in sorted(LOCALE.glob("*.po")):
        with po.open("rb") as handle:
            catalogue = read_po(handle, locale="ar", abort_invalid=True)
        for m in catalogue:
            if m.id and isinstance(m.id, str):
                entries[m.id].append((po.name, str(m.string or ""), m.fuzzy))
    return entries


def test_extraction_finds_the_interface_strings() -> None:
    found = extracted()
    # one from a template, one from the frame: the extraction itself works
    assert "Sign in" in found and "Skip to content" in found
    assert any(f.endswith(".html") for files in found.values() for f in files)
    # `t` is a keyword only in the web package and the templates: no tuple or token
    # named t elsewhere in the code is taken for a message
    assert not any(f.startswith("src/dalil/places") for files in found.values() for f in files)


def test_every_po_file_parses_and_no_msgid_is_in_two() -> None:
    twice = {msgid: [f for f, _, _ in where] for msgid, where in catalogues().items()
             if len(where) > 1}  # fmt: skip
    assert twice == {}


def test_every_interface_string_has_an_arabic_form() -> None:
    shown = extracted()
    for labels in LABELS.values():
        for english in labels.values():
            shown.setdefault(english, set()).add("src/dalil/web/code_labels.py")
    entries = catalogues()
    missing = {
        msgid: sorted(files)
        for msgid, files in shown.items()
        if not any(text.strip() and not fuzzy for _, text, fuzzy in entries.get(msgid, []))
    }
    assert missing == {}, (
        f"{len(missing)} interface string(s) without an Arabic form: run `make messages` "
        "and translate them (docs/translating.md)"
    )


def test_translations_keep_their_placeholders() -> None:
    wrong = {
        msgid: text
        for msgid, where in catalogues().items()
        for _, text, _ in where
        if text and sorted(PLACEHOLDER.findall(msgid)) != sorted(PLACEHOLDER.findall(text))
    }
    assert wrong == {}


def test_the_running_app_reads_every_translation() -> None:
    table = i18n.messages("ar")
    for msgid, where in catalogues().items():
        (_, text, fuzzy) = where[0]
        if text and not fuzzy:
            assert table[msgid] == text


@pytest.fixture
def merge_tool():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("messages_tool", ROOT / "tools/messages.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_make_messages_adds_new_strings_to_new_po_and_keeps_every_translation(
    merge_tool, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    locale = tmp_path / "LC_MESSAGES"
    shutil.copytree(LOCALE, locale)
    (locale / "new.po").unlink(missing_ok=True)
    before = {po.name: po.read_bytes() for po in locale.glob("*.po")}
    pot = tmp_path / "dalil.pot"
    pot.write_text(
        'msgid "Sign in"\nmsgstr ""\n\n#: src/dalil/web/templates/x.html:3\n'
        'msgid "{n} graves found"\nmsgstr ""\n',
        encoding="utf-8",
    )
    added, _stale = merge_tool.merge(pot, locale)
    assert added == ["{n} graves found"]
    for name, content in before.items():  # the translated catalogues are not rewritten
        assert (locale / name).read_bytes() == content
    with (locale / "new.po").open("rb") as handle:
        new = read_po(handle, locale="ar", abort_invalid=True)
    entry = new.get("{n} graves found")
    assert entry is not None and entry.string == ""
    assert entry.locations == [("src/dalil/web/templates/x.html", 3)]
    # a translator fills it in; a second run adds nothing and keeps the translation
    (locale / "new.po").write_text(
        (locale / "new.po")
        .read_text(encoding="utf-8")
        .replace(
            'msgid "{n} graves found"\nmsgstr ""', 'msgid "{n} graves found"\nmsgstr "{n} مقابر"'
        ),
        encoding="utf-8",
    )
    assert merge_tool.merge(pot, locale)[0] == []
    with (locale / "new.po").open("rb") as handle:
        assert read_po(handle, locale="ar").get("{n} graves found").string == "{n} مقابر"
