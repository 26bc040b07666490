"""Reading reports into text: every format, every encoding, the map back to the original,
and a clear refusal (naming the file) for what cannot be read."""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfWriter

from dalil.errors import InvalidInput
from dalil.extract import document, ocr
from dalil.extract.document import read

ARABIC = "قُتل أكثر من 100 مدني في بانياس يومي 8 و9 آذار 2025."
ENGLISH = "More than 100 civilians were killed in Baniyas on 8 and 9 March 2025."


def pdf(*pages: str) -> bytes:
    """A minimal PDF with one line of Helvetica text per page (ASCII only), written by
    hand so the test needs no PDF writer."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", ""]
    kids = []
    for text in pages:
        stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
        n = len(objects) + 1
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            f"/Contents {n + 1} 0 R /Resources << /Font << /F1 {n + 2} 0 R >> >> >>"
        )
        objects.append(f"<< /Length {len(stream)} >>\nstream\n{stream.decode()}\nendstream")
        objects.append("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
        kids.append(f"{n} 0 R")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>"
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{i} 0 obj\n{body}\nendobj\n".encode())
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


def docx(*paragraphs: str, created: str = "2025-03-14T10:00:00Z") -> bytes:
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = "".join(f"<w:p><w:r><w:t>{p[:10]}</w:t></w:r><w:r><w:t xml:space=\"preserve\">"
                   f"{p[10:]}</w:t></w:r></w:p>" for p in paragraphs)  # fmt: skip
    core = ('<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
            'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:dcterms="http://purl.org/dc/terms/"><dc:title>Statement</dc:title>'
            f'<dcterms:created>{created}</dcterms:created></cp:coreProperties>')  # fmt: skip
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(
            "word/document.xml", f'<w:document xmlns:w="{w}"><w:body>{body}</w:body></w:document>'
        )
        z.writestr("docProps/core.xml", core)
    return out.getvalue()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1256"])
def test_arabic_text_in_every_common_encoding(encoding: str) -> None:
    doc = read(Path("statement.txt"), f"{ARABIC}\n\n{ENGLISH}\n".encode(encoding))
    assert doc.text == f"{ARABIC}\n\n{ENGLISH}"
    assert [p.language for p in doc.paragraphs] == ["ar", "en"]
    assert doc.encoding == {"utf-8-sig": "utf-8"}.get(encoding, encoding)


def test_latin_single_byte_text_is_windows_1252() -> None:
    doc = read(Path("note.txt"), "Témoignage recueilli à Genève, café fermé.".encode("cp1252"))
    assert doc.encoding == "cp1252" and doc.text.startswith("Témoignage")


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"", "empty"),
        (b"\x00\x01\x02binary\x00" * 20, "not a text file"),
        ("بانياس".encode() * 3 + "بانياس".encode("cp1256"), "mixes encodings"),
        (bytes(range(1, 32)) * 20 + b"\xe9", "not a text file"),
        (b"%PDF-1.4 broken", "cannot be read as PDF"),
        (b"PK\x03\x04 broken", "cannot be read as a Word"),
    ],
)
def test_unreadable_files_are_refused_by_name(data: bytes, says: str) -> None:
    with pytest.raises(InvalidInput, match=says) as err:
        read(Path("/srv/scratch/web-1234/bad.txt"), data)
    # located by the base name only: never the folder (a server's scratch path) it was in
    assert err.value.path == "bad.txt" and "/srv" not in str(err.value)


def test_huge_files_are_refused_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(document, "MAX_BYTES", 100)
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * 101)
    with pytest.raises(InvalidInput, match="more than the 100 bytes"):
        read(big)


def test_html_main_text_maps_back_to_the_source() -> None:
    source = (
        '<html><head><title>Killings in Baniyas</title><meta name="author" content="Monitor">'
        '<meta property="article:published_time" content="2025-03-10T09:00:00Z">'
        "<script>var x = '8 March';</script></head><body><nav>Home | 24 hours</nav>"
        "<article><h1>Baniyas</h1><p>Gunmen killed <b>more than 100</b> civilians &amp; "
        "burned   houses on\n8 March.</p><p>بيروت - قُتل 14 شخصاً</p></article>"
        "<footer>12 bureaus</footer></body></html>"
    )
    doc = read(Path("page.html"), source.encode())
    assert doc.text == ("Baniyas\n\nGunmen killed more than 100 civilians & burned houses on "
                        "8 March.\n\nبيروت - قُتل 14 شخصاً")  # fmt: skip
    assert (doc.title, doc.source, str(doc.published)) == (
        "Killings in Baniyas",
        "Monitor",
        "2025-03-10",
    )
    for needle in ("more than 100", "8 March", "بيروت", "14"):
        at = doc.text.index(needle)
        origin = doc.origin(at).offset
        assert source[origin : origin + len(needle)] == needle
    assert source[doc.origin(doc.text.index("&")).offset :].startswith("&amp;")


def test_broken_html_still_gives_its_text() -> None:
    doc = read(Path("broken.html"), b"<html><body><p>Killed in <b>Jableh<p>on 7 March</div></span>")
    assert doc.text == "Killed in Jableh\n\non 7 March"


def test_pdf_pages_and_scanned_pdfs(monkeypatch: pytest.MonkeyPatch) -> None:
    doc = read(Path("report.pdf"), pdf("Killed in Baniyas on 8 March 2025.", "Page two: Jableh."))
    assert "Baniyas" in doc.text and "Jableh" in doc.text and not doc.ocr
    at = doc.text.index("Jableh")
    assert doc.origin(at).page == 2 and str(doc.origin(at)).startswith("page 2")
    blank = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    writer.write(blank)
    # without the OCR extra, a scanned PDF is refused with what to install
    monkeypatch.setattr(ocr, "missing", lambda: "the Tesseract program")
    with pytest.raises(InvalidInput, match=r"scan.pdf: no text layer.*OCR needs the Tesseract"):
        read(Path("scan.pdf"), blank.getvalue())


def test_docx_paragraphs_and_properties() -> None:
    doc = read(Path("statement.docx"), docx(ENGLISH, ARABIC))
    assert doc.text == f"{ENGLISH}\n\n{ARABIC}"
    assert (doc.format, doc.title, str(doc.published)) == ("docx", "Statement", "2025-03-14")
    at = doc.text.index("بانياس")
    assert doc.origin(at).paragraph == 2 and doc.origin(at).offset == ARABIC.index("بانياس")


# -- hostile and broken DOCX (review M4, L3) -------------------------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def docx_parts(document: str | bytes, core: str | bytes | None = None) -> bytes:
    """A DOCX holding exactly these two parts (no core properties when ``core`` is None)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", document)
        if core is not None:
            z.writestr("docProps/core.xml", core)
    return out.getvalue()


@pytest.mark.parametrize(
    "core",
    [
        "<not-closed",
        "<cp:coreProperties xmlns:cp='urn:x'><dc:title>unbound prefix</dc:title>",
        b"\xff\xfe\x00garbage",
        '<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>',
        "<x>" + "<dc:title xmlns:dc='http://purl.org/dc/elements/1.1/'>t</dc:title>" * 200_000,
    ],
)
def test_broken_core_properties_are_ignored(core: str | bytes) -> None:
    """L3: a malformed docProps/core.xml raised ElementTree.ParseError out of read (a
    traceback in the CLI, HTTP 500 on the web). Core properties only give the title and
    date, so the text is read and they are left out."""
    doc = read(Path("badcore.docx"), docx_parts(_body(ENGLISH), core))
    assert doc.text == ENGLISH and doc.title is None and doc.published is None


def _body(*paragraphs: str, extra: str = "") -> str:
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    return f'{extra}<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>'


def test_docx_tables_tabs_and_the_first_title() -> None:
    """The streaming reader gives what the tree reader gave: table cells are paragraphs,
    a tab is white space, text outside ``w:t`` is not text, and the first title counts."""
    table = (f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>Name</w:t><w:tab/>'
             "<w:t>Age</w:t></w:r></w:p><w:tbl><w:tr><w:tc><w:p><w:r><w:t>Rami</w:t></w:r>"
             "</w:p></w:tc><w:tc><w:p><w:r><w:instrText>PAGE</w:instrText><w:t>41</w:t>"
             "</w:r></w:p></w:tc></w:tr></w:tbl></w:body></w:document>")  # fmt: skip
    core = ('<cp:coreProperties xmlns:cp="urn:cp" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>First</dc:title>'
            "<dc:title>Second</dc:title></cp:coreProperties>")  # fmt: skip
    doc = read(Path("table.docx"), docx_parts(table, core))
    assert doc.text == "Name Age\n\nRami\n\n41" and doc.title == "First"
    assert doc.origin(doc.text.index("41")).paragraph == 3


def test_docx_with_a_dtd_is_refused() -> None:
    """Entity expansion (a "billion laughs") needs a DTD; Word files never have one."""
    laughs = ('<!DOCTYPE w:document [<!ENTITY a "hahahahaha">'
              + "".join(f'<!ENTITY {c} "{("&" + p + ";") * 10}">'
                        for p, c in zip("abcdefgh", "bcdefghi", strict=True))
              + "]>")  # fmt: skip
    with pytest.raises(InvalidInput, match="declares a DTD") as err:
        read(Path("laughs.docx"), docx_parts(_body("&i;", extra=laughs)))
    assert err.value.path == "laughs.docx"


def test_docx_part_that_expands_too_well_is_refused() -> None:
    """8 MiB of XML in a few kilobytes: under the size limit, but no Word file compresses
    like that (the ratio limit refuses it before it is inflated)."""
    bomb = _body("x" + " " * (8 << 20))
    with pytest.raises(InvalidInput, match=r"word/document.xml expands [\d,]+ times") as err:
        read(Path("ratio.docx"), docx_parts(bomb))
    assert err.value.path == "ratio.docx"
    rng = random.Random(20)
    words = [rng.randbytes(30).hex() for _ in range(30_000)]
    ordinary = _body(*[" ".join(words[n : n + 100]) for n in range(0, len(words), 100)])
    assert len(ordinary) > 1 << 20  # over 1 MiB, so the ratio is checked, and it passes
    assert read(Path("long.docx"), docx_parts(ordinary)).text.endswith(words[-1])


def test_html_declaring_an_unknown_or_binary_charset_is_refused() -> None:
    for charset in ("x-no-such", "base64", "rot13"):
        page = f'<html><head><meta charset="{charset}"></head><body>Text</body></html>'
        with pytest.raises(InvalidInput, match="not a known text encoding") as err:
            read(Path("page.html"), page.encode())
        assert err.value.path == "page.html"
