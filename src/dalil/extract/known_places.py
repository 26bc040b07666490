"""Places outside dalil's GeoNames subset that reports name: countries, cities abroad used
as datelines, destinations and governments, and Syrian regions with no single point.

:mod:`dalil.extract.places` adds them to every gazetteer it builds (:func:`with_known`).
"""

from __future__ import annotations

from dataclasses import dataclass

from dalil.places.folding import fold


@dataclass(frozen=True)
class Place:
    """A gazetteer entry as proposals show it."""

    name: str
    country: str
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None
    population: int = 0
    precision: str = "town"  # town, region, country, unresolved


#: countries reports name as destinations and actors (GeoNames country ids)
_COUNTRIES = [
    Place("Syria", "SY", geonameid=163843, precision="country"),
    Place("Lebanon", "LB", geonameid=272103, precision="country"),
    Place("Turkey", "TR", geonameid=298795, precision="country"),
    Place("Iraq", "IQ", geonameid=99237, precision="country"),
    Place("Jordan", "JO", geonameid=248816, precision="country"),
    Place("Israel", "IL", geonameid=294640, precision="country"),
    Place("Iran", "IR", geonameid=130758, precision="country"),
    Place("Russia", "RU", geonameid=2017370, precision="country"),
    Place("Egypt", "EG", geonameid=357994, precision="country"),
]
#: capitals and cities outside Syria that reports name as datelines, destinations and
#: governments (coordinates and ids from GeoNames, CC BY 4.0)
_CITIES = [
    (Place("Beirut", "LB", None, 33.89332, 35.50157, 276781), "بيروت"),
    (Place("Amman", "JO", None, 31.95522, 35.94503, 250441), "عمان"),
    (Place("Baghdad", "IQ", None, 33.34058, 44.40088, 98182), "بغداد"),
    (Place("Ankara", "TR", None, 39.91987, 32.85427, 323786), "أنقرة"),
    (Place("Istanbul", "TR", None, 41.01384, 28.94966, 745044), "إسطنبول اسطنبول"),
    (Place("Gaziantep", "TR", None, 37.05944, 37.3825, 314830), "غازي_عنتاب عنتاب"),
    (Place("Tehran", "IR", None, 35.69439, 51.42151, 112931), "طهران"),
    (Place("Moscow", "RU", None, 55.75222, 37.61556, 524901), "موسكو"),
    (Place("Cairo", "EG", None, 30.06263, 31.24967, 360630), "القاهرة"),
    (Place("Geneva", "CH", None, 46.20222, 6.14569, 2660646), "جنيف"),
    (Place("Washington", "US", None, 38.89511, -77.03637, 4140963), "واشنطن"),
]
#: regions reports name as where violence happened, which GeoNames' populated places lack
#: (no single point, so no coordinates: a person places them on the map if needed)
_REGIONS = [
    (Place("Syrian coast", "SY", None, precision="region"),
     "Syrian_coast Syria's_coast Syrian_Coast الساحل_السوري"),
    (Place("Eastern Ghouta", "SY", "Rif Dimashq", precision="region"),
     "Eastern_Ghouta East_Ghouta الغوطة_الشرقية"),
    (Place("Western Ghouta", "SY", "Rif Dimashq", precision="region"),
     "Western_Ghouta West_Ghouta الغوطة_الغربية"),
    (Place("Jabal al-Akrad", "SY", "Latakia", precision="region"),
     "Jabal_al-Akrad Jabal_Akrad جبل_الأكراد جبل_الاكراد"),
    (Place("Jabal al-Zawiya", "SY", "Idlib", precision="region"),
     "Jabal_al-Zawiya Jabal_Zawiya جبل_الزاوية"),
    (Place("Qalamoun", "SY", "Rif Dimashq", precision="region"), "Qalamoun Qalamun القلمون"),
    (Place("Hauran", "SY", None, precision="region"), "Hauran Houran Horan حوران"),
]  # fmt: skip
#: lower-case last words of region names ("Syrian coast")
REGION_TAILS = {"coast"}
_COUNTRY_NAMES = {
    "Syria": "سوريا سورية Syrian_Arab_Republic", "Lebanon": "لبنان", "Turkey": "تركيا Türkiye",
    "Iraq": "العراق", "Jordan": "الأردن", "Israel": "إسرائيل", "Iran": "إيران",
    "Russia": "روسيا", "Egypt": "مصر",
}  # fmt: skip


def with_known(
    names: dict[str, list[Place]], spelled: set[str]
) -> tuple[dict[str, list[Place]], set[str]]:
    """``names`` (folded key -> places) and ``spelled`` (every written name) of a gazetteer,
    with the places of this module added; a country comes first among places of its key."""
    for city, arabic in _CITIES:
        for alias in [city.name, *arabic.split()]:
            spelled.add(alias.replace("_", " "))
            names.setdefault(fold(alias.replace("_", " ")), []).append(city)
    for region, aliases in _REGIONS:
        for key in {fold(alias.replace("_", " ")) for alias in aliases.split()}:
            names.setdefault(key, []).append(region)
        spelled.update(alias.replace("_", " ") for alias in aliases.split())
    for country in _COUNTRIES:
        for alias in [country.name, *_COUNTRY_NAMES[country.name].split()]:
            spelled.add(alias.replace("_", " "))
            names.setdefault(fold(alias.replace("_", " ")), []).insert(0, country)
    return names, spelled
