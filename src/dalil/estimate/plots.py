"""SVG pictures of estimates: the forest plot of the stored estimates (the web page and the
case file), and, for ``dalil estimate --plots``, the distribution of N, chain traces and
the model ranking.

Plain SVG strings (no plotting library, no script), readable in a browser and embeddable in
case-file reports. The list-overlap chart is :func:`dalil.linkage.outputs.upset_svg`.

The forest plot is drawn for two readers: a statistician (a numbered x axis with round
ticks, each interval's ends and the point estimate written) and a lawyer (the method named
in words, the documented count drawn as a line the estimates can be compared with, and a
text alternative that says all of it in sentences). Its words are English ``msgid``s
(marked :func:`~dalil.model.words.N_`) that the caller translates with its ``t``; numbers
are formatted by Babel for the caller's locale and isolated left to right (U+2066..U+2069, the SVG
equivalent of ``<bdi>``), so an Arabic page never reverses "217–242". The axis always
runs left to right, as the numbers do in Arabic too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING, Any

import numpy as np
from babel.numbers import format_percent
from numpy.typing import NDArray

from dalil.model.words import LRI, N_, PDI, ltr, nice_ticks, number

if TYPE_CHECKING:  # linkage.outputs draws with this module, and estimates reads linkage
    from dalil.estimate.estimates import Estimate


def _same(text: str) -> str:
    return text


W, H, PAD = 680, 300, 50


def _frame(title: str, body: list[str]) -> str:
    return "\n".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" '
            f'font-family="sans-serif" font-size="12" role="img" aria-label="{escape(title)}">',
            f"<title>{escape(title)}</title>",
            f'<text x="{PAD}" y="20" font-weight="bold">{escape(title)}</text>',
            *body,
            "</svg>",
        ]
    )


def _x(value: float, lo: float, hi: float) -> float:
    return PAD + (W - 2 * PAD) * (value - lo) / (hi - lo or 1)


def distribution_svg(est: Estimate) -> str:
    """Histogram of posterior draws or bootstrap replicates of N, with the estimate, the
    interval and the documented count marked."""
    draws = est.draws if est.draws is not None and len(est.draws) else np.array([est.estimate])
    lo = min(float(draws.min()), est.observed)
    hi = float(np.quantile(draws, 0.995))
    hist, edges = np.histogram(draws[draws <= hi], bins=40, range=(lo, hi))
    top = hist.max() or 1
    body = []
    for count, left, right in zip(hist, edges[:-1], edges[1:], strict=True):
        h = (H - 2 * PAD) * count / top
        body.append(
            f'<rect x="{_x(left, lo, hi):.1f}" y="{H - PAD - h:.1f}" '
            f'width="{max(_x(right, lo, hi) - _x(left, lo, hi) - 1, 1):.1f}" '
            f'height="{h:.1f}" fill="#9bb7d4"/>'
        )
    marks = (
        (est.observed, "#444", f"documented {est.observed:,}"),
        (est.estimate, "#b22", f"estimate {est.estimate:,.0f}"),
        (est.interval[0], "#b22", f"{est.interval[0]:,.0f}"),
        (est.interval[1], "#b22", f"{est.interval[1]:,.0f}"),
    )
    for i, (value, colour, label) in enumerate(marks):
        x = _x(min(value, hi), lo, hi)
        dash = "" if i < 2 else ' stroke-dasharray="4 3"'
        body.append(
            f'<line x1="{x:.1f}" y1="{PAD}" x2="{x:.1f}" y2="{H - PAD}" stroke="{colour}"{dash}/>'
        )
        body.append(f'<text x="{x + 3:.1f}" y="{PAD + 12 + 14 * i}" fill="{colour}">{label}</text>')
    body.append(
        f'<text x="{PAD}" y="{H - 15}">N (total killed); {int(est.level * 100)}% '
        f"interval dashed; {est.method}</text>"
    )
    kind = "bootstrap replicates" if est.method == "loglinear" else "posterior"
    return _frame(f"Estimated total: {kind} of N", body)


def trace_svg(chains: NDArray[np.int64]) -> str:
    """N per saved draw, one line per chain (mixing at a glance)."""
    lo, hi = float(chains.min()), float(chains.max())
    colours = ("#2b5c8a", "#b22", "#2a7", "#a62", "#72a")
    body = []
    for c, chain in enumerate(chains):
        step = (W - 2 * PAD) / max(len(chain) - 1, 1)
        points = " ".join(
            f"{PAD + i * step:.1f},{H - PAD - (H - 2 * PAD) * (v - lo) / (hi - lo or 1):.1f}"
            for i, v in enumerate(chain)
        )
        body.append(
            f'<polyline points="{points}" fill="none" stroke="{colours[c % 5]}" '
            'stroke-width="0.8" opacity="0.8"/>'
        )
    body.append(f'<text x="{PAD}" y="{H - 15}">saved draw; N from {lo:,.0f} to {hi:,.0f}</text>')
    return _frame(f"LCMCR traces of N ({len(chains)} chains)", body)


def ranking_svg(est: Estimate) -> str:
    """The best log-linear models by criterion, with their estimates (selection instability
    shows as close criteria with far-apart estimates)."""
    rows = est.diagnostics.get("ranking") or []
    if not rows:
        return _frame("Model ranking: not available for this method", [])
    key = "aic" if est.diagnostics.get("selection") == "aic" else "bic"
    best = rows[0][key]
    peak = max(r["estimate"] for r in rows)
    body = []
    for i, r in enumerate(rows[:5]):
        y = PAD - 10 + i * 48
        w = (W - 2 * PAD - 90) * r["estimate"] / peak
        body.append(f'<text x="{PAD}" y="{y + 10}" font-size="10">{escape(r["model"])}</text>')
        body.append(f'<text x="{PAD}" y="{y + 30}">d{key.upper()} {r[key] - best:+.2f}</text>')
        body.append(
            f'<rect x="{PAD + 90}" y="{y + 16}" width="{w:.1f}" height="20" fill="#9bb7d4"/>'
        )
        body.append(
            f'<text x="{PAD + 95 + w:.1f}" y="{y + 31}">{int(r["estimate"] + 0.5):,}</text>'
        )
    return _frame(f"Best models by {key.upper()} and their estimates", body)


# -- the forest plot of stored estimates ---------------------------------------------------


@dataclass(frozen=True)
class ForestRow:
    """One estimate as the forest plot draws it: counts of people killed."""

    label: str  # the method in words, in the reader's language
    estimate: float
    low: float
    high: float
    observed: int  # documented (on at least one list)
    level: float  # of the interval, e.g. 0.95


def forest_rows(
    stored: Iterable[Mapping[str, Any]], label: Callable[[str], str]
) -> list[ForestRow]:
    """The latest stored estimate of each method (``stored`` oldest first, as
    :func:`dalil.estimate.service.stored` returns them), in the order the methods were
    first run; ``label`` names a method code in the reader's language."""
    latest: dict[str, Mapping[str, Any]] = {}
    for e in stored:
        latest.pop(e["method"], None)
        latest[e["method"]] = e
    return [
        ForestRow(label(code), float(e["estimate"]), float(e["interval"][0]),
                  float(e["interval"][1]), int(e["observed"]), float(e["level"]))
        for code, e in sorted(latest.items(), key=lambda kv: str(kv[1].get("created_at", "")))
    ]  # fmt: skip


#: the forest plot's words (English msgids: the caller's ``t`` translates them)
FOREST_TITLE = N_("Estimated number of people killed, by method")
FOREST_AXIS = N_("Number of people killed")
FOREST_DOCUMENTED = N_("documented on the lists: {n}")
FOREST_ROW = N_("estimate {estimate} · {level} interval {interval}")
FOREST_SENTENCE = N_(
    "{method}: estimate {estimate}, {level} interval from {low} to {high}; {observed} "
    "documented on the lists."
)
FOREST_SUMMARY = N_(
    "Axis from {first} to {last}. The dashed line marks the persons documented on the lists."
)

FOREST_W, ROW_H, TOP, AXIS_H, SIDE = 460, 66, 34, 54, 32


@dataclass(frozen=True)
class ForestAxis:
    lo: float
    hi: float
    ticks: list[float]

    def x(self, value: float) -> float:
        """Pixel column of ``value`` on the plot (ticks at both ends of the drawn range)."""
        return SIDE + (FOREST_W - 2 * SIDE) * (value - self.lo) / (self.hi - self.lo)


def forest_axis(rows: list[ForestRow]) -> ForestAxis:
    """The x axis: round ticks covering every interval, estimate and documented count."""
    values = [v for r in rows for v in (r.low, r.high, r.estimate, r.observed)]
    ticks = nice_ticks(min(values), max(values))
    return ForestAxis(ticks[0], ticks[-1], ticks)


def forest_svg(
    rows: list[ForestRow],
    *,
    t: Callable[[str], str] = _same,
    locale: str = "en",
    rtl: bool = False,
    ident: str = "forest",
    css_class: str = "forest",
) -> str:
    """A forest plot of ``rows``: per method a line with its name and its numbers, then the
    interval drawn as a bar with both ends written and the estimate as a dot; the
    documented count as a dashed vertical line with its label; a numbered x axis with
    round ticks and its title. ``t`` translates the words, ``locale`` formats the numbers,
    ``rtl`` puts each method's name on the right (the axis still runs left to right).
    ``ident`` prefixes the ids of the ``<title>``/``<desc>`` the chart is labelled by
    (unique within a page); ``css_class`` is the ``<svg>``'s class (the web page's
    ``mw-100 h-auto`` lets it shrink to a phone's width). The SVG is the picture; the
    caller shows the numbers as a table too."""
    axis = forest_axis(rows)
    documented = sorted({r.observed for r in rows})
    top = TOP + 14 * (len(documented) - 1)  # a label line per documented count
    height = top + ROW_H * len(rows) + AXIS_H

    def num(v: float) -> str:
        return number(v, locale)

    def pct(level: float) -> str:
        return str(format_percent(level, locale=locale))

    right = FOREST_W - SIDE
    rtl_attr = ' direction="rtl"' if rtl else ""
    base = top + ROW_H * len(rows)
    sentences = [
        t(FOREST_SENTENCE).format(method=r.label, estimate=num(r.estimate), level=pct(r.level),
                                  low=num(r.low), high=num(r.high), observed=num(r.observed))
        for r in rows
    ]  # fmt: skip
    summary = t(FOREST_SUMMARY).format(first=num(axis.lo), last=num(axis.hi))
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{css_class}" viewBox="0 0 {FOREST_W} '
        f'{height}" width="{FOREST_W}" height="{height}" font-family="sans-serif" '
        f'font-size="14" direction="ltr" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc">',
        f'<title id="{ident}-title">{escape(t(FOREST_TITLE))}</title>',
        f'<desc id="{ident}-desc">{escape(" ".join([*sentences, summary]))}</desc>',
    ]
    # grid and axis
    for tick in axis.ticks:
        x = axis.x(tick)
        out.append(
            f'<line class="grid" x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{base}" '
            'stroke="#e3e3e3"/>'
        )
        out.append(f'<line x1="{x:.1f}" y1="{base}" x2="{x:.1f}" y2="{base + 6}" stroke="#333"/>')
        out.append(
            f'<text class="tick" x="{x:.1f}" y="{base + 20}" text-anchor="middle" '
            'font-size="13">'
            f"{ltr(num(tick))}</text>"
        )
    out.append(
        f'<line class="axis" x1="{SIDE}" y1="{base}" x2="{right}" y2="{base}" stroke="#333"/>'
    )
    out.append(
        f'<text class="axis-title" x="{FOREST_W / 2}" y="{base + 42}" text-anchor="middle" '
        f'font-weight="bold"{rtl_attr}>'
        f"{escape(t(FOREST_AXIS))}</text>"
    )
    # the documented count(s): a dashed line across the rows, labelled above them
    for k, observed in enumerate(documented):
        x = axis.x(observed)
        label = t(FOREST_DOCUMENTED).format(n=f"{LRI}{num(observed)}{PDI}")
        on_right = x < FOREST_W / 2  # the label runs into the wider side
        dx = 4 if on_right else -4
        # text-anchor counts from where the text starts: the right end in RTL
        anchor = "start" if on_right != rtl else "end"
        # broken where the rows' text runs, so that the line never strikes through it
        spans = [(TOP - 18 + 14 * k, top)]
        spans += [(top + ROW_H * i + 38, top + ROW_H * (i + 1)) for i in range(len(rows))]
        path = " ".join(f"M{x:.1f},{a} V{b}" for a, b in spans)
        out.append(
            f'<path class="observed" d="{path}" stroke="#444" stroke-width="1.5" '
            'stroke-dasharray="5 3" fill="none"/>'
        )
        out.append(
            f'<text class="observed-label" x="{x + dx:.1f}" y="{TOP - 8 + 14 * k}" '
            f'text-anchor="{anchor}" fill="#333"{rtl_attr}>'
            f"{escape(label)}</text>"
        )
    for i, r in enumerate(rows):
        y = top + ROW_H * i
        bar_y = y + 50
        values = t(FOREST_ROW).format(
            estimate=f"{LRI}{num(r.estimate)}{PDI}",
            level=f"{LRI}{pct(r.level)}{PDI}",
            interval=f"{LRI}{num(r.low)}–{num(r.high)}{PDI}",  # one run: never reversed
        )
        # the name, then its numbers beneath it, from the side the reader starts on
        x, anchor = (right, "start") if rtl else (SIDE, "start")
        out.append(
            f'<text class="method" x="{x}" y="{y + 15}" text-anchor="{anchor}"{rtl_attr} '
            f'font-weight="bold">{escape(r.label)}</text>'
        )
        out.append(
            f'<text class="values" x="{x}" y="{y + 32}" text-anchor="{anchor}"{rtl_attr} '
            f'font-size="13" fill="#333">{escape(values)}</text>'
        )
        x0, x1, xe = axis.x(r.low), axis.x(r.high), axis.x(r.estimate)
        out.append(
            f'<line class="ci" x1="{x0:.1f}" y1="{bar_y}" x2="{x1:.1f}" y2="{bar_y}" '
            'stroke="#7a1f2b" stroke-width="3"/>'
        )
        for x in (x0, x1):
            out.append(
                f'<line x1="{x:.1f}" y1="{bar_y - 6}" x2="{x:.1f}" y2="{bar_y + 6}" '
                'stroke="#7a1f2b" stroke-width="2"/>'
            )
        out.append(
            f'<text class="end" x="{x0 - 5:.1f}" y="{bar_y + 4}" text-anchor="end" '
            f'font-size="12" fill="#555">{ltr(num(r.low))}</text>'
        )
        out.append(
            f'<text class="end" x="{x1 + 5:.1f}" y="{bar_y + 4}" font-size="12" fill="#555">'
            f"{ltr(num(r.high))}</text>"
        )
        out.append(
            f'<circle class="point" cx="{xe:.1f}" cy="{bar_y}" r="5.5" fill="#111">'
            f"<title>{escape(sentences[i])}</title></circle>"
        )
    out.append("</svg>")
    return "\n".join(out)
