"""``dalil backup`` and ``dalil restore``: thin wrappers over :mod:`dalil.backup`."""

from __future__ import annotations

from pathlib import Path

import click

from dalil import backup
from dalil.cli.common import settings_of, workspace
from dalil.vault import failpoints


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
@click.option(
    "--checkpoint",
    "checkpoint_files",
    multiple=True,
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="A checkpoint kept outside the backup (dalil vault checkpoint --out) that the "
    "restored ledger must extend (repeatable).",
)
@click.pass_context
def restore_cmd(ctx: click.Context, archive: Path, checkpoint_files: tuple[Path, ...]) -> None:
    """Restore ARCHIVE into a new workspace at --home and verify the custody ledger.

    All or nothing: the whole archive is checked first (member names, sizes, digests,
    every table row), and a refused archive leaves nothing at --home or in the database.
    """
    from dalil.vault.service import read_checkpoint

    checkpoints = [read_checkpoint(p) for p in checkpoint_files]
    report = backup.restore(archive, settings_of(ctx), checkpoints=checkpoints)
    failpoints.hit("after_commit_before_ack")
    click.echo(
        f"restored {sum(report.rows.values())} rows; ledger of {report.tree_size} "
        f"entries, {report.heads_checked} signed heads, {report.blobs_checked} blobs checked"
    )
    for fault in report.faults:
        click.echo(f"FAULT {fault}", err=True)
    if not report.ok:
        raise SystemExit(1)
    if checkpoints:
        click.echo(f"the ledger extends the {len(checkpoints)} outside checkpoint(s)")
    click.echo("verified; run `dalil vault verify` with the passphrase to check blob contents too")
