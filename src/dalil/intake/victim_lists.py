"""Victim-list files (CSV, XLSX) read, mapped onto the victim-list schema and validated.

Lists come from many groups in whatever shape they keep them: UTF-8 or Windows-1256
Arabic CSV exports, Excel workbooks, columns named in Arabic or English. Reading is
separate from storing: :func:`read_list` returns every row with its mapped values, or
raises one :class:`~dalil.errors.InvalidInput` whose ``problems`` list names every bad
row as ``file:row:column``, so a person can fix the file in one pass. Row numbers are as
a spreadsheet shows them (the header is row 1).
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from dalil.errors import InvalidInput
from dalil.linkage import fields

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
    """A list file failed validation; ``problems`` holds every ``file:row:column: why``."""

    def __init__(self, message: str, problems: list[str], *, path: str) -> None:
        super().__init__(message, path=path)
        self.problems = problems


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


def detect_encoding(data: bytes) -> str:
    """The text encoding of a CSV file: BOMs first, then UTF-8, then Windows-1256 (Arabic)
    or Windows-1252 by which one turns the high bytes into letters of its script."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if b"\x00" in data:
        raise InvalidInput("unreadable text encoding (binary data, not a CSV text file)")
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    high = [b for b in data if b >= 0x80]
    arabic = sum(1 for ch in data.decode("cp1256", errors="replace") if "\u0600" <= ch <= "\u06ff")
    if high and arabic >= 0.6 * len(high):
        return "cp1256"
    try:
        data.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        raise InvalidInput(
            "unreadable text encoding (not UTF-8, UTF-16, Windows-1256 or Windows-1252); "
            "save the file as UTF-8 CSV"
        ) from None


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_table(path: Path, data: bytes) -> tuple[str, list[str], list[list[str]]]:
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook  # type: ignore[import-untyped]

        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types for a damaged workbook
            raise InvalidInput(
                f"not a readable XLSX workbook ({type(exc).__name__})", path=path.name
            ) from None
        sheet = book.worksheets[0]
        table = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        encoding = "xlsx"
    else:
        try:
            encoding = detect_encoding(data)
        except InvalidInput as exc:
            raise InvalidInput(exc.message, path=path.name) from None
        text = data.decode(encoding)
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t") if text.strip() else "excel"
        table = [[c.strip() for c in row] for row in csv.reader(io.StringIO(text), dialect)]
    while table and not any(table[-1]):
        table.pop()
    if not table:
        raise InvalidInput("the file is empty (no header row)", path=path.name)
    header = table[0]
    return encoding, header, table[1:]


def read_list(path: Path, mapping: Mapping[str, str] | None = None) -> ListFile:
    """Read, map and validate a list file; raises :class:`ListInvalid` listing every problem.

    ``mapping`` maps file column names to victim-list fields; columns named like a field
    map to it without being listed. Unmapped columns are kept in ``raw`` only.
    """
    data = path.read_bytes()
    encoding, header, body = _read_table(path, data)
    mapping = dict(mapping or {})
    for target in mapping.values():
        if target not in FIELDS:
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
    missing = [f for f in REQUIRED if f not in present]
    if missing:
        raise InvalidInput(
            f"missing required column(s) {', '.join(missing)}; map yours with --map COLUMN=FIELD",
            path=f"{path.name}:1",
        )
    if len(set(header)) != len(header):
        raise InvalidInput("the header repeats a column name", path=f"{path.name}:1")
    if not body:
        raise InvalidInput("the file has a header but no rows", path=f"{path.name}:2")
    problems: list[str] = []
    seen: dict[str, int] = {}
    rows: list[ListRow] = []
    for i, cells in enumerate(body, start=2):
        if not any(cells):
            continue
        if len(cells) > len(header):
            problems.append(f"{path.name}:{i}: {len(cells)} cells but {len(header)} columns")
            continue
        raw = dict(zip(header, cells + [""] * (len(header) - len(cells)), strict=True))
        values = {f: raw[c] for c, f in col_field.items() if f}
        where = {f: c for c, f in col_field.items() if f}
        for f in REQUIRED:
            if not values.get(f):
                problems.append(f"{path.name}:{i}:{where[f]}: empty {f}")
        rid = values.get("record_id", "")
        if rid in seen:
            problems.append(
                f"{path.name}:{i}:{where['record_id']}: record_id repeats row {seen[rid]}"
            )
        elif rid:
            seen[rid] = i
        for f, parse in _PARSERS.items():
            if values.get(f):
                try:
                    parse(values[f])
                except ValueError as exc:
                    problems.append(f"{path.name}:{i}:{where[f]}: {exc}")
        rows.append(ListRow(i, raw, values))
    if problems:
        shown = problems[:MAX_REPORTED]
        raise ListInvalid(
            f"{len(problems)} problem(s) in the list; nothing was imported",
            shown
            + (
                [f"... and {len(problems) - MAX_REPORTED} more"]
                if len(problems) > MAX_REPORTED
                else []
            ),
            path=path.name,
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
