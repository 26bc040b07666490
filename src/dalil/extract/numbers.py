"""Numbers as reports write them: digits (Western or Eastern Arabic, with thousands
separators) and number words in English and Arabic ("thirty-two", "one hundred and
fifty", "اثنان وثلاثون", "مئة وخمسون", "ألف وخمسمئة").

:data:`NUMBER` is a regular expression for one number; :func:`value` reads what it
matched. Vague quantities ("dozens", "عشرات") are not numbers: :mod:`dalil.extract.counts`
handles them.
"""

from __future__ import annotations

import re

_EN_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "a dozen": 12,
}  # fmt: skip
_EN_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
            "seventy": 70, "eighty": 80, "ninety": 90}  # fmt: skip
_EN_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}

# Arabic: each word in its common spellings (masculine and feminine, nominative and
# oblique, with and without hamza, with the ta marbuta written as ha)
_AR_UNITS: dict[str, int] = {}
for _n, _forms in {
    1: "واحد واحدة إحدى احدى", 2: "اثنان اثنين اثنتان اثنتين إثنان إثنين", 3: "ثلاث ثلاثة",
    4: "أربع أربعة اربع اربعة", 5: "خمس خمسة", 6: "ست ستة", 7: "سبع سبعة",
    8: "ثماني ثمانية ثمان", 9: "تسع تسعة", 10: "عشر عشرة",
    11: "أحد_عشر احد_عشر إحدى_عشرة احدى_عشرة", 12: "اثنا_عشر اثني_عشر اثنتا_عشرة اثنتي_عشرة",
}.items():  # fmt: skip
    for _f in _forms.split():
        _AR_UNITS[_f.replace("_", " ")] = _n
for _n, _stem in ((3, "ثلاث"), (4, "أربع"), (5, "خمس"), (6, "ست"), (7, "سبع"),
                  (8, "ثماني"), (9, "تسع")):  # fmt: skip
    for _ten in ("عشر", "عشرة"):
        _AR_UNITS[f"{_stem} {_ten}"] = 10 + _n
        _AR_UNITS[f"{_stem}ة {_ten}"] = 10 + _n
_AR_TENS = {}
for _n, _stem in ((20, "عشر"), (30, "ثلاث"), (40, "أربع"), (50, "خمس"), (60, "ست"),
                  (70, "سبع"), (80, "ثمان"), (90, "تسع")):  # fmt: skip
    _AR_TENS[f"{_stem}ون"] = _AR_TENS[f"{_stem}ين"] = _n
    if _stem == "أربع":
        _AR_TENS["اربعون"] = _AR_TENS["اربعين"] = _n
_AR_HUNDREDS = {"مئة": 100, "مائة": 100, "مئتان": 200, "مئتين": 200, "مائتان": 200,
                "مائتين": 200}  # fmt: skip
for _n, _stem in ((3, "ثلاث"), (4, "أربع"), (5, "خمس"), (6, "ست"), (7, "سبع"),
                  (8, "ثمان"), (9, "تسع")):  # fmt: skip
    _AR_HUNDREDS[f"{_stem}مئة"] = _AR_HUNDREDS[f"{_stem}مائة"] = 100 * _n
    _AR_HUNDREDS[f"{_stem} مئة"] = _AR_HUNDREDS[f"{_stem} مائة"] = 100 * _n
_AR_THOUSANDS = {"ألف": 1000, "الف": 1000, "ألفا": 1000, "ألفان": 2000, "ألفين": 2000,
                 "آلاف": 1000}  # fmt: skip

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def _alternation(words: object) -> str:
    return "|".join(sorted((re.escape(str(w)) for w in words), key=len, reverse=True))  # type: ignore[attr-defined]


_EN_WORD = (
    rf"(?:{_alternation(_EN_TENS)})(?:[- ](?:{_alternation(_EN_UNITS)}))?"
    rf"|{_alternation(_EN_UNITS)}"
)
_EN_NUMBER = (
    rf"(?:(?:{_EN_WORD})(?:\s+(?:hundred|thousand|million))?"
    rf"(?:(?:\s+and|,)?\s+(?:{_EN_WORD})(?:\s+(?:hundred|thousand|million))?)*"
    rf"|(?:a\s+)?(?:hundred|thousand)(?:\s+and\s+(?:{_EN_WORD}))?)"
)
_AR_ATOM = (
    f"(?:{_alternation(_AR_UNITS)})\\s+(?:{_alternation(_AR_THOUSANDS)})"
    f"|{_alternation(_AR_THOUSANDS)}|{_alternation(_AR_HUNDREDS)}|{_alternation(_AR_UNITS)}"
    f"|{_alternation(_AR_TENS)}"
)
_AR_NUMBER = rf"(?:{_AR_ATOM})(?:\s+و\s*(?:{_AR_ATOM}))*"
_DIGIT_NUMBER = (
    r"(?:[0-9٠-٩۰-۹]{1,3}(?:[,٬][0-9٠-٩۰-۹]{3})+|[0-9٠-٩۰-۹]+(?:[.٫][0-9٠-٩۰-۹]+)?)"
    r"(?:\s*(?:(?i:thousand|million)\b|(?:ألف|ألفا|ألفاً|آلاف|مليون)(?![\u0621-\u064a])))?"
)

#: one number in digits or words (English words case-insensitively, Arabic words whole, or
#: after the conjunction written onto them: "سيدة وثلاثة من أولادها")
NUMBER = (
    rf"(?:{_DIGIT_NUMBER}|(?i:\b{_EN_NUMBER}\b)"
    rf"|(?:(?<![\u0621-\u064a])|(?<=[^\u0621-\u064a]و)|(?<=^و)){_AR_NUMBER}(?![\u0621-\u064a]))"
)


def value(text: str) -> int | None:
    """The value of a number :data:`NUMBER` matched; None when it is not one."""
    text = text.strip()
    digits = text.translate(_DIGITS).replace(",", "").replace("٬", "").replace("٫", ".")
    scaled = re.fullmatch(r"([0-9.]+)\s*(\D*)", digits)
    if scaled and re.fullmatch(r"[0-9]+(?:\.[0-9]+)?", scaled[1]):
        word = scaled[2].strip().lower()
        scale = 1_000_000 if word in ("million", "مليون") else 1000 if word else 1
        n = float(scaled[1]) * scale
        return int(n) if n == int(n) else None
    if re.search("[\u0621-\u064a]", text):
        return _arabic(text)
    return _english(text.lower())


def _english(text: str) -> int | None:
    total, current = 0, 0
    words = re.findall(r"a dozen|[a-z]+", text.replace("-", " "))
    if not words:
        return None
    for w in words:
        if w in ("and", "a"):
            continue
        if w in _EN_UNITS:
            current += _EN_UNITS[w]
        elif w in _EN_TENS:
            current += _EN_TENS[w]
        elif w == "hundred":
            current = max(current, 1) * 100
        elif w in ("thousand", "million"):
            total += max(current, 1) * _EN_SCALES[w]
            current = 0
        else:
            return None
    return total + current


def _arabic(text: str) -> int | None:
    total = 0
    for part in re.split(r"\s+و\s*", text.strip()):
        words = part.split()
        scale = 1
        if len(words) > 1 and words[-1] in _AR_THOUSANDS:  # "ثلاثة آلاف"
            scale, part = 1000, " ".join(words[:-1])
        n = next((table[part] for table in (_AR_THOUSANDS, _AR_HUNDREDS, _AR_UNITS, _AR_TENS)
                  if part in table), None)  # fmt: skip
        if n is None:
            return None
        total += n * scale
    return total
