"""``dalil gazetteer``: import GeoNames dumps and look up places, over
:mod:`dalil.places.gazetteer`."""

from __future__ import annotations

from pathlib import Path

import click
from rich.table import Table

from dalil.cli.common import json_option, out, print_json, progress, workspace
from dalil.places import gazetteer


@click.group("gazetteer")
def gazetteer_group() -> None:
    """Look up places; import GeoNames dumps."""


@gazetteer_group.command("import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.pass_context
def gazetteer_import(ctx: click.Context, file: Path) -> None:
    """Import a GeoNames country dump (tab-separated, e.g. SY.txt); all or nothing."""
    with workspace(ctx) as ws, progress() as bar, ws.session() as s:
        task = bar.add_task(f"importing {file.name}", total=None)
        n = gazetteer.import_geonames(
            s, file, progress=lambda done: bar.update(task, completed=done)
        )
    click.echo(f"imported {n} places from {file.name}")


@gazetteer_group.command("search")
@click.argument("name")
@json_option
@click.pass_context
def gazetteer_search(ctx: click.Context, name: str, as_json: bool) -> None:
    """Find places by name in Arabic or Latin script."""
    with workspace(ctx) as ws, ws.session() as s:
        matches = gazetteer.lookup(s, name)
    if as_json:
        print_json([m.__dict__ | {"ref": m.ref} for m in matches])
        return
    table = Table("ref", "name", "matched", "governorate", "lat", "lon", "population")
    for m in matches:
        table.add_row(
            m.ref,
            m.name,
            m.matched_name,
            m.admin1_name or "",
            f"{m.latitude:.5f}",
            f"{m.longitude:.5f}",
            str(m.population),
        )
    out.print(table)
