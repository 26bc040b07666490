"""The legal texts have an Arabic form, and the reasons computed from the records can be
said in Arabic while their English (the case file's, the API's) stays what it was."""

from __future__ import annotations

import pickle
import re

import pytest

from dalil.legal import checklists
from dalil.legal.elements import catalogue
from dalil.model.words import N_, Phrase, Term
from dalil.web.deps import templates
from dalil.web.i18n import messages
from dalil.web.legal import said

ARABIC = re.compile(r"[\u0600-\u06FF]")
#: a Latin word of two letters or more that is not an acronym (as tests/web/test_crawl.py)
ENGLISH = re.compile(r"\b(?![A-Z0-9]{2,6}\b|dalil\b)[A-Za-z][a-z]+\b")


def _arabic(text: str, english: str) -> None:
    assert text and ARABIC.search(text), f"no Arabic form for {english!r}"
    assert not ENGLISH.search(text), f"English left in the Arabic of {english!r}: {text!r}"


def test_every_crime_and_element_has_its_arabic_text() -> None:
    crimes = catalogue().crimes
    assert len(crimes) >= 6
    for crime in crimes:
        _arabic(crime.title_ar, crime.title)
        _arabic(crime.article_ar, crime.article)
        assert crime.title_in("ar") == crime.title_ar and crime.title_in("en") == crime.title
        for e in crime.elements:
            _arabic(e.text_ar, e.text)
            assert e.text_in("ar") == e.text_ar and e.text_in("en") == e.text


def test_every_checklist_item_has_its_arabic_text() -> None:
    protocols = checklists.protocols()
    assert {p.code for p in protocols} >= {"minnesota", "bournemouth", "berkeley"}
    for p in protocols:
        _arabic(p.title_ar, p.title)
        for item in p.items:
            _arabic(item.text_ar, item.text)
            assert item.text_in("ar") == item.text_ar and item.text_in("en") == item.text


def test_the_official_terms_are_used() -> None:
    """The Arabic editions' names of the instruments and crimes, not free paraphrases."""
    minnesota = checklists.protocol("minnesota")
    assert minnesota.title_ar.startswith(
        "بروتوكول مينيسوتا المتعلق بالتحقيق في حالات الوفاة التي يُحتمل أن تكون غير مشروعة"
    )
    assert catalogue().crime("7-1-a-murder").title_ar == (
        "الجريمة ضد الإنسانية المتمثلة في القتل العمد"
    )
    assert "نظام روما الأساسي" in catalogue().crime("28-superior").article_ar


def test_a_reason_is_its_english_and_keeps_its_message() -> None:
    reason = Phrase(N_("{n} of {total} victims recorded as civilians or otherwise protected"),
                  n=3, total=4)  # fmt: skip
    assert reason == "3 of 4 victims recorded as civilians or otherwise protected"
    assert isinstance(reason, str) and reason.values == {"n": 3, "total": 4}
    listed = Phrase(N_("missing: {fields}"), fields=(Term("requested_by"), Term("extent")))
    assert listed == "missing: requested_by, extent"  # as the English always said it
    again = pickle.loads(pickle.dumps(listed))
    assert again == listed and again.msgid == "missing: {fields}"
    assert again.values["fields"][0].code == "requested_by"


def _page(lang: str, reason: str) -> str:
    page = templates.env.from_string("{{ said(reason) }}")
    return page.render(lang=lang, said=said, reason=reason)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_reason_is_said_in_the_page_language_with_its_values_isolated(lang: str) -> None:
    reason = Phrase(
        N_("across the case: {n} killings in {events} incident(s) at {places} place(s), "
           "method(s): {methods}"), n=150, events=20, places=3,
        methods=(Term("shooting", "method_of_violence", "Shooting"),),
    )  # fmt: skip
    shown = _page(lang, reason)
    assert "<bdi>150</bdi>" in shown and "<bdi>20</bdi>" in shown
    if lang == "en":
        assert re.sub(r"</?bdi>", "", shown) == reason
        return
    assert messages("ar")[reason.msgid].split("{")[0] in shown
    assert "Shooting" not in shown and "across" not in shown  # the method by its Arabic label
    nested = Phrase(N_("families informed: {answer}"), answer=Phrase(N_("not recorded")))
    assert _page(lang, nested) == "إبلاغ الأسر: غير مسجّل"


def test_a_persons_reason_is_shown_as_data() -> None:
    """A reason a person typed (a checklist entry's) is not translated, and is isolated."""
    shown = _page("ar", "site under militia control")
    assert shown == '<bdi dir="auto">site under militia control</bdi>'


def test_every_reason_the_rules_give_has_an_arabic_message() -> None:
    """Every message the suggestion and checklist rules can say is in the catalogue."""
    import ast
    from pathlib import Path

    import dalil.legal.checklist_rules as rules_module
    import dalil.legal.suggest as suggest_module

    table = messages("ar")
    for module in (rules_module, suggest_module):
        tree = ast.parse(Path(str(module.__file__)).read_text("utf-8"))
        marked = [
            node.args[0].value
            for node in ast.walk(tree)
            if isinstance(node, ast.Call)
            and getattr(node.func, "id", None) == "N_"
            and isinstance(node.args[0], ast.Constant)
        ]
        assert marked, module.__name__
        for msgid in marked:
            assert table.get(msgid), f"{msgid!r} has no Arabic form"
            assert sorted(re.findall(r"\{\w+\}", table[msgid])) == sorted(
                re.findall(r"\{\w+\}", msgid)
            ), msgid
