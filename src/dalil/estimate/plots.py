"""SVG pictures of an estimate: the distribution of N, chain traces, model ranking.

Plain SVG strings (no plotting library, no script), readable in a browser and embeddable in
case-file reports. The list-overlap chart is :func:`dalil.linkage.outputs.upset_svg`.
"""

from __future__ import annotations

from html import escape

import numpy as np
from numpy.typing import NDArray

from dalil.estimate.estimates import Estimate

W, H, PAD = 680, 300, 50


def _frame(title: str, body: list[str]) -> str:
    return "\n".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" '
            f'font-family="sans-serif" font-size="12" role="img" aria-label="{escape(title)}">',
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
    key = "bic" if "bic" in rows[0] else "aic"
    best = rows[0][key]
    peak = max(r["estimate"] for r in rows)
    body = []
    for i, r in enumerate(rows):
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
