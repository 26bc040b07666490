"""``dalil lists``, ``dalil link``, ``dalil link-lists`` and ``dalil review``: thin wrappers
over :mod:`dalil.intake.victim_lists` and :mod:`dalil.linkage`."""

from __future__ import annotations

import functools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
from rich.table import Table

from dalil.cli.common import console, json_option, print_json, settings_of, workspace
from dalil.cli.common import out as stdout
from dalil.intake.victim_lists import FIELDS, Limits, parse_mapping, read_list
from dalil.linkage import service
from dalil.linkage.engine import LinkageConfig, LinkResult, link, split_key
from dalil.linkage.outputs import upset_svg, write_captures, write_clusters
from dalil.records import cases
from dalil.vault import failpoints


@dataclass(frozen=True)
class LinkageOutputs:
    """What the options of :func:`linkage_options` ask of a linkage run: the model settings,
    and the files to write its clusters, capture histories and list-overlap chart to
    (each ``None`` when not asked for)."""

    config: LinkageConfig
    out: Path | None
    captures: Path | None
    chart: Path | None

    def write(self, result: LinkResult) -> None:
        """Write the files asked for from ``result`` (the model JSON beside ``out``)."""
        members: dict[str, list[tuple[str, str]]] = {}
        for key, person in result.clusters.cluster_of.items():
            members.setdefault(person, []).append(split_key(key))
        sources, hist = result.captures()
        if self.out:
            write_clusters(self.out, {p: sorted(m) for p, m in members.items()})
            self.out.with_suffix(".model.json").write_text(
                json.dumps(result.scored.model, indent=1), encoding="utf-8"
            )
        if self.captures:
            write_captures(self.captures, sources, hist)
        if self.chart:
            self.chart.write_text(upset_svg(sources, hist), encoding="utf-8")


def linkage_options(out_required: bool) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Options shared by ``link`` and ``link-lists``: outputs and model settings, handed to
    the command as one :class:`LinkageOutputs` (keyword ``linkage``)."""

    def path(name: str, text: str, required: bool = False) -> Any:
        return click.option(
            name, required=required, type=click.Path(dir_okay=False, path_type=Path), help=text
        )

    options = [
        path("--out", "Clusters CSV (source,record_id,cluster_id); the model JSON goes beside "
             "it.", out_required),
        path("--captures", "Capture-history CSV, one 0/1 column per source (for estimation)."),
        path("--chart", "List-overlap chart (SVG)."),
        click.option("--backend", type=click.Choice(["duckdb", "spark"]), default="duckdb",
                     show_default=True,
                     help="Splink backend: DuckDB in-process, or Spark (pip install "
                     "'dalil[spark]').",),
        click.option("--threshold", type=click.FloatRange(0.5, 0.999),
                     default=LinkageConfig.threshold, show_default=True,
                     help="Match probability at which two records are merged."),
        click.option("--compare", "extra", multiple=True, metavar="COLUMN",
                     help="Also compare this identifying column (an ID number, an address); "
                     "repeatable."),
        click.option("--swapped-names", is_flag=True,
                     help="Treat given and family name written the other way round as "
                     "agreement (Western-style lists; off for Arabic name chains)."),
    ]  # fmt: skip

    def apply(fn: Callable[..., None]) -> Callable[..., None]:
        @functools.wraps(fn)
        def command(
            *args: Any, out: Path | None, captures: Path | None, chart: Path | None,
            backend: str, threshold: float, extra: tuple[str, ...], swapped_names: bool,
            **kwargs: Any,
        ) -> None:  # fmt: skip
            config = LinkageConfig(
                threshold=threshold,
                backend=backend,  # type: ignore[arg-type]
                extra_columns=extra,
                swapped_names=swapped_names,
            )
            fn(*args, linkage=LinkageOutputs(config, out, captures, chart), **kwargs)

        wrapped: Callable[..., None] = command
        for option in reversed(options):
            wrapped = option(wrapped)
        return wrapped

    return apply


_STARTED = time.monotonic()


def _say(msg: str) -> None:
    """One status line per stage of a linkage run, with the seconds since the command began."""
    console.print(f"{time.monotonic() - _STARTED:6.1f} s  {msg}", style="dim")


@click.group("lists")
def lists_group() -> None:
    """Victim lists: import and list."""


@lists_group.command("import")
@click.argument("case")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--source", required=True, help="Name of the list's source (e.g. the NGO).")
@click.option(
    "--map",
    "maps",
    multiple=True,
    metavar="COLUMN=FIELD",
    help="Map a file column onto a victim-list field (repeatable).",
)
@json_option
@click.pass_context
def lists_import(
    ctx: click.Context, case: str, file: Path, source: str, maps: tuple[str, ...], as_json: bool
) -> None:
    """Import a CSV or XLSX victim list into CASE (all rows or none)."""
    settings = settings_of(ctx)
    parsed = read_list(file, parse_mapping(list(maps)), limits=Limits.of(settings))
    actor = settings.actor
    with workspace(ctx) as ws, ws.session() as s:
        vl = service.import_list(s, cases.find_case(s, case).id, source, parsed, actor)
        info = {
            "source": vl.source,
            "rows": vl.row_count,
            "encoding": vl.encoding,
            "sha256": vl.sha256,
            "mapping": parsed.mapping,
        }
    failpoints.hit("after_commit_before_ack")
    if as_json:
        print_json(info)
    else:
        click.echo(
            f"imported {info['rows']} rows from {file.name} as source {source!r} "
            f"(encoding {info['encoding']})"
        )


@lists_group.command("list")
@click.argument("case")
@json_option
@click.pass_context
def lists_list(ctx: click.Context, case: str, as_json: bool) -> None:
    """Show the victim lists of CASE."""
    with workspace(ctx) as ws, ws.session() as s:
        rows = [
            {
                "source": v.source,
                "file": v.file_name,
                "rows": v.row_count,
                "encoding": v.encoding,
                "sha256": v.sha256,
                "imported_at": v.imported_at.isoformat(),
            }
            for v in service.lists(s, cases.find_case(s, case).id)
        ]
    if as_json:
        print_json(rows)
        return
    table = Table("source", "file", "rows", "encoding", "sha256")
    for r in rows:
        table.add_row(
            str(r["source"]),
            str(r["file"]),
            str(r["rows"]),
            str(r["encoding"]),
            str(r["sha256"])[:16],
        )
    stdout.print(table)  # data, on standard output like `case list` (was standard error)


@click.command("link")
@click.argument("case")
@linkage_options(out_required=False)
@json_option
@click.pass_context
def link_case(ctx: click.Context, case: str, linkage: LinkageOutputs, as_json: bool) -> None:
    """Link the victim lists of CASE into persons and store the run."""
    with workspace(ctx) as ws, ws.session() as s:
        summary, result = service.run_linkage(
            s, cases.find_case(s, case).id, settings_of(ctx).actor, linkage.config, say=_say
        )
    linkage.write(result)
    if as_json:
        print_json(summary.to_dict())
    else:
        click.echo(
            f"run {summary.run_id}: {summary.records} records from "
            f"{len(summary.sources)} lists -> {summary.persons} persons; "
            f"{summary.review_items} pairs to review (dalil review next {case})"
        )


@click.command("link-lists")
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@linkage_options(out_required=True)
def link_lists(files: tuple[Path, ...], linkage: LinkageOutputs) -> None:
    """Link victim-list CSV/XLSX files without a workspace (source = file stem)."""
    rows: list[dict[str, str]] = []
    for f in files:
        parsed = read_list(f)
        rows.extend({**r.raw, **r.values, "source": f.stem} for r in parsed.rows)
    result = link(rows, linkage.config, say=_say)
    linkage.write(result)
    persons = len(set(result.clusters.cluster_of.values()))
    click.echo(
        f"{len(rows)} records from {len(files)} lists -> {persons} persons; "
        f"clusters in {linkage.out}"
    )


@click.group("review")
def review_group() -> None:
    """Review uncertain record pairs of the latest linkage run."""


def _show_pair(item: service.PendingReview) -> None:
    fields = [f for f in FIELDS if f != "record_id"]
    table = Table(
        "field",
        service.display_key(item.left_key),
        service.display_key(item.right_key),
        title=f"#{item.rank} {item.kind}: p={item.probability:.2f} ({item.reason})",
    )
    for f in fields:
        a, b = item.left.get(f, ""), item.right.get(f, "")
        if a or b:
            style = "" if a == b else "bold yellow"
            table.add_row(f, a, b, style=style)
    console.print(table)


@review_group.command("next")
@click.argument("case")
@click.option("-n", "limit", default=1, show_default=True, help="How many items to show.")
@json_option
@click.pass_context
def review_next(ctx: click.Context, case: str, limit: int, as_json: bool) -> None:
    """Show the next undecided pairs, most consequential first."""
    with workspace(ctx) as ws, ws.session() as s:
        case_id = cases.find_case(s, case).id
        items = service.next_reviews(s, case_id, limit)
        left = service.pending_count(s, case_id)
    if as_json:
        print_json(
            {
                "pending": left,
                "items": [
                    {
                        "rank": i.rank,
                        "kind": i.kind,
                        "probability": i.probability,
                        "reason": i.reason,
                        "left": service.display_key(i.left_key),
                        "right": service.display_key(i.right_key),
                        "left_record": i.left,
                        "right_record": i.right,
                    }
                    for i in items
                ],
            }
        )
        return
    if not items:
        click.echo("nothing to review")
    for item in items:
        _show_pair(item)
        click.echo(
            f"decide: dalil review decide {case} {service.display_key(item.left_key)} "
            f"{service.display_key(item.right_key)} match|no_match|unsure"
        )
    click.echo(f"{left} item(s) pending")


@review_group.command("decide")
@click.argument("case")
@click.argument("left")
@click.argument("right")
@click.argument("decision", type=click.Choice(list(service.DECISIONS)))
@click.option("--note", help="Why (kept with the decision).")
@click.pass_context
def review_decide(
    ctx: click.Context, case: str, left: str, right: str, decision: str, note: str | None
) -> None:
    """Record a decision on two records (SOURCE:RECORD_ID each); honoured on every re-run."""
    with workspace(ctx) as ws, ws.session() as s:
        service.decide(
            s,
            cases.find_case(s, case).id,
            service.parse_record_ref(left),
            service.parse_record_ref(right),
            decision,
            settings_of(ctx).actor,
            note,
        )
    click.echo(f"recorded {decision}; run `dalil link {case}` to apply it")


COMMANDS = (lists_group, link_case, link_lists, review_group)
