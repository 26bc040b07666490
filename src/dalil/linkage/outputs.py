"""Files a linkage produces: clusters CSV, capture-history CSV, UpSet-style overlap SVG.

Formats are the stable ones of DESIGN.md: clusters ``source,record_id,cluster_id``;
capture histories one 0/1 column per source plus ``count`` (aggregated over persons with
the same history), ready for ``dalil estimate``.

Both CSV files are opened by partners in spreadsheets, and ids and source names come from
other groups' lists: a cell that begins like a formula (``=``, ``+``, ``-``, ``@``, a tab or
a carriage return) is written with a ``'`` in front so that Excel and LibreOffice show it
as text instead of running it (OWASP "CSV injection"). :func:`from_spreadsheet_cell`
undoes this exactly, for a program that reads the files back.
"""

from __future__ import annotations

import csv
from collections import Counter
from html import escape
from pathlib import Path

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(text: str) -> str:
    """``text`` as a CSV cell a spreadsheet shows rather than evaluates.

    A cell whose first character after any leading apostrophes starts a formula gets one
    more ``'`` in front (so a text that already began ``'=`` stays distinguishable);
    every other text is unchanged. Numbers written as numbers are not passed here."""
    if text.lstrip("'").startswith(_FORMULA_START):
        return "'" + text
    return text


def from_spreadsheet_cell(cell: str) -> str:
    """The text :func:`spreadsheet_cell` was given (its exact inverse)."""
    if cell.startswith("'") and cell.lstrip("'").startswith(_FORMULA_START):
        return cell[1:]
    return cell


def write_clusters(path: Path, members: dict[str, list[tuple[str, str]]]) -> None:
    """``source,record_id,cluster_id``, one row per list record, persons in id order."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(("source", "record_id", "cluster_id"))
        for person in sorted(members):
            for source, rid in members[person]:
                w.writerow(
                    (spreadsheet_cell(source), spreadsheet_cell(rid), spreadsheet_cell(person))
                )


def history_counts(histories: dict[str, tuple[int, ...]]) -> Counter[tuple[int, ...]]:
    return Counter(histories.values())


def write_captures(path: Path, sources: list[str], histories: dict[str, tuple[int, ...]]) -> None:
    """One 0/1 column per source (headed by its name) and ``count``: persons per history.
    Only the header holds text; the cells are integers."""
    counts = history_counts(histories)
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow((*(spreadsheet_cell(s) for s in sources), "count"))
        for pattern in sorted(counts, reverse=True):
            w.writerow((*pattern, counts[pattern]))


def upset_svg(sources: list[str], histories: dict[str, tuple[int, ...]]) -> str:
    """UpSet-style chart of persons' capture histories (see :func:`upset_from_counts`)."""
    return upset_from_counts(sources, history_counts(histories))


def upset_from_counts(sources: list[str], pattern_counts: Counter[tuple[int, ...]]) -> str:
    """UpSet-style chart: a bar per capture pattern (persons on exactly those lists), a dot
    matrix naming the lists below it, and each list's size on the left. Plain SVG, no
    script, readable in any browser and embeddable in reports."""
    counts = sorted(
        ((p, c) for p, c in pattern_counts.items() if c), key=lambda kv: (-kv[1], kv[0])
    )
    sizes = [sum(c for p, c in counts if p[i]) for i in range(len(sources))]
    total = sum(c for _, c in counts)
    label_w, bar_h, row_h, col_w, top = 220, 160, 22, 28, 30
    width = max(label_w + col_w * max(1, len(counts)) + 20, 560)
    height = top + bar_h + 10 + row_h * len(sources) + 30
    peak = max((c for _, c in counts), default=1)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'font-family="sans-serif" font-size="12" role="img" aria-label="List overlap">',
        f'<text x="8" y="18" font-weight="bold">Persons by combination of lists '
        f"({total} persons)</text>",
    ]
    for j, (pattern, count) in enumerate(counts):
        x = label_w + j * col_w + 6
        h = bar_h * count / peak
        y = top + bar_h - h
        out.append(
            f'<rect x="{x}" y="{y:.1f}" width="{col_w - 12}" height="{h:.1f}" fill="#2b5c8a">'
            f"<title>{count} persons on exactly these lists</title></rect>"
        )
        out.append(
            f'<text x="{x + (col_w - 12) / 2}" y="{y - 3:.1f}" text-anchor="middle" '
            f'font-size="10">{count}</text>'
        )
        ys = [top + bar_h + 10 + i * row_h + row_h / 2 for i, on in enumerate(pattern) if on]
        if len(ys) > 1:
            cx = x + (col_w - 12) / 2
            out.append(
                f'<line x1="{cx}" y1="{min(ys)}" x2="{cx}" y2="{max(ys)}" stroke="#222" '
                'stroke-width="2"/>'
            )
        for i, on in enumerate(pattern):
            cy = top + bar_h + 10 + i * row_h + row_h / 2
            fill = "#222" if on else "#ddd"
            out.append(f'<circle cx="{x + (col_w - 12) / 2}" cy="{cy}" r="5" fill="{fill}"/>')
    for i, (name, size) in enumerate(zip(sources, sizes, strict=True)):
        cy = top + bar_h + 10 + i * row_h + row_h / 2 + 4
        out.append(
            f'<text x="{label_w - 8}" y="{cy}" text-anchor="end" unicode-bidi="plaintext">'
            f"{escape(name)} ({size})</text>"
        )
    out.append("</svg>")
    return "\n".join(out)
