"""CSV and XLSX files read as a table of text cells, before any victim-list meaning.

What a list file is made of, whatever it holds: the text encoding of a CSV (UTF-8,
UTF-16, Windows-1256 Arabic or Windows-1252), its delimiter, quotes and line breaks; the
first worksheet of an XLSX workbook; the header row (every column named, once). Every
problem is an :class:`~dalil.errors.InvalidInput` located as ``file:row`` (the header is
row 1, as a spreadsheet shows it). Sizes are bounded by :class:`Limits` before parsing.
:mod:`dalil.intake.victim_lists` maps and validates the rows.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from dalil.config import Settings
from dalil.errors import InvalidInput

_NL = "\n"
_NL_BYTE = b"\n"


def detect_encoding(data: bytes) -> str:
    """The text encoding of a CSV file: BOMs first, then UTF-8, then Windows-1256 (Arabic)
    or Windows-1252 by which one turns the high bytes into letters of its script.

    Raises :class:`InvalidInput` whose path is the line number of the first NUL byte or of
    the first byte no encoding reads (the row, unless a cell above spans lines); the
    caller adds the file name."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if (nul := data.find(b"\x00")) >= 0:
        raise InvalidInput(
            "unreadable text encoding: a NUL byte, so binary data rather than CSV text",
            path=_line_of(data, nul),
        )
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
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            "unreadable text encoding (not UTF-8, UTF-16, Windows-1256 or Windows-1252); "
            "save the file as UTF-8 CSV",
            path=_line_of(data, exc.start),
        ) from None


def _line_of(data: bytes, offset: int) -> str:
    """The line (counted from 1) holding a byte offset."""
    return str(data.count(_NL_BYTE, 0, offset) + 1)


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


@dataclass(frozen=True)
class Limits:
    """How much one list file may hold, from the workspace settings.

    ``max_bytes`` bounds the file (and an XLSX workbook's unpacked contents) before any
    parsing, as ``max_import_bytes`` does for case documents; ``max_cell_chars`` bounds one
    cell, as ``max_text_chars`` does for every stored text value."""

    max_bytes: int = int(Settings.model_fields["max_import_bytes"].default)
    max_cell_chars: int = int(Settings.model_fields["max_text_chars"].default)

    @classmethod
    def of(cls, settings: Settings) -> Limits:
        return cls(settings.max_import_bytes, settings.max_text_chars)


# What the csv module says, in words a person can act on (its messages name no content).
_CSV_PROBLEMS = (
    (
        "unexpected end of data",
        "unclosed quote: a quoted cell runs to the end of the file, so the rows after it "
        'would be lost; close the quote, or double a quote meant as text ("")',
    ),
    (
        "expected after",
        "text after a closing quote; quote the whole cell and double any quote inside it",
    ),
    ("new-line character", "a line break inside an unquoted cell; quote the cell"),
)
_DELIMITERS = (",", ";", "\t")
_HEAD_CHARS = 65_536


def _delimiter(text: str) -> str:
    """The delimiter that splits the header into the most cells (comma on a tie or for a
    one-column file). The header decides because it names every column; csv.Sniffer was
    used before and gave up ("Could not determine delimiter") on one-column and ragged
    files."""
    best, cells = ",", 0
    head = text[:_HEAD_CHARS]  # enough for any real header; not a copy of a large file
    for d in _DELIMITERS:
        try:
            header = next(csv.reader(io.StringIO(head, newline=""), delimiter=d), [])
        except csv.Error:
            continue
        if len(header) > cells:
            best, cells = d, len(header)
    return best


def _read_csv(name: str, data: bytes, limits: Limits) -> tuple[str, list[list[str]]]:
    try:
        encoding = detect_encoding(data)
    except InvalidInput as exc:
        raise InvalidInput(exc.message, path=f"{name}:{exc.path}" if exc.path else name) from None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:  # a BOM followed by bytes its encoding cannot read
        raise InvalidInput(
            f"unreadable text: the file starts with a {encoding} byte-order mark but is not "
            f"{encoding} throughout; save it as UTF-8 CSV",
            path=f"{name}:{_line_of(data, exc.start)}",
        ) from None
    if (nul := text.find("\x00")) >= 0:
        raise InvalidInput(
            "unreadable text: a NUL character, so binary data rather than CSV text",
            path=f"{name}:{text.count(_NL, 0, nul) + 1}",
        )
    # A cell longer than the csv module's limit is reported by it; raise that limit (it is
    # process-wide, so only ever upwards) so that every cell the settings allow is read.
    if csv.field_size_limit() <= limits.max_cell_chars:
        csv.field_size_limit(limits.max_cell_chars + 1)
    reader = csv.reader(
        io.StringIO(text, newline=""),
        delimiter=_delimiter(text),
        strict=True,  # an unclosed quote is an error, not a cell that eats the file
        skipinitialspace=True,
    )
    table: list[list[str]] = []
    try:
        for row in reader:
            table.append([c.strip() for c in row])
    except csv.Error as exc:
        why = str(exc)
        message = next((m for key, m in _CSV_PROBLEMS if key in why), None)
        if message is None and "field limit" in why:
            message = (
                f"a cell longer than the limit of {limits.max_cell_chars} characters "
                "(setting max_text_chars)"
            )
        raise InvalidInput(
            message or f"not readable as CSV ({why})", path=f"{name}:{len(table) + 1}"
        ) from None
    return encoding, table


def _read_xlsx(name: str, data: bytes, limits: Limits) -> list[list[str]]:
    from openpyxl import load_workbook  # type: ignore[import-untyped]

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise InvalidInput("not a readable XLSX workbook (not a zip archive)", path=name) from None
    if unpacked > limits.max_bytes:
        raise InvalidInput(
            f"the workbook unpacks to {unpacked} bytes, more than the import limit of "
            f"{limits.max_bytes} (setting max_import_bytes)",
            path=name,
        )
    table: list[list[str]] = []
    book = None
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        if not book.worksheets:
            raise InvalidInput("the workbook has no worksheet", path=name)
        for values in book.worksheets[0].iter_rows(values_only=True):
            row = [_cell(v) for v in values]
            # openpyxl pads every row to the sheet's widest: drop the padding, so that a
            # row wider than the header is reported as such (it widened the header too).
            while row and not row[-1]:
                row.pop()
            table.append(row)
    except InvalidInput:
        raise
    except Exception as exc:  # openpyxl raises many types for a damaged workbook
        where = f"{name}:{len(table) + 1}" if table else name
        kind = type(exc).__name__
        if kind == "error":  # zlib.error: damaged compressed data
            kind = f"{type(exc).__module__} error"
        raise InvalidInput(f"not a readable XLSX workbook ({kind})", path=where) from None
    finally:
        if book is not None:
            book.close()
    return table


def read_table(path: Path, data: bytes, limits: Limits) -> tuple[str, list[str], list[list[str]]]:
    """(encoding, header, rows) of a CSV or XLSX file; every cell stripped of spaces."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        encoding, table = "xlsx", _read_xlsx(path.name, data, limits)
    else:
        encoding, table = _read_csv(path.name, data, limits)
    while table and not any(table[-1]):
        table.pop()
    if not table:
        raise InvalidInput("the file is empty (no header row)", path=path.name)
    header = table[0]
    for n, col in enumerate(header, start=1):
        if not col:
            raise InvalidInput(
                f"column {n} has no name in the header; name it or delete the column",
                path=f"{path.name}:1",
            )
        if len(col) > limits.max_cell_chars:
            raise InvalidInput(
                f"column {n}'s name is longer than {limits.max_cell_chars} characters",
                path=f"{path.name}:1",
            )
        if col in header[: n - 1]:
            raise InvalidInput(
                f"the header repeats a column name: column {n} is named like column "
                f"{header.index(col) + 1} ({col!r})",
                path=f"{path.name}:1",
            )
    return encoding, header, table[1:]
