"""Places and the spelling of names: the offline gazetteer and name folding.

Owns: the GeoNames gazetteer of the workspace (:mod:`~dalil.places.gazetteer`: the
packaged Syrian places, imports of other GeoNames files, look-up in both scripts) and the
folding of Arabic and Latin spellings that look-ups, extraction and linkage share
(:mod:`~dalil.places.folding`: diacritics, hamza and alef forms, articles, the Latin
skeleton).

May use: :mod:`dalil.model` (the gazetteer's tables) and :mod:`dalil.errors`; folding
uses nothing of dalil. Never the web app or the CLI.
"""

from dalil.places.folding import (
    ARABIC_DIACRITICS,
    DIRECTION_MARKS,
    LATIN_ARTICLES,
    fold,
    is_arabic,
    normalise_arabic,
    skeleton,
)
from dalil.places.gazetteer import Match, import_geonames, load_packaged, lookup

__all__ = [
    "ARABIC_DIACRITICS",
    "DIRECTION_MARKS",
    "LATIN_ARTICLES",
    "Match",
    "fold",
    "import_geonames",
    "is_arabic",
    "load_packaged",
    "lookup",
    "normalise_arabic",
    "skeleton",
]
