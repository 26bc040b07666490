"""The case file's moments for people (issue 23, item 3): the signed tree head's time as a
date and time in the reader's language, in UTC and saying so, while the appendix keeps the
signed milliseconds that ``tools/verify_bundle.py`` checks; and the victims section's charts
(the forest plot and the list overlap) with their text alternatives, in HTML and in the PDF.

The PDF is read with pdftotext (poppler-utils, ``make report-tools``); without it, or
without WeasyPrint, the PDF checks are skipped unless ``DALIL_REQUIRE_REPORT_TOOLS`` is set."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from dalil.estimate import service as estimates
from dalil.linkage import service as linkage
from dalil.model.words import translations
from dalil.records.cases import all_cases
from dalil.report import casefile
from dalil.vault.bundle import verify_bundle
from dalil.vault.service import Vault
from dalil.web.code_labels import LABELS
from dalil.workspace import Workspace
from tests_support import DEMO_PASSPHRASE, make_settings

MS = 1796519915115  # 2026-12-06 01:18:35.115 UTC


def test_moment_is_written_in_the_readers_language_in_utc() -> None:
    en = str(casefile.moment(MS, "en"))
    assert en == '<time datetime="2026-12-06T01:18:35Z">6 December 2026, 01:18:35 UTC</time>'
    ar = str(casefile.moment(MS, "ar"))
    assert ar == (
        '<time datetime="2026-12-06T01:18:35Z" lang="ar" dir="rtl">'
        "6 كانون الأول 2026، 01:18:35 UTC</time>"
    )
    # a naive datetime (as SQLite gives it) and ISO text are UTC
    naive = datetime(2026, 12, 6, 1, 18, 35)
    assert casefile.moment(naive, "en") == casefile.moment(naive.replace(tzinfo=UTC), "en")
    assert "01:18:35 UTC" in casefile.moment("2026-12-06T01:18:35", "en")
    assert casefile.moment(None) == ""


def test_day_is_a_long_date_and_a_partial_date_as_the_screens_write_it() -> None:
    assert (
        str(casefile.day("2025-03-06", "en")) == '<time datetime="2025-03-06">6 March 2025</time>'
    )
    assert "6 آذار 2025" in casefile.day(date(2025, 3, 6), "ar")
    assert str(casefile.day("2025-03", "en")) == '<time datetime="2025-03">March 2025</time>'
    assert "آذار 2025" in casefile.day("2025-03", "ar")
    assert str(casefile.day("2025", "en")) == '<time datetime="2025">2025</time>'
    assert str(casefile.day("not a date", "en")) == "<bdi>not a date</bdi>"


def test_method_names_match_the_web_labels() -> None:
    assert LABELS["estimation_method"] == casefile.METHODS


@pytest.fixture(scope="module")
def linked(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Workspace, Vault, str]]:
    """The demo case with its lists linked and one log-linear estimate stored."""
    from dalil.demo import build_demo

    settings, _ = make_settings(tmp_path_factory.mktemp("casefile-time") / "ws", "sqlite")
    ws = Workspace.create(settings)
    vault = Vault.create(ws, DEMO_PASSPHRASE, "tester")
    build_demo(ws, vault=vault)
    with ws.session() as s:
        case_id = all_cases(s)[0].id
        linkage.run_linkage(s, case_id, "t")
    with ws.session() as s:
        estimates.estimate_case(s, case_id, "analyst", "loglinear", replicates=50)
    yield ws, vault, case_id
    ws.close()


def _dd(html: str, term: str) -> str:
    found = re.search(rf"<dt>{term}</dt><dd>(.*?)</dd>", html)
    assert found, term
    return found.group(1)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_case_file_signing_time_and_charts(
    linked: tuple[Workspace, Vault, str], lang: str, tmp_path: Path
) -> None:
    ws, vault, case_id = linked
    with ws.session() as s:
        cf = casefile.build(s, ws.home, case_id, "internal", sign=vault.checkpoint, lang=lang)
    assert cf.head is not None and cf.appendix is not None
    html = casefile.render_html(cf)
    words = translations("ar") if lang == "ar" else {}

    def w(english: str) -> str:  # the file's words in its language
        return words.get(english, english)

    stamp = datetime.fromtimestamp(cf.head.timestamp / 1000, UTC)
    signed = _dd(html, w("Signed at"))
    assert f'datetime="{stamp:%Y-%m-%dT%H:%M:%SZ}"' in signed
    assert f"{stamp:%H:%M:%S} UTC" in signed and str(stamp.year) in signed
    if lang == "ar":
        assert 'lang="ar" dir="rtl"' in signed
        assert re.search(r"[\u0600-\u06ff]", signed)  # the month in Arabic
    else:
        assert stamp.strftime("%B") in signed
    # the date comes first, then the signed number
    assert signed.index("</time>") < signed.index(f'id="dalil-signed-ms">{cf.head.timestamp}<')
    # the appendix keeps the signed number, and still verifies offline
    block = re.search(r'id="dalil-verification">(.*?)</script>', html, re.S)
    assert block and json.loads(block.group(1))["tree_head"]["timestamp"] == cf.head.timestamp
    path = tmp_path / "case.html"
    path.write_text(html, encoding="utf-8")
    assert verify_bundle(path, vault.ring.public_key)[0] == []
    # the generation time is written for people too
    generated = re.escape(w("Generated {when} by dalil {version} · case {case}").split("{")[0])
    assert re.search(generated + r"<time datetime=\"\d{4}-\d\d-\d\dT[\d:]+Z\"", html)
    # the charts, each with a text alternative; methods by name, not code
    assert 'aria-labelledby="cf-forest-title cf-forest-desc"' in html
    assert 'aria-labelledby="cf-overlap-title cf-overlap-desc"' in html
    assert w("Log-linear models") in html and ">loglinear " not in html
    assert "Number of people killed" in html and "documented on the lists: " in html
    assert w("On exactly {lists}").split("{lists}")[1] in html  # the overlap as a table
    if lang == "ar":  # the Arabic file: right to left, its headings and legal texts in Arabic
        assert '<html lang="ar" dir="rtl">' in html
        assert "<h2>11. ملحق التحقق</h2>" in html and "Verification appendix" not in html
        crimes = [c for _, ms in cf.matrices for c in ms]
        assert crimes and all(m.crime.title_in("ar") in html for m in crimes)
        assert all(m.crime.title_in("ar") != m.crime.title for m in crimes)
        items = [it.item for _, its in cf.checklists for it in its]
        assert items and all(i.text_in("ar") in html for i in items)


def _pdf_text(pdf: bytes, tmp_path: Path) -> str:
    pytest.importorskip("weasyprint")
    tool = shutil.which("pdftotext")
    if tool is None:
        if os.environ.get("DALIL_REQUIRE_REPORT_TOOLS"):
            raise RuntimeError("pdftotext (poppler-utils) is missing: run `make report-tools`")
        pytest.skip("pdftotext (poppler-utils) is missing: `make report-tools` installs it")
    path = tmp_path / "case.pdf"
    path.write_bytes(pdf)
    return subprocess.run([tool, str(path), "-"], check=True, capture_output=True, text=True).stdout


def test_case_file_pdf_shows_the_signing_time_and_the_charts(
    linked: tuple[Workspace, Vault, str], tmp_path: Path
) -> None:
    pytest.importorskip("weasyprint")
    ws, vault, case_id = linked
    with ws.session() as s:
        cf = casefile.build(s, ws.home, case_id, "public", sign=vault.checkpoint, lang="ar")
    assert cf.head is not None
    text = " ".join(_pdf_text(casefile.render_pdf(casefile.render_html(cf)), tmp_path).split())
    stamp = datetime.fromtimestamp(cf.head.timestamp / 1000, UTC)
    # pdftotext gives right-to-left text in visual order ("UTC 01:18:35 ،2026 الأول كانون 6"),
    # so the signing time is read around the signed number that follows it
    at = text.index(str(cf.head.timestamp))
    after = text[max(0, at - 200) : at + 200]
    assert f"{stamp:%H:%M:%S}" in after and "UTC" in after and str(stamp.year) in after
    assert re.search(r"[\u0600-\u06ff]", after)  # the month in Arabic
    for label in ("Number of people killed", "Persons on exactly these lists", "Log-linear models"):
        assert label in text, label
