"""OCR of scanned PDFs through Tesseract, an optional extra.

A PDF with no text layer is a photograph of text. When the Tesseract program (with its
Arabic and English data: Debian's ``tesseract-ocr-ara`` and ``tesseract-ocr-eng``) and the
``pypdfium2`` package (``pip install 'dalil[ocr]'``) are installed, each page is rendered at
300 dpi and read by Tesseract; otherwise the PDF is refused with what to install.
Nothing is downloaded. OCR'd text is marked as such (:attr:`Document.ocr`), because its
spans point at what Tesseract read, which a reviewer checks against the page image.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import tempfile
from pathlib import Path

from dalil.errors import InvalidInput

#: Tesseract's language data used (Arabic first: most scanned statements are Arabic)
LANGUAGES = "ara+eng"
DPI = 300
#: seconds Tesseract may take over one page
PAGE_TIMEOUT = 180
#: pages OCR'd in one file (each can take minutes), and the pixels one page is rendered
#: to: an A2 page at 300 dpi is 35 million; a larger page is rendered at a lower
#: resolution, so a hostile page size (a PDF may declare 200 x 200 inches) cannot make a
#: multi-gigabyte image
MAX_PAGES = 200
MAX_PIXELS = 40_000_000


def missing() -> str | None:
    """What is not installed for OCR, or None when it can run."""
    if importlib.util.find_spec("pypdfium2") is None:
        return "the pypdfium2 package (pip install 'dalil[ocr]')"
    if shutil.which("tesseract") is None:
        return "the Tesseract program (apt install tesseract-ocr tesseract-ocr-ara)"
    return None


def pages(data: bytes, where: str) -> list[str]:
    """The text Tesseract reads on every page of the PDF ``data``."""
    import pypdfium2 as pdfium  # type: ignore[import-untyped]

    try:
        pdf = pdfium.PdfDocument(data)
        count = len(pdf)
    except pdfium.PdfiumError as err:
        raise InvalidInput(f"cannot be read as PDF for OCR ({err})", path=where) from None
    if count > MAX_PAGES:
        raise InvalidInput(f"{count:,} scanned pages is more than the {MAX_PAGES} read by "
                           "OCR at once; split the file", path=where)  # fmt: skip
    out: list[str] = []
    with tempfile.TemporaryDirectory(prefix="dalil-ocr-") as tmp:
        for n in range(1, count + 1):
            image = Path(tmp) / f"page-{n}.png"
            try:
                page = pdf[n - 1]
                width, height = page.get_size()  # points (1/72 inch)
                scale = min(DPI / 72, (MAX_PIXELS / max(width * height, 1.0)) ** 0.5)
                page.render(scale=scale).to_pil().save(image)
            except (pdfium.PdfiumError, ValueError, OSError) as err:
                raise InvalidInput(f"page {n} cannot be rendered for OCR ({err})",
                                   path=where) from None  # fmt: skip
            try:
                done = subprocess.run(
                    ["tesseract", str(image), "stdout", "-l", LANGUAGES],
                    capture_output=True, timeout=PAGE_TIMEOUT, check=False,
                )  # fmt: skip
            except subprocess.TimeoutExpired as err:
                raise InvalidInput(f"OCR of page {n} took more than {PAGE_TIMEOUT} s; split "
                                   "the file", path=where) from err  # fmt: skip
            if done.returncode != 0:
                why = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["?"]
                raise InvalidInput(f"OCR of page {n} failed: {why[0]}", path=where)
            out.append(done.stdout.decode("utf-8", "replace"))
    return out
