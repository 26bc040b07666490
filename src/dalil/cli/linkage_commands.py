"""``dalil lists``, ``dalil link``, ``dalil link-lists`` and ``dalil review``: thin wrappers
over :mod:`dalil.intake.victim_lists` and :mod:`dalil.linkage`."""

from __future__ import annotations

import functools
import json
import logging
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from dalil.cli.common import console, json_option, print_json, settings_of, workspace
from dalil.cli.common import out as stdout
from dalil.errors import InvalidInput
from dalil.intake.victim_lists import FIELDS, Limits, parse_mapping, read_list
from dalil.linkage import service
from dalil.linkage.engine import LinkageConfig, LinkResult, link, split_key
from dalil.linkage.outputs import upset_svg, write_captures, write_clusters
from dalil.linkage.threshold import Choice
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
        click.option("--threshold", type=click.FloatRange(0.5, 0.999), default=None,
                     help="Match probability at which two records are merged. Default: "
                     "chosen from the data, where the model expects the best F1 (balance "
                     "of precision and recall) among candidate pairs."),
        click.option("--compare", "extra", multiple=True, metavar="COLUMN",
                     help="Also compare this identifying column (an ID number, an address); "
                     "repeatable."),
        click.option("--swapped-names", is_flag=True,
                     help="Treat given and family name written the other way round as "
                     "agreement (Western-style lists; off for Arabic name chains)."),
        click.option("--verbose", is_flag=True,
                     help="Also show each stage and Splink's own messages on standard error "
                     "(they always go to the log file the summary names)."),
    ]  # fmt: skip

    def apply(fn: Callable[..., None]) -> Callable[..., None]:
        @functools.wraps(fn)
        def command(
            *args: Any, out: Path | None, captures: Path | None, chart: Path | None,
            backend: str, threshold: float | None, extra: tuple[str, ...], swapped_names: bool,
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


#: Format of the log file: when, how grave, which logger (``splink.…`` or ``dalil.link``).
_LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class _ConsoleHandler(logging.Handler):
    """Splink's messages on standard error through the rich console, so that they print
    above the progress display instead of through it (``--verbose``)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            console.print(self.format(record), style="dim", highlight=False, soft_wrap=True)
        except Exception:  # a broken stream must not end the run
            self.handleError(record)


def _open_log(path: Path, append: bool) -> logging.FileHandler:
    """A handler writing to ``path``, created owner-only (0600) as the workspace's files are:
    Splink's messages name the lists' columns and, in places, their values."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    handler = logging.FileHandler(path, mode="a" if append else "w", encoding="utf-8")
    handler.setFormatter(logging.Formatter(_LOG_FORMAT))
    return handler


@contextmanager
def _quiet_linkage(
    log: Path, title: str, *, verbose: bool, append: bool
) -> Iterator[Callable[[str], None]]:
    """Run a linkage quietly; yields the ``say`` callback for :func:`dalil.linkage.engine.link`.

    Splink logs (logger ``splink`` and its children; :mod:`dalil.linkage.model` keeps it at
    WARNING: untrained m values, a small ``max_pairs``) go to ``log`` only, or also to
    standard error with ``verbose``. ``Linker`` adds its own stderr handler when the logger
    has none; with ours in place it does not, and any it added earlier in this process is
    set aside for the run, with ``propagate`` off so nothing reaches the root logger's
    handlers. Everything is put back afterwards, also on an error.

    The stages go to the log file with their times and, while stderr is a terminal, to one
    transient spinner line (stage and elapsed time); when it is not a terminal nothing is
    drawn, so a redirected run prints only its summary (and errors)."""
    splink = logging.getLogger("splink")
    saved = (list(splink.handlers), splink.propagate, splink.level)
    to_file = _open_log(log, append)
    stage_log = logging.getLogger("dalil.link")
    to_file.handle(logging.makeLogRecord(
        {"name": stage_log.name, "levelno": logging.INFO, "levelname": "INFO", "msg": title}
    ))  # fmt: skip
    handlers: list[logging.Handler] = [to_file]
    if verbose:
        shown = _ConsoleHandler()
        shown.setFormatter(logging.Formatter("%(name)s: %(message)s"))
        handlers.append(shown)
    for h in saved[0]:
        splink.removeHandler(h)
    for h in handlers:
        splink.addHandler(h)
    splink.propagate = False
    started = time.monotonic()
    spinner = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}", markup=False),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )
    spinner.disable = not console.is_terminal
    try:
        with spinner:
            task = spinner.add_task("linking", total=None)

            def say(msg: str) -> None:
                to_file.handle(logging.makeLogRecord(
                    {"name": stage_log.name, "levelno": logging.INFO, "levelname": "INFO",
                     "msg": msg}
                ))  # fmt: skip
                if verbose:
                    console.print(
                        f"{time.monotonic() - started:6.1f} s  {msg}", style="dim", highlight=False
                    )
                spinner.update(task, description=f"linking: {msg}")

            yield say
    finally:
        for h in handlers:
            splink.removeHandler(h)
        for h in saved[0]:
            splink.addHandler(h)
        splink.propagate = saved[1]
        splink.setLevel(saved[2])
        to_file.close()


def _workspace_log(home: Path) -> Path:
    """Where ``dalil link`` logs: ``logs/linkage.log`` in the workspace folder, made
    owner-only like the folder itself (the settings name no other log place)."""
    folder = home.resolve() / "logs"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    return folder / "linkage.log"


def _lists_log(out: Path) -> Path:
    """Where ``dalil link-lists`` logs: ``<out stem>.log`` beside the clusters CSV."""
    log = out.resolve().with_suffix(".log")
    return log if log != out.resolve() else log.with_name(out.name + ".splink.log")


def _share(x: float) -> str:
    """A share to two decimals, never rounded up to a certainty it is not (0.9993 is
    "0.999", 0.99996 is "> 0.999")."""
    if x >= 1 or round(x, 2) < 1:
        return f"{x:.2f}"
    return f"{x:.3f}" if round(x, 3) < 1 else "> 0.999"


def _summary_lines(
    records: int, lists: int, persons: int, pairs: int, choice: Choice, review: int | None
) -> list[str]:
    """The closing summary, in words a reader of the run can check: the expected figures
    are the model's own (pairwise, among candidate pairs, before clustering)."""
    how = "chosen from these lists" if choice.chosen else "set by --threshold"
    lines = [
        f"{records:,} records from {lists} lists -> {persons:,} persons",
        f"{pairs:,} candidate pairs compared",
        f"merge threshold {choice.threshold:.2f} ({how}): the model expects precision "
        f"{_share(choice.expected_precision)} and recall {_share(choice.expected_recall)} among "
        "candidate pairs (pairwise, before clustering)",
    ]
    if review is not None:
        lines.append(
            f"{review:,} uncertain pairs left as scored (in a case, `dalil review` puts them "
            "to a person)"
        )
    return lines


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
def link_case(
    ctx: click.Context, case: str, linkage: LinkageOutputs, as_json: bool, verbose: bool
) -> None:
    """Link the victim lists of CASE into persons and store the run.

    Prints a summary (records, persons, candidate pairs, the merge threshold and what the
    model expects of it, review items); Splink's messages go to logs/linkage.log in the
    workspace folder (also to standard error with --verbose)."""
    settings = settings_of(ctx)
    title = f"dalil link {case}"
    with workspace(ctx) as ws:  # opened first: a wrong --home gets no logs folder
        log = _workspace_log(ws.settings.home)
        with ws.session() as s, _quiet_linkage(log, title, verbose=verbose, append=True) as say:
            summary, result = service.run_linkage(
                s, cases.find_case(s, case).id, settings.actor, linkage.config, say=say
            )
    linkage.write(result)
    if as_json:
        found = summary.to_dict()
        for key in ("expected_precision", "expected_recall"):
            found[key] = round(found[key], 4)
        print_json({**found, "lists": len(summary.sources), "log": str(log)})
        return
    lines = _summary_lines(
        summary.records,
        len(summary.sources),
        summary.persons,
        summary.candidate_pairs,
        result.choice,
        None,
    )
    click.echo(f"run {summary.run_id}: {lines[0]}")
    for line in lines[1:]:
        click.echo(f"  {line}")
    click.echo(f"  {summary.review_items:,} pairs to review (dalil review next {case})")
    if linkage.out:
        click.echo(f"  clusters in {linkage.out}")
    click.echo(f"  Splink's messages in {log}")


@click.command("link-lists")
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@linkage_options(out_required=True)
def link_lists(files: tuple[Path, ...], linkage: LinkageOutputs, verbose: bool) -> None:
    """Link victim-list CSV/XLSX files without a workspace (source = file stem).

    Prints a summary (records, persons, candidate pairs, the merge threshold and what the
    model expects of it, review items); Splink's messages go to <out stem>.log beside the
    clusters CSV (also to standard error with --verbose)."""
    assert linkage.out is not None  # --out is required
    if not linkage.out.parent.is_dir():
        raise InvalidInput(f"no folder {str(linkage.out.parent)!r} to write to", path="--out")
    rows: list[dict[str, str]] = []
    for f in files:
        parsed = read_list(f)
        rows.extend({**r.raw, **r.values, "source": f.stem} for r in parsed.rows)
    log = _lists_log(linkage.out)
    title = f"dalil link-lists {' '.join(f.name for f in files)}"
    with _quiet_linkage(log, title, verbose=verbose, append=False) as say:
        result = link(rows, linkage.config, say=say)
    linkage.write(result)
    lines = _summary_lines(
        len(rows),
        len(files),
        len(set(result.clusters.cluster_of.values())),
        result.scored.candidate_pairs,
        result.choice,
        len(result.clusters.review),
    )
    click.echo(lines[0])
    for line in lines[1:]:
        click.echo(f"  {line}")
    click.echo(f"  clusters in {linkage.out}")
    click.echo(f"  Splink's messages in {log}")


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
