"""The gazetteer: named places with coordinates, looked up in Arabic or Latin script.

Every workspace starts with the Syrian GeoNames subset shipped with dalil (308 towns and
administrative seats; CC BY 4.0, "GeoNames, geonames.org"). Villages are not in it:
``dalil gazetteer import`` loads a full GeoNames country dump (``SY.txt`` from the
GeoNames export, tab-separated, 19 columns) into the workspace, replacing rows with the
same ``geonameid``. Reference data, not evidence: re-importing replaces.

Look-up folds spelling noise (:func:`dalil.places.folding.fold`) and falls back to the Latin
consonant skeleton; results are ranked by match quality, then population.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Self

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from dalil.errors import InvalidInput
from dalil.model.tables import GazetteerName, GazetteerPlace
from dalil.places.folding import fold, skeleton

GEONAMES_COLUMNS = (
    "geonameid",
    "name",
    "asciiname",
    "alternatenames",
    "latitude",
    "longitude",
    "feature_class",
    "feature_code",
    "country_code",
    "cc2",
    "admin1_code",
    "admin2_code",
    "admin3_code",
    "admin4_code",
    "population",
    "elevation",
    "dem",
    "timezone",
    "modification_date",
)
BATCH = 2_000


@dataclass(frozen=True)
class Entry:
    """A gazetteer place as a lookup or a search returns it: where it is and how large."""

    geonameid: int
    name: str
    admin1_name: str | None
    latitude: float
    longitude: float
    population: int
    feature_code: str | None

    @property
    def ref(self) -> str:
        """How a place record cites it (``UncertainPlace.gazetteer_ref``)."""
        return f"geonames:{self.geonameid}"

    @classmethod
    def of(cls, place: GazetteerPlace, **more: Any) -> Self:
        """This kind of entry for a gazetteer row; ``more`` are the subclass's own fields."""
        return cls(place.geonameid, place.name, place.admin1_name, place.latitude,
                   place.longitude, place.population, place.feature_code, **more)  # fmt: skip


@dataclass(frozen=True)
class Match(Entry):
    """One gazetteer candidate for a looked-up name: the name it matched, and how
    ("folded" or "skeleton")."""

    matched_name: str = ""
    how: str = "folded"


def _name_rows(geonameid: int, names: Iterable[str]) -> list[dict[str, object]]:
    seen: set[str] = set()
    rows: list[dict[str, object]] = []
    for name in names:
        name = name.strip()[:400]
        key = fold(name)
        if not name or not key or name in seen:
            continue
        seen.add(name)
        rows.append(
            {
                "geonameid": geonameid,
                "name": name,
                "key": key[:400],
                "skeleton": skeleton(name)[:400],
            }
        )
    return rows


def _replace(
    session: Session, places: list[dict[str, object]], names: list[dict[str, object]]
) -> None:
    ids = [p["geonameid"] for p in places]
    session.execute(delete(GazetteerName).where(GazetteerName.geonameid.in_(ids)))
    session.execute(delete(GazetteerPlace).where(GazetteerPlace.geonameid.in_(ids)))
    session.execute(insert(GazetteerPlace), places)
    if names:
        session.execute(insert(GazetteerName), names)


def load_packaged(session: Session) -> int:
    """Load the shipped Syrian subset; returns the number of places."""
    text = (resources.files("dalil") / "data" / "geo" / "geonames_sy_cities500.csv").read_text(
        "utf-8"
    )
    places: list[dict[str, object]] = []
    names: list[dict[str, object]] = []
    for row in csv.DictReader(text.splitlines()):
        gid = int(row["geonameid"])
        places.append(
            {
                "geonameid": gid,
                "name": row["name"],
                "latitude": float(row["latitude"]),
                "longitude": float(row["longitude"]),
                "feature_class": "P",
                "feature_code": None,
                "country_code": "SY",
                "admin1_code": row["admin1_code"],
                "admin1_name": row["admin1_name"],
                "admin2_code": None,
                "population": int(row["population"] or 0),
                "origin": "packaged",
            }
        )
        alternates = [n for col in ("names_ar", "names_latin") for n in row[col].split("|")]
        names.extend(_name_rows(gid, [row["name"], *alternates]))
    _replace(session, places, names)
    return len(places)


def _admin1_names(session: Session) -> dict[tuple[str, str], str]:
    rows = session.execute(
        select(GazetteerPlace.country_code, GazetteerPlace.admin1_code, GazetteerPlace.admin1_name)
        .where(GazetteerPlace.admin1_name.is_not(None))
        .distinct()
    )
    return {(c, a): n for c, a, n in rows if a and n}


def _parse_line(line: str, where: str) -> tuple[dict[str, object], list[str]]:
    cells = line.rstrip("\n").rstrip("\r").split("\t")
    if len(cells) != len(GEONAMES_COLUMNS):
        raise InvalidInput(
            f"expected {len(GEONAMES_COLUMNS)} tab-separated columns (GeoNames format), "
            f"found {len(cells)}",
            path=where,
        )
    row = dict(zip(GEONAMES_COLUMNS, cells, strict=True))

    def num(field: str, kind: type[int] | type[float], lo: float, hi: float) -> int | float:
        try:
            value = kind(row[field] or 0)
        except ValueError:
            raise InvalidInput(
                f"not a number: {row[field][:40]!r}", path=f"{where}:{field}"
            ) from None
        if not lo <= value <= hi:
            raise InvalidInput(f"out of range [{lo}, {hi}]", path=f"{where}:{field}")
        return value

    if not row["name"]:
        raise InvalidInput("empty name", path=f"{where}:name")
    if len(row["country_code"]) != 2:
        raise InvalidInput("country code must have two letters", path=f"{where}:country_code")
    place: dict[str, object] = {
        "geonameid": int(num("geonameid", int, 1, 2**31 - 1)),
        "name": row["name"][:200],
        "latitude": float(num("latitude", float, -90, 90)),
        "longitude": float(num("longitude", float, -180, 180)),
        "feature_class": row["feature_class"][:1] or None,
        "feature_code": row["feature_code"][:10] or None,
        "country_code": row["country_code"],
        "admin1_code": row["admin1_code"][:20] or None,
        "admin2_code": row["admin2_code"][:80] or None,
        "population": int(num("population", int, 0, 2**31 - 1)),
    }
    alternates = [row["name"], row["asciiname"], *row["alternatenames"].split(",")]
    return place, alternates


def import_geonames(
    session: Session, path: Path, progress: Callable[[int], None] | None = None
) -> int:
    """Import a GeoNames dump into the workspace gazetteer; returns rows imported.

    The whole file is checked first: a bad row raises :class:`InvalidInput` naming
    ``file:line:field`` and nothing is written (the caller's transaction is not used
    until every row parsed). ``progress`` is called with the number of rows written so far.
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as err:
        raise InvalidInput(f"not UTF-8 at byte {err.start}", path=str(path)) from None
    except OSError as err:
        raise InvalidInput(f"cannot read file: {err.strerror}", path=str(path)) from None
    parsed: list[tuple[dict[str, object], list[str]]] = []
    seen: set[object] = set()
    for n, line in enumerate(lines, start=1):
        if not line.strip() or line.startswith("#"):
            continue
        place, alternates = _parse_line(line, f"{path.name}:{n}")
        if place["geonameid"] in seen:
            raise InvalidInput("geonameid repeated in file", path=f"{path.name}:{n}:geonameid")
        seen.add(place["geonameid"])
        parsed.append((place, alternates))
    if not parsed:
        raise InvalidInput("no GeoNames rows found", path=str(path))
    admin1 = _admin1_names(session)
    for i in range(0, len(parsed), BATCH):
        chunk = parsed[i : i + BATCH]
        places: list[dict[str, object]] = []
        names: list[dict[str, object]] = []
        for place, alternates in chunk:
            place["admin1_name"] = admin1.get(
                (str(place["country_code"]), str(place["admin1_code"]))
            )
            place["origin"] = path.name[:200]
            places.append(place)
            names.extend(_name_rows(int(str(place["geonameid"])), alternates))
        _replace(session, places, names)
        if progress:
            progress(i + len(chunk))
    return len(parsed)


def lookup(session: Session, name: str, limit: int = 10) -> list[Match]:
    """Candidates for ``name`` (either script), best first."""
    key, skel = fold(name), skeleton(name)
    if not key:
        return []
    found: dict[int, Match] = {}
    for how, column, value in (
        ("folded", GazetteerName.key, key),
        ("skeleton", GazetteerName.skeleton, skel),
    ):
        if not value or len(found) >= limit:
            continue
        rows = session.execute(
            select(GazetteerPlace, GazetteerName.name)
            .join(GazetteerName, GazetteerName.geonameid == GazetteerPlace.geonameid)
            .where(column == value)
            .order_by(GazetteerPlace.population.desc(), GazetteerPlace.geonameid)
        )
        for place, matched in rows:
            if place.geonameid not in found:
                found[place.geonameid] = Match.of(place, matched_name=matched, how=how)
    return list(found.values())[:limit]


def get(session: Session, geonameid: int) -> GazetteerPlace | None:
    return session.get(GazetteerPlace, geonameid)
