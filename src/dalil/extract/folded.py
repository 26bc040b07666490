"""A folded view of a text that keeps the way back to the original offsets.

Lexicons and gazetteer names are matched against text with case, Arabic diacritics,
tatweel and hamza/alef/ta-marbuta forms folded away (what :func:`dalil.folding.fold`
ignores, minus the article and spaces, which matching needs). Every character of the
view remembers the offset of the original character it came from, so a match in the view
is reported as the exact span of the original.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from dalil.folding import ARABIC_DIACRITICS, DIRECTION_MARKS, normalise_arabic


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
    if "\u00c0" <= c < "\u0600":  # Latin with accents: the base letters
        c = "".join(x for x in unicodedata.normalize("NFKD", c) if not unicodedata.combining(x))
    return normalise_arabic(c).lower()


def fold_text(text: str) -> Folded:
    """The folded view of ``text``."""
    out: list[str] = []
    index: list[int] = []
    for i, c in enumerate(text):
        f = fold_char(c)
        for ch in f:
            out.append(ch)
            index.append(i)
    index.append(len(text))
    return Folded("".join(out), index)


def fold_phrase(phrase: str) -> str:
    """A lexicon phrase folded the same way, whitespace collapsed."""
    return re.sub(r"\s+", " ", fold_text(phrase).text).strip()
