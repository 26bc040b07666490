"""Arabic personal names in Arabic script and Latin transliteration, made comparable.

Victim lists about the same killings arrive in Arabic script and in several Latin
transliterations ("محمد" / "Mohammad" / "Muhammed"), with compound names spaced or glued
("عبد الرحمن" / "عبدالرحمن" / "Abdulrahman" / "Abd al-Rahman") and the chain of given,
father, grandfather and family name in varying order and completeness. Plain string
similarity cannot compare the scripts at all (Jaro-Winkler of "محمد" and "mohammed" is 0),
and catches only a third of Latin spelling variants (../design/linkage.md §1c).

This module produces the keys the linkage engine compares and the person search index
(:mod:`dalil.records.person_search`) looks names up by; it lives beside
:mod:`dalil.places.folding`, on which it builds, so that both can use it:

* :func:`name_tokens` -- normalised tokens, compounds glued, articles and the nasab
  connectors (bin, ibn, بن) removed;
* :func:`parse_name` -- given, father, grandfather and family name from a full name,
  including the "FAMILY, Given Father" order of many Latin lists;
* :func:`cross_key` -- the **cross-script key**: Arabic script and its Latin spellings map
  to the same consonant skeleton. Arabic letters map by a fixed table; Latin spellings are
  looked up in a table learnt from public name dictionaries (TechForPalestine, public
  domain; Wikidata labels via Merhav & Ash 2018, CC0; see ``data/names/NOTICE``) and
  otherwise mapped by transliteration rules;
* :func:`phonetic_key` -- a finer Latin-only key for Latin-against-Latin comparison.

All functions are pure and idempotent on their own output (property-tested).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

from dalil.places.folding import (
    ARABIC_DIACRITICS,
    DIRECTION_MARKS,
    is_arabic,
    normalise_arabic,
    skeleton,
)

__all__ = [
    "ParsedName",
    "cross_key",
    "is_arabic",
    "name_tokens",
    "normalise",
    "parse_name",
    "phonetic_key",
    "token_key",
]

_NASAB = {"بن", "ابن", "بنت", "bin", "ibn", "bint", "ben", "walad", "ould", "b"}
_LATIN_ARTICLES = {
    "al",
    "el",
    "ul",
    "ad",
    "an",
    "ar",
    "as",
    "ash",
    "at",
    "az",
    "ed",
    "en",
    "er",
    "es",
    "et",
    "ez",
    "ud",
    "ur",
    "us",
    "ut",
    "uz",
    "l",
}
_AR_HEADS = {"عبد", "ابو", "ابي", "ابا"}
_AR_TAILS = {"الدين", "الله", "الاسلام", "الرحمن"}
_LATIN_HEADS = {
    "abd",
    "abdel",
    "abdal",
    "abdul",
    "abdol",
    "abdu",
    "abdo",
    "abdou",
    "abu",
    "abou",
    "abo",
}
_LATIN_TAILS = re.compile(
    r"^(?:(?:a|e|u|i)?[ldsrtnz]{1,2})?[-]?(?:d(?:i|ee|ii|ie)ne?|l?lah?|"
    r"islam|llah?)$"
)
_APOSTROPHES = re.compile("['`ʿʾ‘’ʻʼ]")
_NOT_LATIN = re.compile("[^0-9a-z]")
_SPLIT = re.compile(r"[\s\-_.,;:/()\"]+")


def normalise(text: str) -> str:
    """Letter-level normalisation: NFKC, case, accents, Arabic letter variants, spacing.

    Arabic: presentation forms (NFKC), diacritics, tatweel, direction marks, alef/hamza
    forms, ta marbuta, alef maqsura, Persian letters and Eastern Arabic digits
    (:func:`dalil.places.folding.normalise_arabic`). Latin: case folded, accents and apostrophes
    (which stand for ع or ء) removed. Whitespace collapsed.
    """
    if text.isascii():  # the common Latin case, without Unicode work
        return " ".join(text.lower().replace("'", "").replace("`", "").split())
    text = unicodedata.normalize("NFKC", DIRECTION_MARKS.sub("", text))
    if is_arabic(text):
        text = normalise_arabic(ARABIC_DIACRITICS.sub("", text))
    else:
        text = "".join(
            c
            for c in unicodedata.normalize("NFKD", text.casefold())
            if not unicodedata.combining(c)
        )
        text = _APOSTROPHES.sub("", text)
    return " ".join(text.split())


def _join_arabic(words: list[str]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(words):
        w = words[i]
        if w in _AR_HEADS and i + 1 < len(words):
            nxt = words[i + 1]
            if nxt == "ال" and i + 2 < len(words):  # "عبد ال رحمن"
                nxt, i = "ال" + words[i + 2], i + 1
            w, i = w + nxt, i + 1
        elif out and w in _AR_TAILS and not out[-1].endswith(tuple(_AR_TAILS)):
            out[-1] += w
            i += 1
            continue
        out.append(w)
        i += 1
    return out


def _join_latin(words: list[str]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(words):
        w = words[i]
        if w in _LATIN_HEADS and i + 1 < len(words):
            nxt = words[i + 1]
            if nxt in _LATIN_ARTICLES and i + 2 < len(words):  # "abd al rahman"
                nxt, i = nxt + words[i + 2], i + 1
            w, i = w + nxt, i + 1
        elif (
            out
            and out[-1] not in _LATIN_ARTICLES
            and w in _LATIN_ARTICLES
            and i + 1 < len(words)
            and _LATIN_TAILS.match(words[i + 1])
        ):  # "nur al din"
            out[-1] += w + words[i + 1]
            i += 2
            continue
        elif out and len(words) > 1 and _LATIN_TAILS.match(w) and len(w) > 3 and w[0] in "eua":
            out[-1] += w  # "nour eddine", "saif ullah"
            i += 1
            continue
        out.append(w)
        i += 1
    return out


def _drop_articles(word: str) -> str:
    """The word without its leading article(s). Repeated until none is left, so that tokens
    are a fixed point: a doubled article ("الال...") would otherwise lose one per pass."""
    while word.startswith("ال") and len(word) > 3:
        word = word[2:]
    return word


def name_tokens(text: str) -> list[str]:
    """Normalised name tokens with compounds glued and articles/connectors removed.

    "عبد الرحمن بن علي الحسن" -> ["عبدالرحمن", "علي", "حسن"];
    "Abd al-Rahman bin Ali al-Hasan" -> ["abdalrahman", "ali", "hasan"].
    A leading article is dropped from each token (ال / al- / el- ...), except inside a
    glued compound where it is part of the name.
    """
    norm = normalise(text)
    words = [w for w in _SPLIT.split(norm) if w]
    if is_arabic(norm):
        words = [w for w in words if w not in _NASAB]
        words = _join_arabic(words)
        return [_drop_articles(w) for w in words]
    words = [w for w in words if w not in _NASAB]
    words = _join_latin(words)
    kept = [w for w in words if w not in _LATIN_ARTICLES] or words
    return [t for t in (_NOT_LATIN.sub("", w) for w in kept) if t]


# -- cross-script key --------------------------------------------------------------------------

#: Arabic letter -> consonant class. Letters that transliterations render as vowels or
#: leave out (ا و ي ع ء) map to nothing; emphatics merge with their plain partners, as in
#: most Latin spellings.
_AR_CLASS = {
    "ب": "b",
    "ت": "t",
    "ث": "t",
    "ج": "j",
    "ح": "h",
    "خ": "x",
    "د": "d",
    "ذ": "z",
    "ر": "r",
    "ز": "z",
    "س": "s",
    "ش": "c",
    "ص": "s",
    "ض": "d",
    "ط": "t",
    "ظ": "z",
    "غ": "g",
    "ف": "f",
    "ق": "k",
    "ك": "k",
    "ل": "l",
    "م": "m",
    "ن": "n",
    "ه": "h",
}
_AR_INITIAL_VOWEL = set("اعأإآ")
#: Latin digraphs first (to upper-case markers, so later single-letter rules cannot touch
#: them), then single letters; the result uses the same class letters as ``_AR_CLASS``.
_LATIN_RULES = (
    ("sch", "C"),
    ("sh", "C"),
    ("ch", "C"),
    ("kh", "X"),
    ("gh", "G"),
    ("th", "T"),
    ("dh", "Z"),
    ("dj", "J"),
    ("ph", "F"),
    ("ck", "K"),
    ("q", "k"),
    ("c", "k"),
    ("x", "ks"),
    ("v", "f"),
    ("p", "b"),
)
_COMPOUND_ARTICLE = (
    # abdulrahman, abdurrahman, abdelkarim -> abd + rahman / karim
    (
        re.compile(r"^(abd|ab[ou]|abou)(?:[aeiou]?l(?=[a-z]{2})|[aeiou](?=([b-df-hj-np-tv-z])\2))"),
        r"\1",
    ),
    # nuraldin, noureddine -> nur + din
    (re.compile(r"(?:[aeiou]l|[aeiou](?=dd))(d(?:i|ee|ii|ie)ne?)$"), r"\1"),
    # saifullah, abdallah -> saif + lah
    (re.compile(r"(?<=.)[aeiou]l(lah?)$"), r"\1"),
)


def _collapse(key: str) -> str:
    key = re.sub(r"(.)\1+", r"\1", key)
    if len(key) > 2 and key.endswith("h"):
        key = key[:-1]  # ة read as ه, "Fatimah" / "Fatima"
    return key


def _arabic_key(token: str) -> str:
    # Article inside glued compounds: عبدالرحمن -> عبد رحمن, نورالدين -> نور دين.
    token = re.sub(r"^(عبد|ابو|ابي|ابا)ال", r"\1", token)
    token = re.sub(r"ال(دين|له|اسلام|رحمن)$", r"\1", token)
    token = re.sub(r"^ال(?=..)", "", token)
    head = "a" if token[:1] in _AR_INITIAL_VOWEL else ""
    return _collapse(head + "".join(_AR_CLASS.get(c, "") for c in token if not c.isdigit()))


def _latin_key(token: str) -> str:
    t = token
    for pattern, repl in _COMPOUND_ARTICLE:
        t = pattern.sub(repl, t)
    head = "a" if t[:1] in "aeiou" else ""
    for a, b in _LATIN_RULES:
        t = t.replace(a, b)
    return _collapse(head + re.sub(r"[aeiouyw0-9]", "", t).lower())


@cache
def _learnt_latin_keys() -> dict[str, str]:
    """Latin spelling -> cross-script key, learnt from public name dictionaries.

    Built by ``tools/build_name_keys.py`` (a Latin token is listed only where the
    dictionaries show its Arabic original has a different rule key than the spelling).
    """
    table: dict[str, str] = {}
    text = resources.files("dalil").joinpath("data/names/latin_keys.tsv").read_text("utf-8")
    for line in text.splitlines():
        if line and not line.startswith("#"):
            latin, key = line.split("\t")
            table[latin] = key
    return table


def token_key(token: str, *, learnt: bool = True) -> str:
    """Cross-script key of one normalised token (see :func:`cross_key`); ``learnt=False``
    uses the transliteration rules only, without the dictionary-learnt spellings."""
    if is_arabic(token):
        return _arabic_key(token)
    return (learnt and _learnt_latin_keys().get(token)) or _latin_key(token)


def cross_key(text: str, *, learnt: bool = True) -> str:
    """Consonant skeleton shared by Arabic script and its Latin transliterations.

    "عبد الرحمن", "Abd al-Rahman", "Abdulrahman" and "Abdurrahman" all give "bdrhmn";
    "محمد", "Mohammad", "Muhammed" give "mhmd". Tokens are keyed one by one and joined with
    a space. Lossy by design (vowels, ع, doubling and emphatic/plain contrasts vanish):
    compare keys as evidence, never as identity.
    """
    return " ".join(k for k in (token_key(t, learnt=learnt) for t in name_tokens(text)) if k)


def phonetic_key(text: str) -> str:
    """Finer Latin-only sound key (first letter kept, digraphs folded, vowels dropped).

    For Latin-against-Latin comparison where :func:`cross_key` is too coarse; empty for
    Arabic script.
    """
    return " ".join(k for k in (skeleton(t) for t in name_tokens(text)) if k)


# -- parsing the name chain --------------------------------------------------------------------


@dataclass(frozen=True)
class ParsedName:
    """A full name split into its chain; missing parts are empty strings.

    ``tokens`` holds every token of the name (as :func:`name_tokens`), so comparisons can
    tolerate a part assigned to a different slot by the parser.
    """

    given: str = ""
    father: str = ""
    grandfather: str = ""
    family: str = ""
    tokens: tuple[str, ...] = ()

    def parts(self) -> tuple[str, str, str, str]:
        return (self.given, self.father, self.grandfather, self.family)


def parse_name(full_name: str) -> ParsedName:
    """Split "given father [grandfather] family" into its parts.

    Handles "FAMILY, Given Father" (comma) and an all-capitals first word followed by
    mixed-case words (the family name written first, a common Latin list convention).
    With two tokens: given + family; three: given, father, family; four or more: given,
    father, grandfather, and the rest as the family name. Assumes the Syrian/Levantine chain
    order; a single token is taken as the given name.
    """
    raw = DIRECTION_MARKS.sub("", full_name).strip()
    family_first: list[str] = []
    if "," in raw or "،" in raw:
        head, raw = re.split("[,،]", raw, maxsplit=1)
        family_first = name_tokens(head)
    else:
        words = raw.split()
        if (
            len(words) > 1
            and not is_arabic(raw)
            and words[0].isupper()
            and len(words[0]) > 1
            and not all(w.isupper() for w in words)
        ):
            family_first, raw = name_tokens(words[0]), " ".join(words[1:])
    tokens = name_tokens(raw)
    if family_first:
        given, father, grand = [*tokens, "", "", ""][:3]
        return ParsedName(
            given, father, grand, " ".join(family_first), tuple(tokens + family_first)
        )
    n = len(tokens)
    if n == 0:
        return ParsedName()
    if n == 1:
        return ParsedName(given=tokens[0], tokens=tuple(tokens))
    if n == 2:
        return ParsedName(given=tokens[0], family=tokens[1], tokens=tuple(tokens))
    if n == 3:
        return ParsedName(tokens[0], tokens[1], "", tokens[2], tuple(tokens))
    return ParsedName(tokens[0], tokens[1], tokens[2], " ".join(tokens[3:]), tuple(tokens))
