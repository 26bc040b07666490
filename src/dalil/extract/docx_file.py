"""Word (DOCX) files: the paragraphs of ``word/document.xml``, read with the standard
library as a stream, after the zip's declared sizes are checked (see :func:`read_docx`)."""

from __future__ import annotations

import io
import lzma
import zipfile
import zlib
from datetime import date
from typing import Any
from xml.parsers import expat

from dalil.errors import InvalidInput
from dalil.extract.text_map import Document, TextBuilder, iso_date

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
    b = TextBuilder()
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


def _body_parser(b: TextBuilder, where: str) -> Any:
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
    return title[:1000] if title else None, iso_date(found.get("created", ""))
