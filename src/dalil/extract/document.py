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

Each format has its module (:mod:`~dalil.extract.plain_text`,
:mod:`~dalil.extract.html_page`, :mod:`~dalil.extract.pdf_file`,
:mod:`~dalil.extract.docx_file`), and the text with its map back to the original is
:mod:`~dalil.extract.text_map`; this module chooses the format and re-exports their public
names. Nothing here writes anything: a file that cannot be read raises one
:class:`~dalil.errors.InvalidInput` located at the file's base name (never the folder it
was read from) and saying what is wrong with it; no other exception leaves :func:`read`.
Every format has bounds on the work a hostile file can cause (sizes, pages, ratios).
"""

from __future__ import annotations

from pathlib import Path

from dalil.errors import InvalidInput
from dalil.extract.docx_file import MAX_DOCX_CORE as MAX_DOCX_CORE
from dalil.extract.docx_file import MAX_DOCX_MEMBERS as MAX_DOCX_MEMBERS
from dalil.extract.docx_file import MAX_DOCX_RATIO as MAX_DOCX_RATIO
from dalil.extract.docx_file import MAX_DOCX_XML as MAX_DOCX_XML
from dalil.extract.docx_file import read_docx
from dalil.extract.html_page import read_html
from dalil.extract.pdf_file import MAX_PDF_PAGES as MAX_PDF_PAGES
from dalil.extract.pdf_file import MAX_PDF_STREAM as MAX_PDF_STREAM
from dalil.extract.pdf_file import MAX_TEXT_CHARS as MAX_TEXT_CHARS
from dalil.extract.pdf_file import read_pdf
from dalil.extract.plain_text import decode as decode
from dalil.extract.plain_text import read_text
from dalil.extract.text_map import Document as Document
from dalil.extract.text_map import Origin as Origin
from dalil.extract.text_map import Paragraph as Paragraph
from dalil.extract.text_map import language as language
from dalil.extract.text_map import paragraphs as paragraphs

__all__ = [
    "MAX_BYTES",
    "MAX_DOCX_CORE",
    "MAX_DOCX_MEMBERS",
    "MAX_DOCX_RATIO",
    "MAX_DOCX_XML",
    "MAX_PDF_PAGES",
    "MAX_PDF_STREAM",
    "MAX_TEXT_CHARS",
    "Document",
    "Origin",
    "Paragraph",
    "decode",
    "language",
    "paragraphs",
    "read",
    "read_docx",
    "read_html",
    "read_pdf",
    "read_text",
]

#: the largest file read (bytes); a bigger one is refused before it is read
MAX_BYTES = 50 * 1024 * 1024


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
