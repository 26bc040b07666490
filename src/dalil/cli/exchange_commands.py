"""``dalil export`` and ``dalil import``: a case as one JSON document (dalil-case/1),
whole or shared under a consent scope, over :mod:`dalil.records.exchange` and
:mod:`dalil.records.sharing`."""

from __future__ import annotations

from pathlib import Path

import click

from dalil.cli.common import custody_actor, progress, user_option, workspace
from dalil.errors import InvalidInput
from dalil.records import cases, exchange, sharing
from dalil.vault import failpoints


@click.command("export")
@click.argument("case")
@click.argument("out_file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--scope", help="Share under this consent scope (e.g. un_mechanism, "
              "state_committee, public_anonymised): withholds the material of witnesses "
              "whose consent does not cover it.")  # fmt: skip
@click.option("--to", "recipient", help="Who receives it (recorded in the custody ledger).")
@user_option
@click.pass_context
def export_cmd(
    ctx: click.Context,
    case: str,
    out_file: Path,
    scope: str | None,
    recipient: str | None,
    user: str | None,
) -> None:
    """Export a case as one JSON document (format dalil-case/1).

    Without --scope this is the team's own complete copy (every witness's material);
    anything that leaves the team should be exported with --scope, which is a custody
    event naming ``--user`` or the workspace's operator (asked for before anything is
    read, so a refused export writes nothing)."""
    with workspace(ctx) as ws:
        actor = custody_actor(ws, user) if scope is not None else None
        with ws.session() as s:
            case_id = cases.find_case(s, case).id
            if scope is None:
                doc = exchange.export_case(s, case_id)
            else:
                doc = sharing.scoped_document(s, case_id, scope)
    if actor is not None:  # recorded before the file exists: no unrecorded sharing
        with workspace(ctx) as ws:
            sharing.record_export(ws, actor, doc, recipient)
    tmp = out_file.with_name(out_file.name + ".part")
    tmp.write_text(exchange.dumps(doc), encoding="utf-8")
    tmp.replace(out_file)
    if scope is not None:
        note = doc["sharing"]
        for w in note["withheld_persons"]:
            click.echo(f"withheld {w['label']}: {w['why']}")
        click.echo(f"withheld {note['withheld_records']} records and "
                   f"{note['withheld_assertions']} assertions under scope {scope}")  # fmt: skip
    else:
        click.echo("complete copy, every witness's material included: for the team's own use")
    click.echo(
        f"exported {len(doc['records'])} records and {len(doc['assertions'])} assertions "
        f"to {out_file}"
    )


@click.command("import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.pass_context
def import_cmd(ctx: click.Context, file: Path) -> None:
    """Import a case document; all or nothing."""
    with workspace(ctx) as ws:
        if file.stat().st_size > ws.settings.max_import_bytes:
            raise InvalidInput(
                f"file is larger than the import limit of {ws.settings.max_import_bytes} bytes",
                path=str(file),
            )
        doc = exchange.parse(file.read_bytes(), max_bytes=ws.settings.max_import_bytes)
        with progress() as bar, ws.session() as s:
            task = bar.add_task("importing", total=len(doc.records) + len(doc.assertions))
            case = exchange.import_case(
                s,
                doc,
                max_chars=ws.settings.max_text_chars,
                progress=lambda done, total: bar.update(task, completed=done),
            )
            case_id = case.id
    failpoints.hit("after_commit_before_ack")
    click.echo(f"imported case {case_id}")
