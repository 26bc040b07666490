"""PDF files: the text layer of each page (pypdf), or OCR of the page images when there
is none and Tesseract is installed (:mod:`dalil.extract.ocr`), under bounds on what a
hostile file can make pypdf do."""

from __future__ import annotations

import contextlib
import io
import re

from dalil.errors import InvalidInput
from dalil.extract.text_map import Document, TextBuilder, iso_date

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
    b = TextBuilder()
    for n, page in enumerate(pages, start=1):
        pos = 0
        for gap in [*re.finditer(r"\n\s*\n", page), None]:
            end = gap.start() if gap else len(page)
            b.add(page[pos:end], pos, page=n)
            b.brk(end, page=n)
            pos = gap.end() if gap else end
    published = None
    if found := re.match(r"D:(\d{4})(\d{2})(\d{2})", info.get("created", "")):
        published = iso_date(f"{found[1]}-{found[2]}-{found[3]}")
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
