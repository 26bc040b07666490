"""Running a linkage from the command line: the options ``link`` and ``link-lists`` share,
their outputs, a quiet run (one progress line, Splink's log to a file or ``--verbose``)
and the summary they print. Kept apart from :mod:`dalil.cli.linkage_commands` so each
reads in one sitting."""

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

from dalil.cli.common import console
from dalil.linkage.engine import LinkageConfig, LinkResult, split_key
from dalil.linkage.outputs import upset_svg, write_captures, write_clusters
from dalil.linkage.threshold import Choice


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
    os.chmod(path, 0o600)  # also a file that was there before
    handler = logging.FileHandler(path, mode="a" if append else "w", encoding="utf-8")
    handler.setFormatter(logging.Formatter(_LOG_FORMAT))
    return handler


@contextmanager
def quiet_linkage(
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

    def note(msg: str) -> None:  # a stage line in the log file, under "dalil.link"
        to_file.handle(logging.makeLogRecord(
            {"name": "dalil.link", "levelno": logging.INFO, "levelname": "INFO", "msg": msg}
        ))  # fmt: skip

    note(title)
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
                note(msg)
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


def workspace_log(home: Path) -> Path:
    """Where ``dalil link`` logs: ``logs/linkage.log`` in the workspace folder, made
    owner-only like the folder itself (the settings name no other log place)."""
    folder = home.resolve() / "logs"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    return folder / "linkage.log"


def lists_log(out: Path) -> Path:
    """Where ``dalil link-lists`` logs: ``<out stem>.log`` beside the clusters CSV."""
    log = out.resolve().with_suffix(".log")
    return log if log != out.resolve() else log.with_name(out.name + ".splink.log")


def _share(x: float) -> str:
    """A share to two decimals, never rounded up to a certainty it is not (0.9993 is
    "0.999", 0.99996 is "> 0.999")."""
    if x >= 1 or round(x, 2) < 1:
        return f"{x:.2f}"
    return f"{x:.3f}" if round(x, 3) < 1 else "> 0.999"


def summary_lines(
    records: int, lists: int, persons: int, pairs: int, choice: Choice, review: int | None
) -> list[str]:
    """The closing summary, in words a reader of the run can check: the expected figures
    are the model's own (pairwise, over the compared pairs put into one person)."""
    how = "the best expected F1 on 0.80-0.99" if choice.chosen else "set by --threshold"
    lines = [
        f"{records:,} records from {lists} lists -> {persons:,} persons",
        f"{pairs:,} candidate pairs compared",
        f"merge threshold {choice.threshold:.2f} ({how}): the model expects precision "
        f"{_share(choice.expected_precision)} and recall {_share(choice.expected_recall)} "
        "(pairwise, over the compared pairs it put into one person)",
    ]
    if review is not None:
        lines.append(
            f"{review:,} uncertain pairs left as scored (in a case, `dalil review` puts them "
            "to a person)"
        )
    return lines
