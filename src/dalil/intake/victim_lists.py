"""Victim-list files (CSV, XLSX) read, mapped onto the victim-list schema and validated.

Lists come from many groups in whatever shape they keep them: UTF-8 or Windows-1256
Arabic CSV exports, Excel workbooks, columns named in Arabic or English. Reading is
separate from storing: :func:`read_list` returns every row with its mapped values, or
raises one :class:`~dalil.errors.InvalidInput` whose ``problems`` list names every bad
row as ``file:row:column``, so a person can fix the file in one pass. Row numbers are as
a spreadsheet shows them (the header is row 1). The file is read as a table of cells by
:mod:`dalil.intake.spreadsheets`; the field values are parsed by :mod:`dalil.intake.fields`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from dalil.errors import InvalidInput
from dalil.intake import fields
from dalil.intake.spreadsheets import Limits, detect_encoding, read_table

__all__ = [
    "FIELDS",
    "MAX_REPORTED",
    "REQUIRED",
    "Limits",
    "ListFile",
    "ListInvalid",
    "ListRow",
    "RowProblem",
    "detect_encoding",
    "parse_list",
    "parse_mapping",
    "read_list",
]

FIELDS = (
    "record_id",
    "full_name",
    "given_name",
    "father_name",
    "grandfather_name",
    "family_name",
    "mother_name",
    "sex",
    "age",
    "birth_date",
    "date_of_death",
    "place_of_death",
    "governorate",
)
REQUIRED = ("record_id", "full_name")
_PARSERS = {
    "sex": fields.parse_sex,
    "age": fields.parse_age,
    "birth_date": fields.parse_date,
    "date_of_death": fields.parse_date,
}
MAX_REPORTED = 200


class ListInvalid(InvalidInput):
    """A list file failed validation. The error's path and message are the first problem
    (``file:row:column``); when there are several, ``problems`` holds every one as
    ``file:row:column: why`` (at most :data:`MAX_REPORTED`), else it is empty."""

    def __init__(
        self, message: str, problems: list[str], *, path: str,
        rows: tuple[RowProblem, ...] = (),
    ) -> None:  # fmt: skip
        super().__init__(message, path=path)
        self.problems = problems
        #: every problem, none left out, for a screen that lists them as a table
        self.rows = rows


@dataclass(frozen=True)
class RowProblem:
    """One bad row (as a spreadsheet numbers it) and, when one cell is at fault, its
    column; ``message`` says what is wrong."""

    row: int
    column: str | None
    message: str


@dataclass(frozen=True)
class ListRow:
    row_number: int
    raw: dict[str, str]
    values: dict[str, str]


@dataclass(frozen=True)
class ListFile:
    file_name: str
    sha256: str
    encoding: str
    mapping: dict[str, str]
    rows: list[ListRow]


def read_list(
    path: Path, mapping: Mapping[str, str] | None = None, *, limits: Limits | None = None
) -> ListFile:
    """Read, map and validate a list file; raises :class:`InvalidInput` for a file that
    cannot be read as a table at all (the first such problem, located as ``file:row``) and
    :class:`ListInvalid` listing every bad row.

    ``mapping`` maps file column names to victim-list fields; columns named like a field
    map to it without being listed. Unmapped columns are kept in ``raw`` only. ``limits``
    (default: the settings' defaults; pass ``Limits.of(settings)``) bound the file and
    each cell. Nothing here writes: a caller stores the returned rows in one transaction.
    """
    limits = limits or Limits()
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise InvalidInput(
            f"the file is {size} bytes, more than the import limit of {limits.max_bytes} "
            "(setting max_import_bytes)",
            path=path.name,
        )
    return parse_list(path.name, path.read_bytes(), mapping, limits=limits)


def parse_list(
    name: str, data: bytes, mapping: Mapping[str, str] | None = None, *,
    limits: Limits | None = None,
) -> ListFile:  # fmt: skip
    """:func:`read_list` of a file's bytes named ``name`` (an upload in the browser, which
    is never written to disk). A column mapped to ``""`` is not imported, even when it is
    named like a field."""
    limits = limits or Limits()
    if len(data) > limits.max_bytes:
        raise InvalidInput(
            f"the file is {len(data)} bytes, more than the import limit of {limits.max_bytes} "
            "(setting max_import_bytes)",
            path=name,
        )
    path = Path(name)
    xlsx = path.suffix.lower() in (".xlsx", ".xlsm")
    encoding, header, body = read_table(path, data, limits)
    mapping = dict(mapping or {})
    for target in mapping.values():
        if target and target not in FIELDS:
            raise InvalidInput(
                f"unknown field {target!r} in --map (fields: {', '.join(FIELDS)})", path="--map"
            )
    for col in mapping:
        if col not in header:
            raise InvalidInput(
                f"--map names column {col!r}, which the file does not have", path=f"{path.name}:1"
            )
    col_field = {
        c: mapping.get(c, c if c in FIELDS and c not in mapping.values() else "") for c in header
    }
    present = {f for f in col_field.values() if f}
    doubled = [f for f in present if list(col_field.values()).count(f) > 1]
    if doubled:
        cols = [c for c, f in col_field.items() if f == doubled[0]]
        raise InvalidInput(
            f"columns {', '.join(map(repr, cols))} are all mapped to {doubled[0]}; map one",
            path=f"{path.name}:1",
        )
    missing = [f for f in REQUIRED if f not in present]
    if missing:
        raise InvalidInput(
            f"missing required column(s) {', '.join(missing)}; map yours with --map COLUMN=FIELD",
            path=f"{path.name}:1",
        )
    if not body:
        raise InvalidInput("the file has a header but no rows", path=f"{path.name}:2")
    problems: list[tuple[str, str]] = []  # (file:row[:column], what)
    located: list[RowProblem] = []

    def bad(row: int, column: str | None, what: str) -> None:
        problems.append((f"{path.name}:{row}" + (f":{column}" if column else ""), what))
        located.append(RowProblem(row, column, what))

    seen: dict[str, int] = {}
    rows: list[ListRow] = []
    for i, cells in enumerate(body, start=2):
        if not any(cells):
            continue
        # A CSV row writes every cell, empty or not: a short row has lost or merged cells.
        # XLSX has no trailing empty cells to write, so only a wide row is wrong there.
        if len(cells) > len(header) or (len(cells) < len(header) and not xlsx):
            bad(i, None, f"{len(cells)} cells but {len(header)} columns")
            continue
        raw = dict(zip(header, cells + [""] * (len(header) - len(cells)), strict=True))
        values = {f: raw[c] for c, f in col_field.items() if f}
        where = {f: c for c, f in col_field.items() if f}
        for col, cell in raw.items():
            if len(cell) > limits.max_cell_chars:
                bad(i, col, f"{len(cell)} characters, more than the limit of "
                            f"{limits.max_cell_chars} (setting max_text_chars)")  # fmt: skip
            elif not xlsx and col_field[col] and ("\n" in cell or "\r" in cell):
                # in a CSV, a name or date holding a line break is almost always a quote
                # closed rows too late; notes in unmapped columns may hold line breaks
                bad(i, col, "a line break inside the value (an unclosed quote above?)")
        for f in REQUIRED:
            if not values.get(f):
                bad(i, where[f], f"empty {f}")
        rid = values.get("record_id", "")
        if rid in seen:
            bad(i, where["record_id"], f"record_id repeats row {seen[rid]}")
        elif rid:
            seen[rid] = i
        for f, parse in _PARSERS.items():
            if values.get(f):
                try:
                    parse(values[f])
                except ValueError as exc:
                    bad(i, where[f], str(exc))
        rows.append(ListRow(i, raw, values))
    if problems:
        # The error is located at the first problem; the others follow one per line (a
        # single problem stays one line).
        first_at, first = problems[0]
        many = f" (1 of {len(problems)} problems, all listed below)" if len(problems) > 1 else ""
        shown = [f"{at}: {what}" for at, what in problems[:MAX_REPORTED]]
        raise ListInvalid(
            f"{first}{many}; nothing was imported",
            (shown if len(problems) > 1 else [])
            + (
                [f"... and {len(problems) - MAX_REPORTED} more"]
                if len(problems) > MAX_REPORTED
                else []
            ),
            path=first_at,
            rows=tuple(located),
        )
    return ListFile(
        path.name,
        hashlib.sha256(data).hexdigest(),
        encoding,
        {c: f for c, f in col_field.items() if f},
        rows,
    )


def parse_mapping(pairs: list[str]) -> dict[str, str]:
    """``["الاسم=full_name", "id=record_id"]`` -> mapping; errors name the bad item."""
    out: dict[str, str] = {}
    for item in pairs:
        col, sep, target = item.partition("=")
        if not sep or not col.strip() or not target.strip():
            raise InvalidInput(f"expected COLUMN=FIELD, got {item!r}", path="--map")
        out[col.strip()] = target.strip()
    return out
