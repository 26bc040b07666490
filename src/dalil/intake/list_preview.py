"""A victim list checked before anything is stored: the column mapping it will use and
every bad row, for a person to see and fix first (the browser's list upload).

:func:`guess_mapping` proposes a field for each column from its name, in English or
Arabic ("الاسم الكامل", "Name", "DOD", "تاريخ الوفاة"...); the person may change any of
it. :func:`check` then runs exactly the validation of ``dalil lists import``
(:func:`dalil.intake.victim_lists.parse_list`) and, instead of raising, returns a
:class:`Preview` holding either the parsed list (ready to store with
:func:`dalil.linkage.service.import_list`) or every problem: one that concerns the whole
file (unreadable, a required column missing) or one per bad row and cell. Nothing here
writes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from dalil.errors import InvalidInput
from dalil.intake.spreadsheets import Limits, read_table
from dalil.intake.victim_lists import (
    FIELDS,
    REQUIRED,
    ListFile,
    ListInvalid,
    RowProblem,
    parse_list,
)
from dalil.places.folding import normalise_arabic

#: what columns are called, after :func:`_key` (the field's own name always matches)
_ALIASES: dict[str, tuple[str, ...]] = {
    "record_id": ("id", "no", "number", "row id", "record", "ref", "reference", "#", "رقم",
                  "الرقم", "م", "الرقم التسلسلي", "رقم السجل", "المعرف"),
    "full_name": ("name", "full name", "victim", "victim name", "الاسم", "الاسم الكامل",
                  "اسم الضحيه", "الاسم الثلاثي", "الاسم الرباعي", "nom", "nom complet"),
    "given_name": ("first name", "given name", "forename", "الاسم الاول", "prenom"),
    "father_name": ("father", "father name", "father's name", "اسم الاب", "الاب"),
    "grandfather_name": ("grandfather", "grandfather name", "اسم الجد", "الجد"),
    "family_name": ("family", "family name", "surname", "last name", "الكنيه", "العائله",
                    "اسم العائله", "النسبه", "nom de famille"),
    "mother_name": ("mother", "mother name", "mother's name", "اسم الام", "الام"),
    "sex": ("gender", "m/f", "الجنس", "النوع", "sexe"),
    "age": ("age at death", "years", "العمر", "السن", "عمر"),
    "birth_date": ("birth", "born", "date of birth", "dob", "birthdate", "تاريخ الميلاد",
                   "المواليد", "تولد"),
    "date_of_death": ("date", "date of death", "dod", "death date", "died", "killed on",
                      "تاريخ الوفاه", "تاريخ الاستشهاد", "تاريخ القتل", "تاريخ الوفاه/الاستشهاد"),
    "place_of_death": ("place", "place of death", "location", "town", "village", "where",
                       "مكان الوفاه", "مكان الاستشهاد", "المكان", "البلده", "القريه", "المدينه"),
    "governorate": ("province", "region", "governorate", "muhafaza", "المحافظه"),
}  # fmt: skip


def _key(column: str) -> str:
    """A column name as compared: Arabic letter forms and Latin case folded, underscores,
    dashes, brackets and runs of spaces made one space, full stops dropped ("D.O.D")."""
    text = normalise_arabic(column).casefold().replace(".", "")
    return " ".join(re.sub(r"[():،,_\-]", " ", text).split())


_BY_NAME = {_key(alias): f for f, aliases in _ALIASES.items() for alias in (f, *aliases)}


def guess_mapping(header: Sequence[str]) -> dict[str, str]:
    """Column -> field for every column of ``header`` ("" for a column not imported): a
    column named like a field or one of its usual names maps to it, the first such column
    only when two would map to one field."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for column in header:
        found = _BY_NAME.get(_key(column), "")
        if found in taken:
            found = ""
        taken.add(found)
        out[column] = found
    return out


@dataclass(frozen=True)
class Preview:
    """What an upload would import, or why it cannot: ``header`` and the ``mapping`` used
    (every column, ``""`` when not imported), ``problem`` for the file as a whole and
    ``rows`` for each bad row. ``parsed`` is set only when nothing is wrong."""

    file_name: str
    header: list[str]
    mapping: dict[str, str]
    parsed: ListFile | None = None
    problem: str | None = None
    rows: tuple[RowProblem, ...] = field(default=())
    #: the first row's cells by column, to show what each column holds
    sample: dict[str, str] = field(default_factory=dict)
    #: rows of data in the file (blank rows not counted)
    count: int = 0

    @property
    def ok(self) -> bool:
        return self.parsed is not None

    @property
    def missing(self) -> list[str]:
        """Required fields no column is mapped to."""
        return [f for f in REQUIRED if f not in self.mapping.values()]


def check(
    name: str, data: bytes, mapping: Mapping[str, str] | Sequence[str] | None = None, *,
    limits: Limits,
) -> Preview:  # fmt: skip
    """Read and validate an uploaded list under ``mapping``: column -> field, or the field
    of each column in the header's order, or None to guess it from the header; a column it
    does not name is not imported. Never raises for a bad file: the problems are in the
    returned :class:`Preview`."""
    file_name = Path(name).name or "upload.csv"
    if len(data) > limits.max_bytes:  # refused before anything is parsed
        return Preview(file_name, [], {}, problem=(
            f"the file is {len(data)} bytes, more than the import limit of {limits.max_bytes} "
            "(setting max_import_bytes)"))  # fmt: skip
    try:
        _, header, body = read_table(Path(file_name), data, limits)
    except InvalidInput as err:
        return Preview(file_name, [], {}, problem=_where(err, file_name))
    if mapping is None:
        used = guess_mapping(header)
    elif isinstance(mapping, Mapping):
        used = {c: mapping.get(c, "") for c in header}
    else:
        used = dict(zip(header, [*mapping, *[""] * len(header)], strict=False))
    found = [row for row in body if any(row)]
    sample = dict(zip(header, found[0], strict=False)) if found else {}
    seen = Preview(file_name, header, used, sample=sample, count=len(found))
    for target in used.values():
        if target and target not in FIELDS:
            return replace(seen, problem=f"unknown field {target!r}")
    try:
        parsed = parse_list(file_name, data, used, limits=limits)
    except ListInvalid as err:
        return replace(seen, rows=err.rows)
    except InvalidInput as err:
        return replace(seen, problem=_where(err, file_name))
    return replace(seen, parsed=parsed)


def _where(err: InvalidInput, file_name: str) -> str:
    """The message with its row, when it names one ("row 7: ...")."""
    at = (err.path or "").removeprefix(file_name).lstrip(":")
    return f"row {at}: {err.message}" if at.isdigit() else err.message
