"""Which spellings are one name, and which look alike but are different names.

:func:`dalil.places.names.cross_key` gives "محمد" and "محمود" the same consonant skeleton
(``mhmd``): good evidence for record linkage, wrong for a search, where Mahmoud is a
different man from Mohammad. This module says which spellings are *the same name*: each
name is an Arabic canonical spelling (a normalised token, :func:`dalil.places.names.normalise`),
and each Latin spelling belongs to the one or few Arabic names it transliterates
("mohammed", "muhammad", "mohamed" -> محمد; "mahmoud", "mahmud" -> محمود).

The table (``data/names/name_variants.tsv``) is learnt, not written by hand, by
``tools/build_name_variants.py`` from public name dictionaries (TechForPalestine, public
domain; Wikidata labels via Merhav & Ash 2018, CC0; see ``data/names/NOTICE``):

* ``arabic`` rows: the Arabic names the dictionaries know;
* ``latin`` rows: a Latin spelling and the Arabic names it was seen transliterating (a
  name kept when it has at least a fifth of the spelling's sightings);
* ``split`` rows: Arabic names written glued ("محمدعبدالله") and their words.

A Latin spelling the table has not seen is read as the known spelling nearest to it among
those with the same consonant skeleton, after folding the vowel spellings that
transliterations vary (ou/o/u, ee/i, e/a, doubled letters, a final h): "Mouhammad" is
"mohammad". Only a spelling of four letters or more within one edit of its nearest is
classed; ties keep every tied name ("amira": أميرة and عميرة). Arabic script needs no
guessing: its spelling variants (hamza seats, ta marbuta, alef maqsura, diacritics) are
already folded by normalisation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from dalil.places.names import is_arabic, name_tokens, token_key

__all__ = ["classes", "fold_vowels", "is_known", "is_listed", "skeleton", "tokens"]

_TABLE = "data/names/name_variants.tsv"
#: transliterations write the same vowel these ways; folded before comparing spellings
_VOWELS = (("ou", "u"), ("oo", "u"), ("ee", "i"), ("o", "u"), ("e", "a"), ("y", "i"), ("w", "u"))
_DOUBLED = re.compile(r"(.)\1+")


@dataclass(frozen=True)
class _Table:
    arabic: frozenset[str]
    latin: dict[str, tuple[str, ...]]
    splits: dict[str, tuple[str, ...]]
    #: Latin spellings by their rule skeleton, for reading an unseen spelling
    by_skeleton: dict[str, tuple[str, ...]]


@cache
def _table() -> _Table:
    arabic: set[str] = set()
    latin: dict[str, tuple[str, ...]] = {}
    splits: dict[str, tuple[str, ...]] = {}
    text = resources.files("dalil").joinpath(_TABLE).read_text("utf-8")
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        kind, spelling, *rest = line.split("\t")
        if kind == "arabic":
            arabic.add(spelling)
        elif kind == "latin":
            latin[spelling] = tuple(rest[0].split())
        elif kind == "split":
            splits[spelling] = tuple(rest[0].split())
    by_skeleton: dict[str, list[str]] = {}
    for spelling in latin:
        by_skeleton.setdefault(token_key(spelling, learnt=False), []).append(spelling)
    return _Table(frozenset(arabic), latin, splits,
                  {k: tuple(v) for k, v in by_skeleton.items()})  # fmt: skip


def tokens(text: str) -> list[str]:
    """The name's tokens (:func:`dalil.places.names.name_tokens`), with a glued Arabic
    compound the dictionaries know split into its names ("محمدعبدالله" -> محمد, عبدالله)."""
    splits = _table().splits
    return [part for t in name_tokens(text) for part in splits.get(t, (t,))]


def fold_vowels(latin: str) -> str:
    """A Latin spelling with its vowel spellings folded: "Mouhammed" and "muhammad" both
    give "muhamad". For comparing spellings only; it is not a key of anything."""
    t = _DOUBLED.sub(r"\1", latin)
    for a, b in _VOWELS:
        t = t.replace(a, b)
    return t[:-1] if len(t) > 3 and t.endswith("h") else t


def _distance(a: str, b: str, most: int) -> int:
    """Edit distance of a and b (insertions, deletions, substitutions), or ``most + 1``
    when it is larger than ``most`` (the only answer callers need past their bound)."""
    if abs(len(a) - len(b)) > most:
        return most + 1
    before = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        row = [i]
        for j, cb in enumerate(b, 1):
            row.append(min(before[j] + 1, row[j - 1] + 1, before[j - 1] + (ca != cb)))
        if min(row) > most:
            return most + 1
        before = row
    return before[-1]


@lru_cache(maxsize=100_000)  # a case repeats far fewer distinct tokens than it has names
def classes(token: str) -> tuple[str, ...]:
    """The Arabic names (canonical spellings) a normalised name token is a spelling of:
    itself for an Arabic name the table knows; for a Latin spelling, the names the table
    saw it transliterate, or those of its nearest known spelling; empty when unknown."""
    table = _table()
    if is_arabic(token):
        return (token,) if token in table.arabic else ()
    if token in table.latin:
        return table.latin[token]
    if len(token) < 4:  # within one edit of too many names to tell
        return ()
    folded = fold_vowels(token)
    best, names = 2, set()
    for known in table.by_skeleton.get(token_key(token, learnt=False), ()):
        d = _distance(folded, fold_vowels(known), 1)
        if d < best:
            best, names = d, set(table.latin[known])
        elif d == best:
            names |= set(table.latin[known])
    return tuple(sorted(names))


def is_listed(token: str) -> bool:
    """Whether the table lists this very spelling (an Arabic name, or a Latin spelling
    seen in the dictionaries), rather than reading it as its nearest spelling: a word a
    person may still be typing ("hud", "ahm") is not listed, a whole name ("Ali") is."""
    table = _table()
    return token in (table.arabic if is_arabic(token) else table.latin)


def is_known(token: str) -> bool:
    """Whether the token is a spelling of a name the table knows."""
    return bool(classes(token))


def skeleton(token: str) -> str:
    """The token's cross-script consonant skeleton (:func:`dalil.places.names.token_key`):
    the loosest key a search compares ("similar spelling")."""
    return token_key(token)
