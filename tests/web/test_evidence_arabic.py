"""The evidence pages' own words in Arabic: error messages beside the forms, and preview
reasons whose program names stay isolated inside the Arabic sentence."""

from __future__ import annotations

from dalil.model.words import N_, Phrase
from dalil.web.deps import templates
from dalil.web.evidence_pages import message
from dalil.web.evidence_view import names_isolated
from dalil.web.i18n import translator


def _render(lang: str, text: str) -> str:
    page = templates.env.from_string("{{ message(text) }}")
    return page.render(lang=lang, message=message, text=text)


def test_an_error_with_a_value_is_said_in_arabic_with_the_value_isolated() -> None:
    error = Phrase(N_("no record {label} in this case"), label="P-404")
    assert _render("en", error) == "no record P-404 in this case"
    shown = _render("ar", error)
    assert '<bdi dir="auto">P-404</bdi>' in shown and "لا يوجد سجل" in shown


def test_an_error_from_elsewhere_goes_through_the_catalogue() -> None:
    assert _render("ar", "choose the record this item supports") == (
        "اختر السجل الذي يدعمه هذا العنصر"
    )
    assert _render("ar", "<not a known message>") == "&lt;not a known message&gt;"


def test_program_names_in_a_translated_reason_are_isolated() -> None:
    english = "no video decoder (ffmpeg) is installed on the server"
    arabic = translator("ar")(english)
    assert arabic != english  # the reason has its Arabic form
    shown = names_isolated(english, arabic)
    assert '<bdi dir="ltr">ffmpeg</bdi>' in shown
    assert shown.replace('<bdi dir="ltr">', "").replace("</bdi>", "") == arabic
    # an untranslated message keeps its words visible as interface text, not as names
    assert names_isolated(english, english) == english
