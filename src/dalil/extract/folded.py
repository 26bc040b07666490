"""A folded view of a text that keeps the way back to the original offsets.

Lexicons and gazetteer names are matched against text with case, Arabic diacritics,
tatweel and hamza/alef/ta-marbuta forms folded away (what :func:`dalil.places.folding.fold`
ignores, minus the article and spaces, which matching needs). Every character of the
view remembers the offset of the original character it came from, so a match in the view
is reported as the exact span of the original.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from dalil.places.folding import ARABIC_DIACRITICS, DIRECTION_MARKS, normalise_arabic


@dataclass(frozen=True)
class Folded:
    """``text`` folded; ``index[i]`` is the original offset of ``text[i]`` (plus one entry
    for the end)."""

    text: str
    index: list[int]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of the view's ``[start, end)``."""
        return self.index[start], self.index[end - 1] + 1 if end > start else self.index[start]


def fold_char(c: str) -> str:
    """One character folded (possibly to nothing)."""
    if ARABIC_DIACRITICS.match(c) or DIRECTION_MARKS.match(c):
        return ""
    if not c.strip():
        return " "
    if "\u00c0" <= c < "\u0600" or "\u1e00" <= c <= "\u1eff":  # accented Latin: base letters
        c = "".join(x for x in unicodedata.normalize("NFKD", c) if not unicodedata.combining(x))
    return normalise_arabic(c).lower()


def _table() -> dict[int, str | None]:
    """:func:`fold_char` for every character of the scripts reports use, as a
    :meth:`str.translate` table; characters outside it are folded one by one."""
    table: dict[int, str | None] = {}
    for code in [*range(0x250), *range(0x600, 0x700), *range(0x1E00, 0x1F00),
                 *range(0x2000, 0x2070), 0xFEFF]:  # fmt: skip
        folded = fold_char(chr(code))
        if len(folded) <= 1 and folded != chr(code):
            table[code] = folded or None
    return table


_TABLE = _table()
_DROPPED = {k for k, v in _TABLE.items() if v is None}
_ONE_BY_ONE = re.compile("[^\u0000-\u024f\u0600-\u06ff\u1e00-\u1eff\u2000-\u206f\ufeff]")


def fold_text(text: str) -> Folded:
    """The folded view of ``text``."""
    if _ONE_BY_ONE.search(text):  # rare scripts or characters that fold to two: slow path
        out: list[str] = []
        index: list[int] = []
        for i, c in enumerate(text):
            for ch in fold_char(c):
                out.append(ch)
                index.append(i)
        index.append(len(text))
        return Folded("".join(out), index)
    folded = text.translate(_TABLE)
    if len(folded) == len(text):
        return Folded(folded, list(range(len(text) + 1)))
    kept = [i for i, c in enumerate(text) if ord(c) not in _DROPPED]
    return Folded(folded, [*kept, len(text)])


def fold_phrase(phrase: str) -> str:
    """A lexicon phrase folded the same way, whitespace collapsed."""
    return re.sub(r"\s+", " ", fold_text(phrase).text).strip()
