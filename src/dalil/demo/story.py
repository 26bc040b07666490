"""The invented story of the demo case: its title, days, towns, scenes and NGOs.

Modelled on the motivating story in DESIGN.md (militias affiliated with a government kill
civilians of a religious minority over three days in coastal towns; gunmen ask victims'
sect; families are forced to bury their dead in mass graves without rites), but every
town, person, group, organisation and document in it is invented, and every title says
so. The other modules of :mod:`dalil.demo` turn these fixed facts into records.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

FICTIONAL = "FICTIONAL"
TITLE = "[FICTIONAL DEMO] Killings in three coastal towns, 6–8 March 2025"
#: Every id of the demo is a uuid5 in this namespace, so a seed gives the same ids.
NAMESPACE = uuid.UUID("5b0c7c1e-6a55-4d55-9d0a-64616c696c00")
#: The three days of the killings.
DAYS = (date(2025, 3, 6), date(2025, 3, 7), date(2025, 3, 8))
#: The fictional press release the demo seals in the evidence vault.
PRESS_RELEASE = """[FICTIONAL DEMO] Press release of a fictional NGO, 12 March 2025

Between 6 and 8 March 2025, gunmen of militias affiliated with the government killed at
least 150 civilians in three coastal towns (Ayn al-Ward, Sahil al-Zaytun and Tall
al-Sanawbar). Witnesses said the gunmen asked residents their sect before taking the men
outside. Families were forced to bury their dead in mass graves without rites.
Every name, place and organisation in this document is invented.
"""
#: Deaths in the fictional "true" population; the first DOCUMENTED have case records.
TRUE_DEATHS = 220
DOCUMENTED = 150


@dataclass(frozen=True)
class Town:
    """A fictional town: two Latin spellings (the lists' styles A and B), Arabic, its
    (real) governorate in English and Arabic, and a point (degrees) for the map."""

    en: str
    en_b: str
    ar: str
    governorate: str
    governorate_ar: str
    lat: float
    lon: float


TOWNS = (
    Town("Ayn al-Ward", "Ain El Ward", "عين الورد", "Latakia", "اللاذقية", 35.41, 35.93),
    Town("Sahil al-Zaytun", "Sahel Zeitoun", "ساحل الزيتون", "Tartus", "طرطوس", 35.12, 35.91),
    Town("Tall al-Sanawbar", "Tell Snobar", "تل الصنوبر", "Latakia", "اللاذقية", 35.30, 35.95),
)
#: Where the incidents happened: (a phrase for the title, the act's location type).
SCENES = (
    ("in family homes in the northern quarter", "victims_home"),
    ("at a checkpoint at the town entrance", "checkpoint"),
    ("on the road to the fields", "road"),
    ("near the old mosque", "place_of_worship"),
    ("in shops on the main street", "shop"),
    ("in the olive groves east of the town", "agricultural_land"),
    ("in family homes in the eastern quarter", "victims_home"),
)
#: The documenting NGOs: (English name, Arabic name, stem of their victim list's file).
NGOS = (
    ("Coastal Documentation Network", "شبكة توثيق الساحل", "coastal_documentation_network"),
    ("Olive Branch Monitor", "مرصد غصن الزيتون", "olive_branch_monitor"),
    ("Families for Truth", "عائلات من أجل الحقيقة", "families_for_truth"),
)
