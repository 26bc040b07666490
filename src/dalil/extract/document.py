"""A report read into text, with a map from every character back to the original.

Every proposal points at a span of :attr:`Document.text`; :meth:`Document.origin` says
where that span sits in the file a person can open (page and character of a PDF page,
paragraph of a Word file, character of a text or HTML file), so a reviewer can check the
proposal against the original, not against dalil's reading of it.

Formats, chosen by content rather than by the file's name:

* plain text in UTF-8 (with or without BOM), UTF-16 with BOM, Windows-1256 (Arabic) or
  Windows-1252, told apart by how their high bytes cluster (:func:`decode`);
* HTML: the main text (``<article>``/``<main>`` when present, otherwise the body without
  navigation, headers, footers, scripts and forms), whitespace collapsed, entities decoded;
* PDF: the text layer of each page (pypdf); a PDF with no text layer is refused with what
  to do about it;
* DOCX: the paragraphs of ``word/document.xml`` (read with the standard library).

Nothing here writes anything: a file that cannot be read raises
:class:`~dalil.errors.InvalidInput` naming the file and what is wrong with it.
"""

from __future__ import annotations

import bisect
import html
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

from dalil.errors import InvalidInput

#: the largest file read (bytes); a bigger one is refused before it is read
MAX_BYTES = 50 * 1024 * 1024
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


class _Builder:
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


def decode(data: bytes, where: str) -> tuple[str, str]:
    """The text of a plain-text file and its encoding.

    UTF-8 is tried first (strict), then a BOM; otherwise the file is a single-byte code
    page: Windows-1256 when most high bytes stand next to other high bytes (Arabic words
    are runs of them), Windows-1252 when they stand alone between ASCII letters (accented
    Latin). A file that is partly valid UTF-8 and partly not is refused: guessing would
    garble one of the parts."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(data, "utf-16", where), "utf-16"
    if b"\x00" in data[:8192]:
        raise InvalidInput(f"{where}: holds NUL bytes, so it is not a text file "
                           "(is it a binary file with a text extension?)")  # fmt: skip
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as err:
        bad = err.start
    utf8_arabic = re.search(rb"[\xd8-\xdb][\x80-\xbf]", data)
    if utf8_arabic and len(re.findall(rb"[\xd8-\xdb][\x80-\xbf]", data)) > 3:
        raise InvalidInput(
            f"{where}: mixes encodings: it holds UTF-8 Arabic (from byte "
            f"{utf8_arabic.start()}) but byte {bad} is not UTF-8; convert the file to one "
            "encoding (UTF-8) and add it again"
        )
    high = [i for i, b in enumerate(data) if b >= 0x80]
    clustered = sum(
        1 for i in high
        if (i > 0 and (data[i - 1] >= 0x80 or data[i - 1] == 0x20))
        and (i + 1 < len(data) and (data[i + 1] >= 0x80 or data[i + 1] in b" .,:;!?)\r\n"))
    )  # fmt: skip
    encoding = "cp1256" if high and clustered * 2 >= len(high) else "cp1252"
    text = _strict(data, encoding, where)
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\t\r\n\f")
    if controls > max(8, len(text) // 100):
        raise InvalidInput(f"{where}: {controls} control characters, so it is not a text "
                           "file (is it a binary file with a text extension?)")  # fmt: skip
    return text, encoding


def _strict(data: bytes, encoding: str, where: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as err:
        raise InvalidInput(f"{where}: byte {err.start} is not valid {encoding}") from err


def read_text(data: bytes, where: str) -> Document:
    """A plain-text file: lines kept, blank lines separate paragraphs."""
    text, encoding = decode(data, where)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    b = _Builder()
    b.add(text, 0, collapse=False)
    return b.document("text", encoding=encoding)


_BLOCK = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr",
          "table", "blockquote", "section", "article", "main", "header", "footer", "pre",
          "figcaption", "dd", "dt", "hr", "title"}  # fmt: skip
_SKIP = {"script", "style", "noscript", "nav", "aside", "form", "template", "svg", "iframe",
         "button", "select", "head"}  # fmt: skip
_BOILERPLATE = {"header", "footer"}
_VOID = {"br", "hr", "img", "meta", "link", "input", "wbr", "source", "col", "area", "base"}


class _Html(HTMLParser):
    """Collects the main text of an HTML page with each piece's offset in the source."""

    def __init__(self, source: str, main_only: bool) -> None:
        super().__init__(convert_charrefs=False)
        self.source = source
        self.lines = [0] + [m.end() for m in re.finditer("\n", source)]
        self.out = _Builder()
        self.main_only = main_only
        self.skip: list[str] = []  # open elements whose content is not text
        self.depth_main = 0
        self.meta: dict[str, str] = {}
        self.in_title = False
        self.title = ""

    def _offset(self) -> int:
        line, col = self.getpos()
        return self.lines[line - 1] + col

    def _reading(self) -> bool:
        return not self.skip and (self.depth_main > 0 or not self.main_only)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "meta":
            key = a.get("property") or a.get("name") or a.get("itemprop") or ""
            self.meta.setdefault(key.lower(), a.get("content", ""))
        elif tag == "time" and a.get("datetime"):
            self.meta.setdefault("time", a["datetime"])
        if tag == "title":
            self.in_title = True
        if tag in _VOID:
            if tag in ("br", "hr") and self._reading():
                self.out.brk(self._offset())
            return
        if tag in _SKIP or (tag in _BOILERPLATE and not self.depth_main):
            self.skip.append(tag)
        if tag in ("article", "main"):
            self.depth_main += 1
        if tag in _BLOCK and self._reading():
            self.out.brk(self._offset())

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        if self.skip and self.skip[-1] == tag:
            self.skip.pop()
        elif tag in ("article", "main") and self.depth_main:
            self.depth_main -= 1
        if tag in _BLOCK and self._reading():
            self.out.brk(self._offset())

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title += data
        elif self._reading():
            self.out.add(data, self._offset())

    def _ref(self, text: str) -> None:
        if self._reading():
            self.out.add(text, self._offset(), collapse=False)

    def handle_entityref(self, name: str) -> None:
        self._ref(html.unescape(f"&{name};"))

    def handle_charref(self, name: str) -> None:
        self._ref(html.unescape(f"&#{name};"))


def read_html(data: bytes, where: str) -> Document:
    """The main text of an HTML page; title, source and publication date from its
    metadata when it has them."""
    charset = re.search(rb"""<meta[^>]+charset=["']?([\w-]+)""", data[:4096], re.I)
    if charset and charset.group(1).lower() not in (b"utf-8", b"utf8"):
        text, encoding = _strict(data, charset.group(1).decode("ascii"), where), "declared"
    else:
        text, encoding = decode(data, where)
    main_only = re.search(r"<(article|main)[\s>]", text, re.I) is not None
    parser = _Html(text, main_only)
    try:
        parser.feed(text)
        parser.close()
    except (AssertionError, ValueError) as err:  # html.parser is lenient; this is rare
        raise InvalidInput(f"{where}: cannot be read as HTML ({err})") from err
    meta = parser.meta
    published = _iso_date(meta.get("article:published_time") or meta.get("date")
                          or meta.get("datepublished") or meta.get("time") or "")  # fmt: skip
    doc = parser.out.document(
        "html", encoding=encoding, title=_SPACE.sub(" ", parser.title).strip() or None,
        source=meta.get("og:site_name") or meta.get("author") or None, published=published,
    )  # fmt: skip
    if not doc.text:
        raise InvalidInput(f"{where}: the HTML page holds no text")
    return doc


def _iso_date(value: str) -> date | None:
    found = re.match(r"(\d{4})-(\d{2})-(\d{2})", value.strip())
    if not found:
        return None
    try:
        return date(int(found[1]), int(found[2]), int(found[3]))
    except ValueError:
        return None


def read_pdf(data: bytes, where: str) -> Document:
    """The text layer of every page, pages separated as paragraphs."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
        info = reader.metadata
    except (PdfReadError, ValueError, KeyError, TypeError) as err:
        raise InvalidInput(f"{where}: cannot be read as PDF ({err})") from err
    scanned = not any(p.strip() for p in pages)
    if scanned:
        from dalil.extract import ocr

        lacking = ocr.missing()
        if lacking:
            raise InvalidInput(
                f"{where}: no text layer on any of its {len(pages)} page(s) (a scanned PDF); "
                f"OCR needs {lacking}, or run OCR on it first (for example `ocrmypdf -l "
                "ara+eng IN.pdf OUT.pdf`) and add the OCR'd file"
            )
        pages = ocr.pages(data, where)
        if not any(p.strip() for p in pages):
            raise InvalidInput(f"{where}: OCR found no text on its {len(pages)} page(s)")
    b = _Builder()
    for n, page in enumerate(pages, start=1):
        pos = 0
        for gap in [*re.finditer(r"\n\s*\n", page), None]:
            end = gap.start() if gap else len(page)
            b.add(page[pos:end], pos, page=n)
            b.brk(end, page=n)
            pos = gap.end() if gap else end
    published = None
    created = str(info.get("/CreationDate", "")) if info else ""
    if found := re.match(r"D:(\d{4})(\d{2})(\d{2})", created):
        published = _iso_date(f"{found[1]}-{found[2]}-{found[3]}")
    title = str(info.get("/Title") or "") or None if info else None
    author = str(info.get("/Author") or "") or None if info else None
    doc = b.document("pdf", title=title, source=author, published=published)
    doc.ocr = scanned
    return doc


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read_docx(data: bytes, where: str) -> Document:
    """The paragraphs of a Word (DOCX) file, with title and date from its core
    properties."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            body = ElementTree.fromstring(z.read("word/document.xml"))
            core = z.read("docProps/core.xml") if "docProps/core.xml" in z.namelist() else b""
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError) as err:
        raise InvalidInput(f"{where}: cannot be read as a Word (DOCX) file ({err})") from err
    b = _Builder()
    for n, para in enumerate(body.iter(f"{_W}p"), start=1):
        pos = 0
        for node in para.iter():
            piece = (
                node.text or "" if node.tag == f"{_W}t" else "\t" if node.tag == f"{_W}tab" else ""
            )
            b.add(piece, pos, paragraph=n)
            pos += len(piece)
        b.brk(pos, paragraph=n)
    title = published = None
    if core:
        props = ElementTree.fromstring(core)
        title = next((e.text for e in props.iter() if e.tag.endswith("}title")), None)
        created = next((e.text for e in props.iter() if e.tag.endswith("}created")), None)
        published = _iso_date(created or "")
    return b.document("docx", title=title, published=published)


def read(path: Path, data: bytes | None = None) -> Document:
    """Read a report file into a :class:`Document`, by its content: PDF and DOCX by their
    signatures, HTML by its markup, anything else as plain text."""
    where = str(path)
    if data is None:
        try:
            size = path.stat().st_size
        except OSError as err:
            raise InvalidInput(f"{where}: cannot be read ({err.strerror})") from err
        if size > MAX_BYTES:
            raise InvalidInput(f"{where}: {size:,} bytes is more than the "
                               f"{MAX_BYTES:,} bytes a report may have; split it")  # fmt: skip
        data = path.read_bytes()
    elif len(data) > MAX_BYTES:
        raise InvalidInput(f"{where}: more than the {MAX_BYTES:,} bytes a report may have")
    if not data.strip():
        raise InvalidInput(f"{where}: the file is empty")
    if data.startswith(b"%PDF-"):
        return read_pdf(data, where)
    if data.startswith(b"PK\x03\x04"):
        return read_docx(data, where)
    head = data[:2048].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"\xef\xbb\xbf<")) or b"<body" in head:
        return read_html(data, where)
    return read_text(data, where)
