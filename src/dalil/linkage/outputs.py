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
from collections.abc import Callable
from html import escape
from pathlib import Path

from dalil.model.words import N_, ltr, nice_ticks, number

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


#: the overlap chart's words (English msgids: the caller's ``t`` translates them)
OVERLAP_TITLE = N_("Persons by combination of lists")
OVERLAP_BARS = N_("Persons on exactly these lists")
OVERLAP_MATRIX = N_("Lists (a filled dot: on that list)")
OVERLAP_SIZES = N_("Persons on each list")
OVERLAP_TOTAL = N_("{n} persons in all; {lists} lists.")
OVERLAP_LIST = N_("{name}: {n} persons.")
OVERLAP_COMBO = N_("On exactly {lists}: {n}.")


def overlap_table(
    sources: list[str], pattern_counts: Counter[tuple[int, ...]]
) -> tuple[list[tuple[list[str], int]], list[tuple[str, int]]]:
    """The chart's numbers for a table: each capture pattern (the names of its lists) with
    the persons on exactly those lists, largest first; and each list with its size (the
    persons on it, whatever other lists they are on)."""
    counts = sorted(
        ((p, c) for p, c in pattern_counts.items() if c), key=lambda kv: (-kv[1], kv[0])
    )
    combos = [([s for s, on in zip(sources, p, strict=True) if on], c) for p, c in counts]
    sizes = [(s, sum(c for p, c in counts if p[i])) for i, s in enumerate(sources)]
    return combos, sizes


def upset_from_counts(
    sources: list[str],
    pattern_counts: Counter[tuple[int, ...]],
    *,
    t: Callable[[str], str] = lambda text: text,
    locale: str = "en",
    ident: str = "overlap",
) -> str:
    """UpSet-style chart: a bar per capture pattern (persons on exactly those lists) over a
    numbered vertical axis, a dot matrix below it naming the lists (filled: on the list),
    and each list's size as a bar on the right. Axis titles say what is counted; the
    ``<title>`` and ``<desc>`` (ids prefixed ``ident``) say every number in sentences, for
    a screen reader. Plain SVG, no script, readable in any browser and embeddable in
    reports; list names are isolated (their own direction), numbers run left to right.
    ``t`` translates the words and ``locale`` formats the numbers (Babel)."""
    combos, sizes = overlap_table(sources, pattern_counts)
    counts = sorted(
        ((p, c) for p, c in pattern_counts.items() if c), key=lambda kv: (-kv[1], kv[0])
    )
    total = sum(c for _, c in counts)
    name_w, bar_h, row_h, col_w, top, size_w = 210, 150, 24, 30, 44, 130
    left = name_w + 44  # the bars' vertical axis and its numbers sit left of the matrix
    matrix_w = col_w * max(1, len(counts))
    width = left + matrix_w + 24 + size_w
    rows_top = top + bar_h + 12
    height = rows_top + row_h * len(sources) + 36
    ticks = nice_ticks(0, max((c for _, c in counts), default=1), 4)
    peak = ticks[-1] or 1

    def num(v: float) -> str:
        return number(v, locale)

    desc = [t(OVERLAP_TOTAL).format(n=num(total), lists=num(len(sources)))]
    desc += [t(OVERLAP_LIST).format(name=name, n=num(size)) for name, size in sizes]
    desc += [t(OVERLAP_COMBO).format(lists=" + ".join(names), n=num(c)) for names, c in combos]
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="overlap" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" font-family="sans-serif" '
        f'font-size="12" direction="ltr" role="img" aria-labelledby="{ident}-title '
        f'{ident}-desc">',
        f'<title id="{ident}-title">{escape(t(OVERLAP_TITLE))}</title>',
        f'<desc id="{ident}-desc">{escape(" ".join(desc))}</desc>',
        f'<text class="axis-title" x="{left - 40}" y="16" font-weight="bold" '
        f'unicode-bidi="plaintext">{escape(t(OVERLAP_BARS))}</text>',
    ]
    axis_x = left - 6
    for tick in ticks:
        y = top + bar_h - bar_h * tick / peak
        out.append(
            f'<line class="grid" x1="{axis_x}" y1="{y:.1f}" x2="{left + matrix_w}" '
            f'y2="{y:.1f}" stroke="#e3e3e3"/>'
        )
        out.append(
            f'<text class="tick" x="{axis_x - 5}" y="{y + 4:.1f}" text-anchor="end" '
            f'font-size="11">{ltr(num(tick))}</text>'
        )
    out.append(
        f'<line class="axis" x1="{axis_x}" y1="{top}" x2="{axis_x}" y2="{top + bar_h}" '
        'stroke="#333"/>'
    )
    for i in range(0, len(sources), 2):  # bands lead the eye from a name to its dots
        out.append(
            f'<rect x="4" y="{rows_top + i * row_h}" width="{width - 8}" height="{row_h}" '
            'fill="#f0f3f7"/>'
        )
    for j, (pattern, count) in enumerate(counts):
        cx = left + j * col_w + col_w / 2
        h = bar_h * count / peak
        y = top + bar_h - h
        sentence = t(OVERLAP_COMBO).format(lists=" + ".join(combos[j][0]), n=num(count))
        out.append(
            f'<rect class="combo" x="{cx - 9}" y="{y:.1f}" width="18" height="{h:.1f}" '
            f'fill="#2b5c8a"><title>{escape(sentence)}</title></rect>'
        )
        out.append(
            f'<text class="count" x="{cx}" y="{y - 4:.1f}" text-anchor="middle" '
            f'font-size="11">{ltr(num(count))}</text>'
        )
        ys = [rows_top + i * row_h + row_h / 2 for i, on in enumerate(pattern) if on]
        if len(ys) > 1:
            out.append(
                f'<line x1="{cx}" y1="{min(ys)}" x2="{cx}" y2="{max(ys)}" stroke="#222" '
                'stroke-width="2"/>'
            )
        for i, on in enumerate(pattern):
            cy = rows_top + i * row_h + row_h / 2
            fill = "#222" if on else "#ddd"
            out.append(f'<circle cx="{cx}" cy="{cy}" r="5.5" fill="{fill}"/>')
    size_x = left + matrix_w + 24
    size_peak = max((n for _, n in sizes), default=1) or 1
    out.append(
        f'<text class="axis-title" x="{size_x}" y="{rows_top - 4}" font-size="11" '
        f'font-weight="bold" unicode-bidi="plaintext">{escape(t(OVERLAP_SIZES))}</text>'
    )
    for i, (name, size) in enumerate(sizes):
        cy = rows_top + i * row_h + row_h / 2
        out.append(
            f'<text class="list-name" x="{name_w}" y="{cy + 4}" text-anchor="end" '
            f'unicode-bidi="plaintext">{escape(name)}</text>'
        )
        w = (size_w - 44) * size / size_peak
        out.append(
            f'<rect class="size" x="{size_x}" y="{cy - 6}" width="{w:.1f}" height="12" '
            'fill="#8fa9c4"/>'
        )
        out.append(
            f'<text class="size-label" x="{size_x + w + 4:.1f}" y="{cy + 4}" font-size="11">'
            f"{ltr(num(size))}</text>"
        )
    out.append(
        f'<text class="axis-title" x="{left}" y="{height - 10}" font-weight="bold" '
        f'unicode-bidi="plaintext">{escape(t(OVERLAP_MATRIX))}</text>'
    )
    out.append("</svg>")
    return "\n".join(out)
