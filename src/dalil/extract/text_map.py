"""A text with a map from every character back to its place in the original file.

Every reader of :mod:`dalil.extract.document` builds its :class:`Document` through a
:class:`TextBuilder`, which records, for each run of text it appends, where that run sits
in the original (page and character of a PDF page, paragraph of a Word file, character
of a text or HTML file), so that :meth:`Document.origin` can point a reviewer from a
proposal's span to the place in the file a person can open.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from datetime import date

_ARABIC_LETTER = re.compile("[\u0621-\u064a\u0671-\u06d3]")
_LATIN_LETTER = re.compile("[A-Za-z\u00c0-\u024f]")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Origin:
    """Where a character of the text was in the original file: ``page`` (PDF, from 1),
    ``paragraph`` (DOCX, from 1) and ``offset`` (characters into that page's text, that
    paragraph, or the whole decoded file)."""

    offset: int
    page: int | None = None
    paragraph: int | None = None

    def __str__(self) -> str:
        where = [f"page {self.page}"] if self.page else []
        where += [f"paragraph {self.paragraph}"] if self.paragraph else []
        return ", ".join([*where, f"character {self.offset}"])


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of the text (``[start, end)``) and its language: ``ar``, ``en`` (any
    Latin-script text) or ``und`` when it holds no letters."""

    start: int
    end: int
    language: str


@dataclass
class Document:
    """The text of one file and what is known about it."""

    text: str
    format: str  # text, html, pdf, docx
    encoding: str | None = None
    title: str | None = None
    source: str | None = None
    published: date | None = None
    #: the text is what OCR read on page images (spans point at OCR output)
    ocr: bool = False
    #: run starts: text offset -> (origin offset, page, paragraph); each run is contiguous
    #: in both the text and the original
    _runs: list[tuple[int, int, int | None, int | None]] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    _starts: list[int] = field(default_factory=list, repr=False)

    def origin(self, offset: int) -> Origin:
        """Where the character at ``offset`` of :attr:`text` came from."""
        if not self._runs:
            return Origin(offset)
        i = max(0, bisect.bisect_right(self._runs, (offset, 2**62)) - 1)
        start, origin, page, paragraph = self._runs[i]
        return Origin(origin + (offset - start), page, paragraph)

    def language_at(self, offset: int) -> str:
        """The language of the paragraph holding ``offset``."""
        if len(self._starts) != len(self.paragraphs):
            self._starts = [p.start for p in self.paragraphs]
        i = bisect.bisect_right(self._starts, offset) - 1
        return self.paragraphs[i].language if i >= 0 else "und"


class TextBuilder:
    """Collects text pieces with their origins; whitespace runs become one space."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.size = 0
        self.runs: list[tuple[int, int, int | None, int | None]] = []

    def add(self, raw: str, origin: int, page: int | None = None,
            paragraph: int | None = None, collapse: bool = True) -> None:  # fmt: skip
        """Append ``raw``, which sits at ``origin`` of the original."""
        pos = 0
        pieces = _SPACE.finditer(raw) if collapse else iter(())
        for gap in pieces:
            self._piece(raw[pos : gap.start()], origin + pos, page, paragraph)
            if self.parts and not self.parts[-1].endswith((" ", "\n")):
                self._piece(" ", origin + gap.start(), page, paragraph)
            pos = gap.end()
        self._piece(raw[pos:], origin + pos, page, paragraph)

    def _piece(self, text: str, origin: int, page: int | None, paragraph: int | None) -> None:
        if text:
            self.runs.append((self.size, origin, page, paragraph))
            self.parts.append(text)
            self.size += len(text)

    def brk(self, origin: int, page: int | None = None, paragraph: int | None = None) -> None:
        """End the paragraph (a blank line), unless one just ended."""
        while self.parts and self.parts[-1] == " ":
            self.parts.pop()
            self.size -= 1
            self.runs.pop()
        if self.parts and not self.parts[-1].endswith("\n\n"):
            self._piece("\n\n", origin, page, paragraph)

    def document(self, fmt: str, **meta: object) -> Document:
        text = "".join(self.parts).rstrip()
        doc = Document(text, fmt, _runs=self.runs, **meta)  # type: ignore[arg-type]
        doc.paragraphs = paragraphs(text)
        return doc


def language(text: str) -> str:
    """``ar`` when Arabic letters outnumber Latin ones, ``en`` when Latin ones do,
    ``und`` with no letters (a script test: the reports dalil reads are Arabic or
    English, and a Latin-script paragraph is read with the English rules)."""
    arabic, latin = len(_ARABIC_LETTER.findall(text)), len(_LATIN_LETTER.findall(text))
    if not arabic and not latin:
        return "und"
    return "ar" if arabic >= latin else "en"


def paragraphs(text: str) -> list[Paragraph]:
    """The text's paragraphs (separated by blank lines) with their languages."""
    out, pos = [], 0
    for gap in [*re.finditer(r"\n\s*\n", text), None]:
        end = gap.start() if gap else len(text)
        if text[pos:end].strip():
            out.append(Paragraph(pos, end, language(text[pos:end])))
        pos = gap.end() if gap else end
    return out


def iso_date(value: str) -> date | None:
    """The date at the start of ``value`` (``YYYY-MM-DD…``, as metadata gives it), or
    ``None`` when there is none or it is not a real date."""
    found = re.match(r"(\d{4})-(\d{2})-(\d{2})", value.strip())
    if not found:
        return None
    try:
        return date(int(found[1]), int(found[2]), int(found[3]))
    except ValueError:
        return None
