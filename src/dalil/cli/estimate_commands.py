"""``dalil estimate``: thin wrapper over :mod:`dalil.estimate`."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path
from typing import Any

import click
from rich.text import Text

from dalil.cli.common import console, print_json, settings_of, workspace
from dalil.errors import InvalidInput
from dalil.estimate import plots
from dalil.estimate.captures import CaptureTable, read_csv
from dalil.estimate.estimates import Estimate, estimate
from dalil.estimate.service import STRATA_FIELDS, estimate_case
from dalil.estimate.strata import Stratified
from dalil.linkage.outputs import upset_from_counts
from dalil.records import cases


def _write_plots(
    folder: Path, result: Estimate | Stratified, table: CaptureTable | None
) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    if table is not None:
        path = folder / "overlap.svg"
        overlap = upset_from_counts(list(table.lists), Counter(table.observed()))
        path.write_text(overlap, encoding="utf-8")
        written.append(path)
    items = result.strata.items() if isinstance(result, Stratified) else [("", result)]
    for name, est in items:
        stem = f"{name.replace(' / ', '_').replace('/', '_')}_" if name else ""
        pictures = {"distribution": plots.distribution_svg(est)}
        if est.traces is not None:
            pictures["traces"] = plots.trace_svg(est.traces)
        if est.diagnostics.get("ranking"):
            pictures["ranking"] = plots.ranking_svg(est)
        for kind, svg in pictures.items():
            path = folder / f"{stem}{kind}.svg"
            path.write_text(svg, encoding="utf-8")
            written.append(path)
    return written


def _print(result: Estimate | Stratified) -> None:
    d = result.to_dict()
    point = result.total if isinstance(result, Stratified) else result.estimate
    lo, hi = (round(v) for v in result.interval)
    headline = Text(f"{round(point):,}", style="bold")
    headline.append(
        f" killed (estimate), {int(d['level'] * 100)}% interval {lo:,} - {hi:,}; "
        f"{d['observed']:,} documented"
    )
    console.print(headline)
    console.print(f"method: {d['method']}; model: {d['model']}")
    if isinstance(result, Stratified):
        for name, est in result.strata.items():
            console.print(
                f"  {name}: {est.estimate:,.0f} ({est.interval[0]:,.0f} - "
                f"{est.interval[1]:,.0f}), {est.observed:,} documented"
            )
        for name, why in result.refused.items():
            console.print(f"  {name}: refused: {why}")
    for w in d["warnings"]:
        console.print(Text.assemble(("warning:", "yellow"), f" {w}"))
    for a in d.get("assumptions", []):
        console.print(f"assumes: {a}", style="dim")


@click.command("estimate")
@click.argument(
    "captures", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--case", "case", help="Estimate from this case's latest linkage run instead.")
@click.option("--strata", default="", help=f"Comma-separated: {', '.join(STRATA_FIELDS)}.")
@click.option(
    "--method", type=click.Choice(["loglinear", "dga", "lcmcr"]), default="lcmcr", show_default=True
)
@click.option(
    "--select",
    type=click.Choice(["bic", "aic", "stepwise"]),
    default="bic",
    show_default=True,
    help="Model selection for --method loglinear.",
)
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--level", type=click.FloatRange(0.5, 0.999), default=0.95, show_default=True)
@click.option(
    "--replicates",
    type=int,
    default=500,
    show_default=True,
    help="Bootstrap replicates (log-linear).",
)
@click.option(
    "--prior",
    type=click.Choice(["1/N", "uniform"]),
    default="1/N",
    show_default=True,
    help="Prior on N for --method dga.",
)
@click.option(
    "--k",
    "k",
    type=int,
    default=10,
    show_default=True,
    help="LCMCR latent classes (the package default is 5; HRDAG uses 10-15).",
)
@click.option("--burnin", type=int, default=10_000, show_default=True)
@click.option("--samples", type=int, default=1_000, show_default=True)
@click.option(
    "--thinning",
    type=int,
    default=100,
    show_default=True,
    help="LCMCR thinning (package default 10; HRDAG and Silverman use 100).",
)
@click.option("--chains", type=int, default=3, show_default=True)
@click.option(
    "--plots",
    "plot_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write SVG plots (distribution of N, traces, model ranking) here.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the estimate JSON.")
@click.pass_context
def estimate_cmd(
    ctx: click.Context,
    captures: Path | None,
    case: str | None,
    strata: str,
    method: str,
    select: str,
    seed: int,
    level: float,
    replicates: int,
    prior: str,
    k: int,
    burnin: int,
    samples: int,
    thinning: int,
    chains: int,
    plot_dir: Path | None,
    as_json: bool,
) -> None:
    """Estimate the total number killed from overlapping lists (Multiple Systems Estimation).

    CAPTURES is a capture-history CSV (one 0/1 column per list, optional count). With
    --case, the case's latest linkage run is used and the estimate is stored.
    """
    if (captures is None) == (case is None):
        raise InvalidInput("give either a CAPTURES.csv file or --case CASE", path="captures")
    options: dict[str, Any] = {"level": level, "seed": seed}
    if method == "loglinear":
        options.update(select=select, replicates=replicates)
    if method == "dga":
        options["prior"] = prior
    if method == "lcmcr":
        options["lcmcr_options"] = {
            "k": k,
            "burnin": burnin,
            "samples": samples,
            "thinning": thinning,
            "chains": chains,
        }
    result: Estimate | Stratified
    table: CaptureTable | None = None
    with console.status(Text(f"estimating ({method})")):
        if captures is not None:
            if strata:
                raise InvalidInput("--strata needs --case", path="--strata")
            try:
                table = read_csv(captures)
            except csv.Error as err:  # e.g. a cell over the csv module's 128 KiB limit
                raise InvalidInput(
                    f"not a readable capture-history CSV ({err})", path=captures.name
                ) from None
            result = estimate(table, method, **options)  # type: ignore[arg-type]
        else:
            fields = tuple(f.strip() for f in strata.split(",") if f.strip())
            with workspace(ctx) as ws, ws.session() as s:
                result = estimate_case(
                    s,
                    cases.find_case(s, case or "").id,
                    settings_of(ctx).actor,
                    method,  # type: ignore[arg-type]
                    fields,
                    **options,
                )
    if plot_dir:
        for path in _write_plots(plot_dir, result, table):
            console.print(f"wrote {path}", style="dim")
    if as_json:
        print_json(result.to_dict())
    else:
        _print(result)
