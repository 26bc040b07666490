"""Places and the spelling of names: the offline gazetteer, the place index, name folding
and the keys of personal names.

Owns: the GeoNames gazetteer of the workspace (:mod:`~dalil.places.gazetteer`: the
packaged Syrian places, imports of other GeoNames files, look-up in both scripts; and
search-as-you-type for a place picker, :mod:`~dalil.places.search`); the
place index (:mod:`~dalil.places.index`: a place or governorate as victim lists write it
-> GeoNames id and canonical governorate); the folding of Arabic and Latin spellings that
look-ups, extraction and linkage share (:mod:`~dalil.places.folding`: diacritics, hamza
and alef forms, articles, the Latin skeleton); and the keys of Arabic personal names in
both scripts (:mod:`~dalil.places.names`: tokens, the name chain, the cross-script key)
that linkage and the person search index compare.

May use: :mod:`dalil.model` (the gazetteer's tables) and :mod:`dalil.errors`; folding
and name keys use nothing of dalil. Never the web app or the CLI.
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
from dalil.places.index import GOVERNORATES, PlaceIndex
from dalil.places.names import (
    ParsedName,
    cross_key,
    name_tokens,
    normalise,
    parse_name,
    phonetic_key,
)

__all__ = [
    "ARABIC_DIACRITICS",
    "DIRECTION_MARKS",
    "GOVERNORATES",
    "LATIN_ARTICLES",
    "Match",
    "ParsedName",
    "PlaceIndex",
    "cross_key",
    "fold",
    "import_geonames",
    "is_arabic",
    "load_packaged",
    "lookup",
    "name_tokens",
    "normalise",
    "normalise_arabic",
    "parse_name",
    "phonetic_key",
    "skeleton",
]
