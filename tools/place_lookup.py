"""Look a place name up in dalil's shipped gazetteer, for labelling reports
(docs/extraction-guideline.md §3): prints the GeoNames id, name, governorate and
population of every place the name's folded key finds, best first.

    .venv/bin/python tools/place_lookup.py "Ain al-Sharqiyah"
    .venv/bin/python tools/place_lookup.py عين الشرقية

A name the gazetteer lacks prints nothing and exits 1: label it with ``name`` instead of
``geonameid``.
"""

from __future__ import annotations

import sys

from dalil.extract.places import Gazetteer
from dalil.places.folding import fold


def main() -> int:
    name = " ".join(sys.argv[1:])
    found = {p.geonameid: p for p in Gazetteer.shipped().names.get(fold(name), [])}
    for place in sorted(found.values(), key=lambda p: -p.population):
        print(f"{place.geonameid}\t{place.name}\t{place.admin1 or '-'}\t"
              f"{place.country}, population {place.population:,}")  # fmt: skip
    return 0 if found else 1


if __name__ == "__main__":
    sys.exit(main())
