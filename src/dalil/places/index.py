"""Place and governorate keys of a victim-list value, resolved through the gazetteer.

Lists write the same village as "عين الورد", "Ayn al-Ward" or "Ain El Ward". A record's
place becomes the GeoNames id when the gazetteer knows the name in either script,
otherwise the name's cross-script key; its governorate becomes the admin1 name of the
resolved place, or the governorate column mapped through the 14 Syrian governorates'
names in both scripts. Linkage compares records by these keys and stratifies its
capture histories by the governorate (:mod:`dalil.linkage.captures`).
"""

from __future__ import annotations

import csv
import re
from functools import cache, cached_property
from importlib import resources

from sqlalchemy import select
from sqlalchemy.orm import Session

from dalil.places.folding import fold
from dalil.places.names import cross_key

GOVERNORATES = {
    "Latakia": ("اللاذقية", "Lattakia", "Al-Ladhiqiyah"),
    "Tartus": ("طرطوس", "Tartous"),
    "Hama": ("حماة", "Hamah"),
    "Homs": ("حمص", "Hims"),
    "Idlib": ("إدلب", "Idleb"),
    "Aleppo": ("حلب", "Halab"),
    "Damascus": ("دمشق", "Dimashq"),
    "Rif-dimashq": ("ريف دمشق", "Rural Damascus", "Rif Dimashq", "Damascus Countryside"),
    "Daraa": ("درعا", "Dara'a", "Deraa"),
    "As-Suwayda": ("السويداء", "Suwayda", "Sweida"),
    "Quneitra": ("القنيطرة", "Al-Qunaytirah"),
    "Deir ez-Zor": ("دير الزور", "Deir al-Zor", "Dayr az-Zawr"),
    "Ar-Raqqah": ("الرقة", "Raqqa", "Al-Raqqa"),
    "Al-Hasakah": ("الحسكة", "Hasakah", "Al-Hasaka", "Hassakeh"),
}


#: Words lists put before or after a place name ("مدينة مصياف", "طرطوس المدينة",
#: "village of X", "Tartus city"): a name not found is looked up again without them.
_SETTLEMENT_WORDS = re.compile(
    r"^(?:(?:مدينة|مدينه|بلدة|بلده|قرية|قريه|ناحية|ناحيه|منطقة|منطقه|حي|مزرعة|مزرعه)\s+"
    r"|(?:the\s+)?(?:city|town|village|district|area|neighbou?rhood)(?:\s+of)?\s+)"
    r"|\s+(?:المدينة|المدينه|البلد|city|town)$",
    re.IGNORECASE,
)


#: Values list exports write for "no place": they must not resolve to a place ("N/A" and
#: "nan" share the key of Nawa).
_PLACEHOLDER = re.compile(
    r"^(?:nan|n/?a|none|null|unknown|[-?–—.]+|مجهول|غير معروف|غير معلوم|لا يوجد)$", re.IGNORECASE
)


class PlaceIndex:
    """Folded place name -> (geonameid, governorate); built once per linkage run."""

    def __init__(self, names: dict[str, tuple[int, str]]) -> None:
        # a name that folds to nothing ("-", "?") is no key: it would match every such value
        self._names = {key: hit for key, hit in names.items() if key}
        self._gov = {
            fold(alias): gov for gov, aliases in GOVERNORATES.items() for alias in (gov, *aliases)
        }

    @cached_property
    def _by_key(self) -> dict[str, tuple[int, str]]:
        """Cross-script key of a known name -> its place, where only one place has that key
        (three letters or more: a short key says too little): a spelling the gazetteer
        lacks ("بنياس" for بانياس) still finds its place. Built on the first miss."""
        by_key: dict[str, set[tuple[int, str]]] = {}
        for name, hit in self._names.items():
            by_key.setdefault(cross_key(name).replace(" ", ""), set()).add(hit)
        return {k: next(iter(v)) for k, v in by_key.items() if len(v) == 1 and len(k) >= 3}

    @classmethod
    @cache
    def packaged(cls) -> PlaceIndex:
        """Index over the shipped Syrian GeoNames subset (no workspace needed)."""
        text = resources.files("dalil").joinpath("data/geo/geonames_sy_cities500.csv")
        names: dict[str, tuple[int, str]] = {}
        rows = csv.DictReader(text.read_text("utf-8").splitlines())
        for row in sorted(rows, key=lambda r: -int(r["population"] or 0)):
            for name in [row["name"], *row["names_ar"].split("|"), *row["names_latin"].split("|")]:
                if name:
                    names.setdefault(fold(name), (int(row["geonameid"]), row["admin1_name"]))
        return cls(names)

    @classmethod
    def from_session(cls, session: Session) -> PlaceIndex:
        """Index over the workspace gazetteer (packaged places plus imported dumps)."""
        from dalil.model.tables import GazetteerName, GazetteerPlace

        rows = session.execute(
            select(GazetteerName.key, GazetteerPlace.geonameid, GazetteerPlace.admin1_name)
            .join(GazetteerPlace, GazetteerPlace.geonameid == GazetteerName.geonameid)
            .order_by(GazetteerPlace.population.desc())
        )
        names: dict[str, tuple[int, str]] = {}
        for key, gid, admin1 in rows:
            names.setdefault(key, (gid, admin1 or ""))
        return cls(names) if names else cls.packaged()

    def place_key(self, name: str) -> tuple[str, str]:
        """(place key, governorate of the place) for a place-of-death value."""
        name = name.strip()
        if not fold(name) or _PLACEHOLDER.match(name):
            return "", ""
        bare = _SETTLEMENT_WORDS.sub("", name)
        hit = self._names.get(fold(name)) or self._names.get(fold(bare))
        hit = hit or self._by_key.get(cross_key(fold(bare)).replace(" ", ""))
        if hit:
            return f"g{hit[0]}", hit[1]
        return f"k:{cross_key(bare)}", ""

    def governorate(self, name: str) -> str:
        """Canonical governorate name, or the folded value when unknown."""
        key = fold(name)
        return self._gov.get(key, key)
