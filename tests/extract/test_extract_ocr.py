"""OCR of a scanned PDF through Tesseract (the optional ``ocr`` extra). Without Tesseract
or pypdfium2 the module is skipped with that reason, unless ``DALIL_REQUIRE_OCR`` is set
(as ``.ci/run`` does), when their absence fails the run."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from dalil.errors import InvalidInput
from dalil.extract import ocr
from dalil.extract.document import read
from dalil.extract.proposals import Extractor

if (lacking := ocr.missing()) is not None:
    if os.environ.get("DALIL_REQUIRE_OCR"):
        raise RuntimeError(f"OCR needs {lacking}")
    pytest.skip(f"OCR needs {lacking} (make test installs it)", allow_module_level=True)


def scanned(*lines: str) -> bytes:
    """A one-page PDF holding only a picture of ``lines`` (no text layer)."""
    font = ImageFont.load_default(size=40)
    image = Image.new("L", (1240, 120 + 80 * len(lines)), 255)
    draw = ImageDraw.Draw(image)
    for n, line in enumerate(lines):
        draw.text((60, 60 + 80 * n), line, fill=0, font=font)
    out = io.BytesIO()
    image.save(out, "PDF", resolution=150)
    return out.getvalue()


def test_a_scanned_pdf_is_read_by_ocr_and_its_facts_proposed() -> None:
    doc = read(
        Path("scan.pdf"), scanned("Gunmen killed 32 civilians", "in Baniyas on 8 March 2025.")
    )
    assert doc.ocr and doc.format == "pdf"
    assert "Baniyas" in doc.text and doc.origin(doc.text.index("Baniyas")).page == 1
    found = {(p.kind, p.text) for p in Extractor().propose(doc)}
    assert {("count", "32"), ("place", "Baniyas"), ("date", "8 March 2025")} <= found


def test_a_blank_scan_is_refused_by_name() -> None:
    with pytest.raises(InvalidInput, match=r"blank\.pdf: OCR found no text"):
        read(Path("blank.pdf"), scanned())
