"""Numbers and dates in the page's language (Babel; dalil.web.i18n and the Jinja filters
``number``, ``day`` and ``timestamp`` of dalil.web.deps): Levantine month names and Latin
digits in Arabic, day-month-year in English, ISO values kept in ``datetime=``."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from dalil.web import i18n
from dalil.web.deps import templates


def render(source: str, lang: str, **values: object) -> str:
    return templates.env.from_string(source).render(lang=lang, **values)


@pytest.mark.parametrize(
    ("value", "en", "ar"),
    [
        ("2025-03-07", "7 March 2025", "7 آذار 2025"),
        ("2025-04", "April 2025", "نيسان 2025"),
        ("2025", "2025", "2025"),
        (date(2024, 1, 5), "5 January 2024", "5 كانون الثاني 2024"),
        (datetime(2024, 12, 31, 23, 0), "31 December 2024", "31 كانون الأول 2024"),
        ("2025-03-07T10:00:00Z", "7 March 2025", "7 آذار 2025"),
    ],
)
def test_days_in_either_language(value: object, en: str, ar: str) -> None:
    assert i18n.day(value, "en")[1] == en  # type: ignore[arg-type,index]
    assert i18n.day(value, "ar")[1] == ar  # type: ignore[arg-type,index]


def test_what_is_not_a_date_is_shown_as_it_is() -> None:
    for value in ("2025-02-30", "2025-13", "spring 2024", "", None):
        assert i18n.day(value, "ar") is None  # type: ignore[arg-type]
    assert render("{{ v|day }}", "ar", v="spring 2024") == '<bdi dir="auto">spring 2024</bdi>'
    assert render("{{ v|day }}", "ar", v=None) == "—"


def test_the_day_filter_keeps_the_iso_value_in_datetime() -> None:
    assert render("{{ v|day }}", "ar", v="2025-03") == (
        '<time datetime="2025-03" dir="auto">آذار 2025</time>'
    )
    assert render("{{ v|day }}", "en", v="2025-03-07") == (
        '<time datetime="2025-03-07" dir="auto">7 March 2025</time>'
    )


def test_numbers_are_grouped_with_latin_digits() -> None:
    assert render("{{ n|number }}", "en", n=1234567) == "1,234,567"
    assert render("{{ n|number }}", "ar", n=1234567) == "1,234,567"
    assert i18n.number(2.5, "ar") == "2.5" and i18n.number("150", "en") == "150"
    assert i18n.number(None) == "—" and i18n.number("n/a") == "n/a"
    arabic_indic = set("٠١٢٣٤٥٦٧٨٩")
    assert not arabic_indic & set(i18n.number(9876543210, "ar"))


def test_timestamps_follow_the_page_and_stay_utc_in_datetime() -> None:
    moment = datetime(2026, 12, 7, 1, 2, 3)
    assert render("{{ m|timestamp }}", "en", m=moment) == (
        '<time datetime="2026-12-07T01:02:03Z" dir="auto">7 December 2026 01:02:03 UTC</time>'
    )
    assert render("{{ m|timestamp }}", "ar", m="2026-03-07T04:02:03+03:00") == (
        '<time datetime="2026-03-07T01:02:03Z" dir="auto">7 آذار 2026 01:02:03 UTC</time>'
    )
    assert render("{{ m|timestamp }}", "ar", m=None) == "—"


def test_formatted_values_carry_no_invisible_direction_marks() -> None:
    """Direction is the page's job (<bdi>, dir=auto): a stray RLM/ALM from the locale data
    would stick to a copied value."""
    marks = set("\u200e\u200f\u061c")
    for text in (i18n.day("2025-03-07", "ar")[1], i18n.number(-1234.5, "ar")):  # type: ignore[index]
        assert not marks & set(text), repr(text)


@pytest.mark.parametrize(
    ("header", "lang"),
    [
        ("ar-SY,ar;q=0.9,en;q=0.8", "ar"),
        ("fr-FR,fr;q=0.9,ar;q=0.8", "ar"),
        ("en-US,en;q=0.9,ar;q=0.8", "en"),
        ("ar;q=0.2, en;q=0.7", "en"),
        ("de, ar;q=0", "en"),
        ("", "en"),
        ("ar;q=x, en", "en"),
    ],
)
def test_a_new_visitor_gets_the_language_their_browser_ranks_highest(
    header: str, lang: str
) -> None:
    assert i18n.browser_language(header) == lang
