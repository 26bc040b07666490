"""Arabic/Latin name handling: normalisation, compounds, parsing, cross-script keys."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dalil.places.names import cross_key, name_tokens, normalise, parse_name, phonetic_key

SAME_PERSON_NAME = [
    ("محمد", "Mohammad", "Muhammed", "Mohamed", "Muhammad"),
    (
        "عبد الرحمن",
        "عبدالرحمن",
        "Abd al-Rahman",
        "Abdulrahman",
        "Abdurrahman",
        "Abdelrahman",
        "Abd-el-Rahman",
    ),
    ("نور الدين", "نورالدين", "Nur al-Din", "Noureddine", "Nour Eddine", "Nureddin"),
    ("عبد الله", "Abdullah", "Abdallah", "Abd Allah"),
    ("فاطمة", "فاطمه", "Fatima", "Fatimah"),
    ("شادي", "Shadi", "Chadi"),
    ("خليل", "Khalil", "Khaleel"),
    ("قاسم", "Qasim", "Kassem", "Kasim"),
    ("حسين", "Hussein", "Husayn", "Houssein"),
    ("يوسف", "Yousef", "Youssef", "Yusuf"),
    ("أسامة", "اسامه", "Usama", "Oussama", "Osama"),
    ("الحسن", "al-Hasan", "el Hassan", "Al Hasan"),
    ("غسان", "Ghassan", "Ghasan"),
    ("سيف الله", "Saifullah"),
]


@pytest.mark.parametrize("variants", SAME_PERSON_NAME, ids=lambda v: v[1])
def test_variants_share_one_cross_script_key(variants: tuple[str, ...]) -> None:
    keys = {cross_key(v) for v in variants}
    assert len(keys) == 1, {v: cross_key(v) for v in variants}


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("محمد", "أحمد"),
        ("Ali", "Hasan"),
        ("خليل", "جميل"),
        ("عبد الرحمن", "عبد الكريم"),
        ("Nizar", "Nabil"),
    ],
)
def test_different_names_keep_different_keys(a: str, b: str) -> None:
    assert cross_key(a) != cross_key(b)


def test_arabic_normalisation_removes_spelling_noise() -> None:
    noisy = "\u200fمُحَمَّـــد إبراهيم آمنة مصطفى ی ک ٣٤"
    assert normalise(noisy) == "محمد ابراهيم امنه مصطفي ي ك 34"
    assert normalise("ﻣﺤﻤﺪ") == "محمد"  # presentation forms (PDF extraction)
    assert normalise("José  ÁLI") == "jose ali"


def test_compounds_joined_and_connectors_dropped() -> None:
    assert name_tokens("عبد الرحمن بن علي الحسن") == ["عبدالرحمن", "علي", "حسن"]
    assert name_tokens("Abd al-Rahman bin Ali al-Hasan") == ["abdalrahman", "ali", "hasan"]
    assert name_tokens("أبو بكر") == ["ابوبكر"]
    assert name_tokens("Abu Bakr ibn Umar") == ["abubakr", "umar"]
    assert name_tokens("علاء الدين") == ["علاالدين"]  # hamza dropped by normalisation


def test_parser_handles_chain_orders() -> None:
    p = parse_name("Abd al-Rahman Mohammad Ali al-Hasan")
    assert (p.given, p.father, p.grandfather, p.family) == (
        "abdalrahman",
        "mohammad",
        "ali",
        "hasan",
    )
    p = parse_name("HASSAN, Ali Mahmoud")
    assert (p.given, p.father, p.family) == ("ali", "mahmoud", "hassan")
    p = parse_name("ALI Hasan Mohammad")
    assert (p.given, p.father, p.family) == ("hasan", "mohammad", "ali")
    p = parse_name("الحسن، علي محمود")
    assert (p.given, p.father, p.family) == ("علي", "محمود", "حسن")
    p = parse_name("محمد بن علي حسن العلي")
    assert p.parts() == ("محمد", "علي", "حسن", "علي")
    assert parse_name("Ali Hasan").parts() == ("ali", "", "", "hasan")
    assert parse_name("  ").parts() == ("", "", "", "")


def test_phonetic_key_is_latin_only() -> None:
    assert phonetic_key("Shadi") == phonetic_key("Chadi")
    assert phonetic_key("شادي") == ""


# -- properties ---------------------------------------------------------------------------------

ARABIC_LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوياأإآةىئؤء"
arabic_words = st.text(alphabet=ARABIC_LETTERS + "\u064e\u0650\u0651\u0640", min_size=2, max_size=8)
names = st.lists(arabic_words, min_size=1, max_size=5).map(" ".join)
latin_names = st.lists(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz-'", min_size=2, max_size=9), min_size=1, max_size=5
).map(" ".join)

#: A consistent romanisation (one Latin form per Arabic letter class) for the symmetry
#: property: whatever Arabic name, its romanisation must key the same.
ROMAN = {
    "ب": "b",
    "ت": "t",
    "ث": "th",
    "ج": "j",
    "ح": "h",
    "خ": "kh",
    "د": "d",
    "ذ": "dh",
    "ر": "r",
    "ز": "z",
    "س": "s",
    "ش": "sh",
    "ص": "s",
    "ض": "d",
    "ط": "t",
    "ظ": "z",
    "غ": "gh",
    "ف": "f",
    "ق": "q",
    "ك": "k",
    "ل": "l",
    "م": "m",
    "ن": "n",
    "ه": "h",
}
CONSONANTS = "".join(ROMAN)


@settings(max_examples=300, deadline=None)
@given(names)
def test_normalise_and_tokens_are_idempotent(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once
    tokens = name_tokens(text)
    assert name_tokens(" ".join(tokens)) == tokens


@settings(max_examples=300, deadline=None)
@given(latin_names)
def test_latin_tokens_idempotent(text: str) -> None:
    tokens = name_tokens(text)
    assert name_tokens(" ".join(tokens)) == tokens


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.text(alphabet=CONSONANTS, min_size=2, max_size=6), min_size=1, max_size=4),
    st.sampled_from("aeiou"),
)
def test_script_symmetry(words: list[str], vowel: str) -> None:
    """An Arabic consonant string and a romanisation of it (vowels between letters) key
    alike, whichever vowel the transliterator chose."""
    arabic = " ".join(words)
    latin = " ".join(vowel.join(ROMAN[c] for c in w) + vowel for w in words)
    a, b = cross_key(arabic), cross_key(latin, learnt=False)
    # Known, documented losses: a leading article-like "ال"/"al" is stripped on both sides
    # only when the token is long enough; skip those draws.
    if any(w.startswith("ل") or w in {"بن", "بنت", "ابن"} for w in words):
        return
    assert a.replace("a", "") == b.replace("a", ""), (arabic, latin)


def test_a_doubled_article_is_dropped_whole_so_tokens_are_a_fixed_point() -> None:
    # found by Hypothesis in CI: "آلآلآآ" gave ["الاا"], whose own tokens were ["اا"]
    tokens = name_tokens("آلآلآآ")
    assert tokens == ["اا"] and name_tokens(" ".join(tokens)) == tokens
    assert name_tokens("الحسن") == ["حسن"]
