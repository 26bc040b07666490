"""The CSV reader of victim lists under Hypothesis (issue 21, item 4).

Lists arrive as CSV exports from spreadsheets and scripts in every dialect Python's csv
module writes. Three properties of ``read_list``:

* any table of text written with the csv module (comma, semicolon or tab; UTF-8 with or
  without a BOM, UTF-16, or Windows-1256 for Arabic) reads back cell for cell, with row
  numbers as a spreadsheet shows them, even when cells above hold quotes, delimiters and
  line breaks;
* a row that lost a cell or gained one is reported at its spreadsheet row, however many
  line breaks the cells above it hold;
* any bytes, and any damage to a good file, give a list or an ``InvalidInput`` located
  at the file (``name`` or ``name:row`` or ``name:row:column``), never another exception.

Header names hold no delimiter character: the reader picks the delimiter that splits the
header into the most cells (a header cell written unquoted with a ";" in a comma file
would be split; csv quotes only cells holding the delimiter it writes with).
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dalil.errors import InvalidInput
from dalil.intake.victim_lists import FIELDS, read_list

_SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
_counter = iter(range(10**9))

_ANY = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
# a cell as a spreadsheet keeps it: no spaces around (the reader trims them)
cell = st.text(_ANY, max_size=15).map(str.strip)
one_line = (
    st.text(_ANY.filter(lambda c: c not in "\r\n"), min_size=1, max_size=15)
    .map(str.strip)
    .filter(bool)
)
column = (
    st.text(
        st.characters(blacklist_categories=("Cs", "Zl", "Zp", "Cc"), blacklist_characters=",;\t"),
        min_size=1,
        max_size=12,
    )
    .map(str.strip)
    .filter(lambda c: bool(c) and c not in FIELDS)
)


@st.composite
def tables(draw: st.DrawFn) -> tuple[list[str], list[list[str]]]:
    """A header naming record_id, full_name and a few other columns, and rows whose
    record ids are unique and whose names are one line (other cells are anything)."""
    extra = draw(st.lists(column, max_size=3, unique=True))
    header = ["record_id", "full_name", *extra]
    ids = draw(st.lists(one_line, min_size=1, max_size=6, unique=True))
    rows = [[rid, draw(one_line), *(draw(cell) for _ in extra)] for rid in ids]
    order = draw(st.permutations(range(len(header))))
    return [header[i] for i in order], [[r[i] for i in order] for r in rows]


def _write(
    tmp: Path, header: list[str], rows: list[list[str]], delimiter: str, encoding: str
) -> Path:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows([header, *rows])
    f = tmp / f"list{next(_counter)}.csv"
    f.write_bytes(out.getvalue().encode(encoding))
    return f


@_SETTINGS
@given(
    tables(),
    st.sampled_from([",", ";", "\t"]),
    st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),
)
def test_any_table_written_by_csv_reads_back_cell_for_cell(
    tmp_path: Path, table: tuple[list[str], list[list[str]]], delimiter: str, encoding: str
) -> None:
    header, rows = table
    parsed = read_list(_write(tmp_path, header, rows, delimiter, encoding))
    assert [r.row_number for r in parsed.rows] == list(range(2, len(rows) + 2))
    assert [[r.raw[h] for h in header] for r in parsed.rows] == rows
    assert [r.values["record_id"] for r in parsed.rows] == [
        row[header.index("record_id")] for row in rows
    ]


# Arabic letters Windows-1256 puts at 0xC1..0xFE: never a UTF-8 continuation byte, so a
# file of them cannot be mistaken for UTF-8 (a few letters at 0x81..0xBF can be: "شپ"
# is valid UTF-8 in cp1256 bytes; a real list has enough letters to rule that out).
_CP1256_LETTERS = "".join(
    ch for b in range(0xC1, 0xFF) if "\u0621" <= (ch := bytes([b]).decode("cp1256")) <= "\u064a"
)
ar_text = st.text(st.sampled_from(_CP1256_LETTERS + " 0123456789-"), min_size=1, max_size=15)


@_SETTINGS
@given(st.lists(st.tuples(ar_text, ar_text), min_size=1, max_size=6), st.sampled_from([",", ";"]))
def test_an_arabic_windows_1256_list_reads_back(
    tmp_path: Path, pairs: list[tuple[str, str]], delimiter: str
) -> None:
    rows = [[f"R{i}", name.strip() or "س", place.strip()] for i, (name, place) in enumerate(pairs)]
    header = ["الرقم", "الاسم", "المكان"]
    f = _write(tmp_path, header, rows, delimiter, "cp1256")
    parsed = read_list(f, {"الرقم": "record_id", "الاسم": "full_name"})
    assert parsed.encoding == "cp1256"
    assert [[r.raw[h] for h in header] for r in parsed.rows] == rows


@_SETTINGS
@given(tables(), st.data())
def test_a_row_with_a_cell_lost_or_gained_is_named_by_its_spreadsheet_row(
    tmp_path: Path, table: tuple[list[str], list[list[str]]], data: st.DataObject
) -> None:
    header, rows = table
    k = data.draw(st.integers(0, len(rows) - 1))
    if data.draw(st.booleans()) or len(header) == 1:
        rows[k] = [*rows[k], "extra"]
    else:
        rows[k] = rows[k][:-1]
    f = _write(tmp_path, header, rows, ",", "utf-8")
    try:
        read_list(f)
    except InvalidInput as err:
        assert err.path == f"{f.name}:{k + 2}", (err.path, err.message)
        assert "cells but" in err.message
    else:
        raise AssertionError("a short or long row was read")


_LOCATED = r"list\d+\.csv(:\d+(:.+)?)?"


def _read_or_refuse(f: Path) -> None:
    try:
        read_list(f)
    except InvalidInput as err:
        assert err.path and re.fullmatch(_LOCATED, err.path, re.S), err.path
        assert err.message


@_SETTINGS
@given(st.binary(max_size=400))
def test_any_bytes_are_a_list_or_a_located_refusal(tmp_path: Path, data: bytes) -> None:
    f = tmp_path / f"list{next(_counter)}.csv"
    f.write_bytes(data)
    _read_or_refuse(f)


_DAMAGE = st.sampled_from(
    [
        b'"',
        b",",
        b";",
        b"\n",
        b"\r",
        b"\x00",
        b"\xff",
        b"\xfe\xff",
        b"\xef\xbb\xbf",
        b"\xd9",
        b"\t",
        b" ",
        b"",
        b"\\",
    ]
)


@_SETTINGS
@given(
    tables(),
    st.sampled_from(["utf-8", "utf-16"]),
    st.lists(st.tuples(st.integers(0, 10**6), st.booleans(), _DAMAGE), min_size=1, max_size=4),
)
def test_a_damaged_list_is_a_list_or_a_located_refusal(
    tmp_path: Path,
    table: tuple[list[str], list[list[str]]],
    encoding: str,
    damage: list[tuple[int, bool, bytes]],
) -> None:
    """Bytes inserted or overwritten anywhere in a good file (a quote, a delimiter, a line
    break, a NUL, a stray BOM or a byte no encoding reads)."""
    header, rows = table
    f = _write(tmp_path, header, rows, ",", encoding)
    data = bytearray(f.read_bytes())
    for at, replace, junk in damage:
        at %= len(data) + 1
        data[at : at + (1 if replace else 0)] = junk
    f.write_bytes(bytes(data))
    _read_or_refuse(f)
