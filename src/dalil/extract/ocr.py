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

    pdf = pdfium.PdfDocument(data)
    out: list[str] = []
    with tempfile.TemporaryDirectory(prefix="dalil-ocr-") as tmp:
        for n, page in enumerate(pdf, start=1):
            image = Path(tmp) / f"page-{n}.png"
            page.render(scale=DPI / 72).to_pil().save(image)
            try:
                done = subprocess.run(
                    ["tesseract", str(image), "stdout", "-l", LANGUAGES],
                    capture_output=True, timeout=PAGE_TIMEOUT, check=False,
                )  # fmt: skip
            except subprocess.TimeoutExpired as err:
                raise InvalidInput(f"{where}: OCR of page {n} took more than "
                                   f"{PAGE_TIMEOUT} s; split the file") from err  # fmt: skip
            if done.returncode != 0:
                why = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["?"]
                raise InvalidInput(f"{where}: OCR of page {n} failed: {why[0]}")
            out.append(done.stdout.decode("utf-8", "replace"))
    return out
