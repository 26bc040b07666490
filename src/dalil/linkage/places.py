"""Place and governorate keys for linkage: moved to :mod:`dalil.places.index` (the
gazetteer's package); re-exported here for linkage's modules and older imports."""

from dalil.places.index import GOVERNORATES, PlaceIndex

__all__ = ["GOVERNORATES", "PlaceIndex"]
