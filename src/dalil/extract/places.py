"""Places named in a report, found through the gazetteer, each with its role.

Gazetteer first (``extraction.md`` §4.5): every run of up to four words whose folded key
(:func:`dalil.places.folding.fold`: article, diacritics and spelling noise removed) is a name of
a gazetteer place is a candidate, in either script; an Arabic word may carry an attached
preposition or conjunction ("ببانياس", "وجبلة"). Latin-script names must be capitalised.
A name after a settlement cue ("the village of X", "قرية X") that the gazetteer lacks is
still proposed, without coordinates, for a person to place.

Most places in a report are not where the killing happened, so each gets a role from its
context:

* ``dateline``: a place opening a paragraph before a dash, colon or bracket
  ("DAMASCUS, 10 March (Reuters) —", "بيروت -");
* ``destination``: where people fled to ("fled to Lebanon", "نزحوا إلى طرطوس");
* ``government``: a capital standing for its government ("Damascus denied", "أعلنت دمشق");
* ``incident``: after a locative cue ("in", "near", "the countryside of", "في", "ريف");
* ``mentioned``: anything else.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dalil.extract.known_places import REGION_TAILS, Place, with_known
from dalil.model.tables import GazetteerName, GazetteerPlace
from dalil.places.folding import ARABIC_DIACRITICS, LATIN_ARTICLES, fold, is_arabic

#: capitals that stand for governments ("Damascus said")
# fmt: off
_CAPITALS = {fold(n) for n in [
    "Damascus", "دمشق", "Beirut", "بيروت", "Baghdad", "بغداد", "Ankara", "أنقرة", "Tehran",
    "طهران", "Moscow", "موسكو", "Amman", "عمان", "Cairo", "القاهرة", "Washington", "واشنطن",
]}
# fmt: on
#: words that are also names of small places; matched alone only after a settlement cue
_COMMON = {
    fold(w)
    for w in [
        "the",
        "and",
        "said",
        "we",
        "he",
        "she",
        "they",
        "it",
        "was",
        "this",
        "that",
        "new",
        "one",
        "center",
        "centre",
        "city",
        "village",
        "town",
        "hospital",
        "school",
        "mosque",
        "church",
        "road",
        "street",
        "square",
        "north",
        "south",
        "east",
        "west",
        "salam",
        "peace",
        "السلام",
        "الحرية",
        "النصر",
        "الشهداء",
        "المدينة",
        "القرية",
        "الساحة",
        "الجامعة",
        "المدرسة",
        "المستشفى",
        "الطريق",
        "الشارع",
        "الجسر",
        "الحي",
        "الشمال",
        "الجنوب",
        "الشرق",
        "الغرب",
        "البلد",
        "الوطن",
        "النور",
        "الحق",
        "الخير",
    ]
}
_ARABIC_PREFIXES = ("وب", "وبال", "ول", "فب", "و", "ب", "ل", "ف", "ك")
_WORD = re.compile(r"[\w'’ʿʾ\u064b-\u065f\u0670]+(?:-[\w'’ʿʾ\u064b-\u065f\u0670]+)*")


class Gazetteer:
    """Folded name -> places, from a workspace's gazetteer or the shipped subset."""

    def __init__(self, names: dict[str, list[Place]], spelled: set[str]) -> None:
        self.names = names
        self.longest = 4
        #: every folded word of every name: a text word outside it starts no name, so
        #: most words cost one set look-up
        self.words = {fold(w) for name in spelled for w in _WORD.findall(name)} | set(names)

    @classmethod
    def of(cls, session: Session) -> Gazetteer:
        """Every name of the workspace's gazetteer (shipped subset plus imports)."""
        rows = session.execute(
            select(GazetteerName.key, GazetteerName.name, GazetteerPlace).join(
                GazetteerPlace, GazetteerPlace.geonameid == GazetteerName.geonameid)
        )  # fmt: skip
        names: dict[str, list[Place]] = {}
        spelled: set[str] = set()
        for key, name, p in rows:
            spelled.add(name)
            names.setdefault(key, []).append(Place(p.name, p.country_code, p.admin1_name,
                                                   p.latitude, p.longitude, p.geonameid,
                                                   p.population))  # fmt: skip
        return cls(*with_known(names, spelled))

    @classmethod
    @lru_cache(maxsize=1)
    def shipped(cls) -> Gazetteer:
        """The Syrian GeoNames subset shipped with dalil (for use without a workspace)."""
        text = (resources.files("dalil") / "data" / "geo" / "geonames_sy_cities500.csv"
                ).read_text("utf-8")  # fmt: skip
        names: dict[str, list[Place]] = {}
        spelled: set[str] = set()
        for row in csv.DictReader(text.splitlines()):
            place = Place(row["name"], "SY", row["admin1_name"], float(row["latitude"]),
                          float(row["longitude"]), int(row["geonameid"]),
                          int(row["population"] or 0))  # fmt: skip
            alternates = [n for col in ("names_ar", "names_latin") for n in row[col].split("|")]
            for name in {row["name"], *alternates}:
                if key := fold(name):
                    spelled.add(name)
                    names.setdefault(key, []).append(place)
        return cls(*with_known(names, spelled))

    def best(self, key: str) -> Place | None:
        found = self.names.get(key)
        if not found:
            return None
        return max(found, key=lambda p: (p.precision == "country", p.population))


@dataclass(frozen=True)
class PlaceFact:
    start: int
    end: int
    text: str
    place: Place
    role: str
    how: str  # gazetteer, cue (a name after a settlement word, not in the gazetteer)

    @property
    def confidence(self) -> float:
        base = {"incident": 0.85, "mentioned": 0.6}.get(self.role, 0.75)
        return base if self.how == "gazetteer" else 0.5

    def value(self) -> dict[str, Any]:
        p = self.place
        return {"name": p.name, "country": p.country, "admin1": p.admin1, "lat": p.lat,
                "lon": p.lon, "geonameid": p.geonameid, "precision": p.precision,
                "role": self.role}  # fmt: skip


_SETTLEMENT_CUE = re.compile(
    r"(?i:(?:village|town|city|neighbou?rhood|district|hamlet)s? of\s*$)"
    r"|(?<!\w)(?:قرية|بلدة|مدينة|حي|ناحية|منطقة|ريف|مزرعة|قاعدة|مخيم|سجن|قرى|بلدات)\s*$"
)
#: What separates the members of a list of places: "Sarmeen, Saraqeb and Taftanaz",
#: "اللطامنة، والأربعين" (an Arabic "and" is written onto the next word)
_LIST_SEP = re.compile(r"\s*[,،]\s*(?:and\s+)?|\s+(?:and|or)\s+|\s+")
_INCIDENT_CUE = re.compile(
    r"(?i:\b(?:in|at|near|outside|around|inside|into|across|on|on the outskirts of|including|"
    r"(?:the )?countryside of"
    r"|(?:the )?(?:village|town|city|neighbou?rhood|district|governorate)s? of"
    r"|the (?:village|town|city|area|neighbou?rhood) (?:called |named )?"
    r"|(?:shelling|bombing|bombardment|massacres?|siege|storming|killings?) (?:of|in|at)"
    r"|(?:attacks?|raids?|assaults?|air ?strikes?) (?:on|in|at))"
    r"\s*(?:the\s+)?[\"“]?$)"
    r"|(?<!\w)(?:[وف]?ب?)(?:في|قرب|القرب من|داخل|خارج|أطراف|محيط|ريف|قرية|بلدة|مدينة|حي|منطقة"
    r"|ناحية|محافظة|محافظتي|محافظات|قرى|بلدات|مدن|أحياء|مناطق|منطقتي|مدينتي|بلدتي|قريتي"
    r"|بما في ذلك|بما فيها|كل من|مجزرة|مجزرتي|مجازر|قصف|استهداف|اقتحام)\s*[\"«]?$"
)
#: a preposition written onto the place's own word ("بطرطوس", "وببانياس"): in, at
_ATTACHED_IN = re.compile(r"(?<![\u0621-\u064a])[وف]?ب$")
#: a verb of flight, then (in the same clause) "to" right before the place
_DESTINATION_CUE = re.compile(
    r"(?i:\b(?:fled|escaped|displaced|relocated|took refuge|sought refuge|crossed|arrived)"
    r"[^.;\n]{0,50}\b(?:to|into|in)\s+(?:the\s+)?(?:(?:city|town|village|area) of\s+)?$)"
    r"|(?<!\w)[وف]?(?:فر|نزح|هرب|لجأ|لجؤوا|انتقل|توجه|عبر|وصل)\w*[^.؛\n]{0,50}"
    r"(?:إلى|الى|نحو)\s+(?:(?:قاعدة|مدينة|قرية|بلدة|مخيم|شمال|جنوب|شرق|غرب)\s+)?$"
)
#: a visit right before the place (or before "the towns of"): "Human Rights Watch visited
#: the towns of Sarmeen, Saraqeb ...", "زار الفريق بلدة ..."
_VISIT_CUE = re.compile(
    r"(?i:\b(?:visited|toured)\s+(?:the\s+)?(?:(?:village|town|city|area|neighbou?rhood)s?"
    r"\s+of\s+)?$)|(?<!\w)[وف]?(?:زار|زاروا|زارت|بزيارة|زيارة)\s+(?:\S+\s+){0,3}$"
)
_GOVERNMENT_AFTER = re.compile(
    r"^\s*(?i:said|says|denied|denies|accused|accuses|announced|announces|blamed|claimed|"
    r"claims|rejected|insisted|stated|has said|has denied|responded)\b"
)
_GOVERNMENT_BEFORE = re.compile(r"(?:أعلنت|نفت|اتهمت|قالت|رفضت|أكدت|زعمت|ردت)\s*$")
_DATELINE_AFTER = re.compile(
    r"^\s*(?:[,،][^.\n]{0,40})?\s*(?:—|–|-|:|\()|^\s*[,،][^.\n]{0,30}$", re.M
)


def _word_fold(word: str) -> str:
    """A word's key part: folded, without a possessive "'s" (a Latin article alone folds
    to itself; the caller drops it when another word follows)."""
    return fold(re.sub(r"['’]s$", "", word))


def find(text: str, gazetteer: Gazetteer) -> Iterator[PlaceFact]:
    """Every place named in ``text``, longest names first, with roles."""
    words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
    cache: dict[str, str] = {}

    def key(i: int, n: int, strip: str = "") -> str:
        parts = []
        for j in range(i, i + n):
            w = words[j][2][len(strip) :] if j == i else words[j][2]
            if j < i + n - 1 and w.lower() in LATIN_ARTICLES and j == i:
                continue
            if w not in cache:
                cache[w] = _word_fold(w)
            parts.append(cache[w])
        return "".join(parts)

    i = 0
    listing: str | None = None  # the role of the list of settlements being read
    last_end = 0
    while i < len(words):
        start = words[i][0]
        sep = text[last_end:start]
        in_list = listing is not None and _LIST_SEP.fullmatch(sep) is not None
        if in_list and not sep.strip():  # a space only: an Arabic "and" must be on the word
            in_list = is_arabic(words[i][2]) and words[i][2].startswith("و")
        hit = _match(words, i, key, gazetteer)
        if hit is None:
            fact = _cue_name(text, words, i) or (
                _listed_name(text, words, i, listing) if in_list and listing else None
            )
            if fact is None:
                i += 1
                continue
            n = len(fact.text.split())
        else:
            n, strip, place = hit
            start, end = words[i][0] + len(strip), words[i + n - 1][1]
            role = _role(text, start, end, place)
            if in_list and listing and role == "mentioned":
                role = listing
            fact = PlaceFact(start, end, text[start:end], place, role, "gazetteer")
        cued = _SETTLEMENT_CUE.search(text[max(0, fact.start - 30) : fact.start])
        listing = fact.role if (cued or in_list) else None
        last_end = fact.end
        yield fact
        i += n


def _listed_name(
    text: str, words: list[tuple[int, int, str]], i: int, role: str
) -> PlaceFact | None:
    """A name the gazetteer lacks in a list of settlements whose head had a cue ("the
    towns of Sarmeen, Saraqeb, Taftanaz, Hazano, Kelly"): it is a settlement too, with
    the head's role. Arabic "and" written onto the name is not part of it, and only a name
    with its article continues an Arabic list: "وقتل" after a place is "and killed", and
    "، مما", "، شاهد" were taken for places on the development half."""
    start, end, word = words[i]
    if is_arabic(word):
        if word.startswith("و") and len(word) > 3:
            start, word = start + 1, word[1:]
        if not word.startswith("ال") or fold(word) in _AR_STOP:
            return None  # "وقتل", "، مما", "، شاهد": a verb or a word, not the next name
    elif not word[:1].isupper() or fold(word) in _COMMON:
        return None
    place = Place(word, "", precision="unresolved")
    return PlaceFact(start, end, word, place, role, "cue")


def _match(words: list[tuple[int, int, str]], i: int, key: Any,
           gazetteer: Gazetteer) -> tuple[int, str, Place] | None:  # fmt: skip
    first = words[i][2]
    arabic = is_arabic(first)
    if not arabic and not (first[:1].isupper() or first.lower() in LATIN_ARTICLES):
        return None
    prefixes = _ARABIC_PREFIXES if arabic else ()
    strips = [""] + [p for p in prefixes if first.startswith(p) and len(first) - len(p) >= 3]
    strips = [p for p in strips if key(i, 1, p) in gazetteer.words]
    if not strips and first.lower() not in LATIN_ARTICLES:
        return None
    for n in range(min(gazetteer.longest, len(words) - i), 0, -1):
        last = words[i + n - 1][2]
        if not arabic and not (
            last[:1].isupper() or _TRANSLITERATED.match(last) or last in REGION_TAILS
        ):
            continue
        for strip in strips:
            k = key(i, n, strip)
            if len(k) < 3 or (n == 1 and k in _COMMON):
                continue
            if place := gazetteer.best(k):
                return n, strip, place
    return None


_NAME_AFTER = re.compile(
    r"^\s+(?:neighbou?rhood|village|town|district|quarter|area|camp|suburb)\b"
    r"|^,\s+(?:one of the|a|an|the)\s+(?:\w+\s+)?(?:villages?|towns?|neighbou?rhoods?|districts?)\b"
)
_TRANSLITERATED = re.compile(r"^(?:al|el|Al|El|ad|as|ash|at|az|ar|an|ed|es)-[A-Z]")
#: words that begin a landform's name ("وادي النصارى", "جبل الأكراد")
_AR_LANDFORM = {"وادي", "جبل", "سهل", "تل", "كفر", "دير", "خربة"}
_EN_LANDFORM = {"wadi", "ain", "ayn", "jabal", "jebel", "tell", "tal", "tall", "deir",
                "kafr", "beit", "khirbet", "ras", "bab", "jisr", "sahl", "qasr"}  # fmt: skip
_AR_LOCATIVE = re.compile(r"(?<![\u0621-\u064a])[وف]?(?:في|قرب|من|إلى|الى|داخل)\s+$")
_LOCATIVE = re.compile(r"(?i:\b(?:in|near|at|on|from|into|outside)\s+(?:the\s+)?)$")
#: Arabic words that are never place names, though they may follow a settlement cue
_AR_STOP = {
    fold(w)
    for w in [
        "ذات",
        "ريف",
        "التي",
        "الذي",
        "يوم",
        "في",
        "من",
        "على",
        "إلى",
        "عن",
        "مع",
        "بعد",
        "قبل",
        "بين",
        "خلال",
        "وبلدة",
        "وقرية",
        "ومدينة",
        "قرية",
        "بلدة",
        "مدينة",
        "كاملة",
        "بأكملها",
        "واحدة",
        "المجاورة",
        "القريبة",
        "الشمالي",
        "الجنوبي",
        "الشرقي",
        "الغربي",
        "بما",
        "بينها",
        "منها",
        "وهي",
        "حيث",
        "كما",
        "إضافة",
        "وغيرها",
    ]
}


def _cue_name(text: str, words: list[tuple[int, int, str]], i: int) -> PlaceFact | None:
    """A name the gazetteer lacks, by its context: after "the village of" / "قرية", a
    transliterated "al-X" after a locative preposition, or before "neighbourhood" or
    ", one of the villages"."""
    start, first = words[i][0], words[i][2]
    before = text[max(0, start - 30) : start]
    arabic = is_arabic(first)
    if arabic:
        nxt = words[i + 1] if i + 1 < len(words) else None
        if (
            first in _AR_LANDFORM and nxt and text[words[i][1] : nxt[0]] == " "
            and nxt[2].startswith("ال") and _AR_LOCATIVE.search(before)
        ):  # fmt: skip
            end = nxt[1]  # "في وادي النصارى": a valley's name is two words or more
        elif not _SETTLEMENT_CUE.search(before) or fold(first) in _AR_STOP or \
                re.search(r"[0-9٠-٩]\s*\S*\s*$", before):  # fmt: skip
            return None  # "20 قرية وبلدة" counts villages, it does not name one
        else:
            end = words[i][1]
    else:
        if not (first[:1].isupper() or _TRANSLITERATED.match(first)) or fold(first) in _COMMON:
            return None
        end = words[i][1]
        if i + 1 < len(words) and words[i + 1][2][:1].isupper() and words[i + 1][0] - end <= 1:
            end = words[i + 1][1]
        article = False  # "Wadi al-Nasara", "Ain al-Sharqiyah": the name runs on
        for nxt in words[i + 1 : i + 3]:
            if nxt[0] - end > 1 or not _TRANSLITERATED.match(nxt[2]):
                break
            end, article = nxt[1], True
        cued = _SETTLEMENT_CUE.search(before) or _NAME_AFTER.match(text[end : end + 40])
        landform = article and first.lower() in _EN_LANDFORM  # not "President al-Sharaa"
        located = _LOCATIVE.search(before) and (landform or _TRANSLITERATED.match(first))
        if not cued and not located:
            return None
    name = text[start:end]
    place = Place(name, "", precision="unresolved")
    return PlaceFact(start, end, name, place, _role(text, start, end, place), "cue")


def _role(text: str, start: int, end: int, place: Place) -> str:
    before = ARABIC_DIACRITICS.sub("", text[max(0, start - 90) : start])
    after = ARABIC_DIACRITICS.sub("", text[end : end + 60])
    line_start = text.rfind("\n", 0, start) + 1
    if not text[line_start:start].strip() and _DATELINE_AFTER.match(after):
        return "dateline"
    if _DESTINATION_CUE.search(before):
        return "destination"
    if _VISIT_CUE.search(before):
        return "mentioned"  # the investigators' own visit, not where the killing was
    if fold(text[start:end]) in _CAPITALS and (
        _GOVERNMENT_AFTER.match(after) or _GOVERNMENT_BEFORE.search(before)
    ):
        return "government"
    if _INCIDENT_CUE.search(before) or _ATTACHED_IN.search(before):
        return "incident"
    return "mentioned"
