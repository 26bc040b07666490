"""Name keys for linkage: moved to :mod:`dalil.places.names` (beside name folding, so that
the person search index below linkage can use them too); re-exported here for linkage's
modules and older imports."""

from dalil.places.names import (
    ParsedName,
    cross_key,
    is_arabic,
    name_tokens,
    normalise,
    parse_name,
    phonetic_key,
    token_key,
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
