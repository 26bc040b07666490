"""How a list writes a name: the spelling variation and typing errors of the synthetic
victim lists.

A list in Arabic script varies the letters real lists vary (ta marbuta and ha, the hamza
seats, alif maqsura and ya) and the spacing of compounds (عبد الرحمن / عبدالرحمن). A list
in Latin script writes each token in its own transliteration style, ``english``
(scholarly-leaning), ``french`` (ou, ch, dj) or ``tfp`` (the TechForPalestine spellings),
then applies the common variation between transliterations (ou/u/o, ee/i, doubled
letters, q/k, sh/ch, th/z, final h, al-/el-). Any token may carry a typo (4%).

Every function draws from the caller's random generator in a fixed order, so a seed gives
the same spellings.
"""

from __future__ import annotations

import random

from dalil.linkage.name_pool import Token

_LATIN_SWAPS = (
    ("ou", "u"),
    ("u", "ou"),
    ("u", "o"),
    ("o", "u"),
    ("ee", "i"),
    ("i", "ee"),
    ("i", "e"),
    ("e", "a"),
    ("a", "e"),
    ("q", "k"),
    ("k", "q"),
    ("sh", "ch"),
    ("th", "z"),
    ("dh", "z"),
    ("j", "dj"),
    ("y", "i"),
    ("ai", "ei"),
    ("ay", "ai"),
    ("aa", "a"),
)
_FRENCH = (("ou", "ou"), ("u", "ou"), ("sh", "ch"), ("j", "dj"), ("ee", "i"), ("q", "k"))
_ARABIC_SWAPS = (("ة", "ه"), ("أ", "ا"), ("إ", "ا"), ("ى", "ي"), ("ي", "ى"), ("ئ", "ي"))


def spell(rng: random.Random, tok: Token, style: str, family: bool) -> str:
    """``tok`` as a list in ``style`` (``arabic`` or a Latin style) writes it; ``family``
    for a family name, whose article (al-, el-, none) varies too."""
    if style == "arabic":
        w = _arabic_variant(rng, tok.ar)
    else:
        w = _latin_variant(rng, tok.en, style)
        w = _capitalise(_latin_family(rng, w, style) if family else w)
    return _typo(rng, w) if rng.random() < 0.04 else w


def _latin_variant(rng: random.Random, word: str, style: str) -> str:
    w = word.lower()
    if style == "french":
        for a, b in _FRENCH:
            if a in w and rng.random() < 0.7:
                w = w.replace(a, b, 1)
    for _ in range(2 if style != "tfp" else 1):
        if rng.random() < 0.35:
            a, b = rng.choice(_LATIN_SWAPS)
            if a in w:
                i = w.find(a)
                w = w[:i] + b + w[i + len(a) :]
    if rng.random() < 0.15:  # doubling / undoubling a consonant
        i = rng.randrange(1, max(2, len(w)))
        if i < len(w) and w[i] not in "aeiou-":
            w = w[:i] + w[i] + w[i:] if w[i - 1] != w[i] else w[:i] + w[i + 1 :]
    if rng.random() < 0.1:
        w = w + "h" if w.endswith("a") else w[:-1] if w.endswith("ah") else w
    return w


def _latin_family(rng: random.Random, word: str, style: str) -> str:
    base = word.removeprefix("al-").removeprefix("el-")
    had_article = base != word
    art = "" if not had_article else rng.choice(("al-", "al-", "el-", "al ", "", "el"))
    return art + base


def _typo(rng: random.Random, w: str) -> str:
    if len(w) < 4:
        return w
    i = rng.randrange(1, len(w) - 1)
    op = rng.random()
    if op < 0.4:
        return w[:i] + w[i + 1 :]
    if op < 0.7:
        return w[:i] + w[i + 1] + w[i] + w[i + 2 :]
    pool = "ابتجحدرسعفقلمنهوي" if "\u0600" <= w[0] <= "\u06ff" else "abdehiklmnorstu"
    return w[:i] + rng.choice(pool) + w[i + 1 :]


def _arabic_variant(rng: random.Random, w: str) -> str:
    if rng.random() < 0.3:
        a, b = rng.choice(_ARABIC_SWAPS)
        w = w.replace(a, b, 1)
    if " " in w and rng.random() < 0.4:  # عبد الرحمن / عبدالرحمن
        w = w.replace(" ", "", 1)
    elif w.startswith(("عبد", "أبو", "ابو")) and " " not in w and len(w) > 4 and rng.random() < 0.3:
        w = w[:3] + " " + w[3:]
    return w


def _capitalise(w: str) -> str:
    return " ".join(
        "-".join(p[:1].upper() + p[1:] if p not in ("al", "el") else p for p in part.split("-"))
        for part in w.split(" ")
    )
