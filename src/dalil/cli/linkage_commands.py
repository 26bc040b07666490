"""``dalil lists``, ``dalil link``, ``dalil link-lists`` and ``dalil review``: thin wrappers
over :mod:`dalil.intake.victim_lists` and :mod:`dalil.linkage`."""

from __future__ import annotations

from pathlib import Path

import click
from rich.table import Table

from dalil.cli.common import console, json_option, print_json, settings_of, workspace
from dalil.cli.common import out as stdout
from dalil.cli.linkage_run import (
    LinkageOutputs,
    linkage_options,
    lists_log,
    quiet_linkage,
    summary_lines,
    workspace_log,
)
from dalil.errors import InvalidInput
from dalil.intake.victim_lists import FIELDS, Limits, parse_mapping, read_list
from dalil.linkage import service
from dalil.linkage.engine import link
from dalil.records import cases
from dalil.vault import failpoints


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
        log = workspace_log(ws.settings.home)
        with ws.session() as s, quiet_linkage(log, title, verbose=verbose, append=True) as say:
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
    lines = summary_lines(
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
    log = lists_log(linkage.out)
    title = f"dalil link-lists {' '.join(f.name for f in files)}"
    with quiet_linkage(log, title, verbose=verbose, append=False) as say:
        result = link(rows, linkage.config, say=say)
    linkage.write(result)
    lines = summary_lines(
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
