"""Folding of names for look-up in Arabic and Latin script.

Two keys, both lossy on purpose:

* :func:`fold` removes what writers vary without meaning anything: Arabic diacritics,
  tatweel, direction marks, alef/hamza forms, ta marbuta, alef maqsura, Persian letter
  forms, Latin accents and case, the article (al-, el-, ad-, ash-, ... and ال), spaces and
  punctuation. Two spellings that fold equal are treated as the same name.
* :func:`skeleton` (Latin only) also drops vowels and doubled letters and merges common
  transliteration alternations (q/k, ou/u, final h), so "Baniyas", "Banias" and "Banyas"
  meet; it is a second-chance key, ranked below a :func:`fold` match.

Cross-script matching of personal names (Arabic script against Latin transliterations)
is the job of :mod:`dalil.linkage`, which builds on these.
"""

from __future__ import annotations

import re
import unicodedata

ARABIC_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
DIRECTION_MARKS = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_ARABIC_MAP = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ة": "ه",
        "ى": "ي",
        "ؤ": "و",
        "ئ": "ي",
        "ک": "ك",
        "ی": "ي",
        "گ": "ك",
        "پ": "ب",
        "چ": "ج",
        "ژ": "ز",
        "ڤ": "ف",
        "ـ": None,
        "ء": None,
        "٠": "0",
        "١": "1",
        "٢": "2",
        "٣": "3",
        "٤": "4",
        "٥": "5",
        "٦": "6",
        "٧": "7",
        "٨": "8",
        "٩": "9",
        "۰": "0",
        "۱": "1",
        "۲": "2",
        "۳": "3",
        "۴": "4",
        "۵": "5",
        "۶": "6",
        "۷": "7",
        "۸": "8",
        "۹": "9",
    }
)
LATIN_ARTICLES = {
    "al",
    "el",
    "ad",
    "adh",
    "an",
    "ar",
    "as",
    "ash",
    "at",
    "ath",
    "az",
    "ed",
    "en",
    "es",
    "et",
    "ez",
    "er",
    "l",
}
_LATIN_APOSTROPHES = re.compile("['`ʿʾ‘’ʻʼ]")
_ARABIC_CHARS = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefc]")
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def is_arabic(text: str) -> bool:
    """True when the text contains Arabic-script letters."""
    return bool(_ARABIC_CHARS.search(text))


def normalise_arabic(text: str) -> str:
    """Arabic text with diacritics, tatweel, marks and letter-form variation removed."""
    text = DIRECTION_MARKS.sub("", unicodedata.normalize("NFC", text))
    text = ARABIC_DIACRITICS.sub("", text)
    return text.translate(_ARABIC_MAP)


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[\s\-_.,;:/()]+", text) if w]


def fold(text: str) -> str:
    """Look-up key that ignores spelling noise (see the module docstring)."""
    # NFKC first: Arabic presentation forms (as PDF text extraction gives them) and
    # ligatures become the letters they show; digits of either script count alike, so
    # an Eastern digit alone does not make a Latin name Arabic.
    text = unicodedata.normalize("NFKC", text)
    text = DIRECTION_MARKS.sub("", text).strip().translate(_DIGITS)
    if is_arabic(text):
        words = _words(normalise_arabic(text))
        # a detached article ("ال خطيب") is dropped like a glued one, unless it is all
        words = [w for i, w in enumerate(words) if w != "ال" or i == len(words) - 1]
        words = [w[2:] if w.startswith("ال") and len(w) > 3 else w for w in words]
        key = "".join(words)
        # joining can leave an article at the front ("ا لباب", a doubled "الالباب"):
        # strip until none is left, so that a key folds to itself
        while key.startswith("ال") and len(key) > 3:
            key = key[2:]
        return key
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    stripped = _LATIN_APOSTROPHES.sub("", stripped.casefold())
    words = _words(stripped)
    # "al-Haffah", "Al Haffah", "el-Haffe": drop a leading article word; also "Al" glued
    # by hyphen was split above. Keep an article that is the whole name.
    if len(words) > 1:
        words = [w for i, w in enumerate(words) if not (w in LATIN_ARTICLES and i < len(words) - 1)]
    return re.sub(r"[^0-9a-z]", "", "".join(words))


_SKELETON_RULES = (
    ("ou", "u"),
    ("oo", "u"),
    ("ee", "i"),
    ("kh", "x"),
    ("sh", "$"),
    ("ch", "$"),
    ("gh", "g"),
    ("th", "t"),
    ("dh", "d"),
    ("q", "k"),
    ("c", "k"),
)


def skeleton(text: str) -> str:
    """Consonant skeleton of a Latin name (empty for Arabic script)."""
    key = fold(text)
    if not key or is_arabic(text):
        return ""
    for a, b in _SKELETON_RULES:
        key = key.replace(a, b)
    key = key[0] + re.sub(r"[aeiouyw]", "", key[1:])
    key = re.sub(r"(.)\1+", r"\1", key)
    if len(key) > 2 and key.endswith("h"):
        key = key[:-1]
    return key
