"""``dalil estimate``: thin wrapper over :mod:`dalil.estimate`."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from rich.progress import TaskID
from rich.table import Table
from rich.text import Text

from dalil.cli.common import console, print_json, progress, settings_of, workspace
from dalil.errors import InvalidInput
from dalil.estimate import diagnostics, export, plots
from dalil.estimate.captures import CaptureTable, read_csv
from dalil.estimate.estimates import Estimate, Progress, estimate
from dalil.estimate.service import STRATA_FIELDS, case_tables, estimate_case
from dalil.estimate.strata import Stratified
from dalil.linkage.outputs import upset_from_counts
from dalil.records import cases

TOP_SHOWN = 5  # rows of the best-models table in the text output (the JSON has them all)
STAGES = {
    "models": "fitting models",
    "bootstrap": "bootstrap replicates",
    "draws": "linkage draws",
    "K": "LCMCR for each K",
}


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
    for fixed in d["diagnostics"].get("fixed_terms", []):
        console.print(f"fixed at -∞: {fixed['term']} ({fixed['why']})")
    if d["diagnostics"].get("interval_covers"):
        console.print(f"the interval covers {d['diagnostics']['interval_covers']}", style="dim")
    doubt = d.get("linkage_doubt")
    if doubt:
        blind_lo, blind_hi = (round(v) for v in doubt["linkage_blind_interval"])
        console.print(
            f"with the linkage's doubt ({doubt['draws']} drawn linkages): the interval above; "
            f"linkage-blind: {round(doubt['linkage_blind_estimate']):,}, "
            f"{blind_lo:,} - {blind_hi:,}"
        )
    if isinstance(result, Stratified):
        for name, est in result.strata.items():
            console.print(
                f"  {name}: {est.estimate:,.0f} ({est.interval[0]:,.0f} - "
                f"{est.interval[1]:,.0f}), {est.observed:,} documented"
            )
        for name, why in result.refused.items():
            console.print(f"  {name}: refused: {why}")
    if isinstance(result, Estimate):
        _print_diagnostics(result.diagnostics)
    for w in d["warnings"]:
        console.print(Text.assemble(("warning:", "yellow"), f" {w}"))
    for a in d.get("assumptions", []):
        console.print(f"assumes: {a}", style="dim")


def _table(title: str, *columns: str) -> Table:
    table = Table(title=Text(title), title_justify="left", show_edge=False)
    for i, column in enumerate(columns):
        table.add_column(Text(column), justify="left" if i == 0 else "right")
    return table


def _print_diagnostics(found: dict[str, Any]) -> None:
    """The overlap table, the pairwise odds ratios, the spread of the best models and the
    sensitivity to K, when the estimate carries them (text output only)."""
    overlaps = found.get("overlaps")
    if overlaps:
        table = _table("lists", "list", "persons", "only on it")
        for row in overlaps["lists"]:
            table.add_row(Text(row["list"]), f"{row['size']:,}", f"{row['only']:,}")
        console.print(table)
    ratios = found.get("odds_ratios")
    if overlaps and overlaps["pairs"]:
        level = round(100 * (ratios[0]["level"] if ratios else 0.95))
        table = _table("pairs of lists", "pair", "on both", "odds ratio", f"{level}% interval")
        by_pair = {tuple(r["lists"]): r for r in ratios or []}
        for pair in overlaps["pairs"]:
            r = by_pair.get(tuple(pair["lists"]))
            ratio = interval = "-"
            if r and r["odds_ratio"] is not None:
                ratio = f"{r['odds_ratio']:.3g}" + (" *" if r["corrected"] else "")
                interval = f"{r['interval'][0]:.3g} - {r['interval'][1]:.3g}"
            table.add_row(Text(" + ".join(pair["lists"])), f"{pair['both']:,}", ratio, interval)
        console.print(table)
        if ratios:
            console.print(
                "odds ratio of the pair among persons on the other lists: above 1, the two "
                "lists tend to document the same persons (positive dependence)",
                style="dim",
            )
        if any(r["corrected"] for r in ratios or []):
            console.print("* a cell was 0: 0.5 added to each cell", style="dim")
    top = found.get("ranking")
    if top:
        criterion = "aic" if found.get("selection") == "aic" else "bic"
        table = _table("best models", "model", f"Δ{criterion.upper()}", "estimate",
                       "fixed at -∞ (lists share nobody)")  # fmt: skip
        for row in top[:TOP_SHOWN]:
            delta = f"{row[criterion] - top[0][criterion]:.2f}"
            fixed = ", ".join(row["fixed_terms"]) or "-"
            table.add_row(Text(row["model"]), delta, f"{row['estimate']:,.0f}", Text(fixed))
        console.print(table)
        values = [row["estimate"] for row in top]
        shown = f" ({TOP_SHOWN} shown)" if len(top) > TOP_SHOWN else ""
        console.print(
            f"the {len(top)} best models give {min(values):,.0f} - {max(values):,.0f}{shown}",
            style="dim",
        )
    by_k = found.get("k_sensitivity")
    if by_k:
        table = _table("LCMCR across K", "K", "estimate", "interval", "R-hat")
        for row in by_k:
            lo, hi = row["interval"]
            table.add_row(str(row["k"]), f"{row['estimate']:,.0f}", f"{lo:,.0f} - {hi:,.0f}",
                          f"{row['r_hat']:.2f}")  # fmt: skip
        console.print(table)


@contextmanager
def _progress_bars(method: str) -> Iterator[Progress]:
    """A :data:`~dalil.estimate.estimates.Progress` callback drawing one bar per stage.

    Drawn on stderr, and only when stderr is a terminal: stdout (the --json output) never
    sees it. Until a stage reports, an indeterminate bar says the estimate is running.
    """
    bars = progress()
    bars.disable = not console.is_terminal
    tasks: dict[str, TaskID] = {}
    with bars:
        waiting = bars.add_task(f"estimating ({method})", total=None)

        def report(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                bars.update(waiting, visible=False)
                tasks[stage] = bars.add_task(STAGES.get(stage, stage), total=total)
            bars.update(tasks[stage], completed=done, total=total)

        yield report


def _k_values(text: str) -> tuple[int, ...]:
    values = [v.strip() for v in text.split(",") if v.strip()]
    if not values or not all(v.isdigit() and int(v) >= 1 for v in values):
        raise InvalidInput(
            f"give whole numbers of latent classes separated by commas, e.g. 5,10,15 "
            f"(got {text!r})",
            path="--k-sensitivity",
        )
    return tuple(dict.fromkeys(int(v) for v in values))  # in order, each K once


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
@click.option(
    "--max-order",
    type=click.IntRange(min=1),
    default=None,
    help="Highest interaction order searched by --select bic/aic (default: J - 1 up to five "
    "lists, 2 beyond).",
)
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--level", type=click.FloatRange(0.5, 0.999), default=0.95, show_default=True)
@click.option(
    "--replicates",
    type=click.IntRange(min=2),
    default=1000,
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
    type=click.IntRange(min=1),
    default=10,
    show_default=True,
    help="LCMCR latent classes (the package default is 5; HRDAG uses 10-15).",
)
@click.option(
    "--k-sensitivity",
    "k_sensitivity",
    metavar="K,K,...",
    help="With --method lcmcr: also run LCMCR with each of these K (e.g. 5,10,15) and show "
    "how the estimate moves.",
)
@click.option("--burnin", type=click.IntRange(min=0), default=10_000, show_default=True)
@click.option("--samples", type=click.IntRange(min=2), default=1_000, show_default=True)
@click.option(
    "--thinning",
    type=click.IntRange(min=1),
    default=100,
    show_default=True,
    help="LCMCR thinning (package default 10; HRDAG and Silverman use 100).",
)
@click.option("--chains", type=click.IntRange(min=1), default=3, show_default=True)
@click.option(
    "--linkage-draws",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="With --case: re-estimate on this many plausible linkages drawn from the latest "
    "run's match probabilities and combine them, so the interval carries the linkage's "
    "doubt (0: none; otherwise at least 2; not with --strata).",
)
@click.option(
    "--plots",
    "plot_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write SVG plots (distribution of N, traces, model ranking) here.",
)
@click.option(
    "--export",
    "export_dir",
    type=click.Path(path_type=Path),
    metavar="DIR",
    help="Write captures.csv, model.json and check.R here, to check the estimate in R "
    "(Rcapture, MultipleSystemsEstimation, LCMCR, dga).",
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
    max_order: int | None,
    seed: int,
    level: float,
    replicates: int,
    prior: str,
    k: int,
    k_sensitivity: str | None,
    burnin: int,
    samples: int,
    thinning: int,
    chains: int,
    linkage_draws: int,
    plot_dir: Path | None,
    export_dir: Path | None,
    as_json: bool,
) -> None:
    """Estimate the total number killed from overlapping lists (Multiple Systems Estimation).

    CAPTURES is a capture-history CSV (one 0/1 column per list, optional count). With
    --case, the case's latest linkage run is used and the estimate is stored. The text
    output shows the lists' overlaps and pairwise odds ratios; --json prints the estimate
    JSON on stdout (progress, on a terminal, goes to stderr).
    """
    if (captures is None) == (case is None):
        raise InvalidInput("give either a CAPTURES.csv file or --case CASE", path="captures")
    if captures is not None and strata:
        raise InvalidInput("--strata needs --case", path="--strata")
    if captures is not None and linkage_draws:
        raise InvalidInput(
            "only with --case (the draws come from the case's latest linkage run)",
            path="--linkage-draws",
        )
    ks = _k_values(k_sensitivity) if k_sensitivity is not None else ()
    if ks and method != "lcmcr":
        raise InvalidInput("only with --method lcmcr", path="--k-sensitivity")
    if ks and strata:
        raise InvalidInput(
            "only without --strata (it runs on one table)",
            path="--k-sensitivity",
        )
    if export_dir is not None:
        export.check_folder(export_dir)
    options: dict[str, Any] = {"level": level, "seed": seed}
    if max_order is not None:
        options["max_order"] = max_order  # refused by the library unless log-linear
    if method == "loglinear":
        options.update(select=select, replicates=replicates)
    if method == "dga":
        options["prior"] = prior
    sampler = {"burnin": burnin, "samples": samples, "thinning": thinning, "chains": chains}
    if method == "lcmcr":
        options["lcmcr_options"] = {"k": k, **sampler}
    result: Estimate | Stratified
    tables: dict[str, CaptureTable] = {}
    with _progress_bars(method) as report:
        if captures is not None:
            try:
                tables["all"] = read_csv(captures)
            except csv.Error as err:  # e.g. a cell over the csv module's 128 KiB limit
                raise InvalidInput(
                    f"not a readable capture-history CSV ({err})", path=captures.name
                ) from None
            result = estimate(tables["all"], method, **options, progress=report)  # type: ignore[arg-type]
        else:
            fields = tuple(f.strip() for f in strata.split(",") if f.strip())
            draws = {"linkage_draws": linkage_draws} if linkage_draws else {}
            with workspace(ctx) as ws, ws.session() as s:
                case_id = cases.find_case(s, case or "").id
                result = estimate_case(
                    s,
                    case_id,
                    settings_of(ctx).actor,
                    method,  # type: ignore[arg-type]
                    fields,
                    **draws,
                    **options,
                    progress=report,
                )
                if ks or export_dir is not None:
                    tables = case_tables(s, case_id, fields)[0]
        if ks and isinstance(result, Estimate):
            result.diagnostics["k_sensitivity"] = diagnostics.sensitivity_to_k(
                tables["all"], ks, seed=seed, level=level, progress=report, **sampler
            )
    table = tables.get("all") if captures is not None else None
    if plot_dir:
        for path in _write_plots(plot_dir, result, table):
            console.print(f"wrote {path}", style="dim")
    if export_dir is not None:
        for path in export.write(export_dir, result, tables):
            console.print(f"wrote {path}", style="dim")
    if as_json:
        print_json(result.to_dict())
    else:
        _print(result)
