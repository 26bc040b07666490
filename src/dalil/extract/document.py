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
* DOCX: the paragraphs of ``word/document.xml`` (read with the standard library, as a
  stream, after the zip's declared sizes are checked: see :func:`read_docx`).

Nothing here writes anything: a file that cannot be read raises one
:class:`~dalil.errors.InvalidInput` located at the file's base name (never the folder it
was read from) and saying what is wrong with it; no other exception leaves :func:`read`.
Every format has bounds on the work a hostile file can cause (sizes, pages, ratios).
"""

from __future__ import annotations

import bisect
import contextlib
import html
import io
import itertools
import lzma
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from xml.parsers import expat

from dalil.errors import InvalidInput

#: the largest file read (bytes); a bigger one is refused before it is read
MAX_BYTES = 50 * 1024 * 1024
_ARABIC_LETTER = re.compile("[\u0621-\u064a\u0671-\u06d3]")
_LATIN_LETTER = re.compile("[A-Za-z\u00c0-\u024f]")
_SPACE = re.compile(r"\s+")
_UTF8_ARABIC = re.compile(rb"[\xd8-\xdb][\x80-\xbf]")
#: bytes of a text file looked at to tell its code page (a list of every high byte's
#: position in a 50 MB file would take gigabytes)
_SAMPLE = 1 << 20
#: control characters a text file does not hold (tab, CR, LF and form feed it may)
_CONTROLS = dict.fromkeys(i for i in range(32) if chr(i) not in "\t\r\n\f")


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
        raise InvalidInput("holds NUL bytes, so it is not a text file (is it a binary "
                           "file with a text extension?)", path=where)  # fmt: skip
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as err:
        bad = err.start
    utf8_arabic = _UTF8_ARABIC.search(data)
    if utf8_arabic and len(list(itertools.islice(_UTF8_ARABIC.finditer(data), 4))) > 3:
        raise InvalidInput(
            f"mixes encodings: it holds UTF-8 Arabic (from byte {utf8_arabic.start()}) "
            f"but byte {bad} is not UTF-8; convert the file to one encoding (UTF-8) and add "
            "it again",
            path=where,
        )
    sample = data[:_SAMPLE]  # the code page is told from the first MiB (bounded work)
    high = [i for i, b in enumerate(sample) if b >= 0x80]
    clustered = sum(
        1 for i in high
        if (i > 0 and (sample[i - 1] >= 0x80 or sample[i - 1] == 0x20))
        and (i + 1 < len(sample) and (sample[i + 1] >= 0x80 or sample[i + 1] in b" .,:;!?)\r\n"))
    )  # fmt: skip
    encoding = "cp1256" if high and clustered * 2 >= len(high) else "cp1252"
    text = _strict(data, encoding, where)
    controls = len(text) - len(text.translate(_CONTROLS))
    if controls > max(8, len(text) // 100):
        raise InvalidInput(f"{controls} control characters, so it is not a text file (is "
                           "it a binary file with a text extension?)", path=where)  # fmt: skip
    return text, encoding


def _strict(data: bytes, encoding: str, where: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as err:
        raise InvalidInput(f"byte {err.start} is not valid {encoding}", path=where) from err
    except LookupError:  # an HTML page declaring a charset Python has no text codec for
        raise InvalidInput(f"declares the character set {encoding[:40]!r}, which is not "
                           "a known text encoding", path=where) from None  # fmt: skip


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
        raise InvalidInput(f"cannot be read as HTML ({err})", path=where) from err
    meta = parser.meta
    published = _iso_date(meta.get("article:published_time") or meta.get("date")
                          or meta.get("datepublished") or meta.get("time") or "")  # fmt: skip
    doc = parser.out.document(
        "html", encoding=encoding, title=_SPACE.sub(" ", parser.title).strip() or None,
        source=meta.get("og:site_name") or meta.get("author") or None, published=published,
    )  # fmt: skip
    if not doc.text:
        raise InvalidInput("the HTML page holds no text", path=where)
    return doc


def _iso_date(value: str) -> date | None:
    found = re.match(r"(\d{4})-(\d{2})-(\d{2})", value.strip())
    if not found:
        return None
    try:
        return date(int(found[1]), int(found[2]), int(found[3]))
    except ValueError:
        return None


#: limits on what a PDF may make pypdf do (its own defaults are 75 MB per stream): the
#: output of one decompressed stream (bytes), pages, and characters of text in all
MAX_PDF_STREAM = 32 * 1024 * 1024
MAX_PDF_PAGES = 5000
MAX_TEXT_CHARS = 20_000_000
#: pypdf's settings (``pypdf.Configuration``) that cap the output of one stream
_PDF_LIMITS = (
    "maximum_declared_stream_length",
    "array_based_stream_maximum_output_length",
    "jbig2_maximum_output_length",
    "lzw_maximum_output_length",
    "run_length_maximum_output_length",
    "zlib_maximum_output_length",
    "brotli_maximum_output_length",
)


def read_pdf(data: bytes, where: str) -> Document:
    """The text layer of every page, pages separated as paragraphs.

    pypdf meets hostile files here, and it raises many kinds of exception on them (its
    own, but also ``KeyError``, ``AttributeError``, ``RecursionError``...), so every
    exception while pypdf reads is the file's fault and becomes one ``InvalidInput``.
    Decompression is capped per stream (:data:`MAX_PDF_STREAM`), and so are the pages
    and the text kept."""
    try:
        pages, info = _pdf_pages(data, where)
    except InvalidInput:
        raise
    except Exception as err:  # pypdf's many kinds of error: see the docstring
        why = str(err).strip().splitlines()[0][:200] if str(err).strip() else type(err).__name__
        raise InvalidInput(f"cannot be read as PDF ({why})", path=where) from err
    scanned = not any(p.strip() for p in pages)
    if scanned:
        from dalil.extract import ocr

        lacking = ocr.missing()
        if lacking:
            raise InvalidInput(
                f"no text layer on any of its {len(pages)} page(s) (a scanned PDF); "
                f"OCR needs {lacking}, or run OCR on it first (for example `ocrmypdf -l "
                "ara+eng IN.pdf OUT.pdf`) and add the OCR'd file",
                path=where,
            )
        pages = ocr.pages(data, where)
        if not any(p.strip() for p in pages):
            raise InvalidInput(f"OCR found no text on its {len(pages)} page(s)", path=where)
    b = _Builder()
    for n, page in enumerate(pages, start=1):
        pos = 0
        for gap in [*re.finditer(r"\n\s*\n", page), None]:
            end = gap.start() if gap else len(page)
            b.add(page[pos:end], pos, page=n)
            b.brk(end, page=n)
            pos = gap.end() if gap else end
    published = None
    if found := re.match(r"D:(\d{4})(\d{2})(\d{2})", info.get("created", "")):
        published = _iso_date(f"{found[1]}-{found[2]}-{found[3]}")
    doc = b.document("pdf", title=info.get("title"), source=info.get("author"),
                     published=published)  # fmt: skip
    doc.ocr = scanned
    return doc


def _pdf_pages(data: bytes, where: str) -> tuple[list[str], dict[str, str]]:
    """The text of each page and the metadata (``title``, ``author``, ``created``), read
    under :data:`MAX_PDF_STREAM`; refuses too many pages or too much text."""
    import pypdf
    from pypdf import PdfReader

    limits = dict.fromkeys(_PDF_LIMITS, MAX_PDF_STREAM)
    configure = getattr(pypdf, "apply_configuration", None)  # pypdf 7; older ones: defaults
    with configure(**limits) if configure else contextlib.nullcontext():
        reader = PdfReader(io.BytesIO(data))
        count = len(reader.pages)
        if count > MAX_PDF_PAGES:
            raise InvalidInput(f"{count:,} pages is more than the {MAX_PDF_PAGES:,} a report "
                               "may have; split it", path=where)  # fmt: skip
        pages: list[str] = []
        size = 0
        for page in reader.pages:
            text = page.extract_text() or ""
            size += len(text)
            if size > MAX_TEXT_CHARS:
                raise InvalidInput(f"holds more than the {MAX_TEXT_CHARS:,} characters of "
                                   "text a report may have; split it", path=where)  # fmt: skip
            pages.append(text)
        meta = reader.metadata
        info: dict[str, str] = {}
        if meta is not None:
            for key, name in (("/Title", "title"), ("/Author", "author"),
                              ("/CreationDate", "created")):  # fmt: skip
                value = meta.get(key)
                if value is not None and str(value).strip():
                    info[name] = str(value)[:1000]
    return pages, info


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
#: limits on a DOCX's members, checked on the zip's directory before any is inflated:
#: the text part (``word/document.xml``) and the core properties, in uncompressed bytes;
#: the ratio of uncompressed to compressed size of a part over 1 MiB (Word's XML
#: compresses 5 to 20 times; a zip bomb about 1,000 times); members in the archive
MAX_DOCX_XML = 64 * 1024 * 1024
MAX_DOCX_CORE = 1024 * 1024
MAX_DOCX_RATIO = 100
MAX_DOCX_MEMBERS = 10_000
_CHUNK = 1 << 20


class _Refused(Exception):
    """Raised inside the XML handlers to stop reading a part (why, for the message)."""


def _member(z: zipfile.ZipFile, name: str, limit: int, where: str) -> zipfile.ZipInfo:
    """The directory entry of part ``name``, refused (before anything is inflated) when it
    is missing, larger than ``limit`` bytes or compressed suspiciously well."""
    try:
        info = z.getinfo(name)
    except KeyError:
        raise InvalidInput(f"cannot be read as a Word (DOCX) file (it has no {name})",
                           path=where) from None  # fmt: skip
    if info.file_size > limit:
        raise InvalidInput(f"its {name} would be {info.file_size:,} bytes uncompressed, more "
                           f"than the {limit:,} bytes dalil reads", path=where)  # fmt: skip
    if info.file_size > _CHUNK and info.file_size > MAX_DOCX_RATIO * max(info.compress_size, 1):
        raise InvalidInput(f"its {name} expands {info.file_size // max(info.compress_size, 1):,}"
                           f" times (a zip bomb?); dalil reads parts that expand at most "
                           f"{MAX_DOCX_RATIO} times", path=where)  # fmt: skip
    return info


def _parse(z: zipfile.ZipFile, info: zipfile.ZipInfo, parser: Any) -> None:
    """Stream one part through an expat ``parser`` in 1 MiB pieces, never more than the
    size its directory entry declared (checked by :func:`_member`)."""
    seen = 0
    with z.open(info) as part:
        while chunk := part.read(_CHUNK):
            seen += len(chunk)
            if seen > info.file_size:
                raise _Refused(f"{info.filename} is larger than its zip entry says")
            parser.Parse(chunk, False)
    parser.Parse(b"", True)


def _expat(where: str) -> Any:
    """An expat parser with namespaces (``uri}name``) that refuses any DTD: Office XML
    never has one, and a DTD is how entity-expansion bombs and external entities come."""

    def no_dtd(*_: object) -> None:
        raise _Refused("it declares a DTD, which Word files never do")

    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartDoctypeDeclHandler = no_dtd
    parser.EntityDeclHandler = no_dtd
    parser.buffer_text = True
    return parser


#: what a reading of a DOCX can raise because of the file (zip, inflate, XML)
_DOCX_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, ValueError, OSError,
                EOFError, RuntimeError, NotImplementedError, zlib.error, lzma.LZMAError,
                expat.ExpatError, _Refused)  # fmt: skip


def read_docx(data: bytes, where: str) -> Document:
    """The paragraphs of a Word (DOCX) file, with title and date from its core
    properties.

    A DOCX is a zip: the sizes its directory declares are checked before anything is
    inflated (:func:`_member`), and ``word/document.xml`` is parsed as a stream, so memory
    stays at one paragraph's text whatever the file holds. Broken core properties
    (``docProps/core.xml``) are ignored: they only give the title and date."""
    if data.count(b"PK\x01\x02") > MAX_DOCX_MEMBERS:
        raise InvalidInput(f"cannot be read as a Word (DOCX) file (more than "
                           f"{MAX_DOCX_MEMBERS:,} members)", path=where)  # fmt: skip
    b = _Builder()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            body = _member(z, "word/document.xml", MAX_DOCX_XML, where)
            _parse(z, body, _body_parser(b, where))
            title, published = _core(z, where)
    except InvalidInput:
        raise
    except _DOCX_ERRORS as err:
        why = str(err).strip().splitlines()[0][:200] if str(err).strip() else type(err).__name__
        raise InvalidInput(f"cannot be read as a Word (DOCX) file ({why})", path=where) from err
    return b.document("docx", title=title, published=published)


def _body_parser(b: _Builder, where: str) -> Any:
    """An expat parser adding the text of each ``w:p`` to ``b`` as it streams past; a
    paragraph inside another (a text box) counts as part of the outer one."""
    parser = _expat(where)
    state = {"paragraph": 0, "depth": 0, "pos": 0, "text": 0}

    def start(tag: str, _attrs: object) -> None:
        if tag == f"{_W}p":
            if not state["depth"]:
                state["paragraph"] += 1
                state["pos"] = 0
            state["depth"] += 1
        elif tag == f"{_W}t":
            state["text"] += 1
        elif tag == f"{_W}tab" and state["depth"]:
            b.add("\t", state["pos"], paragraph=state["paragraph"])
            state["pos"] += 1

    def end(tag: str) -> None:
        if tag == f"{_W}p" and state["depth"]:
            state["depth"] -= 1
            if not state["depth"]:
                b.brk(state["pos"], paragraph=state["paragraph"])
        elif tag == f"{_W}t" and state["text"]:
            state["text"] -= 1

    def text(piece: str) -> None:
        if state["text"] and state["depth"]:
            b.add(piece, state["pos"], paragraph=state["paragraph"])
            state["pos"] += len(piece)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    return parser


def _core(z: zipfile.ZipFile, where: str) -> tuple[str | None, date | None]:
    """Title and creation date from ``docProps/core.xml``; ``(None, None)`` when it is
    missing, too large or broken (the text is what matters; these are a convenience)."""
    try:
        info = _member(z, "docProps/core.xml", MAX_DOCX_CORE, where)
    except InvalidInput:
        return None, None
    found: dict[str, str] = {}
    current: list[str] = []
    closed: set[str] = set()  # the first title and date count, as Word shows them

    def start(tag: str, _attrs: object) -> None:
        current.append(tag.rsplit("}", 1)[-1])

    def end(_tag: str) -> None:
        closed.add(current.pop())

    def text(piece: str) -> None:
        name = current[-1] if current else ""
        if name in ("title", "created") and name not in closed and len(found.get(name, "")) < 4096:
            found[name] = found.get(name, "") + piece

    parser = _expat(where)
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    try:
        _parse(z, info, parser)
    except _DOCX_ERRORS:
        return None, None
    title = found.get("title", "").strip() or None
    return title[:1000] if title else None, _iso_date(found.get("created", ""))


def read(path: Path, data: bytes | None = None) -> Document:
    """Read a report file into a :class:`Document`, by its content: PDF and DOCX by their
    signatures, HTML by its markup, anything else as plain text.

    Errors are located by the file's base name only (``InvalidInput.path``): the web app
    reads uploads from a scratch folder whose absolute path is no business of the person
    who sent the file."""
    where = path.name or str(path)
    if data is None:
        try:
            size = path.stat().st_size
            if size > MAX_BYTES:
                raise InvalidInput(f"{size:,} bytes is more than the {MAX_BYTES:,} bytes a "
                                   "report may have; split it", path=where)  # fmt: skip
            data = path.read_bytes()
        except OSError as err:
            raise InvalidInput(f"cannot be read ({err.strerror or err})", path=where) from None
    elif len(data) > MAX_BYTES:
        raise InvalidInput(f"more than the {MAX_BYTES:,} bytes a report may have", path=where)
    if not data.strip():
        raise InvalidInput("the file is empty", path=where)
    if data.startswith(b"%PDF-"):
        return read_pdf(data, where)
    if data.startswith(b"PK\x03\x04"):
        return read_docx(data, where)
    head = data[:2048].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"\xef\xbb\xbf<")) or b"<body" in head:
        return read_html(data, where)
    return read_text(data, where)
