"""Merge the interface strings extracted from the code into the Arabic catalogues.

Usage: python tools/messages.py [build/dalil.pot]   (``make messages`` runs
``pybabel extract`` over babel.cfg into build/dalil.pot first, then this.)

The rule is deliberately simple, so that no translation is ever lost:

* a ``msgid`` already in some ``.po`` file of ``web/locale/ar/LC_MESSAGES`` stays where it
  is, untouched: those files are never rewritten by this script;
* a ``msgid`` in no ``.po`` file is appended to ``new.po`` (created with the catalogues'
  header if missing) with an empty ``msgstr`` and the places in the code that show it, for
  a translator to translate there or move into the ``.po`` of its area
  (docs/translating.md); ``new.po`` itself is rewritten with its old entries kept;
* a ``msgid`` in a ``.po`` that the code no longer shows is only reported: some strings are
  shown through a variable (code labels, vocabulary phrases) and cannot be extracted.

``tests/web/test_messages.py`` then fails until every new string has an Arabic form.
"""

from __future__ import annotations

import sys
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "src/dalil/web/locale/ar/LC_MESSAGES"
NEW = "new.po"
HEADER = r"""# Arabic forms of interface strings that `make messages` found in the code and no other
# .po file holds yet. Translate each (msgstr), then leave it here or move the whole entry
# into the .po of its area (docs/translating.md); a msgid must be in one file only.
msgid ""
msgstr ""
"Project-Id-Version: dalil\n"
"Language: ar\n"
"MIME-Version: 1.0\n"
"Content-Type: text/plain; charset=UTF-8\n"
"Content-Transfer-Encoding: 8bit\n"
"Plural-Forms: nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : "
"n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);\n"

"""


def _read(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale="ar", abort_invalid=True)


def merge(pot: Path, locale: Path = LOCALE) -> tuple[list[str], list[str]]:
    """Append the msgids of ``pot`` that no ``.po`` in ``locale`` has to ``new.po``.

    Returns (the msgids added, the msgids of the .po files the template no longer has)."""
    template = _read(pot)
    extracted = {m.id: m for m in template if m.id and isinstance(m.id, str)}
    known: set[str] = set()
    for po in sorted(locale.glob("*.po")):
        known.update(m.id for m in _read(po) if m.id and isinstance(m.id, str))
    added = sorted(set(extracted) - known)
    stale = sorted(known - set(extracted))
    if not added:
        return added, stale
    path = locale / NEW
    catalogue = _read(path) if path.exists() else Catalog(locale="ar")
    for msgid in added:
        found = extracted[msgid]
        catalogue.add(msgid, "", locations=found.locations, flags=found.flags)
    body = BytesIO()
    write_po(body, catalogue, width=100, omit_header=True)
    path.write_bytes(HEADER.encode() + body.getvalue().lstrip())
    return added, stale


def main(argv: list[str]) -> int:
    pot = Path(argv[1]) if len(argv) > 1 else ROOT / "build/dalil.pot"
    added, stale = merge(pot)
    for msgid in added:
        print(f"new: {msgid!r}")
    print(
        f"{len(added)} new string(s) in {LOCALE.relative_to(ROOT) / NEW}"
        if added
        else "no new strings: every string of the code is in a .po file"
    )
    if stale:
        print(
            f"{len(stale)} msgid(s) in the .po files are not found in the code "
            "(kept: some are shown through a variable)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
