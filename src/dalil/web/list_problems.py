"""What is wrong with an uploaded victim list, in the reader's language.

:mod:`dalil.intake.victim_lists` and :mod:`dalil.intake.fields` say what is wrong with a
row in English sentences that hold values ("3 cells but 5 columns", "empty full_name").
The upload pages show them through :func:`said`: each known sentence becomes an English
template with ``{names}`` (marked :func:`N_`, translated by ``t``) and its values, each
shown as a number or code, a field's label, or data (isolated in
``<bdi>``). A sentence this module does not know is shown as it is, as data, so no
problem is ever hidden.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from dalil.web.i18n import N_

#: how a value is shown: ``number`` and ``code`` left to right, ``field`` by the victim-list
#: field's label, ``data`` as written
How = Literal["number", "code", "field", "data"]


@dataclass(frozen=True)
class Problem:
    """A problem as a template (English, with ``{name}`` placeholders) and its values."""

    template: str
    values: tuple[tuple[str, str, How], ...] = ()
    row: str | None = None  # the row a file-level message names ("row 7: ...")


#: the sentences of the intake library, each with its template and how its groups show
_SENTENCES: tuple[tuple[str, str, dict[str, How]], ...] = (
    (r"(?P<cells>\d+) cells but (?P<columns>\d+) columns",
     N_("{cells} cells but {columns} columns"), {"cells": "number", "columns": "number"}),
    (r"(?P<n>\d+) characters, more than the limit of (?P<limit>\d+) "
     r"\(setting (?P<setting>\w+)\)",
     N_("{n} characters, more than the limit of {limit} (setting {setting})"),
     {"n": "number", "limit": "number", "setting": "code"}),
    (r"the file is (?P<n>\d+) bytes, more than the import limit of (?P<limit>\d+) "
     r"\(setting (?P<setting>\w+)\)",
     N_("the file is {n} bytes, more than the import limit of {limit} (setting {setting})"),
     {"n": "number", "limit": "number", "setting": "code"}),
    (r"a line break inside the value \(an unclosed quote above\?\)",
     N_("a line break inside the value (an unclosed quote above?)"), {}),
    (r"empty (?P<field>\w+)", N_("{field} is empty"), {"field": "field"}),
    (r"record_id repeats row (?P<row>\d+)", N_("the record id repeats row {row}"),
     {"row": "number"}),
    (r"the file has a header but no rows", N_("the file has a header but no rows"), {}),
    (r"not a recognised sex \((?P<examples>.+)\)",
     N_("not a recognised sex ({examples})"), {"examples": "code"}),
    (r"not an age in years \(write e\.g\. (?P<examples>.+)\)",
     N_("not an age in years (write e.g. {examples})"), {"examples": "code"}),
    (r"not an age in years \(unknown word before the number\)",
     N_("not an age in years (unknown word before the number)"), {}),
    (r"not an age in years \(unknown unit after the number\)",
     N_("not an age in years (unknown unit after the number)"), {}),
    (r"not an age in years \(a range must run from the lower age\)",
     N_("not an age in years (a range must run from the lower age)"), {}),
    (r"not an age in years \(over 120\)", N_("not an age in years (over 120)"), {}),
    (r"not a valid date \(unknown month name\)",
     N_("not a valid date (unknown month name)"), {}),
    (r"not a valid date \((?P<reason>.+)\)", N_("not a valid date ({reason})"),
     {"reason": "data"}),
    (r"not a date \(use (?P<formats>.+)\)", N_("not a date (use {formats})"),
     {"formats": "code"}),
    (r"missing required column\(s\) (?P<fields>.+); map yours with --map COLUMN=FIELD",
     N_("missing required column(s) {fields}: choose below which column holds each"),
     {"fields": "code"}),
    (r"columns (?P<columns>.+) are all mapped to (?P<field>\w+); map one",
     N_("columns {columns} are all read as {field}; keep one"),
     {"columns": "data", "field": "field"}),
    (r"unclosed quote: a quoted cell runs to the end of the file, so the rows after it would "
     r"be lost; close the quote, or double a quote meant as text \(\"\"\)",
     N_("unclosed quote: a quoted cell runs to the end of the file, so the rows after it "
        "would be lost; close the quote, or double a quote meant as text ({quotes})"),
     {}),
    (r"text after a closing quote; quote the whole cell and double any quote inside it",
     N_("text after a closing quote; quote the whole cell and double any quote inside it"), {}),
    (r"a line break inside an unquoted cell; quote the cell",
     N_("a line break inside an unquoted cell; quote the cell"), {}),
    (r"not readable as CSV \((?P<why>.+)\)", N_("not readable as CSV ({why})"), {"why": "data"}),
    (r"the file is empty \(no header row\)", N_("the file is empty (no header row)"), {}),
    (r"the workbook has no worksheet", N_("the workbook has no worksheet"), {}),
    (r"not a readable XLSX workbook \((?P<why>.+)\)", N_("not a readable XLSX workbook ({why})"),
     {"why": "data"}),
    (r"column (?P<n>\d+) has no name in the header; name it or delete the column",
     N_("column {n} has no name in the header; name it or delete the column"), {"n": "number"}),
    (r"unreadable text encoding \(not UTF-8, UTF-16, Windows-1256 or Windows-1252\); save the "
     r"file as UTF-8 CSV",
     N_("unreadable text encoding (not {encodings}); save the file as {format}"), {}),
    (r"unknown field (?P<field>.+)", N_("unknown field {field}"), {"field": "code"}),
)  # fmt: skip
#: the values of templates that name something fixed (a quote pair, encodings): shown as
#: code, so that a translation need not carry Latin text
_FIXED: dict[str, tuple[tuple[str, str, How], ...]] = {
    N_(
        "unclosed quote: a quoted cell runs to the end of the file, so the rows after it "
        "would be lost; close the quote, or double a quote meant as text ({quotes})"
    ): (("quotes", '""', "code"),),
    N_("unreadable text encoding (not {encodings}); save the file as {format}"): (
        ("encodings", "UTF-8, UTF-16, Windows-1256, Windows-1252", "code"),
        ("format", "UTF-8 CSV", "code"),
    ),
}
_KNOWN = tuple((re.compile(pattern), template, hows) for pattern, template, hows in _SENTENCES)


_ROW = re.compile(r"row (?P<row>\d+): (?P<rest>.+)")


def said(message: str) -> Problem:
    """``message`` as a template and its values; an unknown one as data (``{message}``).
    A ``row N:`` prefix (a file-level problem located in a row) is kept apart."""
    text = message.strip()
    located = _ROW.fullmatch(text)
    if located is not None:
        inner = said(located["rest"])
        return Problem(inner.template, inner.values, located["row"])
    for pattern, template, hows in _KNOWN:
        found = pattern.fullmatch(text)
        if found is not None:
            values = tuple((k, v, hows.get(k, "data")) for k, v in found.groupdict().items())
            return Problem(template, values + _FIXED.get(template, ()))
    return Problem("{message}", (("message", text, "data"),))
