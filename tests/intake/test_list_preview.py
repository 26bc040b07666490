"""The list upload's check before storing (dalil.intake.list_preview): the guessed column
mapping, every bad row located, the same parse as ``dalil lists import``."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import Workbook  # type: ignore[import-untyped]

from dalil.intake import list_preview
from dalil.intake.spreadsheets import Limits
from dalil.intake.victim_lists import read_list

LIMITS = Limits()


def test_mapping_is_guessed_from_english_and_arabic_headers() -> None:
    header = ["الرقم", "الاسم الكامل", "الجنس", "العمر", "تاريخ الوفاة", "Place of death",
              "Notes", "Name"]  # fmt: skip
    assert list_preview.guess_mapping(header) == {
        "الرقم": "record_id", "الاسم الكامل": "full_name", "الجنس": "sex", "العمر": "age",
        "تاريخ الوفاة": "date_of_death", "Place of death": "place_of_death", "Notes": "",
        "Name": "",  # full_name is taken by the first column that names it
    }  # fmt: skip
    assert list_preview.guess_mapping(["record_id", "FULL_NAME", "D.O.D"]) == {
        "record_id": "record_id", "FULL_NAME": "full_name", "D.O.D": "date_of_death",
    }  # fmt: skip


def test_every_bad_row_is_listed_with_its_column() -> None:
    rows = ["id,name,sex,age", "1,Ahmad,m,34", "2,,f,20", "3,Sara,x,abc", "1,Omar,m,5"]
    rows += [f"{n},Person {n},f,bad" for n in range(10, 260)]  # more than the message shows
    preview = list_preview.check("list.csv", "\n".join(rows).encode(), limits=LIMITS)
    assert not preview.ok and preview.problem is None
    assert preview.mapping == {"id": "record_id", "name": "full_name", "sex": "sex", "age": "age"}
    found = [(p.row, p.column) for p in preview.rows]
    assert found[:5] == [(3, "name"), (4, "sex"), (4, "age"), (5, "id"), (6, "age")]
    assert len(preview.rows) == 4 + 250  # all of them, past MAX_REPORTED
    assert "repeats row 2" in preview.rows[3].message


def test_a_good_list_parses_as_the_command_line_reads_it(tmp_path: Path) -> None:
    data = "رقم,الاسم,ملاحظات,age\n1,أحمد,-,34\n2,سارة,,20\n".encode()
    preview = list_preview.check("list.csv", data, limits=LIMITS)
    assert preview.ok and preview.parsed is not None
    file = tmp_path / "list.csv"
    file.write_bytes(data)
    cli = read_list(file, {"رقم": "record_id", "الاسم": "full_name"})
    assert preview.parsed == cli
    # a column mapped to nothing is not imported, even one named like a field
    edited = list_preview.check("list.csv", data, {"رقم": "record_id", "الاسم": "full_name",
                                                   "age": ""}, limits=LIMITS)  # fmt: skip
    assert edited.parsed is not None and "age" not in edited.parsed.rows[0].values


def test_problems_of_the_whole_file() -> None:
    missing = list_preview.check("l.csv", b"id,notes\n1,x\n", limits=LIMITS)
    assert missing.missing == ["full_name"] and "full_name" in (missing.problem or "")
    doubled = list_preview.check(
        "l.csv", b"id,a,b\n1,x,y\n", {"id": "record_id", "a": "full_name", "b": "full_name"},
        limits=LIMITS,
    )  # fmt: skip
    assert "mapped to full_name" in (doubled.problem or "")
    unreadable = list_preview.check("l.xlsx", b"not a zip", limits=LIMITS)
    assert unreadable.header == [] and "XLSX" in (unreadable.problem or "")
    quote = list_preview.check("l.csv", b'id,name\n1,"open\n', limits=LIMITS)
    assert (quote.problem or "").startswith("row 2: unclosed quote")
    big = list_preview.check("l.csv", b"id,name\n" + b"1,x\n" * 10, limits=Limits(max_bytes=20))
    assert "import limit" in (big.problem or "")
    binary = list_preview.check("l.csv", b"\x00" * 30, limits=Limits(max_bytes=20))
    assert "import limit" in (binary.problem or "")  # the size first, before any parsing


def test_an_xlsx_upload() -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["ID", "Full name", "Date of death"])
    sheet.append([7, "Khaled", "2025-03-08"])
    out = io.BytesIO()
    book.save(out)
    preview = list_preview.check("list.xlsx", out.getvalue(), limits=LIMITS)
    assert preview.ok and preview.parsed is not None
    assert preview.parsed.rows[0].values == {
        "record_id": "7", "full_name": "Khaled", "date_of_death": "2025-03-08",
    }  # fmt: skip
