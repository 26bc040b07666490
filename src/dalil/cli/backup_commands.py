"""``dalil backup`` and ``dalil restore``: thin wrappers over :mod:`dalil.backup`."""

from __future__ import annotations

from pathlib import Path

import click

from dalil import backup
from dalil.cli.common import settings_of, workspace


@click.command("backup")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def backup_cmd(ctx: click.Context, out: Path) -> None:
    """Write the whole workspace (database, encrypted vault, key file) to OUT (a zip)."""
    with workspace(ctx) as ws:
        manifest = backup.backup(ws, out)
    click.echo(
        f"backup written to {out}: {sum(manifest['rows'].values())} rows, "
        f"{len(manifest['members'])} members, schema {manifest['schema']}"
    )


@click.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_context
def restore_cmd(ctx: click.Context, archive: Path) -> None:
    """Restore ARCHIVE into a new workspace at --home and verify the custody ledger."""
    report = backup.restore(archive, settings_of(ctx))
    click.echo(
        f"restored {sum(report.rows.values())} rows; ledger of {report.tree_size} "
        f"entries, {report.heads_checked} signed heads, {report.blobs_checked} blobs checked"
    )
    for fault in report.faults:
        click.echo(f"FAULT {fault}", err=True)
    if not report.ok:
        raise SystemExit(1)
    click.echo("verified; run `dalil vault verify` with the passphrase to check blob contents too")
